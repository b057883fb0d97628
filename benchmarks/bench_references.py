"""Benchmark pronoun openings: who "He" or "She" is, and how many roundup openings stay unresolved.

Reads benchmarks/fixtures/references/*.toml (invented stories written for this benchmark; every
sentence that opens with a pronoun is annotated with the named person or group it refers to, or
with none) and measures:

- resolution: precision and recall of ``opening_references`` against the gold referents;
- roundups: each fixture story and examples/hollins-dam summarised at several word budgets in three
  ways: "unconstrained" (no coherence rule for openings, for reference), "plain" (as without
  enrichment: a sentence opening with a pronoun or connective only right after its source
  predecessor) and "named" (``write_roundup`` with enrichment: a resolvable pronoun opening may come alone and
  is named). Counted: sentences opening with a pronoun or connective, how many are unresolved (the
  sentence before is not their source predecessor) as written and as the same selection would read
  unnamed, rewrites made, rewrites whose name is not the gold referent, check failures, and the
  concept weight covered (what selection maximises).

With ``--site DIR`` it also counts pronoun openings and rewrites in the story JSON files of a site
written by ``newsroundup run`` (to compare runs before and after a change).

    .venv/bin/python benchmarks/bench_references.py [--verbose] [--site DIR ...]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsroundup.annotate.aliases import fold
from newsroundup.annotate.nlp import load_nlp, parse_texts
from newsroundup.annotate.openings import opening_references
from newsroundup.model import Article, Roundup
from newsroundup.pipeline.load import load_articles
from newsroundup.roundup.candidates import CandidateLimits, build_candidates
from newsroundup.roundup.checker import roundup_problems
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.salience import concept_weights
from newsroundup.roundup.summarize import RoundupOptions, latest_articles, summarize
from newsroundup.roundup.write import write_roundup
from newsroundup.text.clean import content_start
from newsroundup.text.discourse import opens_dangling, opens_with_pronoun
from newsroundup.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "benchmarks" / "fixtures" / "references"
EXAMPLE = ROOT / "examples" / "hollins-dam"
RESULTS = ROOT / "benchmarks" / "results" / "references.json"
BUDGETS = (40, 60, 80, 100, 140)


def load_story(path: Path) -> tuple[str, list[Article], dict[str, dict[str, str]]]:
    """One fixture story: its name, articles, and per article the gold referent of each opening."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    articles, gold = [], {}
    for raw in data["article"]:
        articles.append(Article(id=raw["id"], text=raw["text"].strip(), outlet=raw["outlet"], title=raw["title"]))
        gold[raw["id"]] = {o["starts"]: o["referent"] for o in raw.get("opening", [])}
    return data["story"], articles, gold


def gold_referent(article: Article, start: int, gold: dict[str, dict[str, str]]) -> str | None:
    """The gold referent of the sentence of ``article`` starting at ``start`` ("" for none, None if unlisted)."""
    text = article.text[start:]
    return next((ref for opening, ref in gold.get(article.id, {}).items() if text.startswith(opening)), None)


def same_name(a: str, b: str) -> bool:
    """Names equal up to case and a leading "the"."""
    return fold(a).removeprefix("the ") == fold(b).removeprefix("the ")


def score_resolution(
    stories: Sequence[tuple[str, list[Article], dict[str, dict[str, str]]]], verbose: bool
) -> dict[str, Any]:
    """Precision and recall of ``opening_references`` against the gold referents."""
    correct = wrong = missed = gold_named = listed = unlisted = 0
    for _, articles, gold in stories:
        docs = parse_texts([a.text for a in articles])
        for article, doc in zip(articles, docs, strict=True):
            found = opening_references(article, doc)
            for span in split_sentences(article.text):
                start = span.start + content_start(article.text[span.start : span.end])
                expected = gold_referent(article, start, gold)
                got = found.get(start)
                if expected is None:
                    if opens_with_pronoun(article.text[start : span.end]):
                        unlisted += 1
                        print(
                            f"unannotated opening in {article.id}: {article.text[start : span.end]!r}", file=sys.stderr
                        )
                    if got is not None:
                        wrong += 1
                    continue
                listed += 1
                gold_named += bool(expected)
                if got is not None and expected and same_name(got.name, expected):
                    correct += 1
                elif got is not None:
                    wrong += 1
                elif expected:
                    missed += 1
                if verbose and ((got is None) != (not expected) or (got and not same_name(got.name, expected or ""))):
                    excerpt = article.text[start : start + 50]
                    print(f"{article.id}: {excerpt!r} gold {expected!r} got {got and got.name!r}")
    emitted = correct + wrong
    return {
        "openings": listed,
        "with_named_referent": gold_named,
        "unannotated_openings": unlisted,
        "resolved": emitted,
        "correct": correct,
        "wrong": wrong,
        "missed": missed,
        "precision": round(correct / emitted, 4) if emitted else 0.0,
        "recall": round(correct / gold_named, 4) if gold_named else 0.0,
    }


def openings_in(roundup: Roundup, articles: Sequence[Article]) -> dict[str, int]:
    """Openings of one roundup: dangling (pronoun or connective), unresolved, pronoun, rewrites."""
    by_id = {a.id: a for a in articles}
    positions = {
        a.id: {s.start + content_start(a.text[s.start : s.end]): n for n, s in enumerate(split_sentences(a.text))}
        for a in articles
    }
    counts = {"sentences": 0, "dangling": 0, "unresolved": 0, "unresolved_unnamed": 0, "pronoun": 0, "named": 0}
    previous = None
    for sentence in roundup.sentences:
        span = sentence.source
        position = positions[span.article].get(span.start)
        follows = previous is not None and position is not None and previous == (span.article, position - 1)
        counts["sentences"] += 1
        counts["named"] += bool(sentence.rewritten and sentence.replaced in {"He", "She", "They", "It"})
        if opens_dangling(sentence.text):
            counts["dangling"] += 1
            counts["pronoun"] += opens_with_pronoun(sentence.text)
            counts["unresolved"] += not follows
        # The same selection with every sentence as its source has it: what naming repaired.
        counts["unresolved_unnamed"] += opens_dangling(span.text_in(by_id[span.article])) and not follows
        previous = (span.article, position)
    return counts


def score_roundups(
    stories: Sequence[tuple[str, list[Article], dict[str, dict[str, str]]]], verbose: bool
) -> dict[str, Any]:
    """Opening counts over every story and budget, without and with named openings."""
    out: dict[str, Any] = {}
    for variant in ("unconstrained", "plain", "named"):
        totals = {"roundups": 0, "sentences": 0, "dangling": 0, "unresolved": 0, "unresolved_unnamed": 0}
        totals |= {"pronoun": 0, "named": 0}
        totals |= {"wrong_names": 0, "check_failures": 0, "covered_weight": 0.0}
        for name, articles, gold in stories:
            for budget in BUDGETS:
                if variant == "unconstrained":
                    free = RoundupOptions(words=budget, candidates=CandidateLimits(leaning="free"))
                    roundup = summarize(articles, free)
                elif variant == "plain":
                    roundup = summarize(articles, RoundupOptions(words=budget))
                else:
                    roundup = write_roundup(articles, RoundupOptions(words=budget, enrich=EnrichOptions()))
                totals["roundups"] += 1
                totals["covered_weight"] += covered_weight(roundup, articles)
                for key, value in openings_in(roundup, articles).items():
                    totals[key] += value
                totals["check_failures"] += bool(roundup_problems(roundup, articles, budget))
                by_id = {a.id: a for a in articles}
                for sentence in roundup.sentences:
                    if not (sentence.rewritten and sentence.replaced in {"He", "She", "They", "It"}):
                        continue
                    expected = gold_referent(by_id[sentence.source.article], sentence.source.start, gold)
                    right = bool(expected) and _names_referent(sentence.replacement or "", expected or "")
                    totals["wrong_names"] += not right
                    if verbose:
                        mark = "ok" if right else "WRONG"
                        print(f"[{mark}] {name} {budget}w: {sentence.text[:90]!r} (gold {expected!r})")
        totals["covered_weight"] = round(totals["covered_weight"], 1)
        totals["unresolved_share"] = round(totals["unresolved"] / totals["sentences"], 4)
        totals["unresolved_share_unnamed"] = round(totals["unresolved_unnamed"] / totals["sentences"], 4)
        out[variant] = totals
    return out


def covered_weight(roundup: Roundup, articles: Sequence[Article]) -> float:
    """Concept weight the roundup's sentences cover, as selection weighs it (the same for every variant)."""
    candidates = build_candidates(articles)
    independent = [a.syndicated_from is None for a in articles]
    weights = concept_weights(candidates, independent=independent, latest=latest_articles(articles))
    by_span = {(articles[c.article_index].id, c.start): c for sents in candidates for c in sents}
    covered = {b for s in roundup.sentences for b in by_span[(s.source.article, s.source.start)].bigrams}
    return sum(weights.get(b, 0.0) for b in covered)


def _names_referent(replacement: str, referent: str) -> bool:
    """True when a naming ("Governor Elena Marchetti", "Marchetti,", "The Greens") names ``referent``."""
    name = fold(replacement.rstrip(",").partition(", ")[0]).removeprefix("the ")
    wanted = fold(referent).removeprefix("the ")
    return name == wanted or name.endswith(" " + wanted) or wanted.endswith(" " + name) or wanted == name


def count_site(site: Path) -> dict[str, int]:
    """Pronoun openings and named openings in the story JSON files of a ``newsroundup run`` site."""
    counts = {"stories": 0, "sentences": 0, "pronoun_openings": 0, "named_openings": 0, "other_rewrites": 0}
    for path in sorted((site / "stories").glob("*.json")):
        roundup = json.loads(path.read_text(encoding="utf-8"))["roundup"]
        counts["stories"] += 1
        for sentence in roundup["sentences"]:
            counts["sentences"] += 1
            counts["pronoun_openings"] += opens_with_pronoun(sentence["text"])
            if sentence.get("rewritten"):
                pronoun = sentence.get("replaced") in {"He", "She", "They", "It"}
                counts["named_openings" if pronoun else "other_rewrites"] += 1
                print(f"{path.stem}: {sentence['replaced']!r} -> {sentence['text'][:100]!r}")
    return counts


def main() -> int:
    """Run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every resolution error and rewrite")
    parser.add_argument("--site", type=Path, action="append", default=[], help="a site written by `run`")
    args = parser.parse_args()
    load_nlp()
    stories = [load_story(p) for p in sorted(FIXTURES.glob("*.toml"))]
    example = load_articles([EXAMPLE]).articles
    results: dict[str, Any] = {
        "fixtures": {
            "stories": len(stories),
            "articles": sum(len(s[1]) for s in stories),
        },
        "resolution": score_resolution(stories, args.verbose),
        "roundups": {
            "budgets": list(BUDGETS),
            "fixture_stories": score_roundups(stories, args.verbose),
            "hollins_dam_example": score_roundups([("hollins-dam", example, {})], args.verbose),
        },
        "machine": {"python": platform.python_version()},
    }
    results["fixtures"]["openings"] = results["resolution"]["openings"]
    for site in args.site:
        results.setdefault("sites", {})[site.name] = count_site(site)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
