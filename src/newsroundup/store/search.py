"""Finding things in the store: full-text search (SQLite FTS5) and the entities named by latest roundups."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from newsroundup.store.rows import strings_of_json
from newsroundup.text.dates import parse_iso_datetime

HIGHLIGHT_START = "\x02"  # snippets mark matched words with these (text never holds them: they are
HIGHLIGHT_END = "\x03"  # control characters), so a page can escape the snippet and then highlight
MAX_QUERY_TERMS = 12
_TERM = re.compile(r"\w+", re.UNICODE)
_SNIPPET_WORDS = 24


@dataclass(frozen=True, slots=True)
class StoryHit:
    """A live story whose latest roundup matches a search, with the matching passage."""

    story: str
    headline: str
    snippet: str


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """An article matching a search, with the matching passage and the story it belongs to."""

    article: str
    title: str | None
    outlet: str | None
    published: datetime | None
    story: str | None
    snippet: str


@dataclass(frozen=True, slots=True)
class EntityMention:
    """An entity as the latest roundup of one live story names it."""

    story: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]


def fts_query(text: str) -> str | None:
    """The words of ``text`` as an FTS5 query (all must match, the last one as a prefix); None if no words.

    Only words pass, each quoted, so that nothing a reader types is taken as FTS5 syntax.
    """
    terms = _TERM.findall(text)[:MAX_QUERY_TERMS]
    if not terms:
        return None
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchTables:
    """The search half of :class:`~newsroundup.store.Store` (mixed into it); it queries, computes nothing."""

    _db: sqlite3.Connection

    def search_stories(self, text: str, limit: int = 20) -> list[StoryHit]:
        """Live stories whose latest roundup matches the words of ``text``, best first."""
        query = fts_query(text)
        if query is None:
            return []
        rows = self._db.execute(
            "SELECT f.story_id, f.headline, snippet(stories_fts, 2, ?, ?, '…', ?) FROM stories_fts f "
            "JOIN stories s ON s.id = f.story_id WHERE stories_fts MATCH ? AND s.merged_into IS NULL "
            "ORDER BY bm25(stories_fts, 0.0, 4.0, 1.0), f.story_id LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, _SNIPPET_WORDS, query, limit),
        ).fetchall()
        return [StoryHit(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def search_articles(self, text: str, limit: int = 20) -> list[ArticleHit]:
        """Articles whose title or text matches the words of ``text``, best first."""
        query = fts_query(text)
        if query is None:
            return []
        rows = self._db.execute(
            "SELECT a.id, a.title, a.outlet, a.published, m.story_id, "
            "snippet(articles_fts, 1, ?, ?, '…', ?) FROM articles_fts f "
            "JOIN articles a ON a.seq = f.rowid LEFT JOIN story_articles m ON m.article_id = a.id "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 1.0), a.seq LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, _SNIPPET_WORDS, query, limit),
        ).fetchall()
        return [
            ArticleHit(str(r[0]), r[1], r[2], parse_iso_datetime(r[3]) if r[3] else None, r[4], str(r[5]))
            for r in rows
        ]

    def entity_mentions(self) -> list[EntityMention]:
        """Every entity of every live story's latest roundup (stories most recently seen first)."""
        rows = self._db.execute(
            "SELECT s.id, e.name, e.kind, e.aliases, e.roles FROM stories s JOIN story_entities e ON e.story_id = s.id "
            "AND e.version = (SELECT max(version) FROM roundup_versions WHERE story_id = s.id) "
            "WHERE s.merged_into IS NULL ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.seq, e.position"
        ).fetchall()
        return [
            EntityMention(str(r[0]), str(r[1]), str(r[2]), strings_of_json(r[3]), strings_of_json(r[4]))
            for r in rows
            if r[1]
        ]

    def story_of(self, article_id: str) -> str | None:
        """The live story holding ``article_id`` (None when it is in none)."""
        row = self._db.execute(
            "SELECT m.story_id FROM story_articles m JOIN stories s ON s.id = m.story_id "
            "WHERE m.article_id = ? AND s.merged_into IS NULL",
            (article_id,),
        ).fetchone()
        return str(row[0]) if row else None

    def latest_article_ids(self, limit: int) -> list[str]:
        """Ids of the ``limit`` most recent articles (published, else fetched), newest first."""
        rows = self._db.execute(
            "SELECT id FROM articles ORDER BY coalesce(published, fetched_at) DESC, seq DESC LIMIT ?", (limit,)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file (a cheap change check)."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])
