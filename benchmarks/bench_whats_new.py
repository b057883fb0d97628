"""What's new, measured on real update tasks: does an update leave out what was read and keep what is new?

Update tasks are built the way DUC 2007's update task was (documents read; newer documents), from
real data: every incident of ``gva-stream-dev`` (real local news, dated to the day) reported on two
or more days: the first day's articles were read, the later ones are new. Incidents are split by
the day they were first reported: the first 60% of days are the part the repeat share is chosen
on, the rest is held out and reported. DUC 2004 clusters (evaluation only, never tuned on) give a
second set: D1-D5 read, D6-D10 new.

There are no reference update summaries for these sets, so two judges independent of the update
rule (which works on stem bigrams) are used, both on all-MiniLM-L6-v2 sentence embeddings:
- repeats: share of summary sentences whose nearest sentence in the articles read has cosine ≥ 0.8;
- new covered: bigram recall of the summary against the "novel" sentences of the new articles (those
  whose nearest read sentence has cosine < 0.6), i.e. how much of what only the new articles say
  the summary carries.
Systems side by side, same budget: today's plain summary of the new articles, the lead of the newest
article, and the update (``summarize(..., seen=read)``) at several repeat shares.

    .venv/bin/python benchmarks/bench_whats_new.py [--data DIR] [--words 100]   # → results/whats_new.json
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from newsroundup.errors import InputError
from newsroundup.grouping.copies import mark_copies
from newsroundup.grouping.vectors import embed
from newsroundup.model import Article, Roundup
from newsroundup.pipeline.load import LoadRules, article_from_line
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions, summarize
from newsroundup.roundup.update import NOTHING_NEW, UpdateOptions
from newsroundup.text.sentences import split_sentences
from newsroundup.text.tokens import content_bigrams, stem, words

ROOT = Path(__file__).resolve().parents[1]
REPEAT_COSINE = 0.8
NOVEL_COSINE = 0.6
SHARES = (0.3, 0.4, 0.5, 0.6, 0.7)
FIT_SHARE_OF_DAYS = 0.6


class Task:
    """One update task: the articles read, the new ones, and which part of the data it belongs to."""

    def __init__(self, id: str, read: list[Article], new: list[Article], part: str) -> None:
        self.id, self.read, self.new, self.part = id, read, new, part


def gva_tasks(path: Path) -> list[Task]:
    """Incidents reported on two or more days: first day read, later days new; split by first day."""
    by_incident: dict[str, list[Article]] = collections.defaultdict(list)
    rules = LoadRules()
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, start=1):
            record = json.loads(line)
            try:
                article = article_from_line(record, f"{path}:{n}", rules, lambda _note: None)
            except InputError:  # a record that is all page furniture is no article: left out
                continue
            by_incident[str(record["gold"])].append(article)
    tasks = []
    for incident, articles in by_incident.items():
        days = sorted({a.published.date() for a in articles if a.published})
        if len(days) < 2:
            continue
        read = [a for a in articles if a.published and a.published.date() == days[0]]
        new = [a for a in articles if a.published and a.published.date() > days[0]]
        tasks.append(Task(f"gva/{incident}", read, new, days[0].isoformat()))
    first_days = sorted({t.part for t in tasks})
    cut = first_days[int(len(first_days) * FIT_SHARE_OF_DAYS)]
    for task in tasks:
        task.part = "fit" if task.part < cut else "heldout"
    return tasks


def duc_tasks(path: Path) -> list[Task]:
    """DUC 2004 clusters in their original order: D1-D5 read, D6-D10 new (evaluation only)."""
    tasks = []
    rules = LoadRules()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            cluster = json.loads(line)
            docs = [article_from_line(d, cluster["id"], rules, lambda _note: None) for d in cluster["documents"]]
            tasks.append(Task(cluster["id"], docs[:5], docs[5:], "duc2004"))
    return tasks


def _sentences(articles: Sequence[Article]) -> list[str]:
    """The sentences of five words or more (shorter ones are mostly furniture)."""
    texts = (a.text[s.start : s.end].strip() for a in articles for s in split_sentences(a.text))
    return [text for text in texts if len(text.split()) >= 5]


def _bigrams(text: str) -> collections.Counter[tuple[str, str]]:
    return collections.Counter(content_bigrams([stem(w) for w in words(text)]))


class Judge:
    """The embedding judges of one task: the read sentences' vectors and the new articles' novel bigrams."""

    def __init__(self, task: Task) -> None:
        read = _sentences(task.read)
        new = _sentences(task.new)
        self.usable = bool(read and new)
        if not self.usable:
            return
        self.read_vectors = embed(read)
        new_vectors = embed(new)
        nearest = np.max(new_vectors @ self.read_vectors.T, axis=1)
        novel = [s for s, near in zip(new, nearest, strict=True) if float(near) < NOVEL_COSINE]
        self.reference = collections.Counter[tuple[str, str]]()
        for sentence in novel:
            self.reference |= _bigrams(sentence)


def judge(judged: Judge, summary: Sequence[str]) -> dict[str, float]:
    """Repeats and new-covered of one summary, by the embedding judges."""
    if not judged.usable:
        return {}
    out: dict[str, float] = {"sentences": float(len(summary))}
    if summary:
        nearest = np.max(embed(list(summary)) @ judged.read_vectors.T, axis=1)
        out["repeats"] = float(np.mean(nearest >= REPEAT_COSINE))
    reference = judged.reference
    if reference:
        got = _bigrams(" ".join(summary))
        out["new_covered"] = sum(min(c, got[b]) for b, c in reference.items()) / sum(reference.values())
    return out


def lead(task: Task, budget: int) -> list[str]:
    """The first sentences of the newest article, whole, within the budget."""
    newest = max(task.new, key=lambda a: (a.published or date.min, a.id))
    out: list[str] = []
    for span in split_sentences(newest.text):
        text = newest.text[span.start : span.end].strip()
        if sum(len(s.split()) for s in out) + len(text.split()) > budget:
            break
        out.append(text)
    return out


def run_systems(task: Task, words_budget: int) -> dict[str, tuple[list[str], bool]]:
    """Each system's summary of a task, and whether it said nothing new."""
    new = mark_copies(task.new)
    systems: dict[str, tuple[list[str], bool]] = {}
    plain = summarize(new, RoundupOptions(words=words_budget))
    systems["plain summary of the new articles"] = ([s.text for s in plain.sentences], False)
    systems["lead of the newest article"] = (lead(task, words_budget), False)
    for share in SHARES:
        options = RoundupOptions(words=words_budget, update=UpdateOptions(share))
        update: Roundup = summarize(new, options, seen=task.read)
        check_roundup(update, new, words_budget)
        nothing = NOTHING_NEW in update.warnings
        systems[f"update (repeat share {share})"] = ([s.text for s in update.sentences], nothing)
    return systems


def score(tasks: Sequence[Task], words_budget: int) -> dict[str, dict[str, float]]:
    """Mean judges per system over ``tasks`` (a system saying nothing new counts 0 repeats, 0 covered)."""
    totals: dict[str, dict[str, list[float]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for n, task in enumerate(tasks, start=1):
        if n % 25 == 0:
            print(f"  {n}/{len(tasks)}", file=sys.stderr)
        judges = Judge(task)
        for system, (summary, nothing) in run_systems(task, words_budget).items():
            judged = judge(judges, summary)
            if not judged:
                continue
            totals[system]["nothing_new"].append(float(nothing))
            totals[system]["repeats"].append(judged.get("repeats", 0.0))
            if "new_covered" in judged:
                totals[system]["new_covered"].append(judged["new_covered"])
    means: dict[str, dict[str, float]] = {}
    for system, metrics in totals.items():
        means[system] = {name: round(statistics.fmean(values), 4) for name, values in metrics.items()}
        means[system]["tasks"] = len(metrics["repeats"])
    return means


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "whats_new.json")
    args = parser.parse_args()
    started = time.perf_counter()
    gva = gva_tasks(args.data / "gva-stream-dev" / "stream.jsonl")
    results: dict[str, Any] = {}
    for part in ("fit", "heldout"):
        chosen = [t for t in gva if t.part == part]
        print(f"gva-stream-dev {part}: {len(chosen)} tasks", file=sys.stderr)
        results[f"gva_{part}"] = score(chosen, args.words)
    fit = results["gva_fit"]
    def gain(share: float) -> float:
        scores = fit[f"update (repeat share {share})"]
        return scores["new_covered"] - scores["repeats"]

    best = max(SHARES, key=gain)
    print("duc2004 (evaluation only)", file=sys.stderr)
    results["duc2004"] = score(duc_tasks(args.data / "duc2004" / "clusters.jsonl"), args.words)
    out = {
        "benchmark": "whats_new",
        "words": args.words,
        "judges": {"repeat_cosine": REPEAT_COSINE, "novel_cosine": NOVEL_COSINE, "embedder": "all-MiniLM-L6-v2"},
        "chosen_on_fit": {"repeat_share": best, "by": "max(new_covered - repeats) on gva fit part"},
        "default_repeat_share": UpdateOptions().repeat_share,
        "results": results,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": platform.machine(),
    }
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out["chosen_on_fit"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
