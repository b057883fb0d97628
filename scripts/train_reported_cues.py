"""Learn the cues of reported speech from PolNeAR's train split (never its dev split).

Every verb with a subject is a candidate once per relation it reports something in (a clause, an
infinitive, an object, a prepositional object; see annotate/reported.py). A verb form (for a
prepositional object, "verb preposition") is kept as a cue of a relation when at least MIN_SEEN of
its candidates were seen and at least MIN_PRECISION of them match an annotated indirect or mixed
attribution (token overlap >= 0.3). Then the largest share of a content that may sit inside quotation
marks is the one of SHARES that gives the best F1 on the same train articles. Writes
src/newsroundup/annotate/reported_cues.json (package data).

    PYTHONPATH=src .venv/bin/python scripts/train_reported_cues.py [--data FILE] [--limit N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.annotate.reported import RELATIONS, Candidate, ReportedCues, reported_candidates
from newsroundup.evaluate.attribution import (
    AnnotatedArticle,
    cached_parses,
    gold_reported,
    load_polnear,
    locate_polnear,
    match,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsroundup" / "annotate" / "reported_cues.json"
MIN_SEEN = 3
MIN_PRECISION = 0.4  # chosen by 2-fold cross-validation within train (0.3: F1 0.479, 0.4: 0.483, 0.5: 0.436)
THRESHOLD = 0.3
SHARES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
EVERYTHING = ReportedCues({}, max_quoted_share=1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N train articles")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("NEWSROUNDUP_CACHE", Path.home() / ".cache/newsroundup")) / "polnear-parses",
    )
    parser.add_argument("--min-precision", type=float, default=MIN_PRECISION)
    args = parser.parse_args()
    articles = load_polnear(locate_polnear(args.data), "train")[: args.limit]
    docs = []
    for lo in range(0, len(articles), 16):
        docs.extend(cached_parses([a.text for a in articles[lo : lo + 16]], args.cache))
    cues, share, f1 = learn_cues(articles, docs, args.min_precision)
    OUT.write_text(
        json.dumps(
            {
                "trained_on": f"PolNeAR train split, {len(articles)} articles",
                "min_seen": MIN_SEEN,
                "min_precision": args.min_precision,
                "max_quoted_share": share,
                "train_f1": round(f1, 3),
                "cues": cues,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    sizes = ", ".join(f"{r} {len(c)}" for r, c in cues.items())
    print(f"cue forms: {sizes}; quoted share {share}; wrote {OUT}", file=sys.stderr)
    return 0


def learn_cues(
    articles: list[AnnotatedArticle], docs: list[Doc], min_precision: float = MIN_PRECISION
) -> tuple[dict[str, list[str]], float, float]:
    """(cue forms per relation, largest quoted share, train F1) learned from ``articles`` parsed as ``docs``."""
    golds = [[(s, e) for s, e, _ in gold_reported(a)] for a in articles]
    seen: Counter[tuple[str, str]] = Counter()
    right: Counter[tuple[str, str]] = Counter()
    for article, doc, gold in zip(articles, docs, golds, strict=True):
        found = reported_candidates(doc, EVERYTHING, every_verb=True)
        for relation in RELATIONS:
            mine = [c for c in found if c.relation == relation]
            hits = {i for i, _ in match(article.text, [(c.start, c.end) for c in mine], gold, THRESHOLD)}
            for i, c in enumerate(mine):
                seen[relation, c.cue] += 1
                right[relation, c.cue] += i in hits
    cues = {
        r: sorted(
            c for (rel, c), n in seen.items() if rel == r and n >= MIN_SEEN and right[rel, c] / n >= min_precision
        )
        for r in RELATIONS
    }
    best: tuple[float, float] = (-1.0, SHARES[0])
    for share in SHARES:
        table = ReportedCues({r: frozenset(c) for r, c in cues.items()}, share)
        f1 = _f1([reported_candidates(d, table) for d in docs], articles, golds)
        print(f"quoted share {share}: train F1 {f1:.3f}", file=sys.stderr)
        best = max(best, (f1, share))
    return cues, best[1], best[0]


def _f1(found: list[list[Candidate]], articles: list[AnnotatedArticle], golds: list[list[tuple[int, int]]]) -> float:
    """Content-span F1 of ``found`` against the gold reported speech of ``articles``."""
    matched = sum(
        len(match(a.text, [(c.start, c.end) for c in f], g, THRESHOLD))
        for a, f, g in zip(articles, found, golds, strict=True)
    )
    total_found = sum(len(f) for f in found)
    total_gold = sum(len(g) for g in golds)
    p = matched / total_found if total_found else 0.0
    r = matched / total_gold if total_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    sys.exit(main())
