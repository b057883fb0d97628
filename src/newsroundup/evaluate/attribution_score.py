"""Scoring attributions against PolNeAR's gold: token-overlap matching (one-to-one), counts, speakers.

A found span matches a gold span when their word-token Jaccard overlap reaches a threshold (one-to-one,
best overlap first); among the matched whose gold names a source, the speaker is right when its span or
its name agrees (a gold attribution the annotators gave no source is counted apart, not judged).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsroundup.annotate.aliases import fold
from newsroundup.evaluate.polnear import AnnotatedArticle, GoldAttribution, gold_direct, gold_reported

_WORD = re.compile(r"\w+")
_PRONOUNS = frozenset("he she they it i we you him her them his their its".split())


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution a system found: kind, content span, speaker (canonical) and its span as written."""

    kind: str
    start: int
    end: int
    speaker: str = ""
    speaker_start: int = -1
    speaker_end: int = -1

def tokens(text: str, start: int, end: int) -> frozenset[int]:
    """Word tokens of ``text[start:end]`` as their start offsets."""
    return frozenset(m.start() for m in _WORD.finditer(text, start, end))


def match(
    text: str, found: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]], threshold: float
) -> list[tuple[int, int]]:
    """One-to-one pairs (found index, gold index) whose token Jaccard overlap is at least ``threshold``."""
    ftoks = [tokens(text, s, e) for s, e in found]
    gtoks = [tokens(text, s, e) for s, e in gold]
    candidates = []
    for i, f in enumerate(ftoks):
        for j, g in enumerate(gtoks):
            common = len(f & g)
            if common:
                overlap = common / len(f | g)
                if overlap >= threshold:
                    candidates.append((overlap, i, j))
    used_f: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_f and j not in used_g:
            used_f.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


@dataclass(slots=True)
class Counts:
    """Matched, found and gold counts summed over articles; speaker right among the matched."""

    found: int = 0
    gold: int = 0
    matched: int = 0
    speaker_right: int = 0
    speaker_judged: int = 0
    speaker_named_right: int = 0
    no_gold_speaker: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def scores(self) -> dict[str, float | int]:
        p = self.matched / self.found if self.found else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out: dict[str, float | int] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "found": self.found,
            "gold": self.gold,
            "matched": self.matched,
        }
        if self.speaker_judged:
            out["speaker_accuracy"] = round(self.speaker_right / self.speaker_judged, 3)
            out["speaker_judged"] = self.speaker_judged
            # Stricter: right and named (a pronoun left unresolved counts as wrong here).
            out["speaker_named_accuracy"] = round(self.speaker_named_right / self.speaker_judged, 3)
        if self.no_gold_speaker:
            out["speaker_not_judged_no_gold_source"] = self.no_gold_speaker
        return out


def speaker_right(text: str, found: Found, gold: GoldAttribution) -> bool:
    """True when the found speaker is the annotated one: its span as written overlaps the gold speaker
    span, or (gold not a pronoun) its canonical name shares a name word with the gold speaker."""
    if (
        found.speaker_start >= 0
        and gold.speaker_start >= 0
        and found.speaker_start < gold.speaker_end
        and gold.speaker_start < found.speaker_end
    ):
        return True
    if gold.speaker_is_pronoun or fold(gold.speaker) in _PRONOUNS:
        return False
    want = {w for w in _WORD.findall(fold(gold.speaker)) if len(w) > 2}
    have = {w for w in _WORD.findall(fold(found.speaker)) if len(w) > 2}
    return bool(want & have) and bool(re.search(r"[A-Z]", gold.speaker + found.speaker))


def score(
    article: AnnotatedArticle,
    found: Iterable[Found],
    kind: str,
    threshold: float,
    counts: Counts,
    keep_errors: bool = False,
) -> None:
    """Add one article's direct (``kind="direct"``) or reported (``"reported"``) or all results to ``counts``."""
    found_list = [f for f in found if kind == "all" or f.kind == kind.split("+")[0]]
    if kind == "direct+mixed":
        golds = gold_direct(article, mixed=True)
    elif kind == "direct":
        golds = gold_direct(article)
    elif kind == "reported":
        golds = gold_reported(article)
    else:
        golds = [(g.fragments[0][0], g.fragments[-1][1], g) for g in article.attributions]
    pairs = match(article.text, [(f.start, f.end) for f in found_list], [(s, e) for s, e, _ in golds], threshold)
    if kind == "direct":
        # A partial quote inside a mixed attribution ("X called it a “con”") is neither right nor wrong
        # here: direct gold holds only wholly quoted attributions (see direct+mixed for the rest).
        matched = {i for i, _ in pairs}
        mixed = [tokens(article.text, s, e) for s, e, _ in gold_reported(article) if _.kind == "mixed"]
        keep = [
            i
            for i, f in enumerate(found_list)
            if i in matched or not any(tokens(article.text, f.start, f.end) <= m for m in mixed)
        ]
        index = {old: new for new, old in enumerate(keep)}
        found_list = [found_list[i] for i in keep]
        pairs = [(index[i], j) for i, j in pairs]
    counts.found += len(found_list)
    counts.gold += len(golds)
    counts.matched += len(pairs)
    for i, j in pairs:
        if not found_list[i].speaker and found_list[i].speaker_start < 0:
            continue
        if golds[j][2].speaker_start < 0 and not golds[j][2].speaker.strip():
            counts.no_gold_speaker += 1  # the annotators marked no source: nothing to judge against
            continue
        counts.speaker_judged += 1
        right = speaker_right(article.text, found_list[i], golds[j][2])
        counts.speaker_right += right
        counts.speaker_named_right += right and fold(found_list[i].speaker) not in _PRONOUNS
        if keep_errors and not right:
            counts.errors.append(
                {
                    "article": article.id,
                    "kind": "speaker",
                    "quote": article.text[golds[j][0] : golds[j][1]][:80],
                    "found": found_list[i].speaker,
                    "gold": golds[j][2].speaker,
                }
            )
    if keep_errors:
        hit_f = {i for i, _ in pairs}
        hit_g = {j for _, j in pairs}
        for i, f in enumerate(found_list):
            if i not in hit_f:
                counts.errors.append(
                    {"article": article.id, "kind": "false", "text": article.text[f.start : f.end][:120]}
                )
        for j, (s, e, _) in enumerate(golds):
            if j not in hit_g:
                counts.errors.append({"article": article.id, "kind": "missed", "text": article.text[s:e][:120]})
