"""The peers of newsroundup's attribution on PolNeAR: a plain regex baseline and textacy's direct quotations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsroundup.errors import DataError
from newsroundup.evaluate.attribution_score import Found
from newsroundup.evaluate.polnear import strip_marks

if TYPE_CHECKING:
    from spacy.tokens import Doc

_BASELINE_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")
_BASELINE_SAID = re.compile(r"\b(?:said|says)\b")
_BASELINE_NAME = re.compile(r"(?:(?:[A-Z]\.|[A-Z][\w'’-]*)\s+)*[A-Z][\w'’-]*|\b(?:he|she|they)\b")
_BASELINE_WINDOW = 80


def baseline_quotes(text: str) -> list[Found]:
    """The plain baseline: text between quotation marks with a "said"/"says" within a short window
    (after the quote, else before it) that has a capitalised name or a pronoun next to it (the speaker)."""
    out = []
    for m in _BASELINE_QUOTE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        start, end = strip_marks(text, m.start(group), m.end(group))
        windows = [
            (m.end(), min(len(text), m.end() + _BASELINE_WINDOW)),
            (max(0, m.start() - _BASELINE_WINDOW), m.start()),
        ]
        for lo, hi in windows:
            saids = list(_BASELINE_SAID.finditer(text, lo, hi))
            if not saids:
                continue
            said = saids[0] if lo == m.end() else saids[-1]
            after = _BASELINE_NAME.match(text, said.end() + 1)
            befores = [
                n
                for n in _BASELINE_NAME.finditer(text, max(lo, said.start() - 40), said.start())
                if n.end() >= said.start() - 1
            ]
            name = after if after is not None else (befores[-1] if befores else None)
            if name is None:
                continue
            out.append(Found("direct", start, end, name.group().strip(), name.start(), name.end()))
            break
    return out


def textacy_quotes(doc: Doc) -> list[Found]:
    """textacy's ``extract.triples.direct_quotations`` on ``doc`` (which must carry lemmas)."""
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except (ValueError, IndexError, KeyError):
        return []
    for triple in triples:
        content = triple.content
        start, end = strip_marks(doc.text, content.start_char, content.end_char)
        speaker = list(triple.speaker)
        s_start = speaker[0].idx if speaker else -1
        s_end = speaker[-1].idx + len(speaker[-1].text) if speaker else -1
        out.append(Found("direct", start, end, " ".join(t.text for t in speaker), s_start, s_end))
    return out


def with_lemmas(docs: Sequence[Doc]) -> list[Doc]:
    """Copies of ``docs`` with lemmas (the project's pipeline drops its lemmatizer; textacy needs it)."""
    import spacy

    from newsroundup.annotate.nlp import _MODEL_MODULES

    nlp = None
    for name in _MODEL_MODULES:
        try:
            nlp = spacy.load(name, enable=["lemmatizer"])
            break
        except OSError:
            continue
    if nlp is None:
        raise DataError("the spaCy model en_core_web_sm is not installed (needed for textacy's lemmas)")
    lemmatizer = nlp.get_pipe("lemmatizer")
    out = []
    for doc in docs:
        copy = doc.copy()
        out.append(lemmatizer(copy))
    return out
