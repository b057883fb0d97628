"""Benchmark quotes, speakers and alias groups on the annotated fixture stories.

Reads tests/annotate/fixtures/*.toml (invented stories written for the project, with gold quotes,
speakers, alias groups and resolved dates), runs extract_quotes / group_entities / find_dates /
enrich_roundup and writes
benchmarks/results/attribution.json. With ``--set heldout`` it reads the held-out stories in
tests/annotate/fixtures/heldout/ instead (written without looking at the rules, never used to tune
them) and writes benchmarks/results/attribution_heldout.json; enrichment is timed on the default
set only.

    .venv/bin/python benchmarks/bench_attribution.py [--set fixtures|heldout] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import tomllib
from itertools import combinations
from pathlib import Path
from typing import Any

from newsroundup.annotate.aliases import fold, name_key
from newsroundup.annotate.entities import StoryEntities, group_article_entities
from newsroundup.annotate.mentions import article_entities
from newsroundup.annotate.nlp import load_nlp, parse_texts
from newsroundup.annotate.quotes import quotes_in_article
from newsroundup.model import Article, Entity, Quote, Roundup
from newsroundup.text.dates import find_dates, parse_iso_datetime

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "annotate" / "fixtures"
SETS = {
    "fixtures": (FIXTURES, ROOT / "benchmarks" / "results" / "attribution.json"),
    "heldout": (FIXTURES / "heldout", ROOT / "benchmarks" / "results" / "attribution_heldout.json"),
}


def load_story(path: Path) -> dict[str, Any]:
    """One fixture story: articles (as ``Article``), gold quotes per article, gold alias groups."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    articles = []
    gold_quotes: dict[str, list[dict[str, str]]] = {}
    gold_dates: dict[str, list[dict[str, str]]] = {}
    for raw in data["article"]:
        article = Article(
            id=raw["id"],
            text=raw["text"].strip(),
            outlet=raw["outlet"],
            title=raw["title"],
            published=parse_iso_datetime(raw["published"]),
        )
        articles.append(article)
        gold_quotes[article.id] = raw.get("quote", [])
        gold_dates[article.id] = raw.get("date", [])
    return {
        "story": data["story"],
        "articles": articles,
        "quotes": gold_quotes,
        "dates": gold_dates,
        "groups": data.get("group", []),
        "disagreements": data.get("disagreement", []),
    }


def _norm_quote(text: str) -> str:
    """Quote text compared without surrounding punctuation, case or curly/straight differences."""
    return fold(text).strip(" ,.;:!?\"'")


def score_quotes(
    story: dict[str, Any], found: dict[str, list[Quote]], entities: StoryEntities, verbose: bool
) -> dict[str, int]:
    """Count gold quotes, emitted quotes, correct attributions and non-verbatim quotes."""
    group_of = {name_key(n): g["names"][0] for g in story["groups"] for n in g["names"]}
    counts = {"gold": 0, "emitted": 0, "correct": 0, "found": 0, "not_verbatim": 0}
    for article in story["articles"]:
        gold = story["quotes"][article.id]
        quotes = found[article.id]
        counts["gold"] += len(gold)
        counts["emitted"] += len(quotes)
        unmatched = list(gold)
        for quote in quotes:
            if article.text[quote.span.start : quote.span.end] != quote.text:
                counts["not_verbatim"] += 1
            speaker = entities.name_for(article.id, quote.speaker)
            match = next((g for g in unmatched if _norm_quote(g["text"]) == _norm_quote(quote.text)), None)
            if match is None:
                if verbose:
                    print(f"  spurious {article.id}: {quote.text!r} <- {speaker!r}")
                continue
            unmatched.remove(match)
            counts["found"] += 1
            gold_key = group_of.get(name_key(match["speaker"]), fold(match["speaker"]))
            got_key = group_of.get(name_key(speaker), fold(speaker))
            if gold_key == got_key:
                counts["correct"] += 1
            elif verbose:
                print(
                    f"  wrong    {article.id}: {quote.text[:50]!r} <- {speaker!r}, gold {match['speaker']!r}"
                )
        for g in unmatched:
            if verbose:
                print(f"  missed   {article.id}: {g['text'][:60]!r} ({g['speaker']})")
    return counts


def score_dates(story: dict[str, Any], verbose: bool) -> dict[str, int]:
    """Gold date expressions resolved to the right date and precision by ``find_dates``."""
    counts = {"dates": 0, "dates_found": 0, "dates_correct": 0}
    for article in story["articles"]:
        found = find_dates(article.text, article.published)
        for gold in story["dates"][article.id]:
            counts["dates"] += 1
            context = gold.get("context", gold["text"])
            start = article.text.index(context) + context.index(gold["text"])
            end = start + len(gold["text"])
            mention = next((m for m in found if m.start < end and start < m.end), None)
            if mention is None:
                if verbose:
                    print(f"  no date  {article.id}: {gold['text']!r} (gold {gold['when']} {gold['precision']})")
                continue
            counts["dates_found"] += 1
            if mention.when.isoformat() == gold["when"] and mention.precision == gold["precision"]:
                counts["dates_correct"] += 1
            elif verbose:
                print(
                    f"  misdated {article.id}: {mention.text!r} -> {mention.when} {mention.precision}, "
                    f"gold {gold['when']} {gold['precision']}"
                )
    return counts


def score_groups(story: dict[str, Any], entities: list[Entity], verbose: bool) -> dict[str, int]:
    """Pairwise alias-grouping counts over the gold surface forms, and merged different people."""
    system: dict[str, int] = {}
    for index, entity in enumerate(entities):
        for name in (entity.name, *entity.aliases):
            system.setdefault(name_key(name), index)
    gold: dict[str, int] = {}
    person_groups: set[int] = set()
    for index, group in enumerate(story["groups"]):
        for name in group["names"]:
            gold[name_key(name)] = index
        if group["kind"] == "person":
            person_groups.add(index)
    names = sorted(gold)
    singleton = len(entities)
    counts = {"tp": 0, "fp": 0, "fn": 0, "people_merged": 0}
    merged_people: set[tuple[int, int]] = set()
    for a, b in combinations(names, 2):
        same_gold = gold[a] == gold[b]
        sa, sb = system.get(a, -1), system.get(b, -2)
        same_sys = sa == sb and sa != singleton
        if same_gold and same_sys:
            counts["tp"] += 1
        elif same_sys:
            counts["fp"] += 1
            if gold[a] in person_groups and gold[b] in person_groups:
                merged_people.add((min(gold[a], gold[b]), max(gold[a], gold[b])))
            if verbose:
                print(f"  merged   {a!r} + {b!r}")
        elif same_gold:
            counts["fn"] += 1
            if verbose:
                print(f"  split    {a!r} / {b!r}")
    counts["people_merged"] = len(merged_people)
    return counts


def main() -> int:
    """Run the benchmark over every fixture story and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="fixtures", help="which annotated stories")
    parser.add_argument("--verbose", action="store_true", help="print every error")
    args = parser.parse_args()
    folder, results_path = SETS[args.set]
    load_nlp()
    totals: dict[str, int] = {}
    stories = [load_story(p) for p in sorted(folder.glob("*.toml"))]
    for story in stories:
        if args.verbose:
            print(f"== {story['story']}")
        articles = story["articles"]
        docs = parse_texts([a.text for a in articles])
        found_entities = [article_entities(a, d) for a, d in zip(articles, docs, strict=True)]
        entities = group_article_entities(found_entities)
        quotes = {
            a.id: quotes_in_article(a, d, f) for a, d, f in zip(articles, docs, found_entities, strict=True)
        }
        for key, value in score_quotes(story, quotes, entities, args.verbose).items():
            totals[key] = totals.get(key, 0) + value
        for key, value in score_groups(story, entities.entities, args.verbose).items():
            totals[key] = totals.get(key, 0) + value
        for key, value in score_dates(story, args.verbose).items():
            totals[key] = totals.get(key, 0) + value
    precision = totals["correct"] / totals["emitted"] if totals["emitted"] else 0.0
    recall = totals["correct"] / totals["gold"] if totals["gold"] else 0.0
    tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
    pair_p = tp / (tp + fp) if tp + fp else 0.0
    pair_r = tp / (tp + fn) if tp + fn else 0.0
    pair_f1 = 2 * pair_p * pair_r / (pair_p + pair_r) if pair_p + pair_r else 0.0
    results: dict[str, Any] = {
        "fixtures": {
            "set": args.set,
            "stories": len(stories),
            "articles": sum(len(s["articles"]) for s in stories),
            "gold_quotes": totals["gold"],
        },
        "attribution": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "emitted": totals["emitted"],
            "correct": totals["correct"],
            "quotes_found": totals["found"],
            "not_verbatim": totals["not_verbatim"],
        },
        "alias_groups": {
            "pairwise_precision": round(pair_p, 4),
            "pairwise_recall": round(pair_r, 4),
            "pairwise_f1": round(pair_f1, 4),
            "true_pairs": tp,
            "false_pairs": fp,
            "missed_pairs": fn,
            "different_people_merged": totals["people_merged"],
        },
    }
    if args.set == "fixtures":
        results["timing"] = time_enrichment(stories)
    results["timeline_dates"] = {
        "gold": totals["dates"],
        "found": totals["dates_found"],
        "correct": totals["dates_correct"],
        "accuracy": round(totals["dates_correct"] / totals["dates"], 4) if totals["dates"] else 0.0,
    }
    results["machine"] = {"python": platform.python_version(), "cpus": _cpus()}
    results_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


def _cpus() -> int:
    """CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def time_enrichment(stories: list[dict[str, Any]]) -> dict[str, Any]:
    """Median wall and CPU time to enrich 10 articles (model already loaded), over 7 runs.

    Twice: the first 10 fixture articles as written (short, ~190 words each), and 10 articles of
    news length (~540 words each, three fixture articles joined into one).
    """
    articles = [a for s in stories for a in s["articles"]]
    longer = [
        Article(
            id=f"long-{i}",
            text="\n\n".join(a.text for a in articles[i : i + 3]),
            outlet=f"Outlet {i}",
            published=articles[i].published,
        )
        for i in range(10)
    ]
    return {"fixture_articles": _time(articles[:10]), "news_length_articles": _time(longer)}


def _time(pool: list[Article], runs: int = 7) -> dict[str, Any]:
    """Median and max wall seconds of ``enrich_roundup`` over ``pool``, and its process CPU time.

    The CPU time counts only this process, so it holds when other jobs share the machine; the load
    average before and after the runs says how busy the machine was.
    """
    from newsroundup.roundup.enrich import enrich_roundup

    roundup = Roundup(story="bench", headline="", sentences=(), sources=(), method="bench", version="0")
    load_before = os.getloadavg()[0]
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        enrich_roundup(roundup, pool)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "articles": len(pool),
        "words": sum(len(a.text.split()) for a in pool),
        "runs": runs,
        "median_seconds": round(statistics.median(times), 3),
        "max_seconds": round(max(times), 3),
        "median_cpu_seconds": round(statistics.median(cpu), 3),
        "min_cpu_seconds": round(min(cpu), 3),  # the least disturbed run
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


if __name__ == "__main__":
    sys.exit(main())
