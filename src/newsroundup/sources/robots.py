"""robots.txt rules per origin, fetched once per run and cached, following RFC 9309."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

# Fetches a robots.txt URL and returns (HTTP status, body); status 0 means it could not be reached.
RobotsFetch = Callable[[str], tuple[int, str]]


class RobotsCache:
    """Answers "may this URL be fetched?" for one user-agent token, one robots.txt per origin."""

    def __init__(self, fetch: RobotsFetch, agent: str) -> None:
        self._fetch = fetch
        self._agent = agent
        self._rules: dict[str, RobotFileParser] = {}
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
        return rules.can_fetch(self._agent, url)

    def _load(self, origin: str) -> RobotFileParser:
        """Fetch and parse one origin's robots.txt."""
        status, body = self._fetch(f"{origin}/robots.txt")
        rules = RobotFileParser()
        if 200 <= status < 300:
            rules.parse(body.splitlines())
        elif 400 <= status < 500:
            rules.parse([])  # no robots.txt: everything is allowed
        else:
            rules.parse(["User-agent: *", "Disallow: /"])  # unreachable: RFC 9309 says assume disallow
        return rules
