"""``evaluate multinews``: roundups of real multi-source web clusters beside sumy, one ROUGE-1.5.5 run.

Multi-News dev (``clusters.jsonl``: scraped web articles, no titles, page furniture pasted in, an editor's
summary as the reference). newsroundup summarizes each cluster's cleaned articles; the sumy peers get the
documents as scraped. Every system's summaries are also counted for page furniture, twice: by the learned
detector (``text/furniture.py``) and by an independent phrase list written for the benchmark; and every
system's headline is checked by the headline rules (a quote, a caption, a pronoun naming no one, over 16
words). A peer gives no headline: its first sentence is what would head its page. The furniture weights and
the headline rules are fitted on clusters mnv000-mnv124, so the default part is the rest (``held-out``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from newsroundup.errors import DataError
from newsroundup.evaluate.datasets import Cluster, load_clusters
from newsroundup.evaluate.duc2004 import run_newsroundup
from newsroundup.evaluate.peers import SUMY_ALGORITHMS, run_sumy
from newsroundup.evaluate.rouge import SystemScores, score_systems
from newsroundup.pipeline.progress import progress_bar, say
from newsroundup.roundup.headline import headline_problem
from newsroundup.text.furniture import looks_like_furniture

Part = Literal["fit", "held-out", "all"]
PARTS: tuple[Part, ...] = ("held-out", "fit", "all")
CLUSTERS_FILE = "clusters.jsonl"
FIT_CLUSTERS = 125  # mnv000-mnv124 are fitted on (furniture weights, headline rules, concept model)
WORDS = 250
HEADLINE_WORDS = 16
# The independent check, not the detector's features: phrases only page furniture uses, as whole words
# ("subscribers" and "advertisements" in reporting are not furniture; a "(AP Photo/..." credit is).
INDEPENDENT = re.compile(
    r"(?<!\w)(?:sign up|newsletters?|subscribe|image copyright|photo:|getty images|\(ap photo|advertisement|"
    r"follow (?:us|him|her) on|contributed to this report|click here|read more|all rights reserved|"
    r"enable javascript|media playback|media caption|story continued below|share this|a post shared by|"
    r"please try again|breaking news emails)(?!\w)",
    re.IGNORECASE,
)


def locate_multinews(data_dir: Path | None) -> Path:
    """The ``clusters.jsonl`` of ``data_dir`` (a folder, or the file itself)."""
    if data_dir is None:
        raise DataError("evaluate multinews: give --data DIR (a folder with clusters.jsonl)")
    path = data_dir / CLUSTERS_FILE if data_dir.is_dir() else data_dir
    if not path.is_file():
        raise DataError(f"{data_dir}: no {CLUSTERS_FILE} there")
    return path


def raw_documents(path: Path) -> dict[str, list[str]]:
    """Each cluster's documents as the file gives them (for the peers, which take plain text)."""
    raw: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                raw[record["id"]] = [d["text"] if isinstance(d, dict) else str(d) for d in record["documents"]]
    return raw


def furniture_counts(summaries: Mapping[str, str]) -> dict[str, int]:
    """Sentences of a system's summaries (one per line) flagged as furniture, by the detector and independently."""
    sentences = [s for text in summaries.values() for s in text.split("\n") if s.strip()]
    return {
        "sentences": len(sentences),
        "furniture_detector": sum(looks_like_furniture(s) for s in sentences),
        "furniture_independent": sum(bool(INDEPENDENT.search(s)) for s in sentences),
    }


def headline_counts(headlines: Mapping[str, str]) -> dict[str, int]:
    """Headlines breaking the headline rules, by kind (``over_16_words`` apart), and empty ones."""
    counts = {"headlines": len(headlines), "breaking_rules": 0, "over_16_words": 0, "none": 0}
    for headline in headlines.values():
        if not headline.strip():
            counts["none"] += 1
            continue
        counts["breaking_rules"] += bool(headline_problem(headline))
        counts["over_16_words"] += len(headline.split()) > HEADLINE_WORDS
    return counts


def system_rows(scores: Mapping[str, SystemScores], summaries: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """Each system's ROUGE recalls (x100), its ROUGE-2 over sumy LexRank's (when LexRank ran) and furniture counts."""
    lexrank = scores["sumy-LexRank"].rouge_2.recall if "sumy-LexRank" in scores else None
    return {
        name: {
            "rouge_1": scores[name].rouge_1.recall,
            "rouge_2": scores[name].rouge_2.recall,
            "rouge_2_ci95": [scores[name].rouge_2.low, scores[name].rouge_2.high],
            "rouge_su4": scores[name].rouge_su4.recall,
            "rouge_2_vs_lexrank": round(scores[name].rouge_2.recall / lexrank, 3) if lexrank else None,
            **furniture_counts(by_cluster),
        }
        for name, by_cluster in summaries.items()
    }


def part_of(clusters: list[Cluster], part: Part) -> list[Cluster]:
    """The clusters of ``part``: the first ``FIT_CLUSTERS`` are the fit part, the rest held out."""
    if part == "all":
        return clusters
    return clusters[:FIT_CLUSTERS] if part == "fit" else clusters[FIT_CLUSTERS:]


def evaluate_multinews(
    data_dir: Path | None,
    part: Part = "held-out",
    words: int = WORDS,
    limit: int | None = None,
    with_sumy: bool = True,
    quiet: bool = False,
) -> dict[str, Any]:
    """newsroundup and the sumy peers on one part of a Multi-News clusters file, scored in one ROUGE run."""
    started = time.perf_counter()
    path = locate_multinews(data_dir)
    clusters = part_of(load_clusters(path), part)[:limit]
    if not clusters:
        raise DataError(f"{path}: no clusters in the {part} part")
    if not quiet:
        say(f"Multi-News: {len(clusters)} {part} clusters from {path}, {words} words")
    ours, problems = run_newsroundup(clusters, words, quiet)
    summaries: dict[str, dict[str, str]] = {ours.system: ours.summaries}
    headlines: dict[str, dict[str, str]] = {ours.system: ours.headlines}
    if with_sumy:
        raw = raw_documents(path)
        for algorithm in SUMY_ALGORITHMS:
            with progress_bar(f"sumy {algorithm}", total=len(clusters), quiet=quiet) as advance:
                run = run_sumy(algorithm, [(c.id, raw[c.id]) for c in clusters], words, progress=lambda *_: advance())
            summaries[run.system] = run.summaries
            headlines[run.system] = {c: text.split("\n", 1)[0] for c, text in run.summaries.items()}
    scores = score_systems(summaries, {c.id: list(c.references) for c in clusters}, words)
    systems = system_rows(scores, summaries)
    for name, row in systems.items():
        row["headline"] = headline_counts(headlines[name])
    return {
        "benchmark": f"Multi-News, {part} clusters",
        "data": path.name,
        "clusters": len(clusters),
        "words": words,
        "rouge": "ROUGE-1.5.5, recall x100, same run for every system",
        "sumy_input": "documents as scraped",
        "peer_headline": "a peer's first sentence",
        "systems": systems,
        "check_failures": len(problems),
        "check_problems": problems,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def format_table(results: dict[str, Any]) -> str:
    """One line per system: ROUGE-2 and its ratio to LexRank, furniture sentences and headline checks."""
    lines = [f"{'system':<16} {'R-1':>7} {'R-2':>7} {'xLexRank':>8} {'furniture':>10} {'headlines bad/long':>19}"]
    for name, s in results["systems"].items():
        ratio = f"{s['rouge_2_vs_lexrank']:.3f}" if s["rouge_2_vs_lexrank"] is not None else "-"
        furniture = f"{s['furniture_detector']}/{s['furniture_independent']}"
        heads = f"{s['headline']['breaking_rules']}/{s['headline']['over_16_words']}"
        lines.append(f"{name:<16} {s['rouge_1']:>7.2f} {s['rouge_2']:>7.2f} {ratio:>8} {furniture:>10} {heads:>19}")
    return "\n".join(lines)
