"""Embedding speed: the ONNX backends serially (one session on every core) and on a pool of threads.

Texts are grouping leads (``grouping_text``: title + 2 sentences, ≤ 128 tokens) of the 500 DUC 2004
documents (skipped when ../shared/data is absent; read from there, never copied) and of the invented
fixture streams. Serial and pooled runs alternate, so machine load hits both alike; the load average
is recorded before and after. Also: one text per call (what adding one article costs) and whether the
pooled vectors equal the serial ones bit for bit.

    .venv/bin/python benchmarks/bench_vectors.py        # → benchmarks/results/vectors.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.datasets import CLUSTERS_FILE, load_clusters, locate_duc2004
from newsroundup.grouping.signals import MAX_TOKENS, grouping_text
from newsroundup.grouping.vectors import Backend, Embedder, embed_threads, load_embedder
from newsroundup.model import Article

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
FIXTURE_STREAMS = (
    ROOT / "tests" / "fixtures" / "stories" / "stream.jsonl",
    ROOT / "benchmarks" / "fixtures" / "stories-dev" / "stream.jsonl",
)
SINGLE_CALLS = 60


def duc_leads() -> list[str] | None:
    """Grouping texts of every DUC 2004 document, or None when the data is not there."""
    try:
        clusters = load_clusters(locate_duc2004(None) / CLUSTERS_FILE)
    except NewsroundupError:
        return None
    return [grouping_text(article) for cluster in clusters for article in cluster.articles]


def fixture_leads() -> list[str]:
    """Grouping texts of the invented fixture streams."""
    texts = []
    for path in FIXTURE_STREAMS:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            article = Article(id=record["id"], text=record["text"], title=record["title"], outlet=record["outlet"])
            texts.append(grouping_text(article))
    return texts


def compare(texts: Sequence[str], backend: Backend, threads: int, repeats: int) -> dict[str, Any]:
    """Serial against pooled embedding of ``texts``, alternating, ``repeats`` times each."""
    setups = {"serial": load_embedder(backend, threads=1), "pool": load_embedder(backend, threads=threads)}
    outputs = {name: embedder.embed(texts, max_tokens=MAX_TOKENS) for name, embedder in setups.items()}  # warm-up
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in setups}
    load_before = os.getloadavg()[0]
    for _ in range(repeats):
        for name, embedder in setups.items():
            wall, cpu = time.perf_counter(), time.process_time()
            embedder.embed(texts, max_tokens=MAX_TOKENS)
            runs[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    result: dict[str, Any] = {
        "backend": backend,
        "texts": len(texts),
        "repeats": repeats,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "pool_equals_serial_bit_for_bit": bool(np.array_equal(outputs["serial"], outputs["pool"])),
    }
    for name, timings in runs.items():
        walls = [wall for wall, _ in timings]
        result[name] = {
            "threads": 1 if name == "serial" else threads,
            "best_texts_per_second": round(len(texts) / min(walls), 1),
            "median_texts_per_second": round(len(texts) / statistics.median(walls), 1),
            "median_cpu_ms_per_text": round(1000 * statistics.median(c for _, c in timings) / len(texts), 2),
        }
    return result


def single_text_ms(texts: Sequence[str], backend: Backend, threads: int) -> dict[str, float]:
    """Median wall milliseconds of embedding one text per call, serial session against pool-sized session."""
    setups: dict[str, Embedder] = {
        "serial": load_embedder(backend, threads=1),
        "pool": load_embedder(backend, threads=threads),
    }
    times: dict[str, list[float]] = {name: [] for name in setups}
    for text in texts[:SINGLE_CALLS]:
        for name, embedder in setups.items():
            wall = time.perf_counter()
            embedder.embed([text], max_tokens=MAX_TOKENS)
            times[name].append(time.perf_counter() - wall)
    return {name: round(1000 * statistics.median(values), 2) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each setting on the int8 model")
    parser.add_argument("--threads", type=int, default=embed_threads(), help="pool size (default: one per core)")
    args = parser.parse_args()
    corpora = {"fixture leads": fixture_leads()}
    duc = duc_leads()
    if duc is not None:
        corpora = {"DUC 2004 leads": duc, **corpora}
    results: dict[str, Any] = {
        "benchmark": "embedding speed, serial vs pool of threads",
        "cpus": os.cpu_count(),
        "threads": args.threads,
        "max_tokens": MAX_TOKENS,
        "corpora": {},
    }
    for corpus, texts in corpora.items():
        runs = []
        plan: list[tuple[Backend, int]] = [("onnx", args.repeats), ("onnx-fp32", max(1, args.repeats // 2))]
        for backend, repeats in plan:
            run = compare(texts, backend, args.threads, repeats)
            print(corpus, json.dumps(run), flush=True)
            runs.append(run)
        results["corpora"][corpus] = runs
    single = single_text_ms(next(iter(corpora.values())), "onnx", args.threads)
    results["one_text_per_call_median_ms"] = {"backend": "onnx", "calls": SINGLE_CALLS, **single}
    print("one text per call", json.dumps(single))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "vectors.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
