"""Headlines of real web clusters without titles (Multi-News dev), with and without shortened ledes.

Multi-News articles have no titles, so every headline is one of the story's sentences, or (with the parse that
enrichment makes) a lede shortened by leaving out whole clauses (``roundup/headline_cut.py``). For the fit part
(mnv000-mnv124) and the held-out part (mnv125-mnv249), each cluster's 100-word roundup is written both ways
(``summarize`` with and without ``parsed_shortener``), and so is each DUC 2004 cluster (newswire without titles;
evaluation only: nothing was chosen on it; its four reference summaries are the editor's summary), and per arm:

- ``breaking``: headlines breaking the headline rules (a quote, a caption, a pronoun naming no one, over 16 words);
- ``in_summary``: the share of a headline's content words that the editor's summary also uses (mean over
  clusters): a headline about the story's news shares its words; one about a side detail does not;
- ``first_sentence_recall``: the share of the content words of the editor's first sentence the headline holds;
- ``words``: mean words; ``shortened``: headlines that are a shortened lede;
- ``check_failures``: roundups ``check_roundup`` refuses (must be 0).

The headlines that differ between the arms are written out to read. Results → benchmarks/results/headlines.json.

    .venv/bin/python benchmarks/bench_headlines.py [--data FILE] [--out FILE] [--no-duc]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

from results_file import write_results

from newsroundup.annotate.nlp import parse_texts
from newsroundup.evaluate.datasets import Cluster, load_clusters, load_duc2004
from newsroundup.roundup.checker import roundup_problems
from newsroundup.roundup.headline import headline_problem
from newsroundup.roundup.headline_cut import parsed_shortener
from newsroundup.roundup.summarize import RoundupOptions, summarize

ROOT = Path(__file__).resolve().parent.parent
_CANDIDATES = [base / "shared" / "data" / "multinews-dev" / "clusters.jsonl" for base in ROOT.parents[:2]]
DEFAULT = next((p for p in _CANDIDATES if p.is_file()), _CANDIDATES[0])
OUT = ROOT / "benchmarks" / "results" / "headlines.json"
FIT_UNTIL = 125  # clusters mnv000..mnv124 are the fit part, as in fit_multinews.py
GOOD_WORDS = 16
_STOP = frozenset(
    "a an the of to in on for and or but is are was were be been by with at from as that this it its he she they "
    "his her their said says who which has have had will would not no".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without function words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def score(clusters: list[Cluster], shorten: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """The headline measures of one arm over ``clusters``, and each cluster's headline."""
    headlines: dict[str, str] = {}
    breaking = shortened = failures = 0
    in_summary: list[float] = []
    recall: list[float] = []
    lengths: list[int] = []
    for cluster in clusters:
        articles = [a for a in cluster.articles if a.text.strip()]
        shortener = parsed_shortener(articles, parse_texts([a.text for a in articles])) if shorten else None
        roundup = summarize(articles, RoundupOptions(words=100), story_id=cluster.id, shorten=shortener)
        headline = roundup.headline
        headlines[cluster.id] = headline
        failures += bool(roundup_problems(roundup, articles))
        shortened += bool(roundup.headline_cuts)
        breaking += bool(headline_problem(headline)) or len(headline.split()) > GOOD_WORDS
        summary = " ".join(cluster.references)
        reference = set(content_words(summary))
        first = set(content_words(_SENTENCE_END.split(summary, maxsplit=1)[0]))
        words = content_words(headline)
        if words:
            in_summary.append(sum(w in reference for w in words) / len(words))
            recall.append(len(set(words) & first) / max(1, len(first)))
        lengths.append(len(headline.split()))
    return {
        "clusters": len(clusters),
        "breaking": breaking,
        "in_summary": round(sum(in_summary) / len(in_summary), 3),
        "first_sentence_recall": round(sum(recall) / len(recall), 3),
        "words": round(sum(lengths) / len(lengths), 2),
        "shortened": shortened,
        "check_failures": failures,
    }, headlines


def main() -> None:
    """Score both arms on both parts and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-duc", action="store_true", help="leave out DUC 2004 (evaluation only)")
    args = parser.parse_args()
    clusters = load_clusters(args.data)
    parts = {
        "fit": [c for c in clusters if int(c.id[3:]) < FIT_UNTIL],
        "held-out": [c for c in clusters if int(c.id[3:]) >= FIT_UNTIL],
    }
    if not args.no_duc:
        parts["duc2004 (evaluation only)"] = list(load_duc2004().clusters)
    results: dict[str, Any] = {"data": str(args.data), "parts": {}}
    started = time.perf_counter()
    for part, chosen in parts.items():
        whole, whole_heads = score(chosen, shorten=False)
        cut, cut_heads = score(chosen, shorten=True)
        changed = {
            k: {"whole": old, "shortened": cut_heads[k]} for k, old in whole_heads.items() if old != cut_heads[k]
        }
        results["parts"][part] = {"sentences_only": whole, "with_shortened_ledes": cut, "changed": changed}
        print(f"{part}: {whole} -> {cut}", flush=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    write_results(results, args.out)


if __name__ == "__main__":
    main()
