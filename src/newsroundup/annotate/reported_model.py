"""How likely a verb's content is reported speech: the features of a candidate and the learned weights.

A candidate is a verb with a subject and something it reports in one grammatical relation (see
``reported``; nouns, adjectives and passives with a source are cues too). Its features are the verb
form, a crude stem pooling its inflections, the relation, the subject's kind (a pronoun, a named
person or organisation, a common noun and which), the content's shape (opening word, length, share in
quotation marks, the entity type of its head, the head noun of a noun phrase) and the verb's syntax
(tense, negation, clause role). A logistic model over them is learned on PolNeAR's train split by
``scripts/train_reported_model.py`` (package data ``reported_model.json``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.annotate.speakers import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["ReportedModel", "candidate_features", "rare", "reported_model", "stem"]

MODEL_FILE = Path(__file__).with_name("reported_model.json")
_OPENERS = frozenset("that to whether if how what why when who where because".split())
_LENGTHS = (1, 2, 5, 10, 20, 40)
_SUFFIXES = ("ing", "ied", "ies", "ed", "es", "s")
# Relations whose content is a noun phrase: its head noun is a feature ("praised the plan" vs "held a call").
_OBJECT_RELATIONS = frozenset({"dobj", "prep", "noun_prep", "adj_prep", "passive"})


@dataclass(frozen=True, slots=True)
class ReportedModel:
    """Feature weights, bias, the decision threshold on the probability and the largest quoted share."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    max_quoted_share: float

    def probability(self, features: list[str]) -> float:
        """The probability that a candidate with ``features`` is reported speech; a feature the model
        has no weight for counts as its rare form (``rare``): an unseen verb weighs as rare verbs do."""
        z = self.bias
        for f in features:
            weight = self.weights.get(f)
            z += self.weights.get(rare(f), 0.0) if weight is None else weight
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def stem(word: str) -> str:
    """A crude stem pooling a cue's inflections ("criticized", "criticizes", "criticizing" -> "criticiz"):
    the parse has no lemmas (the pipeline leaves its lemmatizer out)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in {"ied", "ies"} else "")
            break
    bare = word.rstrip("e")
    return bare if len(bare) >= 3 else word


def rare(feature: str) -> str:
    """``feature`` with its first value replaced by "<rare>": "cue|rel=quipped|ccomp" -> "cue|rel=<rare>|ccomp"."""
    name, _, value = feature.partition("=")
    rest = value.partition("|")[2]
    return f"{name}=<rare>|{rest}" if rest else f"{name}=<rare>"


@lru_cache(maxsize=1)
def reported_model(path: Path | None = None) -> ReportedModel | None:
    """The shipped model (``reported_model.json``), or None when it is missing or unreadable."""
    try:
        data = json.loads((path or MODEL_FILE).read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return ReportedModel(weights, float(data["bias"]), float(data["threshold"]), float(data["max_quoted_share"]))
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None


def candidate_features(
    verb: Token,
    relation: str,
    cue: str,
    content: tuple[int, int],
    subject: Token | None,
    quoted_share: float,
    opens_quoted: bool = False,
) -> list[str]:
    """The features of ``verb`` reporting ``content`` (character span) in ``relation`` with ``subject``."""
    doc = verb.doc
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    words = [t for t in span if not t.is_punct] if span is not None else []
    first = words[0].lower_ if words else ""
    out = [
        f"rel={relation}",
        f"cue={cue}",
        f"cue|rel={cue}|{relation}",
        f"stem|rel={stem(verb.lower_)}|{relation}",
        f"tag|rel={verb.tag_}|{relation}",
        f"dep|rel={verb.dep_}|{relation}",
        f"subj|rel={_subject_kind(verb, subject)}|{relation}",
        f"first|rel={first if first in _OPENERS else '-'}|{relation}",
        f"len|rel={sum(len(words) > n for n in _LENGTHS)}|{relation}",
        f"quoted={0 if quoted_share == 0 else 1 if quoted_share < 0.5 else 2}|{opens_quoted}",
        f"before={content[1] <= verb.idx}",
    ]
    if verb.lower_ in SPEECH_VERBS:
        out.append(f"speech_verb|rel={relation}")
    if subject is not None and subject.pos_ in {"NOUN", "PROPN"}:
        out.append(f"subj_word={subject.lower_}")
    if any(c.dep_ == "neg" for c in verb.children):
        out.append("negated")
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        out.append("modal")
    if span is not None:
        out.append(f"root_tag|rel={span.root.tag_}|{relation}")
        out.append(f"root_ent|rel={span.root.ent_type_ or '-'}|{relation}")
        out.append(f"clause|rel={any(t.pos_ in {'VERB', 'AUX'} for t in words)}|{relation}")
        if relation == "xcomp":
            out.append(f"xcomp_head={span.root.lower_}")
        if relation in _OBJECT_RELATIONS and span.root.pos_ == "NOUN":
            out.append(f"object_word|rel={span.root.lower_}|{relation}")
    if verb.sent.start == 0:
        out.append("first_sentence")
    return out


def _subject_kind(verb: Token, subject: Token | None) -> str:
    """"none", a subject pronoun as written, or the subject's entity label or part of speech, and whether
    it is the verb's own subject ("own") or one it shares with a verb it depends on."""
    if subject is None:
        return "none"
    own = "own" if subject.head is verb else "shared"
    if subject.dep_ == "nsubjpass":
        own += "-passive"
    if subject.pos_ == "PRON":
        return f"{subject.lower_}:{own}"
    label = subject.ent_type_ or subject.pos_
    return f"{label}:{own}"
