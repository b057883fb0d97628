"""Stories in the store: grouping state, story membership and every version of each story's roundup."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.model import Roundup, Story, roundup_from_json
from newsroundup.store.rows import ENTITY_COLUMNS, entity_rows, iso, search_text, when_of
from newsroundup.text.dates import parse_iso_datetime


@dataclass(frozen=True, slots=True)
class GroupingState:
    """The saved story index (None before the first run) and the last article seq it has seen."""

    state: dict[str, Any] | None
    article_seq: int


def whole_state(shared: str, stories: Sequence[str]) -> dict[str, Any]:
    """The grouping state from its stored parts: the shared JSON and one JSON per story (oldest first).

    Damaged JSON gives ``{"format": None}``, which reads as a state of an unknown format (regrouped).
    """
    try:
        state = json.loads(shared)
        if isinstance(state, dict) and "stories" not in state:
            state["stories"] = [json.loads(story) for story in stories]
    except json.JSONDecodeError:
        return {"format": None}
    return state if isinstance(state, dict) else {"format": None}


def state_parts(
    state: Mapping[str, Any],
    story_states: Mapping[str, Mapping[str, Any]] | None,
    gone: Sequence[str],
    regrouped: bool,
) -> tuple[str, list[tuple[str, int, str]], list[str], bool]:
    """What :meth:`save_grouping` writes: the shared JSON, (id, seq, JSON) per story to write, ids to
    delete, and whether every stored story row goes first (a whole state, or a regrouping)."""
    whole = state.get("stories")
    shared = json.dumps({k: v for k, v in state.items() if k != "stories"}, separators=(",", ":"))
    written = whole if whole is not None else list((story_states or {}).values())
    rows = [(str(s["id"]), int(s["seq"]), json.dumps(s, separators=(",", ":"))) for s in written]
    return shared, rows, [] if whole is not None else list(gone), whole is not None or regrouped


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as listed: counts, dates, and the headline and number of its latest roundup."""

    id: str
    seq: int
    first_seen: datetime | None
    last_seen: datetime | None
    articles: int
    independent: int
    merged_into: str | None
    updated_at: datetime | None
    headline: str | None
    version: int  # 0 while no roundup has been written


@dataclass(frozen=True, slots=True)
class RoundupVersion:
    """One stored version of a story's roundup and the fingerprint of the article set it was made from."""

    story: str
    version: int
    fingerprint: str
    created_at: datetime
    roundup: Roundup


# The columns ``story_row_of`` reads (with ``LATEST_JOIN``: the latest roundup's headline and version).
STORY_COLUMNS = (
    "s.id, s.seq, s.first_seen, s.last_seen, s.articles, s.independent, s.merged_into, s.updated_at, "
    "r.headline, coalesce(r.version, 0)"
)
LATEST_JOIN = (
    "LEFT JOIN roundup_versions r ON r.story_id = s.id "
    "AND r.version = (SELECT max(version) FROM roundup_versions WHERE story_id = s.id)"
)


class StoryTables:
    """The story half of :class:`~newsroundup.store.Store` (mixed into it); persists, computes nothing."""

    path: Path
    _db: sqlite3.Connection

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # provided by Store

    # -- grouping -------------------------------------------------------------------------------

    def grouping_state(self) -> GroupingState:
        """The saved grouping state (``{"format": None}`` when it is not a JSON object)."""
        row = self._db.execute("SELECT state, article_seq FROM grouping WHERE id = 1").fetchone()
        if row is None:
            return GroupingState(None, 0)
        stories = self._db.execute("SELECT state FROM grouping_stories ORDER BY seq, id").fetchall()
        return GroupingState(whole_state(row[0], [r[0] for r in stories]), int(row[1]))

    def save_grouping(
        self,
        state: Mapping[str, Any],
        *,
        article_seq: int,
        previous_seq: int,
        stories: Sequence[Story],
        merged: Mapping[str, str],
        regrouped: bool = False,
        story_states: Mapping[str, Mapping[str, Any]] | None = None,
        gone_states: Sequence[str] = (),
    ) -> bool:
        """Save the grouping after new articles, in one transaction.

        ``state`` is the index's state: whole (with its ``stories``), or its shared part with only
        the ``story_states`` that changed and the ids of ``gone_states`` (grouping/state.index_changes).

        ``stories`` are the stories that changed (all their members are (re)written), ``merged``
        maps stories merged away to the story they now live on as. ``regrouped``: every article was
        grouped again from an empty state, and a stored story that is no longer one is treated as
        merged into the story that now holds one of its articles. Returns False, writing
        nothing, when another run saved a grouping since ``previous_seq`` was read.
        """
        now = iso(datetime.now(UTC))
        with self._write() as db:
            row = db.execute("SELECT article_seq FROM grouping WHERE id = 1").fetchone()
            if (row[0] if row else 0) != previous_seq:
                return False
            shared, rows, dropped, replace_all = state_parts(state, story_states, gone_states, regrouped)
            db.execute(
                "INSERT INTO grouping (id, state, article_seq, updated_at) VALUES (1, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, article_seq = excluded.article_seq, "
                "updated_at = excluded.updated_at",
                (shared, article_seq, now),
            )
            if replace_all:
                db.execute("DELETE FROM grouping_stories")
            db.executemany("DELETE FROM grouping_stories WHERE id = ?", [(id,) for id in dropped])
            db.executemany("INSERT OR REPLACE INTO grouping_stories (id, seq, state) VALUES (?, ?, ?)", rows)
            old = (
                db.execute("SELECT story_id, min(article_id) FROM story_articles GROUP BY 1").fetchall()
                if regrouped else []
            )
            for story in stories:
                db.execute(
                    "INSERT INTO stories (id, seq, first_seen, last_seen, articles, independent, updated_at) "
                    "VALUES (?, (SELECT count(*) FROM stories), ?, ?, ?, 0, ?) ON CONFLICT (id) DO UPDATE SET "
                    "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
                    "articles = excluded.articles, merged_into = NULL, updated_at = excluded.updated_at",
                    (story.id, iso(story.first_seen), iso(story.last_seen), len(story.article_ids), now),
                )
                db.executemany(
                    "INSERT OR REPLACE INTO story_articles (article_id, story_id) VALUES (?, ?)",
                    [(article, story.id) for article in story.article_ids],
                )
            for gone, into in merged.items():  # a story started and merged in one run gets a row too
                db.execute(
                    "INSERT INTO stories (id, seq, articles, independent, merged_into, updated_at) "
                    "VALUES (?, (SELECT count(*) FROM stories), 0, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "merged_into = excluded.merged_into, updated_at = excluded.updated_at",
                    (gone, into, now),
                )
            live = {story.id for story in stories}
            for story_id, article in old if regrouped else ():
                if story_id not in live:
                    db.execute(
                        "UPDATE stories SET merged_into = (SELECT story_id FROM story_articles WHERE article_id = ?), "
                        "updated_at = ? WHERE id = ?",
                        (article, now, story_id),
                    )
        return True

    # -- reading stories ------------------------------------------------------------------------

    def story_rows(self, *, since: datetime | None = None, min_sources: int = 0) -> list[StoryRow]:
        """Live (not merged-away) stories, most recently seen first, filtered by last seen and sources."""
        rows = self._db.execute(
            f"SELECT {STORY_COLUMNS} FROM stories s {LATEST_JOIN} "
            "WHERE s.merged_into IS NULL AND s.independent >= ? AND (? IS NULL OR s.last_seen >= ?) "
            "ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.seq",
            (min_sources, iso(since), iso(since)),
        ).fetchall()
        return [story_row_of(r) for r in rows]

    def merged_story_rows(self) -> list[StoryRow]:
        """Stories merged into another, as rows (their ``merged_into`` says where they went)."""
        rows = self._db.execute(
            f"SELECT {STORY_COLUMNS} FROM stories s {LATEST_JOIN} WHERE s.merged_into IS NOT NULL ORDER BY s.seq"
        ).fetchall()
        return [story_row_of(r) for r in rows]

    def story_row(self, story_id: str) -> StoryRow:
        """The story ``story_id``, following merges; ``InputError`` when there is none."""
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self._db.execute(
                f"SELECT {STORY_COLUMNS} FROM stories s {LATEST_JOIN} WHERE s.id = ?", (story_id,)
            ).fetchone()
            if row is None:
                break
            found = story_row_of(row)
            if found.merged_into is None:
                return found
            story_id = found.merged_into
        raise InputError(f"{self.path}: no story with id {story_id!r} (see `newsroundup stories`)")

    def story_article_ids(self, story_id: str) -> list[str]:
        """Ids of the story's articles, oldest first."""
        rows = self._db.execute(
            "SELECT m.article_id FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = ? ORDER BY coalesce(a.published, a.fetched_at), a.seq",
            (story_id,),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def stale_story_ids(self) -> list[str]:
        """Live stories changed by grouping after their latest roundup was written (or never written)."""
        rows = self._db.execute(
            "SELECT s.id FROM stories s LEFT JOIN (SELECT story_id, max(created_at) AS made "
            "FROM roundup_versions GROUP BY story_id) r ON r.story_id = s.id "
            "WHERE s.merged_into IS NULL AND (r.made IS NULL OR s.updated_at > r.made) ORDER BY s.seq"
        ).fetchall()
        return [str(r[0]) for r in rows]

    # -- roundup versions -----------------------------------------------------------------------

    def roundup_fingerprint(self, story_id: str) -> str | None:
        """The fingerprint of the story's latest roundup version (None before its first)."""
        row = self._db.execute(
            "SELECT fingerprint FROM roundup_versions WHERE story_id = ? ORDER BY version DESC LIMIT 1", (story_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    @contextmanager
    def claim_story(self, story_id: str) -> Iterator[bool]:
        """Always granted on SQLite: saves are serialised by its write lock and a version made from the same
        article set is not added twice (PostgreSQL workers skip a story another worker is writing)."""
        yield True

    def save_roundup(self, story_id: str, fingerprint: str, roundup: Mapping[str, Any], independent: int) -> int:
        """Keep ``roundup`` (the roundup JSON) as the story's next version; return its number.

        ``independent`` (the story's independent sources) is saved with it. When the latest version
        was already made from the same article set, no version is added and its number is returned.
        """
        record = roundup_from_json(roundup)  # the one serialisation: what search and entity rows are made from
        with self._write() as db:
            db.execute("UPDATE stories SET independent = ? WHERE id = ?", (independent, story_id))
            row = db.execute(
                "SELECT version, fingerprint FROM roundup_versions WHERE story_id = ? "
                "ORDER BY version DESC LIMIT 1",
                (story_id,),
            ).fetchone()
            if row is not None and row[1] == fingerprint:
                return int(row[0])
            version = int(row[0]) + 1 if row else 1
            db.execute(
                "INSERT INTO roundup_versions (story_id, version, fingerprint, created_at, headline, roundup, "
                "search_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (story_id, version, fingerprint, iso(datetime.now(UTC)), str(roundup.get("headline") or ""),
                 json.dumps(roundup, ensure_ascii=False, separators=(",", ":")), search_text(record)),
            )
            db.executemany(
                f"INSERT INTO story_entities ({', '.join(ENTITY_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(ENTITY_COLUMNS))})",
                entity_rows(story_id, version, record),
            )
        return version

    def roundup_versions(self, story_id: str, limit: int | None = None) -> list[RoundupVersion]:
        """The story's roundup versions, newest first (at most ``limit``)."""
        rows = self._db.execute(
            "SELECT story_id, version, fingerprint, created_at, roundup FROM roundup_versions "
            "WHERE story_id = ? ORDER BY version DESC LIMIT ?",
            (story_id, -1 if limit is None else limit),
        ).fetchall()
        versions = []
        for row in rows:
            try:
                roundup = roundup_from_json(json.loads(row[4]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(
                    f"{self.path}: roundup version {row[1]} of story {row[0]!r} cannot be read ({exc})"
                ) from exc
            created = parse_iso_datetime(row[3])
            versions.append(RoundupVersion(str(row[0]), int(row[1]), str(row[2]), created, roundup))
        return versions


def mark_stories_changed(db: sqlite3.Connection, article_ids: Sequence[str]) -> None:
    """Mark the stories holding ``article_ids`` as changed (their roundups are refreshed on the next run).

    For changes to stored articles that grouping does not see: a partial article completed, a wire
    copy linked to a new original.
    """
    if article_ids:
        marks = ", ".join("?" * len(article_ids))
        db.execute(
            f"UPDATE stories SET updated_at = ? WHERE id IN "
            f"(SELECT story_id FROM story_articles WHERE article_id IN ({marks}))",
            (iso(datetime.now(UTC)), *article_ids),
        )


def story_row_of(row: Sequence[Any]) -> StoryRow:
    """A ``StoryRow`` from a row of story columns and the latest roundup's headline and version."""
    return StoryRow(
        id=str(row[0]),
        seq=int(row[1]),
        first_seen=when_of(row[2]),
        last_seen=when_of(row[3]),
        articles=int(row[4]),
        independent=int(row[5]),
        merged_into=row[6],
        updated_at=when_of(row[7]),
        headline=row[8],
        version=int(row[9]),
    )
