"""``evaluate attribution``: newsroundup's who-said-what and its peers scored on PolNeAR's annotated news.

Loading and gold are in ``polnear``, matching and counts in ``attribution_score``, the peers in
``attribution_peers``; the articles are parsed once through the parse cache (``annotate.parses``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsroundup.errors import DataError
from newsroundup.evaluate.attribution_peers import baseline_quotes, textacy_quotes, with_lemmas
from newsroundup.evaluate.attribution_score import Counts, Found, score
from newsroundup.evaluate.polnear import AnnotatedArticle, load_polnear

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsroundup.annotate.reported_tagger import CrfChoice, Features

THRESHOLDS = (0.3, 0.8)
_PARSE_CHUNK = 16  # parsed (and cached) a chunk at a time: an interrupted run keeps what it parsed


def wire_marks(text: str) -> bool:
    """True for a text quoting with ''...'' (PolNeAR's NYT articles): there the annotators labelled
    every quotation ``indirect`` (1,287 of them, no ``direct`` one), so its direct gold is empty."""
    return "''" in text


def ours(
    article: AnnotatedArticle, doc: Doc, crf: CrfChoice = "shipped"
) -> list[Found]:
    """newsroundup's attributions (direct and reported) of one parsed article (``crf`` None: reported
    speech without the CRF, as the logistic model keeps it; or a CRF other than the shipped one)."""
    from newsroundup.annotate.mentions import article_entities
    from newsroundup.annotate.quotes import attributions_in_article
    from newsroundup.model import Article

    record = Article(id=article.id, text=article.text, title=article.title or None)
    out = []
    for q in attributions_in_article(record, doc, article_entities(record, doc), crf):
        s_start, s_end = (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else (-1, -1)
        out.append(Found(q.kind, q.span.start, q.span.end, q.speaker, s_start, s_end))
    return out


def crf_features(article: AnnotatedArticle, doc: Doc) -> Features:
    """The reported-speech CRF's features of one parsed article, as it sees them in the product: every
    verb's candidate content and the attributions found without the CRF (for training and measuring it)."""
    from newsroundup.annotate.reported import reported_candidates, tagger_candidates
    from newsroundup.annotate.reported_tagger import token_features

    candidates = tagger_candidates(reported_candidates(doc, every_verb=True))
    return token_features(doc, candidates, [(f.start, f.end, f.kind) for f in ours(article, doc, crf=None)])


def evaluate_polnear(
    path: Path,
    split: str = "dev",
    limit: int | None = None,
    peers: bool = True,
    errors: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Score newsroundup (and the peers) on the ``split`` articles of ``path``: per system and kind,
    P/R/F1 at each overlap threshold and speaker accuracy among the matched (at 0.3)."""
    import sys
    import time

    articles = load_polnear(path, split)
    if not articles:
        raise DataError(f"{path}: no articles of split {split!r}")
    if limit is not None:
        articles = articles[:limit]
    from newsroundup.annotate.nlp import parse_texts

    started = time.perf_counter()
    docs: list[Doc] = []
    for lo in range(0, len(articles), _PARSE_CHUNK):
        docs.extend(parse_texts([a.text for a in articles[lo : lo + _PARSE_CHUNK]]))
    parse_seconds = time.perf_counter() - started
    systems: dict[str, list[list[Found]]] = {}
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    systems["newsroundup"] = [ours(a, d) for a, d in zip(articles, docs, strict=True)]
    seconds["newsroundup"] = time.perf_counter() - t
    if peers:
        t = time.perf_counter()
        systems["baseline_regex"] = [baseline_quotes(a.text) for a in articles]
        seconds["baseline_regex"] = time.perf_counter() - t
        t = time.perf_counter()
        systems["textacy_direct_quotations"] = [textacy_quotes(d) for d in with_lemmas(docs)]
        seconds["textacy_direct_quotations"] = time.perf_counter() - t
    results: dict[str, Any] = {}
    kept_errors: list[dict[str, Any]] = []
    for name, found in systems.items():
        entry: dict[str, Any] = {"seconds": round(seconds[name], 2)}
        for kind in ("direct", "direct+mixed", "reported", "all"):
            if name != "newsroundup" and not kind.startswith("direct"):
                continue
            for threshold in THRESHOLDS:
                counts = Counts()
                plain = Counts()  # articles without wire-style marks only (see wire_marks)
                for article, items in zip(articles, found, strict=True):
                    score(article, items, kind, threshold, counts, keep_errors=errors and name == "newsroundup")
                    if not wire_marks(article.text):
                        score(article, items, kind, threshold, plain)
                entry[f"{kind}@{threshold}"] = counts.scores()
                if kind == "direct":
                    entry[f"{kind}@{threshold} no-wire-marks"] = plain.scores()
                if errors and name == "newsroundup":
                    kept_errors.extend({**e, "at": f"{kind}@{threshold}"} for e in counts.errors)
        entry["non_verbatim"] = sum(
            1
            for a, items in zip(articles, found, strict=True)
            for f in items
            if not 0 <= f.start < f.end <= len(a.text)
        )
        results[name] = entry
        if progress:
            print(f"{name}: {json.dumps(entry)}", file=sys.stderr)
    out: dict[str, Any] = {
        "data": str(path),
        "split": split,
        "articles": len(articles),
        "articles_with_wire_marks": sum(wire_marks(a.text) for a in articles),
        "parse_seconds": round(parse_seconds, 1),
        "systems": results,
    }
    if errors:
        out["errors"] = kept_errors
    return out
