"""robots.txt rules per origin, fetched once and cached (across runs by the caller), per RFC 9309.

The rules are read by protego, which follows RFC 9309 where the standard library's parser does not:
``*`` and ``$`` in paths, and the longest matching rule wins (an ``Allow`` only when as specific).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from protego import Protego

# Fetches a robots.txt URL and returns (HTTP status, body); status 0 means it could not be reached.
RobotsFetch = Callable[[str], tuple[int, str]]
# A robots.txt as fetched: (HTTP status, body).
RobotsCopy = tuple[int, str]


class RobotsCache:
    """Answers "may this URL be fetched?" for one user-agent token, one robots.txt per origin."""

    def __init__(self, fetch: RobotsFetch, agent: str, known: Mapping[str, RobotsCopy] | None = None) -> None:
        self._fetch = fetch
        self._agent = agent
        self._copies: dict[str, RobotsCopy] = dict(known or {})  # origin -> copy still fresh enough
        self._fetched: dict[str, RobotsCopy] = {}
        self._rules: dict[str, Protego] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allowed(self, url: str) -> bool:
        """True when the robots.txt of ``url``'s origin lets our agent fetch it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            rules = self._rules.get(origin)
            if rules is None:
                rules = self._rules[origin] = self._load(origin)
        return bool(rules.can_fetch(url, self._agent))

    def fetched(self) -> dict[str, RobotsCopy]:
        """The robots.txt files fetched by this cache (not the known ones), for the caller to keep."""
        return dict(self._fetched)

    def _load(self, origin: str) -> Protego:
        """Parse one origin's robots.txt, fetching it unless a fresh copy is known."""
        copy = self._copies.get(origin)
        if copy is None:
            copy = self._fetch(f"{origin}/robots.txt")
            if copy[0]:  # an unreachable server is asked again next run
                self._fetched[origin] = copy
        status, body = copy
        if 200 <= status < 300:
            return Protego.parse(body)
        if 400 <= status < 500:
            return Protego.parse("")  # no robots.txt: everything is allowed
        return Protego.parse("User-agent: *\nDisallow: /")  # unreachable: RFC 9309 says assume disallow
