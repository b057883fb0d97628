"""``serve`` under load while ``newsroundup run`` writes into the same store, on SQLite and on PostgreSQL.

The store: the first ``--base`` articles of a real news stream (default gva-stream-dev) put through
``newsroundup run`` (grouping, roundups with enrichment), and its ``db copy`` into a throwaway
PostgreSQL 15 server (tests/pgserver.py) on the same machine. During each measured phase a writer
process keeps starting the real ``newsroundup run`` on the next ``--batch`` new articles of the stream
(add, group, new roundup versions), so the store changes several times a second, as on a shared
server. ``newsroundup serve`` answers ``--connections`` wrk clients for ``--duration`` s on the
biggest story's page and on ``/api/v1/stories``; the result is wrk's latency percentiles, errors and
non-2xx answers, and how many runs the writer finished meanwhile.

    .venv/bin/python benchmarks/bench_serve_writing.py                 # 100 clients, 30 s per URL
    .venv/bin/python benchmarks/bench_serve_writing.py --duration 5 --out /tmp/serve.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "web"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_web import wrk_phase  # noqa: E402
from livesite import start_server, stop_server  # noqa: E402

from newsroundup.pipeline.copy import copy_store  # noqa: E402
from newsroundup.store.base import open_store  # noqa: E402
from pgserver import PgServer  # noqa: E402

STREAM = ROOT.parent / "shared" / "data" / "gva-stream-dev" / "stream.jsonl"
URLS = {"story page": "/stories/{story}", "api stories": "/api/v1/stories"}


def newsroundup(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``newsroundup ARGUMENTS`` as a user starts it."""
    return subprocess.run([sys.executable, "-m", "newsroundup", *arguments], capture_output=True, text=True)


class Writer:
    """A process after process of ``newsroundup run`` on the next batch of new articles, until stopped."""

    def __init__(self, db: str, batches: list[Path], site: Path) -> None:
        self.db, self.batches, self.site = db, batches, site
        self.finished = 0
        self.failed: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        for batch in self.batches:
            if self._stop.is_set():
                return
            done = newsroundup("run", str(batch), "--db", self.db, "--out", str(self.site), "--quiet")
            if done.returncode:
                self.failed.append(done.stderr.strip()[-300:])
            else:
                self.finished += 1

    def __enter__(self) -> Writer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def batches(records: list[str], size: int, folder: Path) -> list[Path]:
    """The records as JSONL files of ``size`` lines each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(records), size):
        path = folder / f"batch{start // size:04d}.jsonl"
        path.write_text("".join(records[start:start + size]), encoding="utf-8")
        paths.append(path)
    return paths


def biggest_story(db: str) -> str:
    with open_store(db, read_only=True) as store:
        return max(store.story_rows(), key=lambda row: row.articles).id


def serve_phase(
    db: str, story: str, writer_batches: list[Path], args: argparse.Namespace, folder: Path
) -> dict[str, Any]:
    server = start_server(db)  # type: ignore[arg-type]
    results: dict[str, Any] = {}
    try:
        for name, path in URLS.items():
            with Writer(db, writer_batches, folder / "writer-site") as writer:
                measured = wrk_phase(server.url + path.format(story=story), args.connections, args.duration, 1, folder)
            measured["runs_finished_meanwhile"] = writer.finished
            measured["runs_failed"] = writer.failed
            results[name] = measured
            print(f"  {name}: {measured['latency_ms']} errors {measured['errors']} non-2xx {measured['non_2xx']} "
                  f"runs {writer.finished}", file=sys.stderr)
            writer_batches = writer_batches[writer.finished + len(writer.failed) + 1:]  # the next phase adds new ones
    finally:
        stop_server(server.process)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stream", type=Path, default=STREAM, help="JSONL news stream (default: gva-stream-dev)")
    parser.add_argument("--base", type=int, default=300, help="articles in the store before serving")
    parser.add_argument("--batch", type=int, default=10, help="new articles per writer run")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=30, help="seconds per URL")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "serve_writing.json")
    args = parser.parse_args()
    if not args.stream.exists():
        sys.exit(f"{args.stream}: no such stream file")
    records = args.stream.read_text(encoding="utf-8").splitlines(keepends=True)
    results: dict[str, Any] = {"stream": str(args.stream), "base_articles": args.base, "batch": args.batch,
                               "connections": args.connections, "duration_s": args.duration}
    server = PgServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            base = folder / "base.jsonl"
            base.write_text("".join(records[:args.base]), encoding="utf-8")
            sqlite_db = str(folder / "news.db")
            done = newsroundup("run", str(base), "--db", sqlite_db, "--out", str(folder / "site"), "--quiet")
            if done.returncode:
                sys.exit(f"the base run failed: {done.stderr.strip()}")
            url = server.url()
            copy_store(sqlite_db, url)
            story = biggest_story(sqlite_db)
            rest = batches(records[args.base:], args.batch, folder / "batches")
            half = len(rest) // 2  # each backend's writer adds its own new articles, never the other's
            results["serve"] = {}
            for name, db, writer_batches in (("sqlite", sqlite_db, rest[:half]), ("postgres", url, rest[half:])):
                print(f"serve {name}", file=sys.stderr)
                results["serve"][name] = serve_phase(db, story, writer_batches, args, folder)
    finally:
        server.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    results.update(
        cpus=os.cpu_count(),
        uptime=subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        when=datetime.now(UTC).isoformat(timespec="seconds"),
        commit=commit.stdout.strip(),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
