"""The audit's ``stale`` defect on stitched articles made from real, dated gva-stream-dev reports.

For each incident with two or more reports: an article of up to 2 whole sentences from each of its first 3
reports, with one sentence of another incident's report planted in the middle: for half the cases a report
published more than 90 days before the incident's first report (gold: stale), for the other half one published
within 7 days of it (another story, but news of the same days: not stale). The pool holds the incident's
reports, the planted report and 2 other reports, all dated. Scores ``stale`` per sentence (precision, recall,
F1; false calls on sentences of the incident's own reports are counted apart, as its coverage may span
months) and, beside it, how often ``off_topic`` flags the planted sentence in each half (stale must tell an
old report from a merely different one) and the incident's own sentences (false off_topic calls), with the
off_topic counts also split into the fit and held-out halves of the incidents (by a hash of the incident id).
The 30-day stale limit is set by reasoning; off_topic's same-kind thresholds (audit/defects.py) were chosen
on the fit half, so the held-out half is the one to read.

    .venv/bin/python benchmarks/bench_audit_stale.py [--stream .../gva-stream-dev/stream.jsonl]

Writes benchmarks/results/audit_stale.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_audit_store import whole_sentences  # noqa: E402
from bench_copy import STREAM  # noqa: E402
from results_file import write_results  # noqa: E402

from newsroundup.audit import audit, check_audit  # noqa: E402
from newsroundup.model import Article  # noqa: E402

OLD = timedelta(days=90)
RECENT = timedelta(days=7)


def _article(record: dict[str, Any]) -> Article:
    return Article(record["id"], record["text"], outlet=record["outlet"], title=record.get("title"),
                   published=datetime.fromisoformat(record["published"]))


def _scores(planted_flagged: int, planted: int, own_flagged: int, own: int) -> dict[str, float]:
    """off_topic precision, recall and F1 with the planted sentences as the gold."""
    precision = planted_flagged / max(planted_flagged + own_flagged, 1)
    recall = planted_flagged / max(planted, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "cases": planted}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stream", type=Path, default=STREAM)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "audit_stale.json")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.stream.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = {r["id"]: _article(r) for r in records if r.get("published")}
    incidents: dict[str, list[Article]] = defaultdict(list)
    for record in records:
        if record["id"] in articles:
            incidents[str(record["gold"])].append(articles[record["id"]])
    rng = random.Random(20)
    counts = {"tp": 0, "fp": 0, "fn": 0, "fp_from_the_incidents_own_reports": 0}
    off_topic = {"old": [0, 0], "recent": [0, 0]}  # planted sentences flagged off_topic, of all planted
    off_topic_false = [0, 0]  # the incident's own sentences flagged off_topic, of all of them
    # off_topic per half of the incidents (crc32 of the incident id): planted flagged, planted, own flagged, own
    off_topic_split = {"fit": [0, 0, 0, 0], "heldout": [0, 0, 0, 0]}
    cases = 0
    wrong: list[str] = []  # what the false stale calls say, the first few
    for gold in sorted(incidents):
        reports = sorted(incidents[gold], key=lambda a: (a.published, a.id))[:3]
        if len(reports) < 2:
            continue
        first = min(a.published for a in reports if a.published)
        old = cases % 2 == 0
        pool = [a for a in articles.values() if a not in reports and a.published and whole_sentences(a) and (
            first - a.published > OLD if old else abs(first - a.published) <= RECENT)]
        if not pool:
            continue
        planted_from = rng.choice(pool)
        parts = [s for a in reports for s in whole_sentences(a)[:2]]
        if len(parts) < 2:
            continue
        planted = rng.choice(whole_sentences(planted_from))
        middle = len(parts) // 2
        sentences = [*parts[:middle], planted, *parts[middle:]]
        text = " ".join(sentences)
        start = text.index(planted)
        others = rng.sample([a for a in articles.values() if a not in reports and a is not planted_from], 2)
        sources = [*reports, planted_from, *others]
        result = audit(Article(f"stitched-{gold}", text), sources)
        check_audit(result, sources)
        cases += 1
        part = off_topic_split["fit" if zlib.crc32(gold.encode()) % 2 == 0 else "heldout"]
        for sentence in result.sentences:
            is_planted = sentence.start <= start < sentence.end
            truth = old and is_planted
            said = any(d.kind == "stale" for d in sentence.defects)
            counts["tp"] += truth and said
            counts["fp"] += said and not truth
            own = sentence.source is not None and sentence.source.article in {a.id for a in reports}
            counts["fp_from_the_incidents_own_reports"] += said and not truth and own
            if said and not truth and len(wrong) < 8:
                wrong.append(next(d.detail for d in sentence.defects if d.kind == "stale"))
            counts["fn"] += truth and not said
            flagged = any(d.kind == "off_topic" for d in sentence.defects)
            if is_planted:
                half = off_topic["old" if old else "recent"]
                half[0] += flagged
                half[1] += 1
            else:
                off_topic_false[0] += flagged
                off_topic_false[1] += 1
            part[0 if is_planted else 2] += flagged
            part[1 if is_planted else 3] += 1
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    results = {
        "cases": cases,
        "stale": {**counts, "precision": round(precision, 4), "recall": round(recall, 4),
                  "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4)},
        "off_topic_on_planted": {half: f"{n} of {of}" for half, (n, of) in off_topic.items()},
        "off_topic_on_the_incidents_own_sentences": f"{off_topic_false[0]} of {off_topic_false[1]}",
        "off_topic_by_half": {name: _scores(*part) for name, part in off_topic_split.items()},
        "false_stale_examples": wrong,
    }
    print(json.dumps(results, indent=1), file=sys.stderr)
    write_results(results, args.out)


if __name__ == "__main__":
    main()
