"""The PostgreSQL store's grouping state, stories, roundup versions, search and whole-store copying."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg

from newsroundup.errors import InputError
from newsroundup.model import Story, roundup_from_json
from newsroundup.store.base import COPY_TABLES, copy_select
from newsroundup.store.postgres.connection import (
    ARTICLES_LOCK,
    GROUPING_LOCK,
    RANK_WEIGHTS,
    ROUNDUP_LOCK,
    SNIPPET_OPTIONS,
    PostgresConnection,
    ts_query,
    with_ellipsis,
)
from newsroundup.store.rows import ENTITY_COLUMNS, entity_rows, iso, search_text, strings_of_json, when_of
from newsroundup.store.search import (
    ArticleHit,
    EntityMention,
    StoryHit,
)
from newsroundup.store.stories import (
    LATEST_JOIN,
    STORY_COLUMNS,
    GroupingState,
    RoundupVersion,
    StoryRow,
    state_parts,
    story_row_of,
    whole_state,
)
from newsroundup.text.dates import parse_iso_datetime


class StoryTables(PostgresConnection):
    """The PostgreSQL store's grouping state, stories, roundup versions, search and whole-store copying."""

    # -- grouping and stories -------------------------------------------------------------------

    def grouping_state(self) -> GroupingState:
        """The saved grouping state (``{"format": None}`` when it is not a JSON object)."""
        row = self._row("SELECT state, article_seq FROM grouping WHERE id = 1")
        if row is None:
            return GroupingState(None, 0)
        stories = self._rows("SELECT state FROM grouping_stories ORDER BY seq, id")
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
        """Save the grouping after new articles, in one transaction (see the SQLite store's twin).

        Returns False, writing nothing, when another run saved a grouping since ``previous_seq`` was read.
        """
        now = iso(datetime.now(UTC))
        with self._write() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (GROUPING_LOCK,))
            row = db.execute("SELECT article_seq FROM grouping WHERE id = 1").fetchone()
            if (row[0] if row else 0) != previous_seq:
                return False
            shared, rows, dropped, replace_all = state_parts(state, story_states, gone_states, regrouped)
            db.execute(
                "INSERT INTO grouping (id, state, article_seq, updated_at) VALUES (1, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, article_seq = excluded.article_seq, "
                "updated_at = excluded.updated_at",
                (shared, article_seq, now),
            )
            old = (
                db.execute("SELECT story_id, min(article_id) FROM story_articles GROUP BY 1").fetchall()
                if regrouped else []
            )
            with db.cursor() as cursor:
                if replace_all:
                    cursor.execute("DELETE FROM grouping_stories")
                cursor.executemany("DELETE FROM grouping_stories WHERE id = %s", [(id,) for id in dropped])
                cursor.executemany(
                    "INSERT INTO grouping_stories (id, seq, state) VALUES (%s, %s, %s) "
                    "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, state = excluded.state",
                    rows,
                )
                for story in stories:
                    cursor.execute(
                        "INSERT INTO stories (id, seq, first_seen, last_seen, articles, independent, updated_at) "
                        "VALUES (%s, (SELECT count(*) FROM stories), %s, %s, %s, 0, %s) ON CONFLICT (id) DO UPDATE "
                        "SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
                        "articles = excluded.articles, merged_into = NULL, updated_at = excluded.updated_at",
                        (story.id, iso(story.first_seen), iso(story.last_seen), len(story.article_ids), now),
                    )
                    cursor.executemany(
                        "INSERT INTO story_articles (article_id, story_id) VALUES (%s, %s) "
                        "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id",
                        [(article, story.id) for article in story.article_ids],
                    )
                for gone, into in merged.items():
                    cursor.execute(
                        "INSERT INTO stories (id, seq, articles, independent, merged_into, updated_at) "
                        "VALUES (%s, (SELECT count(*) FROM stories), 0, 0, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                        "merged_into = excluded.merged_into, updated_at = excluded.updated_at",
                        (gone, into, now),
                    )
                live = {story.id for story in stories}
                for story_id, article in old if regrouped else ():
                    if story_id not in live:
                        cursor.execute(
                            "UPDATE stories SET merged_into = "
                            "(SELECT story_id FROM story_articles WHERE article_id = %s), "
                            "updated_at = %s WHERE id = %s",
                            (article, now, story_id),
                        )
        return True

    def story_rows(self, *, since: datetime | None = None, min_sources: int = 0) -> list[StoryRow]:
        """Live (not merged-away) stories, most recently seen first, filtered by last seen and sources."""
        rows = self._rows(
            f"SELECT {STORY_COLUMNS} FROM stories s {LATEST_JOIN} "
            "WHERE s.merged_into IS NULL AND s.independent >= %s AND (%s::text IS NULL OR s.last_seen >= %s) "
            "ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.seq",
            (min_sources, iso(since), iso(since)),
        )
        return [story_row_of(r) for r in rows]

    def merged_story_rows(self) -> list[StoryRow]:
        """Stories merged into another, as rows (their ``merged_into`` says where they went)."""
        rows = self._rows(
            f"SELECT {STORY_COLUMNS} FROM stories s {LATEST_JOIN} WHERE s.merged_into IS NOT NULL ORDER BY s.seq"
        )
        return [story_row_of(r) for r in rows]

    def story_row(self, story_id: str) -> StoryRow:
        """The story ``story_id``, following merges; ``InputError`` when there is none."""
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self._row(f"SELECT {STORY_COLUMNS} FROM stories s {LATEST_JOIN} WHERE s.id = %s", (story_id,))
            if row is None:
                break
            found = story_row_of(row)
            if found.merged_into is None:
                return found
            story_id = found.merged_into
        raise InputError(f"{self.path}: no story with id {story_id!r} (see `newsroundup stories`)")

    def story_article_ids(self, story_id: str) -> list[str]:
        """Ids of the story's articles, oldest first."""
        rows = self._rows(
            "SELECT m.article_id FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = %s ORDER BY coalesce(a.published, a.fetched_at), a.seq",
            (story_id,),
        )
        return [str(r[0]) for r in rows]

    def stale_story_ids(self) -> list[str]:
        """Live stories changed by grouping after their latest roundup was written (or never written)."""
        rows = self._rows(
            "SELECT s.id FROM stories s LEFT JOIN (SELECT story_id, max(created_at) AS made "
            "FROM roundup_versions GROUP BY story_id) r ON r.story_id = s.id "
            "WHERE s.merged_into IS NULL AND (r.made IS NULL OR s.updated_at > r.made) ORDER BY s.seq"
        )
        return [str(r[0]) for r in rows]

    def roundup_fingerprint(self, story_id: str) -> str | None:
        """The fingerprint of the story's latest roundup version (None before its first)."""
        row = self._row(
            "SELECT fingerprint FROM roundup_versions WHERE story_id = %s ORDER BY version DESC LIMIT 1", (story_id,)
        )
        return None if row is None else str(row[0])

    @contextmanager
    def claim_story(self, story_id: str) -> Iterator[bool]:
        """Whether this worker may write the story's next roundup now: False while another worker holds it.

        A session advisory lock on the story (the key ``save_roundup`` locks too, re-entrant for the holder),
        taken without waiting and released at the end, so workers refreshing at once share the stale stories
        out instead of writing each one twice; a worker that dies loses its lock with its connection.
        """
        row = self._row("SELECT pg_try_advisory_lock(%s, hashtext(%s))", (ROUNDUP_LOCK, story_id))
        granted = bool(row and row[0])
        try:
            yield granted
        finally:
            if granted:
                self._row("SELECT pg_advisory_unlock(%s, hashtext(%s))", (ROUNDUP_LOCK, story_id))

    def save_roundup(self, story_id: str, fingerprint: str, roundup: Mapping[str, Any], independent: int) -> int:
        """Keep ``roundup`` as the story's next version; return its number (the latest one when it was
        made from the same article set). One writer per story at a time (an advisory lock)."""
        record = roundup_from_json(roundup)  # the one serialisation: what search and entity rows are made from
        with self._write() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (ROUNDUP_LOCK, story_id))
            db.execute("UPDATE stories SET independent = %s WHERE id = %s", (independent, story_id))
            row = db.execute(
                "SELECT version, fingerprint FROM roundup_versions WHERE story_id = %s ORDER BY version DESC LIMIT 1",
                (story_id,),
            ).fetchone()
            if row is not None and row[1] == fingerprint:
                return int(row[0])
            version = int(row[0]) + 1 if row else 1
            db.execute(
                "INSERT INTO roundup_versions (story_id, version, fingerprint, created_at, headline, roundup, "
                "search_text) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (
                    story_id,
                    version,
                    fingerprint,
                    iso(datetime.now(UTC)),
                    str(roundup.get("headline") or ""),
                    json.dumps(roundup, ensure_ascii=False, separators=(",", ":")),
                    search_text(record),
                ),
            )
            db.cursor().executemany(
                f"INSERT INTO story_entities ({', '.join(ENTITY_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(ENTITY_COLUMNS))})",
                entity_rows(story_id, version, record),
            )
        return version

    def roundup_versions(self, story_id: str, limit: int | None = None) -> list[RoundupVersion]:
        """The story's roundup versions, newest first (at most ``limit``)."""
        rows = self._rows(
            "SELECT story_id, version, fingerprint, created_at, roundup FROM roundup_versions "
            "WHERE story_id = %s ORDER BY version DESC LIMIT %s",
            (story_id, limit),
        )
        versions = []
        for row in rows:
            try:
                roundup = roundup_from_json(json.loads(row[4]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(
                    f"{self.path}: roundup version {row[1]} of story {row[0]!r} cannot be read ({exc})"
                ) from exc
            versions.append(RoundupVersion(str(row[0]), int(row[1]), str(row[2]), parse_iso_datetime(row[3]), roundup))
        return versions

    # -- search ---------------------------------------------------------------------------------

    def search_stories(self, text: str, limit: int = 20) -> list[StoryHit]:
        """Live stories whose latest roundup matches the words of ``text``, best first."""
        query = ts_query(text)
        if query is None:
            return []
        rows = self._rows(
            "SELECT story_id, headline, body, ts_headline('english', body, q, %s) FROM ("
            "SELECT f.story_id, f.headline, f.body, q FROM stories_search f JOIN stories s ON s.id = f.story_id, "
            "to_tsquery('english', %s) q WHERE f.search @@ q AND s.merged_into IS NULL "
            "ORDER BY ts_rank(%s, f.search, q) DESC, f.story_id LIMIT %s) hits",
            (SNIPPET_OPTIONS, query, RANK_WEIGHTS, limit),
        )
        return [StoryHit(str(r[0]), str(r[1]), with_ellipsis(str(r[2]), str(r[3]))) for r in rows]

    def search_articles(self, text: str, limit: int = 20) -> list[ArticleHit]:
        """Articles whose title or text matches the words of ``text``, best first."""
        query = ts_query(text)
        if query is None:
            return []
        rows = self._rows(
            "SELECT id, title, outlet, published, story_id, text, ts_headline('english', text, q, %s) FROM ("
            "SELECT a.id, a.title, a.outlet, a.published, m.story_id, a.text, q FROM articles a "
            "LEFT JOIN story_articles m ON m.article_id = a.id, to_tsquery('english', %s) q "
            "WHERE a.search @@ q ORDER BY ts_rank(%s, a.search, q) DESC, a.seq LIMIT %s) hits",
            (SNIPPET_OPTIONS, query, RANK_WEIGHTS, limit),
        )
        return [
            ArticleHit(str(r[0]), r[1], r[2], when_of(r[3]), r[4], with_ellipsis(str(r[5]), str(r[6]))) for r in rows
        ]

    def entity_mentions(self) -> list[EntityMention]:
        """Every entity of every live story's latest roundup (stories most recently seen first)."""
        rows = self._rows(
            "SELECT s.id, e.name, e.kind, e.aliases, e.roles FROM stories s JOIN story_entities e ON e.story_id = s.id "
            "AND e.version = (SELECT max(version) FROM roundup_versions WHERE story_id = s.id) "
            "WHERE s.merged_into IS NULL ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.seq, e.position"
        )
        return [
            EntityMention(str(r[0]), str(r[1]), str(r[2]), strings_of_json(r[3]), strings_of_json(r[4]))
            for r in rows
            if r[1]
        ]

    def story_of(self, article_id: str) -> str | None:
        """The live story holding ``article_id`` (None when it is in none)."""
        row = self._row(
            "SELECT m.story_id FROM story_articles m JOIN stories s ON s.id = m.story_id "
            "WHERE m.article_id = %s AND s.merged_into IS NULL",
            (article_id,),
        )
        return str(row[0]) if row else None

    def latest_article_ids(self, limit: int) -> list[str]:
        """Ids of the ``limit`` most recent articles (published, else fetched), newest first."""
        rows = self._rows(
            "SELECT id FROM articles ORDER BY coalesce(published, fetched_at) DESC, seq DESC LIMIT %s", (limit,)
        )
        return [str(r[0]) for r in rows]

    def data_version(self) -> int:
        """The change counter: it moves whenever any writer commits (a cheap change check)."""
        row = self._row("SELECT n FROM changes WHERE id = 1")
        return int(row[0]) if row else 0

    def rebuild_search(self) -> int:
        """Build the full-text indexes of articles and latest roundups anew; the number of articles indexed.

        The search vectors are generated columns, always current; their GIN indexes are rebuilt, and the
        searched copy of each story's latest roundup is written again, in one transaction.
        """
        with self._write() as db:
            db.execute("DELETE FROM stories_search")
            db.execute(
                "INSERT INTO stories_search (story_id, headline, body) SELECT DISTINCT ON (story_id) story_id, "
                "headline, search_text FROM roundup_versions ORDER BY story_id, version DESC"
            )
            db.execute("REINDEX INDEX articles_search")
            db.execute("REINDEX INDEX stories_search_search")
            row = db.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0]) if row else 0

    # -- moving a whole store ------------------------------------------------------------------

    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of one of ``COPY_TABLES`` as stored, in ``copy_select`` order (streamed)."""
        try:
            with self._db.transaction(), self._db.cursor(name=f"copy_{table}") as cursor:
                cursor.itersize = 2000
                cursor.execute(copy_select(table))
                yield from cursor
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._gone(exc)

    def load_tables(self, tables: Mapping[str, Iterable[Sequence[Any]]]) -> None:
        """Fill this empty store with these rows, in one transaction (COPY; search columns follow)."""
        with self._write() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ARTICLES_LOCK,))
            held = [t for t in COPY_TABLES if db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
            if held:
                raise InputError(f"{self.path}: not empty (it has {', '.join(held)}); copy into a new database")
            # Indexes not behind a constraint are built once after the rows are in (a GIN index built
            # in bulk costs a fraction of one updated row by row); the transaction hides their absence.
            indexes = db.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = ANY(%s) "
                "AND c.relnamespace = current_schema()::regnamespace "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
                (list(tables),),
            ).fetchall()
            for name, _definition in indexes:
                db.execute(f"DROP INDEX {name}")
            with db.cursor() as cursor:
                for table, rows in tables.items():
                    with cursor.copy(f"COPY {table} ({', '.join(COPY_TABLES[table])}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            db.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                db.execute(definition)
            db.execute(
                "SELECT setval(pg_get_serial_sequence('articles', 'seq'), coalesce(max(seq), 0) + 1, false) "
                "FROM articles"
            )
