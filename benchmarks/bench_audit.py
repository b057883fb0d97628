"""Benchmark the audit on the generated development set (benchmarks/make_audit_dev.py), fit and held-out halves.

Measures, per split: provenance precision and recall (a claimed source is right when it is the gold
article and the spans overlap by at least 0.8 of the longer one; recall over sentences whose source
is in the pool), precision / recall / F1 per defect kind (a gold sentence counts as flagged when the
audit sentence overlapping it most carries the kind), and the time per article. Peer in the same
run: a plain TF-IDF nearest-sentence baseline (word TF-IDF over the pool's sentences, the nearest one
when its cosine is at least 0.5; ``no_source`` otherwise) for provenance and ``no_source``.

    .venv/bin/python benchmarks/bench_audit.py [--data /work/cache/audit/audit-dev.jsonl] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

from newsroundup.audit import audit, check_audit
from newsroundup.model import Article
from newsroundup.text.sentences import split_sentences

KINDS = ("no_source", "off_topic", "misspelling", "dangling_reference", "misattributed_quote", "changed_fact")
RESULTS = Path(__file__).parent / "results" / "audit.json"


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters over the longer span."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


def baseline(text: str, sources: list[Article]) -> list[tuple[int, int, dict[str, Any] | None]]:
    """Plain TF-IDF nearest source sentence for each sentence of ``text`` (cosine >= 0.5), else none."""
    pool = [(a.id, s.start, s.end) for a in sources for s in split_sentences(a.text)]
    by_id = {a.id: a.text for a in sources}
    mine = split_sentences(text)
    vectorizer = TfidfVectorizer().fit([by_id[i][s:e] for i, s, e in pool] + [text[s.start : s.end] for s in mine])
    sims = (
        vectorizer.transform([text[s.start : s.end] for s in mine])
        @ vectorizer.transform([by_id[i][s:e] for i, s, e in pool]).T
    )
    out = []
    for row, s in enumerate(mine):
        r = sims.getrow(row).toarray().ravel()
        best = int(r.argmax()) if r.size else -1
        claim = (
            {"article": pool[best][0], "start": pool[best][1], "end": pool[best][2]}
            if best >= 0 and r[best] >= 0.5
            else None
        )
        out.append((s.start, s.end, claim))
    return out


def _words(texts: dict[str, str], span: dict[str, Any]) -> str:
    """The words of a span, lower-cased: a sentence and its wire copy compare equal."""
    return " ".join(re.findall(r"\w+", texts[span["article"]][span["start"] : span["end"]].lower()))


class Tally:
    """Counts for provenance and each defect kind."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def add(
        self,
        gold: list[dict[str, Any]],
        system: list[tuple[int, int, dict[str, Any] | None, set[str]]],
        texts: dict[str, str],
    ) -> None:
        for g in gold:
            best = max(system, key=lambda s: overlap((g["start"], g["end"]), (s[0], s[1])))
            claim, kinds = best[2], best[3]
            if g["source"] is not None:
                self.c["gold_sourced"] += 1
            if claim is not None:
                self.c["claims"] += 1
                right = g["source"] is not None and (
                    (
                        claim["article"] == g["source"]["article"]
                        and overlap((claim["start"], claim["end"]), (g["source"]["start"], g["source"]["end"])) >= 0.8
                    )
                    or _words(texts, claim) == _words(texts, g["source"])  # a copy of the sentence elsewhere
                )
                self.c["right"] += right
            for kind in KINDS:
                truth, said = kind in g["defects"], kind in kinds
                self.c[f"{kind}_tp"] += truth and said
                self.c[f"{kind}_fp"] += said and not truth
                self.c[f"{kind}_fn"] += truth and not said

    def scores(self) -> dict[str, Any]:
        c = self.c
        out: dict[str, Any] = {
            "provenance": {
                "precision": round(c["right"] / max(c["claims"], 1), 4),
                "recall": round(c["right"] / max(c["gold_sourced"], 1), 4),
            },
        }
        for kind in KINDS:
            tp, fp, fn = c[f"{kind}_tp"], c[f"{kind}_fp"], c[f"{kind}_fn"]
            p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
            out[kind] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(2 * p * r / max(p + r, 1e-9), 4),
                "gold": tp + fn,
            }
        return out


def speed(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Seconds for `newsroundup audit` (subprocess, start-up included): a 25-sentence article, 100 source files."""
    reports = [s for c in cases for s in c["sources"]][:100]
    article = " ".join(c["article"]["text"] for c in cases[:3])
    spans = split_sentences(article)[:25]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        for number, report in enumerate(reports):
            (root / "sources" / f"{number:03d}.txt").write_text(report["text"])
        (root / "article.txt").write_text(" ".join(article[s.start : s.end] for s in spans))
        began, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsroundup",
                "audit",
                str(root / "article.txt"),
                "--sources",
                str(root / "sources"),
                "--format",
                "json",
                "--quiet",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return {
        "sentences": len(json.loads(done.stdout)["sentences"]),
        "source_files": len(reports),
        "seconds_with_startup": round(seconds, 2),
        "cpu_seconds_with_startup": round(cpu_seconds, 2),  # the machine is shared: wall time includes waiting
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/cache/audit/audit-dev.jsonl"))
    parser.add_argument("--limit", type=int, default=0, help="cases per split (0: all)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    cases = [json.loads(line) for line in args.data.open()]
    results: dict[str, Any] = {"data": str(args.data), "python": platform.python_version(), "splits": {}}
    for split in ("fit", "heldout"):
        chosen = [c for c in cases if c["split"] == split]
        chosen = chosen[: args.limit] if args.limit else chosen
        ours, peer, seconds = Tally(), Tally(), 0.0
        for case in chosen:
            sources = [Article(s["id"], s["text"], outlet=s["outlet"]) for s in case["sources"]]
            texts = {s.id: s.text for s in sources}
            article = Article(case["article"]["id"], case["article"]["text"])
            began = time.perf_counter()
            result = audit(article, sources)
            seconds += time.perf_counter() - began
            check_audit(result, sources)
            system = [
                (
                    s.start,
                    s.end,
                    None
                    if s.source is None
                    else {"article": s.source.article, "start": s.source.start, "end": s.source.end},
                    {d.kind for d in s.defects},
                )
                for s in result.sentences
            ]
            ours.add(case["gold"], system, texts)
            if args.verbose:
                for g in case["gold"]:
                    best = max(system, key=lambda s: overlap((g["start"], g["end"]), (s[0], s[1])))
                    if set(g["defects"]) != best[3] - {"changed_fact"} | (set(g["defects"]) & {"changed_fact"}):
                        print(
                            split,
                            case["id"],
                            sorted(g["defects"]),
                            sorted(best[3]),
                            article.text[g["start"] : g["end"]][:150],
                        )
            peer.add(
                case["gold"],
                [(s, e, claim, set() if claim else {"no_source"}) for s, e, claim in baseline(article.text, sources)],
                texts,
            )
        results["splits"][split] = {
            "cases": len(chosen),
            "sentences": sum(len(c["gold"]) for c in chosen),
            "audit": ours.scores() | {"seconds_per_article": round(seconds / max(len(chosen), 1), 4)},
            "tfidf_nearest_sentence": peer.scores(),
        }
        print(split, json.dumps(results["splits"][split], indent=1))
    results["speed"] = speed(cases)
    print("speed", results["speed"])
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
