"""PostgreSQL store vs SQLite store on the same machine: add throughput, concurrent writers, db copy, serve p99.

- add: ``--articles`` synthetic articles (tests/store/test_postgres.py's generator: overlapping JSONL
  files, one per writer) added with the real ``add`` pipeline by 1 writer and by 4 writer processes,
  into SQLite and into PostgreSQL; articles/s, and lost / duplicated counts against the expected set;
- stories: ``run``'s grouping over the 4-writer PostgreSQL store and over the 1-writer SQLite store
  (the same articles): the same partition into stories?
- db copy: the 1-writer SQLite store copied into PostgreSQL (rows/s, checked by checksums);
- serve: ``newsroundup serve`` on each backend (the examples run through the pipeline, copied into
  PostgreSQL), 100 wrk clients per URL for ``--duration`` s while an ``add`` writes into the store.

A throwaway PostgreSQL 15 server (tests/pgserver.py) runs on the same 2 cores as everything else.

    .venv/bin/python benchmarks/bench_postgres.py                           # 2000 articles, 10 s per URL
    .venv/bin/python benchmarks/bench_postgres.py --articles 400 --duration 3 --out /tmp/pg.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "web"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_web import wrk_phase  # noqa: E402
from livesite import build_web_store, start_server, stop_server  # noqa: E402
from results_file import write_results  # noqa: E402

from newsroundup.pipeline.add import add_sources  # noqa: E402
from newsroundup.pipeline.copy import copy_store  # noqa: E402
from newsroundup.store.base import open_store  # noqa: E402
from pgserver import PgServer  # noqa: E402

WRITERS = 4
START = datetime(2026, 3, 1, 8, tzinfo=UTC)
TOPICS = ("ferry strike", "ridge fire", "harbour dredging", "school closures", "bridge repairs", "dam failure")


def record(n: int) -> dict[str, object]:
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


def load_records(stream: Path | None, articles: int) -> list[dict[str, object]]:
    """The first ``articles`` of ``stream`` (a JSONL news stream), else synthetic ones."""
    if stream is None or not stream.exists():
        return [record(n) for n in range(articles)]
    lines = stream.read_text(encoding="utf-8").splitlines()[:articles]
    return [{k: v for k, v in json.loads(line).items() if k != "gold"} for line in lines]


def write_sources(folder: Path, records: list[dict[str, object]]) -> list[Path]:
    """One JSONL file per writer, each with three quarters of the articles in its own order."""
    files = []
    for w in range(WRITERS):
        chosen = [n for n in range(len(records)) if n % WRITERS != w]
        chosen = chosen[w * 37 :] + chosen[: w * 37]
        path = folder / f"writer{w}.jsonl"
        path.write_text("".join(json.dumps(records[n]) + "\n" for n in chosen), encoding="utf-8")
        files.append(path)
    return files


def _add(job: tuple[str, str]) -> int:
    db, source = job
    with open_store(db) as store:
        return add_sources([source], store).added


def add_phase(db: str, files: list[Path], writers: int, expected: set[str]) -> dict[str, Any]:
    """Add every file (1 writer: one after another; 4: one process each); throughput and integrity."""
    open_store(db).close()
    began = time.perf_counter()
    if writers == 1:
        added = [_add((db, str(f))) for f in files]
    else:
        with multiprocessing.get_context("spawn").Pool(writers) as pool:
            added = pool.map(_add, [(db, str(f)) for f in files])
    seconds = time.perf_counter() - began
    with open_store(db) as store:
        ids = [a.id for a in store.articles()]
    offered = sum(len(f.read_text().splitlines()) for f in files)
    return {
        "writers": writers,
        "offered_items": offered,
        "stored": len(ids),
        "lost": len(expected - set(ids)),
        "duplicated": len(ids) - len(set(ids)),
        "seconds": round(seconds, 2),
        "items_per_s": round(offered / seconds, 1),
        "added_reported": sum(added),
    }


def partition(db: str) -> tuple[set[frozenset[str]], list[str], float]:
    """Group the store's articles (``run``'s grouping); the stories as sets of article ids, their ids, seconds."""
    from newsroundup.pipeline.run import group_new_articles

    began = time.perf_counter()
    with open_store(db) as store:
        group_new_articles(store)
        rows = store.story_rows()
        stories = {frozenset(store.story_article_ids(r.id)) for r in rows}
        ids = sorted(r.id for r in rows)
    return stories, ids, round(time.perf_counter() - began, 1)


def _writer(db: str, source: Path, stop: Any) -> None:
    """Keep adding (new articles, then already-stored ones) until told to stop: a writer during serving."""
    with open_store(db) as store:
        while not stop.is_set():
            add_sources([str(source)], store)


def serve_phase(db: str, story: str, duration: int, writer_source: Path) -> dict[str, Any]:
    server = start_server(db)  # type: ignore[arg-type]
    stop = multiprocessing.get_context("spawn").Event()
    writer = multiprocessing.get_context("spawn").Process(target=_writer, args=(db, writer_source, stop))
    writer.start()
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, path in {"story page": f"/stories/{story}", "api stories": "/api/v1/stories"}.items():
                results[name] = wrk_phase(server.url + path, 100, duration, 1, Path(tmp))
                print(f"  {name}: {results[name]['latency_ms']} errors {results[name]['errors']}", file=sys.stderr)
    finally:
        stop.set()
        writer.join(30)
        stop_server(server.process)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument(
        "--stream", type=Path, default=ROOT.parent / "shared" / "data" / "gva-stream-dev" / "stream.jsonl",
        help="JSONL news stream to add (default: the gva-stream-dev data; synthetic articles when absent)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL for serve")
    parser.add_argument("--skip-grouping", action="store_true", help="no grouping comparison (it embeds)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "postgres.json")
    args = parser.parse_args()
    results: dict[str, Any] = {"articles": args.articles, "writers": WRITERS}
    if not args.stream.exists():
        args.stream = None
    server = PgServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            records = load_records(args.stream, args.articles)
            results["stream"] = str(args.stream) if args.stream and args.stream.exists() else "synthetic"
            files = write_sources(folder, records)
            expected = {str(r["id"]) for r in records}
            stores = {
                "sqlite, 1 writer": str(folder / "one.db"),
                "sqlite, 4 writers": str(folder / "four.db"),
                "postgres, 1 writer": server.url(),
                "postgres, 4 writers": server.url(),
            }
            results["add"] = {}
            for name, db in stores.items():
                results["add"][name] = add_phase(db, files, 4 if "4" in name else 1, expected)
                print(f"add {name}: {results['add'][name]}", file=sys.stderr)
            add = results["add"]
            results["add_ratio_sqlite_over_postgres"] = {
                w: round(add[f"sqlite, {w}"]["items_per_s"] / add[f"postgres, {w}"]["items_per_s"], 2)
                for w in ("1 writer", "4 writers")
            }

            copy_url = server.url()
            began = time.perf_counter()
            checks = copy_store(stores["sqlite, 1 writer"], copy_url)
            seconds = time.perf_counter() - began
            rows = sum(c.rows for c in checks)
            results["copy_sqlite_to_postgres"] = {
                "rows": rows, "articles": checks[0].rows, "seconds": round(seconds, 2),
                "articles_per_s": round(checks[0].rows / seconds, 1),
                "all_checksums_equal": all(c.same for c in checks),
            }
            print(f"copy: {results['copy_sqlite_to_postgres']}", file=sys.stderr)

            if not args.skip_grouping:
                # grouping places articles in stored order, so the 4-writer stores (stored in another
                # order) are compared with the 1-writer store of the same backend, and the backends
                # with each other at 1 writer
                grouped = {name: partition(db) for name, db in stores.items()}
                pairs = {
                    "postgres 1 writer vs sqlite 1 writer": ("postgres, 1 writer", "sqlite, 1 writer"),
                    "postgres 4 writers vs postgres 1 writer": ("postgres, 4 writers", "postgres, 1 writer"),
                    "sqlite 4 writers vs sqlite 1 writer": ("sqlite, 4 writers", "sqlite, 1 writer"),
                    "postgres 4 writers vs sqlite 1 writer": ("postgres, 4 writers", "sqlite, 1 writer"),
                }
                results["stories"] = {
                    "count": {name: len(g[0]) for name, g in grouped.items()},
                    "grouping_seconds": {name: g[2] for name, g in grouped.items()},
                    "compared": {
                        label: {"same_partition": grouped[a][0] == grouped[b][0],
                                "same_story_ids": grouped[a][1] == grouped[b][1],
                                "stories_in_only_one": len(grouped[a][0] ^ grouped[b][0])}
                        for label, (a, b) in pairs.items()
                    },
                }
                print(f"stories: {results['stories']}", file=sys.stderr)

            web = build_web_store(folder / "web")
            web_url = server.url()
            copy_store(web.db, web_url)
            results["serve"] = {}
            for name, db in (("sqlite", str(web.db)), ("postgres", web_url)):
                print(f"serve {name}", file=sys.stderr)
                results["serve"][name] = serve_phase(db, web.ferry_story, args.duration, files[0])
    finally:
        server.stop()
    write_results(results, args.out)


if __name__ == "__main__":
    main()
