"""The PostgreSQL store's own behaviour: concurrent writers, migrations, and clear errors for bad input."""

from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.errors import InputError
from newsroundup.pipeline.add import add_sources
from newsroundup.store.base import open_store
from pgserver import PgServer

ARTICLES = 120
WRITERS = 4
START = datetime(2026, 3, 1, 8, tzinfo=UTC)
TOPICS = ("ferry strike", "ridge fire", "harbour dredging", "school closures", "bridge repairs", "dam failure")


def _record(n: int) -> dict[str, object]:
    topic = TOPICS[n % len(TOPICS)]
    return {
        "id": f"https://outlet{n % 7}.example/{n}",
        "url": f"https://outlet{n % 7}.example/{n}",
        "outlet": f"Outlet {n % 7}",
        "title": f"Update {n} on the {topic}",
        "published": (START + timedelta(minutes=n)).isoformat(),
        "text": f"Report number {n} on the {topic}. Officials gave figures {n * 3} and {n * 7} on the day. "
        f"Residents of ward {n % 11} said the {topic} had changed their week.",
    }


def _write_sources(folder: Path) -> list[Path]:
    """One JSONL file per writer; each holds three quarters of the articles, in its own order (overlapping)."""
    files = []
    for w in range(WRITERS):
        chosen = [n for n in range(ARTICLES) if n % WRITERS != w]
        chosen = chosen[w * 7 :] + chosen[: w * 7]
        path = folder / f"writer{w}.jsonl"
        path.write_text("".join(json.dumps(_record(n)) + "\n" for n in chosen), encoding="utf-8")
        files.append(path)
    return files


def _add(args: tuple[str, str]) -> int:
    db, source = args
    with open_store(db) as store:
        return add_sources([source], store).added


def test_four_concurrent_writers_lose_nothing_and_duplicate_nothing(pg_server: PgServer, tmp_path: Path) -> None:
    files = _write_sources(tmp_path)
    url = pg_server.url()
    open_store(url).close()  # migrated before the race (concurrent first openers are tested below)
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        added = pool.map(_add, [(url, str(f)) for f in files])
    alone = tmp_path / "one.db"
    for f in files:
        _add((str(alone), str(f)))
    with open_store(url) as shared, open_store(alone) as single:
        ids = [a.id for a in shared.articles()]
        assert sum(added) == ARTICLES == len(ids) == len(set(ids))  # 0 lost, 0 duplicated
        assert sorted(ids) == sorted(a.id for a in single.articles())
        seqs = [seq for seq, _ in shared.articles_after(0)]
        assert seqs == sorted(seqs) and len(seqs) == ARTICLES
        assert len(shared.signatures_after(0)) == ARTICLES
        assert shared.status().articles == single.status().articles


def test_concurrent_first_openers_migrate_once(pg_server: PgServer) -> None:
    url = pg_server.url()
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        versions = pool.map(_version, [url] * 3)
    assert len(set(versions)) == 1 and versions[0] >= 1


def _version(url: str) -> int:
    with open_store(url) as store:
        return store.schema_version


def test_bad_urls_missing_stores_and_newer_schemas_are_one_clear_line(
    pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError, match="cannot connect"):
        open_store(f"postgresql://postgres@127.0.0.1:{pg_server.port}/no_such_db")
    with pytest.raises(InputError, match=r"bob:\*\*\*@.*cannot connect") as refused:
        open_store("postgresql://bob:secret@127.0.0.1:1/db")
    assert "secret" not in str(refused.value)  # the password is never shown
    url = pg_server.url()
    with pytest.raises(InputError, match="no newsroundup store"):
        open_store(url, existing=True)
    assert main(["status", "--db", url]) == 2
    assert "no newsroundup store" in capsys.readouterr().err
    assert main(["db", "migrate", "--db", url]) == 0
    assert main(["status", "--db", url]) == 0
    with open_store(url) as store:
        version = store.schema_version
        store._db.execute("UPDATE schema_version SET version = %s", (version + 1,))
    with pytest.raises(InputError, match="newer than this newsroundup"):
        open_store(url)


def test_the_server_going_away_is_a_clear_error_and_nothing_is_half_written(pg_server: PgServer) -> None:
    import psycopg

    url = pg_server.url()
    with open_store(url) as store:
        store.record_failure("feed", "x", "timeout", "timed out")
        with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (url.rsplit("/", 1)[1],),
            )
        with pytest.raises(InputError, match=r"connection failed.*run again"):
            store.record_failure("feed", "y", "timeout", "timed out")
    with open_store(url) as again:
        assert [f[1] for f in again.failures()] == ["x"]


def test_a_store_of_the_previous_schema_is_migrated_and_its_roundups_backfilled(pg_server: PgServer) -> None:
    import psycopg

    from newsroundup.model import Entity, Roundup, RoundupSentence, Span, roundup_to_json
    from newsroundup.store.postgres.schema import MIGRATIONS

    url = pg_server.url()
    roundup = Roundup(
        story="s1", headline="Bridge falls",
        sentences=(RoundupSentence("The bridge fell into the river.", Span("a", 0, 31)),),
        sources=(), method="concept-ilp", version="1", entities=(Entity("Ann Hale", "person", aliases=("Hale",)),),
    )
    with psycopg.connect(url, autocommit=True) as con:  # the schema before search_text and story_entities
        for statements in MIGRATIONS[:2]:
            for statement in statements:
                con.execute(statement)
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        con.execute("INSERT INTO schema_version (version) VALUES (2)")
        con.execute("INSERT INTO stories (id, seq, articles, independent, updated_at) "
                    "VALUES ('s1', 0, 1, 1, '2026-05-04T18:00:00+00:00')")
        con.execute("INSERT INTO roundup_versions (story_id, version, fingerprint, created_at, headline, roundup) "
                    "VALUES ('s1', 1, 'fp', '2026-05-04T18:00:01+00:00', 'Bridge falls', %s)",
                    (json.dumps(roundup_to_json(roundup)),))
    with open_store(url) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [(m.story, m.name, m.aliases) for m in store.entity_mentions()] == [("s1", "Ann Hale", ("Hale",))]
        assert [hit.story for hit in store.search_stories("river")] == ["s1"]


@pytest.mark.parametrize("damaged", [False, True])
def test_a_whole_grouping_state_of_schema_3_is_moved_into_story_rows(pg_server: PgServer, damaged: bool) -> None:
    import psycopg

    from newsroundup.store.postgres.schema import MIGRATIONS

    url = pg_server.url()
    stories = [{"id": "s1", "seq": 0, "articles": ["a1"]}, {"id": "s2", "seq": 1, "articles": ["a2"]}]
    whole = {"format": 3, "next_seq": 2, "stories": stories}
    saved = "{not json" if damaged else json.dumps(whole)
    with psycopg.connect(url, autocommit=True) as con:  # schema 3: the state saved whole
        for statements in MIGRATIONS[:3]:
            for statement in statements:
                con.execute(statement)
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        con.execute("INSERT INTO schema_version (version) VALUES (3)")
        con.execute("INSERT INTO grouping (id, state, article_seq, updated_at) VALUES (1, %s, 2, 'x')", (saved,))
    with open_store(url) as store:
        assert store.schema_version == len(MIGRATIONS)
        state = store.grouping_state()
        assert state.article_seq == 2
        assert state.state == ({"format": None} if damaged else whole)  # damaged: read as unusable, regrouped
