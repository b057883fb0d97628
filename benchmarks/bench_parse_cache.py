"""The parse cache: what it saves when a story gets a new version, and what it costs on disk.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_parse_cache.py [--clusters 6] [--work DIR]

1. Roundups (in this process, models loaded beforehand): on Multi-News dev clusters of 4+ real web
   articles (mnv125.. , the held-out half; nothing is fitted here), the enriched roundup
   (``write_roundup``) of the story's second version (every article; the first version had all but
   the last) with no cache at all, with an empty cache folder (cold: every article parsed and
   written) and with the folder the first version left (warm, memory emptied as in a new process:
   only the added article parsed). Also ``parse_texts`` of the same articles alone, cold and warm.
   Each timing is the fastest of ``--repeats`` runs.
   The roundups must be equal in every case (their JSON is compared).
2. ``newsroundup run`` (subprocesses, the real command with model loading) over the bundled
   ``examples/events``: into a new store twice, first with an empty parse cache then with the one
   the first run filled; and the story's second version case: a store holding all but one article
   (the last of the ferry-strike story) gets that article, with the parse cache off
   (``NEWSROUNDUP_PARSE_CACHE_MB=0``) and on (filled by the first version's run). Wall and CPU
   seconds (the command and its children), each the least of the repeats.
3. Disk: bytes per cached article (entries of part 1 and 2) and per 1,000 characters of text.

Writes benchmarks/results/parse_cache.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsroundup.annotate import nlp, parses
from newsroundup.evaluate.datasets import load_clusters
from newsroundup.model import Article, roundup_to_json
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "parse_cache.json"
HELD_OUT_FROM = 125
EXAMPLES = ROOT / "examples" / "events"
HELD_BACK = "2026-04-13-harbor-times-ferry-deal-reached.txt"  # the ferry strike story's last article
OPTIONS = RoundupOptions(words=100, enrich=EnrichOptions())


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def entries(folder: Path) -> list[Path]:
    return list(folder.glob(f"*/*/*{parses.SUFFIX}"))


def best(repeats: int, prepare: Callable[[], None], work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeats`` runs of ``work``, each after ``prepare`` (which is not timed)."""
    runs = []
    for _ in range(repeats):
        prepare()
        runs.append(timed(work))
    return min(runs, key=lambda run: run[0])


def second_version(articles: Sequence[Article], work: Path, repeats: int) -> tuple[dict[str, Any], list[Path]]:
    """One cluster's row of part 1, and the cache entries of all its articles."""
    texts = [a.text for a in articles]
    first_version, every, folder = work / "v1", work / "all", work / "timed"
    parses.configure(parses.CacheSettings(folder=first_version))
    write_roundup(articles[:-1], OPTIONS)  # the first version: all but the last article
    parses.configure(parses.CacheSettings(folder=every))
    nlp.parse_texts(texts)

    def use(source: Path | None, disk: bool = True) -> Callable[[], None]:
        def prepare() -> None:  # as a new process: memory empty; the folder empty or as ``source`` left it
            shutil.rmtree(folder, ignore_errors=True)
            if source is not None:
                shutil.copytree(source, folder)
            parses.configure(parses.CacheSettings(folder=folder) if disk else parses.CacheSettings(memory_bytes=0))

        return prepare

    none_s, plain = best(repeats, use(None, disk=False), lambda: write_roundup(articles, OPTIONS))
    parse_none_s, _ = best(repeats, use(None, disk=False), lambda: nlp.parse_texts(texts))
    cold_s, cold = best(repeats, use(None), lambda: write_roundup(articles, OPTIONS))
    warm_s, warm = best(repeats, use(first_version), lambda: write_roundup(articles, OPTIONS))
    parsed = len(entries(folder)) - len(entries(first_version))
    parse_warm_s, _ = best(repeats, use(every), lambda: nlp.parse_texts(texts))
    row = {
        "articles": len(articles),
        "characters": sum(map(len, texts)),
        "no_cache_s": round(none_s, 3),
        "cold_s": round(cold_s, 3),
        "warm_s": round(warm_s, 3),
        "parsed_in_warm": parsed,
        "parse_only_no_cache_s": round(parse_none_s, 3),
        "parse_only_warm_s": round(parse_warm_s, 3),
        "roundups_equal": roundup_to_json(plain) == roundup_to_json(cold) == roundup_to_json(warm),
    }
    return row, entries(every)


def roundups(clusters: Sequence[Sequence[Article]], work: Path, repeats: int) -> dict[str, Any]:
    """Part 1: seconds of a story's second version with no, a cold and a warm cache, per cluster and summed."""
    rows = []
    sizes: list[tuple[int, int]] = []  # (entry bytes, text characters) per cached article
    for number, articles in enumerate(clusters):
        row, kept = second_version(articles, work / str(number), repeats)
        rows.append(row)
        for path in kept:
            text = next(a.text for a in articles if parses.text_key(a.text) == path.stem)
            sizes.append((path.stat().st_size, len(text)))
        print(json.dumps(row), file=sys.stderr)
    total = {key: round(sum(r[key] for r in rows), 3) for key in rows[0] if key.endswith("_s")}
    return {
        "clusters": len(rows),
        "repeats": f"fastest of {repeats}",
        "per_cluster": rows,
        "total": total,
        "warm_over_cold": round(total["warm_s"] / total["cold_s"], 3),
        "warm_over_no_cache": round(total["warm_s"] / total["no_cache_s"], 3),
        "parse_only_warm_over_no_cache": round(total["parse_only_warm_s"] / total["parse_only_no_cache_s"], 3),
        "all_roundups_equal": all(r["roundups_equal"] for r in rows),
        "disk": disk_sizes(sizes),
    }


def disk_sizes(sizes: Sequence[tuple[int, int]]) -> dict[str, Any]:
    total_bytes = sum(b for b, _ in sizes)
    return {
        "entries": len(sizes),
        "bytes_per_article": round(total_bytes / len(sizes)),
        "bytes_per_1000_characters": round(1000 * total_bytes / sum(c for _, c in sizes)),
        "largest_entry_bytes": max(b for b, _ in sizes),
    }


def run_command(args: Sequence[str], cache: Path, parse_cache_mb: int | None = None) -> float:
    """One ``newsroundup`` command in a new process (the cache folder given, models linked in); its CPU
    seconds (it and its children: the parse helper), which other jobs on the machine disturb less than wall time."""
    env = {**os.environ, "NEWSROUNDUP_CACHE": str(cache), "PYTHONPATH": str(ROOT / "src")}
    env.pop("NEWSROUNDUP_PARSE_CACHE_MB", None)
    if parse_cache_mb is not None:
        env["NEWSROUNDUP_PARSE_CACHE_MB"] = str(parse_cache_mb)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "newsroundup", *args, "--quiet"], env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def site_stories(site: Path) -> list[Any]:
    """The story JSON files of a site (roundups, quotes, ...), the version dates left out."""
    out = []
    for path in sorted((site / "stories").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        out.append(json.loads(text, object_hook=lambda d: {k: v for k, v in d.items() if "created" not in k}))
    return out


def runs(work: Path, models: Path, repeats: int) -> dict[str, Any]:
    """Part 2: ``run`` over the bundled examples, into a new store with a cold then a warm parse cache;
    and a story's second version (one article added) with the parse cache off and on."""
    cache = work / "cache"
    cache.mkdir(parents=True)
    (cache / "models").symlink_to(models)
    kept = work / "kept-parses"

    def fresh(name: str, parses_from: Path | None, store_from: str | None = None) -> Callable[[], None]:
        def prepare() -> None:  # a store (new, or a copy of ``store_from``) and the parse cache as given
            for path in (work / f"{name}.db", work / name, cache / "parses"):
                if path.is_dir():
                    shutil.rmtree(path)
                path.unlink(missing_ok=True)
            if store_from is not None:
                shutil.copy(work / f"{store_from}.db", work / f"{name}.db")
                shutil.copytree(work / store_from, work / name)
            if parses_from is not None:
                shutil.copytree(parses_from, cache / "parses")

        return prepare

    def fastest(prepare: Callable[[], None], work: Callable[[], float]) -> tuple[float, float]:
        """The least wall and the least CPU seconds of ``repeats`` runs."""
        runs = []
        for _ in range(repeats):
            prepare()
            runs.append(timed(work))
        return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)

    def command(name: str, source: Path, parse_cache_mb: int | None = None) -> Callable[[], float]:
        args = ["run", str(source), "--db", str(work / f"{name}.db"), "--out", str(work / name)]
        return lambda: run_command(args, cache, parse_cache_mb)

    cold, cold_cpu = fastest(fresh("cold", None), command("cold", EXAMPLES))
    shutil.copytree(cache / "parses", kept)
    warm, warm_cpu = fastest(fresh("warm", kept), command("warm", EXAMPLES))
    same = site_stories(work / "cold") == site_stories(work / "warm")
    first, added = work / "first", work / "added"
    first.mkdir()
    added.mkdir()
    for path in EXAMPLES.iterdir():
        shutil.copy(path, (added if path.name == HELD_BACK else first) / path.name)
    fresh("v1", None)()
    command("v1", first)()  # the first version of every story, the held-back article's story included
    shutil.rmtree(kept)
    shutil.copytree(cache / "parses", kept)
    off, off_cpu = fastest(fresh("off", None, store_from="v1"), command("off", added, parse_cache_mb=0))
    on, on_cpu = fastest(fresh("on", kept, store_from="v1"), command("on", added))
    return {
        "examples": {
            "files": len(list(EXAMPLES.iterdir())),
            "text_characters": sum(len(p.read_text(encoding="utf-8")) for p in EXAMPLES.iterdir()),
        },
        "repeats": f"fastest of {repeats}",
        "new_store": {
            "cold_s": round(cold, 2),
            "warm_s": round(warm, 2),
            "warm_over_cold": round(warm / cold, 3),
            "cold_cpu_s": round(cold_cpu, 2),
            "warm_cpu_s": round(warm_cpu, 2),
            "stories_equal": same,
        },
        "second_version": {
            "held_back": HELD_BACK,
            "cache_off_s": round(off, 2),
            "cache_on_s": round(on, 2),
            "on_over_off": round(on / off, 3),
            "cache_off_cpu_s": round(off_cpu, 2),
            "cache_on_cpu_s": round(on_cpu, 2),
            "stories_equal": site_stories(work / "off") == site_stories(work / "on"),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with multinews-dev/ (default the shared data folder)")
    parser.add_argument("--clusters", type=int, default=6, help="held-out Multi-News clusters of 4+ articles")
    parser.add_argument("--repeats", type=int, default=3, help="each timing is the fastest of this many runs")
    parser.add_argument("--work", type=Path, help="scratch folder (default a temporary one)")
    parser.add_argument("--models", type=Path, default=Path.home() / ".cache" / "newsroundup" / "models")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parse-cache-", dir=args.work))
    data = args.data or next(p / "shared/data" for p in ROOT.parents if (p / "shared/data").is_dir())
    path = data / "multinews-dev" / "clusters.jsonl"
    clusters = [c.articles for c in load_clusters(path)[HELD_OUT_FROM:] if len(c.articles) >= 4]
    if len(clusters) <= args.clusters:
        raise SystemExit(f"{path}: only {len(clusters)} held-out clusters of 4+ articles")
    nlp.parse_identity()  # the model loaded before any timing
    parses.configure(parses.CacheSettings(memory_bytes=0))
    write_roundup(clusters[args.clusters], OPTIONS)  # warm up the embedder and the rest on another cluster
    helper = nlp._helper()
    while helper is not None and not helper.ready() and not helper._broken:  # no model loading while timing
        time.sleep(0.5)
    result = {
        "data": "multinews-dev/clusters.jsonl (held-out half, mnv125..)",
        "roundups": roundups(clusters[: args.clusters], work / "roundups", args.repeats),
        "run": runs(work / "run", args.models.resolve(), args.repeats),
        "machine": {"cpus": os.cpu_count()},
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
