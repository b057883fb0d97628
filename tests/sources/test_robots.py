"""robots.txt per RFC 9309: wildcards, `$` anchors, the longest match, a missing or an unreachable file."""

from __future__ import annotations

import pytest

from newsroundup.sources.robots import RobotsCache

SITE = "https://news.example"
RULES = """\
User-agent: *
Disallow: /*?print=
Disallow: /*.pdf$
Disallow: /news/private
Allow: /news/
Disallow: /archive/
Allow: /archive/2026/

User-agent: newsroundup
Disallow: /drafts/
"""


def cache(status: int, body: str, agent: str = "otherbot") -> RobotsCache:
    """A cache whose one robots.txt is ``(status, body)``; it records each fetch."""
    return RobotsCache(lambda _url: (status, body), agent)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/story?print=1", False),  # '*' matches any run of characters
        ("/news/story?page=2&print=yes", True),  # '?print=' is not at the start of the query
        ("/report.pdf", False),  # '$' anchors the end of the path
        ("/report.pdf?download=1", True),
        ("/news/private/memo", False),  # the longer Disallow beats the shorter Allow
        ("/news/today", True),
        ("/archive/2025/story", False),
        ("/archive/2026/story", True),  # the longer Allow beats the shorter Disallow
        ("/drafts/x", True),  # a group for another agent does not apply
    ],
)
def test_wildcards_anchors_and_the_longest_match(path: str, allowed: bool) -> None:
    assert cache(200, RULES).allowed(SITE + path) is allowed


def test_the_group_naming_our_agent_replaces_the_star_group() -> None:
    ours = cache(200, RULES, agent="newsroundup")
    assert not ours.allowed(SITE + "/drafts/x")
    assert ours.allowed(SITE + "/story?print=1")  # the '*' group's rules are not added to ours


def test_missing_file_allows_everything_and_unreachable_server_allows_nothing() -> None:
    assert cache(404, "").allowed(SITE + "/anything")
    assert not cache(503, "").allowed(SITE + "/anything")
    assert not cache(0, "").allowed(SITE + "/anything")


def test_one_fetch_per_origin_and_fetched_copies_kept_for_the_next_run() -> None:
    asked: list[str] = []

    def fetch(url: str) -> tuple[int, str]:
        asked.append(url)
        return 200, "User-agent: *\nDisallow: /private\n"

    robots = RobotsCache(fetch, "newsroundup", known={"https://old.example": (200, "User-agent: *\nDisallow: /\n")})
    assert not robots.allowed(SITE + "/private/a")
    assert robots.allowed(SITE + "/public")
    assert not robots.allowed("https://old.example/page")  # the known copy, not fetched again
    assert asked == [SITE + "/robots.txt"]
    assert robots.fetched() == {SITE: (200, "User-agent: *\nDisallow: /private\n")}
