"""Polite, guarded HTTP fetching: caps, retries, redirects, robots.txt and conditional GET."""

from __future__ import annotations

import email.utils
import functools
import logging
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from newsroundup.errors import SourceError
from newsroundup.sources.charset import decode_document
from newsroundup.sources.guard import resolve
from newsroundup.sources.robots import RobotsCache, RobotsCopy
from newsroundup.version import __version__

log = logging.getLogger(__name__)

ROBOTS_AGENT = "newsroundup"
USER_AGENT = f"newsroundup/{__version__} (news roundup reader; +https://github.com/newsroundup/newsroundup)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch: limits, politeness and safety switches (defaults suit the open web)."""

    allow_private: bool = False
    respect_robots: bool = True
    timeout: float = 20.0  # seconds for a whole response, headers and body
    retries: int = 2  # extra attempts after a 5xx, 429, timeout or network error
    backoff: float = 1.0  # first retry waits this long, then twice as long each time
    max_bytes: int = 10 * 2**20  # cap on a response body after decompression
    max_redirects: int = 5
    per_host: int = 2  # requests in flight to one host at a time
    delay: float = 1.0  # seconds from the end of one request to a host to the start of the next
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """A response: final URL after redirects, status, body and the validators for the next poll."""

    url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    location: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request: nothing changed, nothing sent."""
        return self.status == 304

    def text(self) -> str:
        """The body decoded by HTTP charset, meta charset or detection."""
        return decode_document(self.content, self.content_type)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The certificate store, loaded once per process (~0.1 s every ``add`` paid again); a context is shareable."""
    return httpx.create_ssl_context(trust_env=False)


class Fetcher:
    """Fetches URLs for one run; thread-safe, so pages can be fetched from a pool of workers."""

    def __init__(
        self, options: FetchOptions | None = None, robots: Mapping[str, RobotsCopy] | None = None
    ) -> None:
        """``robots``: robots.txt copies per origin still fresh from earlier runs (not fetched again)."""
        self.options = options or FetchOptions()
        self.requests = 0  # requests sent (robots.txt included), for reports and benchmarks
        self._counter = threading.Lock()
        self._gate = _HostGate(self.options.per_host, self.options.delay)
        self._robots = RobotsCache(self._fetch_robots, ROBOTS_AGENT, robots)
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.options.timeout, connect=min(10.0, self.options.timeout)),
            follow_redirects=False,
            trust_env=False,  # proxies would bypass the address guard
            verify=_tls(),
            headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetched_robots(self) -> dict[str, RobotsCopy]:
        """robots.txt copies fetched during this run, per origin, to be reused by the next ones."""
        return self._robots.fetched()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url``, following redirects; a 304 comes back as ``not_modified``.

        Raises ``SourceError`` (with a ``kind`` for the failures table) for anything else that
        is not a 2xx answer with a body within the caps.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, check_robots=self.options.respect_robots)

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool) -> Fetched:
        """Follow redirects by hand so that every hop passes the address guard and robots.txt."""
        seen = {url}
        current = url
        for _ in range(self.options.max_redirects + 1):
            if check_robots and not self._robots.allowed(current):
                raise SourceError(f"{url}: robots.txt of {urlsplit(current).netloc} disallows it", "robots")
            response = self._get_with_retries(current, headers)
            if response.status not in _REDIRECTS:
                if response.status == 304 or 200 <= response.status < 300:
                    return response
                kind = f"http-{response.status}"
                raise SourceError(f"{url}: HTTP {response.status}{_via(url, current)}", kind)
            if not response.location:
                raise SourceError(f"{url}: HTTP {response.status} redirect without Location", "bad-redirect")
            target = urljoin(current, response.location)
            if target in seen:
                raise SourceError(f"{url}: redirect loop at {target}", "redirect-loop")
            seen.add(target)
            current = target
        raise SourceError(f"{url}: more than {self.options.max_redirects} redirects", "redirect-loop")

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Fetched:
        """One hop, retried with exponential backoff on 5xx, 429, timeouts and network errors."""
        attempt = 0
        while True:
            try:
                response = self._get_once(url, headers)
            except SourceError as exc:
                if exc.kind not in ("timeout", "network") or attempt >= self.options.retries:
                    raise
                time.sleep(self.options.backoff * 2**attempt)
            else:
                if not (response.status >= 500 or response.status == 429) or attempt >= self.options.retries:
                    return response
                wait = self.options.backoff * 2**attempt
                time.sleep(min(max(wait, response.retry_after or 0.0), _MAX_RETRY_AFTER))
            attempt += 1

    def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        """Send one GET (to the address the guard approved) and read the body within the caps."""
        addresses = resolve(url, self.options.allow_private)
        try:
            request = self._request(url, headers, None if self.options.allow_private else addresses[0])
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            raise SourceError(f"{url}: not a valid URL ({exc})", "bad-url") from exc
        with self._gate.slot(urlsplit(url).netloc):
            with self._counter:
                self.requests += 1
            deadline = time.monotonic() + self.options.timeout
            try:
                response = self._client.send(request, stream=True)
                log.info("GET %s: HTTP %d", url, response.status_code)
                try:
                    return self._read(url, response, deadline)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise SourceError(f"{url}: timed out after {self.options.timeout:g} s", "timeout") from exc
            except httpx.HTTPError as exc:
                raise SourceError(f"{url}: {_describe(exc)}", "network") from exc

    def _request(self, url: str, headers: dict[str, str], address: object | None) -> httpx.Request:
        """A request for ``url``, connecting to ``address`` when given (no second DNS lookup)."""
        if address is None:
            return self._client.build_request("GET", url, headers=headers)
        parts = urlsplit(url)
        name = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        host = f"[{address}]" if ":" in str(address) else str(address)
        pinned = urlunsplit((parts.scheme, host + port, parts.path or "/", parts.query, ""))
        return self._client.build_request(
            "GET",
            pinned,
            headers={**headers, "Host": (f"[{name}]" if ":" in name else name) + port},
            extensions={"sni_hostname": parts.hostname or ""},
        )

    def _read(self, url: str, response: httpx.Response, deadline: float) -> Fetched:
        """Turn a streamed response into ``Fetched``, enforcing the size, bomb and time caps."""
        status = response.status_code
        if status in _REDIRECTS:
            return Fetched(url, status, b"", "", location=response.headers.get("location"))
        if not 200 <= status < 300:
            wait = _retry_after(response.headers.get("retry-after"))
            return Fetched(url, status, b"", "", retry_after=wait)
        cap = self.options.max_bytes
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            size = int(length)
            raise SourceError(f"{url}: response is {size:,} bytes, over the {cap:,}-byte cap", "too-large")
        decoder = _Decoder(url, response.headers.get("content-encoding", ""))
        body = bytearray()
        for chunk in response.iter_raw():
            if time.monotonic() > deadline:
                raise SourceError(f"{url}: timed out after {self.options.timeout:g} s", "timeout")
            body += decoder.feed(chunk, cap + 1 - len(body))
            if len(body) > cap:
                what = "decompressed response" if decoder.compressed else "response"
                raise SourceError(f"{url}: {what} is over the {cap:,}-byte cap", "too-large")
        body += decoder.flush()
        return Fetched(
            url=url,
            status=status,
            content=bytes(body),
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _fetch_robots(self, url: str) -> tuple[int, str]:
        """robots.txt for the cache: (status, text); status 0 when unreachable.

        A refused address or unresolvable host is raised: it is the real reason, not robots.txt.
        """
        try:
            response = self._follow(url, {}, check_robots=False)
        except SourceError as exc:
            if exc.kind.startswith("http-"):
                return int(exc.kind[5:]), ""
            if exc.kind in ("blocked-private", "dns", "bad-url"):
                raise
            return 0, ""
        return response.status, response.text()


class _Decoder:
    """Streaming gzip/deflate decoding that never inflates more than the caller allows."""

    def __init__(self, url: str, encoding: str) -> None:
        name = encoding.strip().lower()
        self.compressed = name not in ("", "identity")
        if name in ("gzip", "x-gzip"):
            self._inflater: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "deflate":
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        elif not self.compressed:
            self._inflater = None
        else:
            raise SourceError(f"{url}: unsupported Content-Encoding {encoding!r}", "bad-encoding")
        self._url = url

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Decode ``chunk``; produce at most ``room`` bytes (more input left means over the cap)."""
        if self._inflater is None:
            return chunk
        try:
            out = self._inflater.decompress(chunk, max(room, 1))
        except zlib.error as exc:
            raise SourceError(f"{self._url}: corrupt compressed response ({exc})", "bad-encoding") from exc
        if self._inflater.unconsumed_tail:
            return out + b"\0" * room  # signal "over the cap" without inflating the rest
        return out

    def flush(self) -> bytes:
        """Whatever the decoder still holds at the end of the stream."""
        return self._inflater.flush() if self._inflater is not None else b""


class _HostGate:
    """Per-host concurrency limit and politeness delay, shared by all worker threads."""

    def __init__(self, per_host: int, delay: float) -> None:
        self._per_host = max(1, per_host)
        self._delay = max(0.0, delay)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of ``host``'s slots, starting no sooner than ``delay`` after the host's last request ended."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self._per_host))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self._delay
            if start > now:
                time.sleep(start - now)
            try:
                yield
            finally:
                with self._lock:
                    ended = time.monotonic() + self._delay
                    self._next_start[host] = max(self._next_start[host], ended)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _via(url: str, current: str) -> str:
    """`` (via redirect to X)`` when the failing URL is not the one asked for."""
    return "" if url == current else f" (after redirect to {current})"


def _describe(exc: httpx.HTTPError) -> str:
    """A short reason for a transport error."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({text})"
    return text
