"""Saving the grouping after a few new articles: the whole state (as before) vs only the stories that changed.

A story index of ``--articles`` articles (random unit vectors around ``--articles``/2 events, a name and
a date each; no model is loaded: this measures the store, not the embedder) is saved into a SQLite file
and into a throwaway PostgreSQL 15 (tests/pgserver.py); then ``--new`` more articles are placed and the
save is timed both ways: the whole state as one JSON value (the format before per-story rows) and the shared
part plus the changed stories' rows (``grouping/state.index_changes``). Reading the state back is timed too.

    .venv/bin/python benchmarks/bench_grouping_save.py --articles 20000 --new 10
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from newsroundup.grouping.options import GroupingOptions  # noqa: E402
from newsroundup.grouping.signals import ArticleSignals  # noqa: E402
from newsroundup.grouping.state import index_changes, index_from_dict, index_to_dict  # noqa: E402
from newsroundup.grouping.stories import StoryIndex  # noqa: E402
from newsroundup.grouping.vectors import DIMENSIONS  # noqa: E402
from newsroundup.store.base import Store, open_store  # noqa: E402
from pgserver import PgServer  # noqa: E402

START = datetime(2025, 1, 1, tzinfo=UTC)


def stream(n: int, seed: int = 3) -> list[ArticleSignals]:
    """``n`` articles about n/2 events, in time order, each event's articles embedding alike."""
    rng = np.random.default_rng(seed)
    events = max(1, n // 2)
    directions = rng.normal(size=(events, DIMENSIONS)).astype(np.float32)
    out = []
    for i in range(n):
        event = int(rng.integers(events))
        vector = directions[event] + 0.3 * rng.normal(size=DIMENSIONS).astype(np.float32)
        when = START + timedelta(minutes=10 * i)
        out.append(ArticleSignals(f"a{i}", vector, frozenset({f"name{event}"}), when, outlet=f"o{i % 50}"))
    return out


def timed(work: Any) -> float:
    began = time.perf_counter()
    work()
    return round(time.perf_counter() - began, 3)


def measure(store: Store, articles: list[ArticleSignals], new: int) -> dict[str, Any]:
    options = GroupingOptions()
    index = StoryIndex(options)
    index.add_all(articles[:-new])
    store.save_grouping(index_to_dict(index), article_seq=1, previous_seq=0, stories=[], merged={})
    loaded: dict[str, Any] = {}
    read_s = timed(lambda: loaded.update(state=store.grouping_state().state))
    index = index_from_dict(loaded["state"])
    index.add_all(articles[-new:])
    shared, changed, gone = index_changes(index)
    parts_s = timed(lambda: store.save_grouping(
        shared, story_states=changed, gone_states=gone, article_seq=2, previous_seq=1, stories=[], merged={}
    ))
    whole = index_to_dict(index)
    marker = "?" if "sqlite" in type(store).__module__ else "%s"

    def one_document() -> None:  # the format before: the whole state as one JSON value, rewritten each save
        text = json.dumps(whole, separators=(",", ":"))
        store._db.execute(f"UPDATE grouping SET state = {marker} WHERE id = 1", (text,))  # type: ignore[attr-defined]

    document_s = timed(one_document)
    return {
        "stories": len(index.states), "stories_written": len(changed), "stories_gone": len(gone),
        "whole_state_bytes": len(json.dumps(whole, separators=(",", ":"))),
        "read_s": read_s, "save_changed_s": parts_s, "save_one_document_s": document_s,
        "document_over_changed": round(document_s / max(parts_s, 1e-4), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "grouping_save.json")
    args = parser.parse_args()
    articles = stream(args.articles + args.new)
    results: dict[str, Any] = {"articles": args.articles, "new": args.new}
    server = PgServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, db in (("sqlite", str(Path(tmp) / "save.db")), ("postgres", server.url())):
                with open_store(db) as store:
                    results[name] = measure(store, articles, args.new)
                print(name, results[name], file=sys.stderr)
    finally:
        server.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    results.update(cpus=os.cpu_count(), when=datetime.now(UTC).isoformat(timespec="seconds"),
                   uptime=subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
                   commit=commit.stdout.strip())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
