"""Article identity: content fingerprints, ids for articles without a URL, which canonical links to trust."""

from __future__ import annotations

import hashlib
import re

from newsroundup.sources.urls import host_of

_WORD = re.compile(r"\w+", re.UNICODE)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go"})


def fingerprint(text: str) -> str:
    """A hash of the words of ``text``: equal for the same text however it is spaced or cased."""
    words = " ".join(_WORD.findall(text.casefold()))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:32]


def content_id(text: str) -> str:
    """An id for an article known only by its text (a file without a URL)."""
    return f"text-{fingerprint(text)[:16]}"


def trusted_canonical(page_url: str, canonical: str | None) -> bool:
    """True when a page's canonical link may name it: same site (``amp.x.com`` → ``www.x.com``).

    A page cannot claim another site's URL, which would let it take over that article's identity.
    """
    if not canonical:
        return False
    return _site(host_of(page_url)) == _site(host_of(canonical)) != ""


def _site(host: str) -> str:
    """The registrable part of a host name, roughly: ``news.bbc.co.uk`` → ``bbc.co.uk``."""
    labels = host.split(".")
    # Country domains with a generic second level ("co.uk", "com.au") need a third label.
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])
