"""Audit on paraphrases: does it trace a sentence to another outlet's sentence of the same fact in other words?

The generated audit sets plant no paraphrase. The hand-labelled sentence pairs of
``benchmarks/fixtures/same_fact_labels.jsonl`` do: a roundup sentence and another article's nearest sentence,
labelled "same fact" or not by reading them (see ``same_fact_pairs.py``). Each pair's first sentence is
audited against the second sentence's whole article; the audit claims the pair when it traces the sentence
to a span overlapping the second sentence by at least half. Over the same-fact pairs that is recall;
over all claims, precision (the pairs not of the same fact are hard: the nearest sentence of another
report of the same story). Parts: Multi-News fit (mnv000-mnv124, where the labels' model was fitted), held out, and
DUC 2004 (evaluation only).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_audit_paraphrase.py

Writes benchmarks/results/audit_paraphrase.json.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from same_fact_pairs import LABELS, held_out, read_labels

from newsroundup.audit import audit, check_audit
from newsroundup.evaluate.audit import overlap
from newsroundup.model import Article

OUT = Path(__file__).resolve().parent / "results" / "audit_paraphrase.json"


def precision_recall(rows: list[dict[str, Any]], claim: str) -> dict[str, Any]:
    """Precision and recall of the ``claim`` column against the same-fact labels."""
    tp = sum(r["same"] and r[claim] for r in rows)
    fp = sum(r[claim] and not r["same"] for r in rows)
    same = sum(r["same"] for r in rows)
    return {
        "precision": round(tp / max(tp + fp, 1), 3),
        "recall": round(tp / max(same, 1), 3),
        "claims": tp + fp,
    }


def main() -> None:
    labels, articles = read_labels(LABELS)
    rows = []
    for record in labels:
        (first_id, a_start, a_end), (second_id, b_start, b_end) = record["a"], record["b"]
        first = articles[first_id].text[a_start:a_end]
        second = articles[second_id]
        result = audit(Article("audited", first), [second])
        check_audit(result, [second])
        sentence = max(result.sentences, key=lambda s: s.end - s.start)
        claimed = sentence.source is not None and overlap(
            (sentence.source.start, sentence.source.end), (b_start, b_end)
        ) >= 0.5
        part = "duc2004" if record["set"] == "duc2004" else "heldout" if held_out(first_id.split("/")[0]) else "fit"
        rows.append({
            "part": part, "same": bool(record["same"]), "audit": claimed, "match": sentence.match,
            "first": first, "second": second.text[b_start:b_end],
        })
    result: dict[str, Any] = {"labels": str(LABELS.name), "parts": {}}
    for part in ("fit", "heldout", "duc2004"):
        chosen = [r for r in rows if r["part"] == part]
        result["parts"][part] = {
            "pairs": len(chosen),
            "same_fact": sum(r["same"] for r in chosen),
            "audit": precision_recall(chosen, "audit"),
            "audit_match_kinds_of_right_claims": dict(Counter(r["match"] for r in chosen if r["audit"] and r["same"])),
        }
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
