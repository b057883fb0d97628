"""``newsroundup db copy`` at scale: a SQLite store into a throwaway PostgreSQL 15 and back, timed and checked.

Give it a store (``--store``); without one it builds one of ``--articles`` articles first with the real
``add`` pipeline from ``--stream`` records (real gva-stream-dev sentences, recombined into distinct
articles so that they are not taken as copies of each other; building 100k takes ~25 minutes, so keep the
file: ``--keep``). Reports seconds and articles/s each way, and whether every table's count and checksum
matched (the copy itself refuses a mismatch), and how fast PostgreSQL builds the search indexes anew
(``db reindex``) once the copy is in.

    .venv/bin/python benchmarks/bench_copy.py --articles 100000 --keep /work/cache/a100k.db
    .venv/bin/python benchmarks/bench_copy.py --store /work/cache/a100k.db
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from results_file import write_results  # noqa: E402

from newsroundup.pipeline.add import add_sources  # noqa: E402
from newsroundup.pipeline.copy import copy_store  # noqa: E402
from newsroundup.store.base import open_store  # noqa: E402
from pgserver import PgServer  # noqa: E402

STREAM = ROOT.parent / "shared" / "data" / "gva-stream-dev" / "stream.jsonl"
START = datetime(2024, 1, 1, tzinfo=UTC)


def build(store_path: Path, articles: int, stream: Path, folder: Path) -> None:
    """``articles`` distinct articles of 12 real sentences each, added with the real pipeline."""
    rng = random.Random(7)
    sentences = []
    for line in stream.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", text) if 40 < len(s) < 300]
    records = folder / "records.jsonl"
    with records.open("w", encoding="utf-8") as out:
        for n in range(articles):
            text = " ".join(rng.sample(sentences, 12))
            out.write(json.dumps({
                "id": f"syn/{n}", "url": f"https://outlet{n % 97}.example/a/{n}", "outlet": f"Outlet {n % 97}",
                "title": f"Report {n}: {text[:60]}", "published": (START + timedelta(minutes=5 * n)).isoformat(),
                "text": text,
            }) + "\n")
    with open_store(store_path) as store:
        add_sources([str(records)], store)


def add_store_arguments(parser: argparse.ArgumentParser, store_help: str) -> None:
    """``--store`` (an existing store) or how to build one: ``--articles``, ``--stream`` and ``--keep``."""
    parser.add_argument("--store", type=Path, help=store_help)
    parser.add_argument("--articles", type=int, default=100000, help="articles of the store built without --store")
    parser.add_argument("--stream", type=Path, default=STREAM)
    parser.add_argument("--keep", type=Path, help="where to keep the built store")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_arguments(parser, "an existing SQLite store to copy")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "copy.json")
    args = parser.parse_args()
    server = PgServer()
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            source = args.store
            if source is None:
                source = args.keep or folder / "built.db"
                build(source, args.articles, args.stream, folder)
            with open_store(source, existing=True) as store:
                results["articles"] = len(store.articles())
            url = server.url()
            for name, src, dst in (("sqlite to postgres", str(source), url),
                                   ("postgres to sqlite", url, str(folder / "back.db"))):
                began = time.perf_counter()
                checks = copy_store(src, dst)
                seconds = time.perf_counter() - began
                results[name] = {
                    "seconds": round(seconds, 1), "articles_per_s": round(results["articles"] / seconds),
                    "rows": sum(c.rows for c in checks), "all_checksums_equal": all(c.same for c in checks),
                }
                print(name, results[name], file=sys.stderr)
                if dst == url:  # the search indexes built anew in PostgreSQL, as `db reindex` builds them
                    with open_store(url, existing=True) as copy:
                        began = time.perf_counter()
                        indexed = copy.rebuild_search()
                        seconds = time.perf_counter() - began
                    results["postgres reindex"] = {"seconds": round(seconds, 1),
                                                   "articles_per_s": round(indexed / seconds)}
                    print("postgres reindex", results["postgres reindex"], file=sys.stderr)
    finally:
        server.stop()
    write_results(results, args.out)


if __name__ == "__main__":
    main()
