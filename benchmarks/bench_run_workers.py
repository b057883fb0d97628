"""Several ``newsroundup run`` workers on one store at the same time vs one worker, on SQLite and PostgreSQL.

The first ``--articles`` articles of a real news stream (default gva-stream-dev) are split by outlet into
``--workers`` JSONL files (each worker polls its own outlets, as a newsroom splits its feed lists). Then,
on each backend:

- one worker: one ``newsroundup run`` over all the files (add, group, roundups, site);
- N workers: N ``newsroundup run`` processes started together on a fresh store, one file each.

Reported: wall time and articles/s of each, the PostgreSQL/SQLite time ratios, whether every article a
plain ``add`` of the same records stores is stored once and sits in exactly one story (lost, duplicated, in
no story; a run exits 1 for the records it refuses, as ``add`` does), whether every live story has
a roundup, the agreement between the N-worker stories and the one-worker stories (B-cubed F1 of the
partitions, and how many stories are identical), and whether story ids stay put on a second ``run``.
Grouping is online (an article joins the best story among those placed before it), so workers that
interleave their batches place some articles in another order than one worker does; the B-cubed F1
says how much that changes.

    .venv/bin/python benchmarks/bench_run_workers.py --articles 2000
    .venv/bin/python benchmarks/bench_run_workers.py --articles 200 --no-enrich --out /tmp/workers.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from newsroundup.evaluate.stories import bcubed  # noqa: E402
from newsroundup.pipeline.add import add_sources  # noqa: E402
from newsroundup.store.base import open_store  # noqa: E402
from pgserver import PgServer  # noqa: E402

STREAM = ROOT.parent / "shared" / "data" / "gva-stream-dev" / "stream.jsonl"


ENRICH: list[str] = []  # ["--no-enrich"] with --no-enrich


def command(db: str, sources: list[Path], site: Path) -> list[str]:
    return [sys.executable, "-m", "newsroundup", "run", *map(str, sources), "--db", db, "--out", str(site), "--quiet",
            *ENRICH]


def run_workers(db: str, files: list[Path], workers: int, folder: Path) -> dict[str, Any]:
    """``workers`` runs at once (1: one run over every file); their wall time and exit codes."""
    jobs = [files] if workers == 1 else [[f] for f in files]
    began = time.perf_counter()
    processes = [
        subprocess.Popen(command(db, job, folder / f"site{n}"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
        for n, job in enumerate(jobs)
    ]
    errors = [p.communicate()[1].strip()[-300:] for p in processes]
    seconds = time.perf_counter() - began
    return {"seconds": round(seconds, 1), "exit_codes": [p.returncode for p in processes],
            "errors": [e for e, p in zip(errors, processes, strict=True) if p.returncode]}


def snapshot(db: str) -> dict[str, Any]:
    """Articles, stories (as member sets, by id) and roundups of the store."""
    with open_store(db, existing=True) as store:
        articles = [a.id for a in store.articles()]
        rows = store.story_rows()
        members = {r.id: tuple(store.story_article_ids(r.id)) for r in rows}
        without_roundup = [r.id for r in rows if not r.version]
    return {"articles": articles, "members": members, "without_roundup": without_roundup}


def check(shot: dict[str, Any], expected: set[str]) -> dict[str, Any]:
    placed = [a for m in shot["members"].values() for a in m]
    return {
        "stored": len(shot["articles"]),
        "lost": len(expected - set(shot["articles"])),
        "duplicated": len(shot["articles"]) - len(set(shot["articles"])),
        "in_no_story": len(set(shot["articles"]) - set(placed)),
        "in_two_stories": len(placed) - len(set(placed)),
        "stories": len(shot["members"]),
        "stories_without_roundup": len(shot["without_roundup"]),
    }


def agreement(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    label_a = {art: story for story, m in a["members"].items() for art in m}
    label_b = {art: story for story, m in b["members"].items() for art in m}
    score = bcubed(label_a, label_b)
    sets_a = {frozenset(m) for m in a["members"].values()}
    sets_b = {frozenset(m) for m in b["members"].values()}
    return {"bcubed_f1": round(score.f1, 4), "precision": round(score.precision, 4), "recall": round(score.recall, 4),
            "identical_stories": len(sets_a & sets_b), "stories": [len(sets_a), len(sets_b)],
            "same_partition": sets_a == sets_b}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stream", type=Path, default=STREAM)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-enrich", action="store_true", help="runs without enrichment (no spaCy)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "run_workers.json")
    args = parser.parse_args()
    if args.no_enrich:
        ENRICH.append("--no-enrich")
    if not args.stream.exists():
        sys.exit(f"{args.stream}: no such stream file")
    lines = args.stream.read_text(encoding="utf-8").splitlines(keepends=True)[:args.articles]
    results: dict[str, Any] = {"stream": str(args.stream), "articles": len(lines), "workers": args.workers,
                               "enrich": not args.no_enrich}
    server = PgServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            parts: list[list[str]] = [[] for _ in range(args.workers)]
            for line in lines:  # by outlet: each worker polls its own outlets
                parts[zlib.crc32(json.loads(line)["outlet"].encode()) % args.workers].append(line)
            files = []
            for n, part in enumerate(parts):
                files.append(folder / f"worker{n}.jsonl")
                files[-1].write_text("".join(part), encoding="utf-8")
            results["articles_per_worker"] = [len(p) for p in parts]
            # what a plain `add` of the same records stores (records it refuses, or duplicates of another
            # under a new id, are not stored by any worker either): the set nothing may lose
            with open_store(folder / "reference.db") as reference:
                add_sources([str(f) for f in files], reference)
                expected = {a.id for a in reference.articles()}
            results["records"], results["stored_by_plain_add"] = len(lines), len(expected)
            shots = {}
            for backend in ("sqlite", "postgres"):
                for workers in (1, args.workers):
                    name = f"{backend}, {workers} worker{'s' if workers > 1 else ''}"
                    db = str(folder / f"{workers}.db") if backend == "sqlite" else server.url()
                    ran = run_workers(db, files, workers, folder)
                    shot = snapshot(db)
                    again = run_workers(db, [], 1, folder)  # nothing new: ids must stay put
                    ran.update(check(shot, expected), articles_per_s=round(len(lines) / ran["seconds"], 1),
                               ids_stable_on_rerun=snapshot(db)["members"] == shot["members"],
                               rerun_exit=again["exit_codes"])
                    results[name] = ran
                    shots[name] = shot
                    print(name, {k: v for k, v in ran.items() if k != "errors"}, ran["errors"][:1], file=sys.stderr)
            n = f"{args.workers} workers"
            results["time_ratio_postgres_over_sqlite"] = {
                w: round(results[f"postgres, {w}"]["seconds"] / results[f"sqlite, {w}"]["seconds"], 2)
                for w in ("1 worker", n)
            }
            one = "1 worker"
            results["stories_agreement"] = {
                f"postgres {one} vs sqlite {one}": agreement(shots[f"postgres, {one}"], shots[f"sqlite, {one}"]),
                f"postgres {n} vs postgres {one}": agreement(shots[f"postgres, {n}"], shots[f"postgres, {one}"]),
                f"sqlite {n} vs sqlite {one}": agreement(shots[f"sqlite, {n}"], shots[f"sqlite, {one}"]),
            }
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
