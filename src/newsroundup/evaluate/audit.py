"""``evaluate audit``: provenance and defects of ``audit`` against labelled stitched articles, beside a peer.

The data is JSONL, one case per line (``benchmarks/make_audit_dev.py`` writes such a set)::

    {"id": ..., "split": "fit" | "heldout",
     "article": {"id": ..., "text": ...},
     "sources": [{"id": ..., "text": ..., "outlet": ...}, ...],
     "gold": [{"start": ..., "end": ..., "source": {"article", "start", "end"} | null, "defects": [kind, ...]}]}

``start``/``end`` index ``article.text``; a gold ``source`` indexes that source's ``text``. A claimed source
is right when it is the gold article and the spans overlap by at least 0.8 of the longer one, or when it
has the gold sentence's words (a wire copy of it); recall is over the gold sentences with a source. A gold
sentence counts as flagged with a kind when the audit sentence overlapping it most carries the kind. The
peer, in the same run, is a plain TF-IDF nearest sentence (cosine >= 0.5, else ``no_source``).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.audit import audit, check_audit
from newsroundup.errors import DataError
from newsroundup.evaluate.datasets import jsonl_records
from newsroundup.model import Article
from newsroundup.text.sentences import split_sentences

KINDS = ("no_source", "off_topic", "misspelling", "dangling_reference", "misattributed_quote", "changed_fact")
SPLITS = ("fit", "heldout")
RIGHT_OVERLAP = 0.8
PEER_MIN_COSINE = 0.5

# What a system says about one stretch of the article: its span, the source span it claims, the defect kinds.
Claim = tuple[int, int, dict[str, Any] | None, set[str]]


@dataclass(frozen=True)
class AuditCase:
    """One labelled stitched article with its pool of sources."""

    id: str
    split: str
    article: Article
    sources: list[Article]
    gold: list[dict[str, Any]]


def read_cases(path: Path) -> list[AuditCase]:
    """The cases of a JSONL file; a line that is not a case is a one-line error naming the file and line."""
    cases = []
    for where, record in jsonl_records(path):
        try:
            cases.append(_case(record))
        except (ValueError, KeyError, TypeError) as exc:
            problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise DataError(f"{where}: not an audit case ({problem})") from None
    if not cases:
        raise DataError(f"{path}: no audit cases in it")
    return cases


def _case(record: dict[str, Any]) -> AuditCase:
    article = record["article"]
    sources = [Article(str(s["id"]), str(s["text"]), outlet=s.get("outlet")) for s in record["sources"]]
    text, known = str(article["text"]), {s.id: len(s.text) for s in sources}
    gold = list(record["gold"])
    for g in gold:
        if not 0 <= int(g["start"]) < int(g["end"]) <= len(text):
            raise ValueError(f"gold span {g['start']}-{g['end']} is outside the article")
        source = g["source"]
        length = -1 if source is None else known.get(source["article"], -1)
        if source is not None and not 0 <= int(source["start"]) < int(source["end"]) <= length:
            raise ValueError(f"gold source {source['article']!r} {source['start']}-{source['end']} is not in a source")
        if not set(g["defects"]) <= set(KINDS):
            raise ValueError(f"unknown defect kind among {sorted(g['defects'])}")
    split = str(record.get("split", "heldout"))
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is neither 'fit' nor 'heldout'")
    return AuditCase(str(record["id"]), split, Article(str(article["id"]), text), sources, gold)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters over the longer span."""
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return shared / max(a[1] - a[0], b[1] - b[0], 1)


def words_of(text: str) -> str:
    """The words of ``text``, lower-cased: a sentence and its wire copy compare equal."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _words(texts: dict[str, str], span: dict[str, Any]) -> str:
    """The words of a span (see :func:`words_of`)."""
    return words_of(texts[span["article"]][span["start"] : span["end"]])


class Tally:
    """Counts for provenance and each defect kind, over the cases added."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, gold: Sequence[dict[str, Any]], said: Sequence[Claim], texts: dict[str, str]) -> None:
        c = self.counts
        for g in gold:
            span = (int(g["start"]), int(g["end"]))
            _, _, claim, kinds = max(said, key=lambda s: overlap(span, (s[0], s[1])), default=(0, 0, None, set()))
            source = g["source"]
            c["gold_sourced"] += source is not None
            if claim is not None:
                c["claims"] += 1
                c["right"] += source is not None and (
                    (
                        claim["article"] == source["article"]
                        and overlap((claim["start"], claim["end"]), (source["start"], source["end"])) >= RIGHT_OVERLAP
                    )
                    or _words(texts, claim) == _words(texts, source)
                )
            for kind in KINDS:
                truth, flagged = kind in g["defects"], kind in kinds
                c[f"{kind} tp"] += truth and flagged
                c[f"{kind} fp"] += flagged and not truth
                c[f"{kind} fn"] += truth and not flagged

    def scores(self) -> dict[str, Any]:
        c = self.counts
        out: dict[str, Any] = {
            "provenance": {
                "precision": round(c["right"] / max(c["claims"], 1), 4),
                "recall": round(c["right"] / max(c["gold_sourced"], 1), 4),
                "claims": c["claims"],
                "gold_sourced": c["gold_sourced"],
            }
        }
        for kind in KINDS:
            tp, fp, fn = c[f"{kind} tp"], c[f"{kind} fp"], c[f"{kind} fn"]
            precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[kind] = {
                "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "gold": tp + fn,
            }
        return out


def audit_claims(case: AuditCase) -> list[Claim]:
    """What ``audit`` says about each sentence of the case's article (checked by ``check_audit`` first)."""
    result = audit(case.article, case.sources)
    check_audit(result, case.sources)
    return [
        (
            s.start,
            s.end,
            None if s.source is None else {"article": s.source.article, "start": s.source.start, "end": s.source.end},
            {d.kind for d in s.defects},
        )
        for s in result.sentences
    ]


def tfidf_claims(case: AuditCase) -> list[Claim]:
    """The peer: each sentence's nearest pool sentence by word TF-IDF cosine (>= 0.5), else ``no_source``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    pool = [(a.id, s.start, s.end) for a in case.sources for s in split_sentences(a.text)]
    texts = {a.id: a.text for a in case.sources}
    mine = split_sentences(case.article.text)
    if not pool or not mine:
        return [(s.start, s.end, None, {"no_source"}) for s in mine]
    pool_texts = [texts[i][start:end] for i, start, end in pool]
    own_texts = [case.article.text[s.start : s.end] for s in mine]
    try:
        vectorizer = TfidfVectorizer().fit(pool_texts + own_texts)
    except ValueError:  # no word at all in any sentence
        return [(s.start, s.end, None, {"no_source"}) for s in mine]
    similarity = (vectorizer.transform(own_texts) @ vectorizer.transform(pool_texts).T).toarray()
    out: list[Claim] = []
    for row, sentence in enumerate(mine):
        best = int(similarity[row].argmax())
        if similarity[row, best] >= PEER_MIN_COSINE:
            article, start, end = pool[best]
            out.append((sentence.start, sentence.end, {"article": article, "start": start, "end": end}, set()))
        else:
            out.append((sentence.start, sentence.end, None, {"no_source"}))
    return out


def evaluate_audit(
    path: Path, splits: Iterable[str] = SPLITS, limit: int | None = None, peer: bool = True
) -> dict[str, Any]:
    """Scores of ``audit`` (and the peer) per split of the cases in ``path``, with seconds per article."""
    cases = read_cases(path)
    results: dict[str, Any] = {"data": str(path), "splits": {}}
    for split in splits:
        chosen = [c for c in cases if split == "all" or c.split == split][:limit]
        ours, theirs, seconds = Tally(), Tally(), 0.0
        for case in chosen:
            texts = {s.id: s.text for s in case.sources}
            began = time.perf_counter()
            claims = audit_claims(case)
            seconds += time.perf_counter() - began
            ours.add(case.gold, claims, texts)
            if peer:
                theirs.add(case.gold, tfidf_claims(case), texts)
        entry: dict[str, Any] = {
            "cases": len(chosen),
            "sentences": sum(len(c.gold) for c in chosen),
            "audit": ours.scores() | {"seconds_per_article": round(seconds / max(len(chosen), 1), 4)},
        }
        if peer:
            entry["tfidf_nearest_sentence"] = theirs.scores()
        results["splits"][split] = entry
    return results


def format_table(results: dict[str, Any]) -> str:
    """One line per split and system: provenance P/R, then F1 per defect kind."""
    short = {"no_source": "none", "off_topic": "off", "misspelling": "spell", "dangling_reference": "dangl",
             "misattributed_quote": "quote", "changed_fact": "fact"}
    header = f"{'split':8} {'system':24} {'cases':>5} {'prov P':>6} {'prov R':>6} " + " ".join(
        f"{short[k]:>5}" for k in KINDS
    )
    lines = [header + "   (defect columns: F1)"]
    for split, entry in results["splits"].items():
        for system in ("audit", "tfidf_nearest_sentence"):
            if system not in entry:
                continue
            s = entry[system]
            kinds = " ".join(f"{s[k]['f1']:5.3f}" if s[k]["gold"] else f"{'-':>5}" for k in KINDS)
            lines.append(
                f"{split:8} {system:24} {entry['cases']:5d} {s['provenance']['precision']:6.3f} "
                f"{s['provenance']['recall']:6.3f} {kinds}"
            )
    return "\n".join(lines)
