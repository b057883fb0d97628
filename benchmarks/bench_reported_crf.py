"""Measure a token-level CRF for reported-speech contents on PolNeAR beside newsroundup's reported speech.

A measurement for issue 13 ("a token-level sequence model, since PolNeAR labels every token"); nothing here
is shipped. Each article is one sequence of spaCy tokens labelled B/I/O for the contents of its indirect and
mixed attributions (the gold of ``gold_reported``). Features: the token's word, lemma, tags and dependency,
its head, its first ancestors, the nearest speech-verb ancestor and the relation under it, quotation marks,
sentence and paragraph edges, the tokens two either side, and the candidates of annotate/reported.py (every
verb's content by relation, unscored, so nothing learned by the shipped model leaks in). Regularisation is
chosen on a quarter of the train split (fit on the other three quarters), then the CRF is fitted on all of
train and scored on dev, beside newsroundup's reported speech in the same run. "crf" keeps the CRF's spans;
"crf, anchored" keeps only those that overlap a candidate (token Jaccard >= 0.3), so a speaker can be found;
"newsroundup + crf" adds to newsroundup's reported speech the CRF's spans that share no word with it; "crf
stacked" is a second CRF (same weights) that also sees newsroundup's own attributions (direct and reported) as
features. On train those come from a model fitted on train, so the stacked CRF may over-trust them; dev
stays unseen by both.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_reported_crf.py [--data FILE] [--limit N] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycrfsuite
from results_file import ROOT, write_results

from newsroundup.annotate import parses
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.reported import reported_candidates
from newsroundup.annotate.speakers import SPEECH_VERBS
from newsroundup.evaluate.attribution import evaluate_polnear, ours
from newsroundup.evaluate.attribution_score import Counts, match, tokens
from newsroundup.evaluate.polnear import AnnotatedArticle, gold_reported, load_polnear, locate_polnear

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

Features = list[dict[str, float]]
SETTINGS = ((0.1, 0.01), (0.3, 0.05), (0.6, 0.05), (1.0, 0.1))  # (L1, L2) tried on the train quarter
ITERATIONS = 150
OVERLAP = 0.3
_NEIGHBOURS = (-2, -1, 1, 2)


def token_features(doc: Doc) -> Features:
    """One feature dict per token of ``doc`` (see the module docstring)."""
    marks = [(m.start, m.end) for m in find_quotations(doc.text)]
    quoted = [any(s <= t.idx < e for s, e in marks) for t in doc]
    sentences = {sent.start: _sentence_features(sent) for sent in doc.sents}
    own = [_own(doc, i, quoted[i], sentences[doc[i].sent.start]) for i in range(len(doc))]
    _add_candidates(doc, own)
    out = []
    for i, f in enumerate(own):
        g = dict(f)
        for off in _NEIGHBOURS:
            j = i + off
            if not 0 <= j < len(doc):
                g[f"{off}:pad"] = 1.0
                continue
            g[f"{off}:w={doc[j].lower_}"] = 1.0
            g[f"{off}:p={doc[j].pos_}"] = 1.0
            if abs(off) == 1:
                g[f"{off}:d={doc[j].dep_}"] = 1.0
                if quoted[j]:
                    g[f"{off}:inq"] = 1.0
        out.append(g)
    return out


def _own(doc: Doc, i: int, quoted: bool, sentence: dict[str, float]) -> dict[str, float]:
    t = doc[i]
    f = {
        "bias": 1.0,
        f"w={t.lower_}": 1.0,
        f"l={t.lemma_.lower()}": 1.0,
        f"p={t.pos_}": 1.0,
        f"t={t.tag_}": 1.0,
        f"d={t.dep_}": 1.0,
        f"hl={t.head.lemma_.lower()}": 1.0,
        f"hp={t.head.pos_}": 1.0,
        f"dhd={t.dep_}|{t.head.dep_}": 1.0,
    }
    if quoted:
        f["inq"] = 1.0
    if t.is_sent_start:
        f["sstart"] = 1.0
    if i + 1 < len(doc) and doc[i + 1].is_sent_start:
        f["send"] = 1.0
    if i > 0 and "\n" in doc[i - 1].text + doc[i - 1].whitespace_:
        f["para"] = 1.0
    child = t
    for depth, a in enumerate(t.ancestors, 1):
        if depth <= 3:
            f[f"a{depth}d={child.dep_}|{a.pos_}"] = 1.0
        lemma = a.lemma_.lower()
        if a.pos_ in {"VERB", "AUX", "NOUN"} and (lemma in SPEECH_VERBS or a.lower_ in SPEECH_VERBS):
            f[f"cue={child.dep_}"] = 1.0
            f[f"cuel={lemma}"] = 1.0
            f[f"cued={min(depth, 4)}"] = 1.0
            break
        if a.pos_ == "VERB" and depth <= 4:
            f[f"va{depth}={lemma}"] = 1.0
        child = a
    f.update(sentence)
    root = t.sent.root.i
    f["root=" + ("before" if i < root else "at" if i == root else "after")] = 1.0
    return f


def _sentence_features(sent: Span) -> dict[str, float]:
    """What a sentence gives each of its tokens: whether it holds "according" and a speech verb."""
    f: dict[str, float] = {}
    if any(x.lower_ == "according" for x in sent):
        f["s_according"] = 1.0
    if any(x.pos_ == "VERB" and x.lemma_.lower() in SPEECH_VERBS for x in sent):
        f["s_speech"] = 1.0
    return f


def _token_indices(doc: Doc, start: int, end: int) -> list[int]:
    """The indices of the tokens of ``doc`` that start within ``start..end`` (character offsets)."""
    return [t.i for t in doc if start <= t.idx < end]


def _add_candidates(doc: Doc, feats: Features) -> None:
    for c in reported_candidates(doc, every_verb=True):
        cue = c.verb.lemma_.lower()
        inside = _token_indices(doc, c.start, c.end)
        for k, i in enumerate(inside):
            feats[i][f"c_rel={c.relation}"] = 1.0
            feats[i][f"c_cue={cue}"] = 1.0
            feats[i][f"c_rc={c.relation}|{cue}"] = 1.0
            if k == 0:
                feats[i][f"c_B={c.relation}"] = 1.0
        if inside and inside[-1] + 1 < len(doc):
            feats[inside[-1] + 1][f"c_after={c.relation}"] = 1.0


def labels(doc: Doc, article: AnnotatedArticle) -> list[str]:
    """B/I/O per token: I inside a gold reported content, B at its first token."""
    out = ["O"] * len(doc)
    for start, end, _ in gold_reported(article):
        inside = [i for i in _token_indices(doc, start, end) if not doc[i].is_space]
        for k, i in enumerate(inside):
            if k == 0:
                out[i] = "B"
            elif out[i] == "O":
                out[i] = "I"
    return out


def spans(doc: Doc, tags: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of the B/I runs of ``tags`` (a run may cross sentences and paragraphs)."""
    out: list[tuple[int, int]] = []
    current: list[int] | None = None
    for t, tag in zip(doc, tags, strict=True):
        if tag == "B" or (tag == "I" and current is None):
            if current:
                out.append((current[0], current[1]))
            current = [t.idx, t.idx + len(t.text)]
        elif tag == "I" and current is not None:
            current[1] = t.idx + len(t.text)
        elif current is not None and not t.is_space:
            out.append((current[0], current[1]))
            current = None
    if current:
        out.append((current[0], current[1]))
    return out


Example = tuple[AnnotatedArticle, "Doc", Features, list[str]]


def prepare(articles: list[AnnotatedArticle], name: str) -> list[Example]:
    """Parse (through the parse cache), featurise and label ``articles``."""
    out: list[Example] = []
    for lo in range(0, len(articles), 16):
        chunk = articles[lo : lo + 16]
        for article, doc in zip(chunk, parse_texts([a.text for a in chunk]), strict=True):
            out.append((article, doc, token_features(doc), labels(doc, article)))
        print(f"\r{name}: {len(out)}/{len(articles)} articles", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def fit(examples: list[Example], l1: float, l2: float, folder: Path) -> pycrfsuite.Tagger:
    """A CRF fitted on ``examples``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for _, _, feats, tags in examples:
        trainer.append(feats, tags)
    trainer.set_params({"c1": l1, "c2": l2, "max_iterations": ITERATIONS, "feature.possible_transitions": True})
    path = folder / f"crf-{l1}-{l2}-{len(examples)}.crfsuite"
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def score(
    tagger: pycrfsuite.Tagger, examples: list[Example], anchored: bool = False, union: bool = False
) -> dict[str, Any]:
    """Reported-speech P/R/F1 at ``OVERLAP`` (and F1 at 0.8) of the tagger's spans against the gold;
    ``anchored``: only spans overlapping a candidate; ``union``: newsroundup's reported speech plus the
    tagger's spans that share no word with it."""
    counts = {OVERLAP: Counts(), 0.8: Counts()}
    gold_tokens = covered = 0
    for article, doc, feats, _ in examples:
        found = spans(doc, tagger.tag(feats))
        if anchored:
            candidates = [(c.start, c.end) for c in reported_candidates(doc, every_verb=True)]
            found = [f for f in found if match(article.text, [f], candidates, OVERLAP)]
        if union:
            shipped = [(f.start, f.end) for f in ours(article, doc) if f.kind == "reported"]
            taken = set().union(*(tokens(article.text, s, e) for s, e in shipped)) if shipped else set()
            found = shipped + [f for f in found if not tokens(article.text, *f) & taken]
        gold = [(s, e) for s, e, _ in gold_reported(article)]
        for threshold, c in counts.items():
            c.matched += len(match(article.text, found, gold, threshold))
            c.found += len(found)
            c.gold += len(gold)
        found_tokens = set().union(*(tokens(article.text, s, e) for s, e in found)) if found else set()
        for s, e in gold:
            g = tokens(article.text, s, e)
            gold_tokens += len(g)
            covered += len(g & found_tokens)
    out: dict[str, Any] = {f"reported@{threshold}": c.scores() for threshold, c in counts.items()}
    out["gold_tokens_tagged"] = round(covered / gold_tokens, 3) if gold_tokens else 0.0
    return out


def add_shipped(examples: list[Example]) -> list[Example]:
    """``examples`` with newsroundup's attributions as features: "nr=<kind>" inside one, "nrB=<kind>" at its start."""
    for article, doc, feats, _ in examples:
        for found in ours(article, doc):
            inside = _token_indices(doc, found.start, found.end)
            for k, i in enumerate(inside):
                feats[i][f"nr={found.kind}"] = 1.0
                if k == 0:
                    feats[i][f"nrB={found.kind}"] = 1.0
    return examples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="PolNeAR articles.jsonl (default ../shared/data/polnear-dev)")
    parser.add_argument("--limit", type=int, help="only the first N articles of each split (a smoke run)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("NEWSROUNDUP_CACHE", Path.home() / ".cache/newsroundup")) / "parses",
        help="the parse cache folder (default the cache folder's parses/)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "reported_crf_polnear.json")
    args = parser.parse_args()
    parses.configure(parses.CacheSettings(folder=args.cache, disk_bytes=4 * 2**30))
    path = locate_polnear(args.data)
    train = prepare(load_polnear(path, "train")[: args.limit], "train")
    dev_articles = load_polnear(path, "dev")[: args.limit]
    dev = prepare(dev_articles, "dev")
    fit_part = [e for i, e in enumerate(train) if i % 4]
    check_part = [e for i, e in enumerate(train) if i % 4 == 0]
    results: dict[str, Any] = {"data": path.name, "iterations": ITERATIONS, "selection": []}
    with tempfile.TemporaryDirectory() as tmp:
        for l1, l2 in SETTINGS:
            started = time.perf_counter()
            result = score(fit(fit_part, l1, l2, Path(tmp)), check_part)
            f1 = result[f"reported@{OVERLAP}"]["f1"]
            results["selection"].append({"l1": l1, "l2": l2, "train_quarter": result})
            print(f"L1 {l1} L2 {l2}: train quarter F1 {f1} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        best = max(results["selection"], key=lambda s: s["train_quarter"][f"reported@{OVERLAP}"]["f1"])
        started = time.perf_counter()
        tagger = fit(train, best["l1"], best["l2"], Path(tmp))
        results["chosen"] = {"l1": best["l1"], "l2": best["l2"], "fit_seconds": round(time.perf_counter() - started, 1)}
        started = time.perf_counter()
        plain = score(tagger, dev)
        plain["seconds"] = round(time.perf_counter() - started, 2)
        results["dev"] = {
            "crf": plain,
            "crf, anchored": score(tagger, dev, anchored=True),
            "newsroundup + crf": score(tagger, dev, union=True),
        }
        stacked = fit(add_shipped(train), best["l1"], best["l2"], Path(tmp))
        results["dev"]["crf stacked"] = score(stacked, add_shipped(dev))
    shipped = evaluate_polnear(path, "dev", args.limit)["systems"]["newsroundup"]
    results["dev"]["newsroundup"] = {k: v for k, v in shipped.items() if k.startswith("reported") or k == "seconds"}
    results["articles"] = {"train": len(train), "dev": len(dev)}
    if args.limit is None:
        write_results(results, args.out)
    else:
        print(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
