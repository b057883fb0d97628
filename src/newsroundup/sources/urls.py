"""Canonical article URLs: lower-cased host, no fragment, default port or tracking parameters."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that identify a campaign or a click, never the article itself.
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "at_", "ns_", "oly_", "hsa_", "_hs")
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl", "cmpid", "ocid", "smid", "sr_share", "spm",
        "icid", "xtor", "wt.mc_id", "vero_id", "ito",
        "__twitter_impression", "ref_src", "ref_url",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_tracking_parameter(name: str) -> bool:
    """True for query parameters that only track a click or campaign."""
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """The canonical form of ``url`` (resolved against ``base``): what one article is known by.

    A URL Python cannot split (``http://[::1/``) comes back as given: it is no web URL (:func:`is_web_url`).
    """
    url = url.strip()
    try:
        if base and not _SCHEME.match(url):
            url = urljoin(base, url)
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_parameter(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def is_web_url(text: str) -> bool:
    """True when ``text`` is an http(s) URL with a host (and one Python can split: not ``http://[::1/``)."""
    try:
        parts = urlsplit(text.strip())
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` ('' when it has none, or when it cannot be split)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def outlet_of(url: str) -> str:
    """A readable outlet name from a URL: its host without a leading ``www.``."""
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host
