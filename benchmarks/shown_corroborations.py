"""The corroborations a reader is shown, to label by reading: each listed (roundup sentence, other report) pair.

For each cluster of a slice, the 100-word roundup (``summarize``, copies marked) is corroborated as the story page
does, and every listed corroboration is printed with the same-fact model's probability and both sentences' texts,
for a reader; ``--jsonl`` prints the label lines instead (ids, offsets and short hashes, never the text; ``same``
left null to fill in). Labels live in ``benchmarks/fixtures/corroboration_shown_labels.jsonl`` (held-out clusters,
to measure) and ``corroboration_shown_fit_labels.jsonl`` (Multi-News fit clusters, to set the threshold a listed
corroboration needs: ``scripts/train_same_fact.py``).

    PYTHONPATH=src:benchmarks python benchmarks/shown_corroborations.py --set multinews --clusters 50:125 [--jsonl]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

from same_fact_pairs import SETS, clusters, span_hash

from newsroundup.evaluate.datasets import Cluster
from newsroundup.grouping.copies import mark_copies
from newsroundup.grouping.vectors import load_embedder
from newsroundup.roundup.corroborate import corroborate
from newsroundup.roundup.summarize import summarize
from newsroundup.text.same_fact import pair_features, same_fact_model


def shown(cluster: Cluster) -> Iterator[tuple[tuple[str, int, int], tuple[str, int, int], float]]:
    """Each corroboration listed on ``cluster``'s roundup: the sentence's span, the report's span, P(same fact)."""
    articles = mark_copies(list(cluster.articles))
    by_id = {a.id: a for a in articles}
    model = same_fact_model()
    embedder = load_embedder()
    for sentence in corroborate(summarize(articles), articles).sentences:
        a = (sentence.source.article, sentence.source.start, sentence.source.end)
        for c in sentence.corroboration:
            first, second = sentence.text, by_id[c.article].text[c.start : c.end]
            vectors = embedder.embed([first, second])
            cosine = float(vectors[0] @ vectors[1])
            probability = model.probability(pair_features(first, second, cosine))
            yield a, (c.article, c.start, c.end), probability


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="multinews")
    parser.add_argument("--clusters", default="50:125", help="a slice of the set's clusters, e.g. 50:125")
    parser.add_argument("--jsonl", action="store_true", help="print label lines (no text) instead of texts to read")
    args = parser.parse_args()
    start, end = (int(x) for x in args.clusters.split(":"))
    for cluster in clusters(args.set)[start:end]:
        texts = {a.id: a.text for a in cluster.articles}
        for a, b, probability in shown(cluster):
            if args.jsonl:
                ends = {k: [doc, s, e, span_hash(texts[doc][s:e])] for k, (doc, s, e) in (("a", a), ("b", b))}
                print(json.dumps({"set": args.set, **ends, "same": None}))
            else:
                print(f"{a[0]} -> {b[0]}  P={probability:.3f}\n  A: {texts[a[0]][a[1]:a[2]]}\n"
                      f"  B: {texts[b[0]][b[1]:b[2]]}\n")


if __name__ == "__main__":
    main()
