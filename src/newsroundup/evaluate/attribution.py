"""Attribution on real annotated news (PolNeAR format): load, parse once (cached), score spans and speakers.

Gold: every attribution the annotators marked has a content span (``start``/``end``, or ``fragments``
when discontinuous), a speaker as written and a kind (``direct``, ``indirect``, ``mixed``). Direct
gold quotes are the quoted stretches of direct and mixed contents (each fragment's text between its
outer quotation marks); reported gold is the content of indirect and mixed attributions. A found
span matches a gold span when their word-token Jaccard overlap reaches a threshold (one-to-one,
best overlap first).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsroundup.annotate.aliases import fold
from newsroundup.errors import DataError, InputError

if TYPE_CHECKING:
    from spacy.tokens import Doc

POLNEAR_FILE = "articles.jsonl"
_REPO_ROOT = Path(__file__).resolve().parents[3]
_WORD = re.compile(r"\w+")
_OPEN = '“"‘'
_CLOSE = '”"’'
_PRONOUNS = frozenset("he she they it i we you him her them his their its".split())


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: content fragments, speaker as written and its span, cue, kind."""

    kind: str
    fragments: tuple[tuple[int, int], ...]
    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_is_pronoun: bool
    cue: str


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    id: str
    split: str
    title: str
    published: str
    text: str
    attributions: tuple[GoldAttribution, ...]


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution a system found: kind, content span, speaker (canonical) and its span as written."""

    kind: str
    start: int
    end: int
    speaker: str = ""
    speaker_start: int = -1
    speaker_end: int = -1


def locate_polnear(data: Path | None = None) -> Path:
    """The PolNeAR file: ``data`` (a file, its folder, or the data folder holding polnear-dev/), else
    ``shared/data/polnear-dev`` next to the checkout (or its parent), then from the working directory."""
    if data is not None:
        candidates = [data, data / POLNEAR_FILE, data / "polnear-dev" / POLNEAR_FILE]
    else:
        candidates = [
            root / "shared" / "data" / "polnear-dev" / POLNEAR_FILE
            for root in (_REPO_ROOT.parent, _REPO_ROOT.parent.parent, Path(".."))
        ]
    for path in candidates:
        if path.is_file():
            return path
    tried = ", ".join(str(c) for c in dict.fromkeys(candidates))
    raise DataError(f"PolNeAR data not found (looked for {tried}); give --data FILE")


def load_polnear(path: Path, split: str | None = None) -> list[AnnotatedArticle]:
    """The articles of ``path`` (one JSON object a line), only those of ``split`` when given."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                article = _article(raw)
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: not a PolNeAR article line ({exc})") from exc
            if split is None or article.split == split:
                out.append(article)
    return out


def _article(raw: dict[str, Any]) -> AnnotatedArticle:
    text = str(raw["text"])
    golds = []
    for a in raw.get("attributions", ()):
        fragments = tuple((int(s), int(e)) for s, e in a.get("fragments") or [(a["start"], a["end"])])
        if any(not 0 <= s <= e <= len(text) for s, e in fragments):
            raise ValueError(f"attribution span outside the text in {raw['id']}")
        golds.append(
            GoldAttribution(
                kind=str(a["kind"]),
                fragments=fragments,
                speaker=str(a.get("speaker") or ""),
                speaker_start=int(a.get("speaker_start", -1) if a.get("speaker_start") is not None else -1),
                speaker_end=int(a.get("speaker_end", -1) if a.get("speaker_end") is not None else -1),
                speaker_is_pronoun=bool(a.get("speaker_is_pronoun")),
                cue=str(a.get("cue") or ""),
            )
        )
    return AnnotatedArticle(
        id=str(raw["id"]),
        split=str(raw.get("split", "")),
        title=str(raw.get("title") or ""),
        published=str(raw.get("published") or ""),
        text=text,
        attributions=tuple(golds),
    )


def quoted_stretches(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text[start:end]`` between outer quotation marks (marks excluded).

    An opening mark without its close runs to ``end`` (a quote continued into the next paragraph).
    """
    # Wire style ``...'' and ''...'' as one-character marks (same offsets): the second character is padding.
    text = text.replace("``", '"\x00').replace("''", '"\x00')
    out = []
    depth_open: int | None = None
    i = start
    while i < end:
        ch = text[i]
        if depth_open is None and ch in _OPEN and (i == start or not text[i - 1].isalnum()):
            depth_open = i + 1
        elif (
            depth_open is not None
            and ch in _CLOSE
            and (i + 1 >= end or not text[i + 1].isalnum())
            and (ch != "’" or text[i - 1] != "s")
        ):
            out.append((depth_open, i))
            depth_open = None
        i += 1
    if depth_open is not None:
        out.append((depth_open, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in out) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _OPEN + _CLOSE + "\x00`'"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _OPEN + _CLOSE + ",\x00`'"):
        end -= 1
    return start, end


def gold_direct(article: AnnotatedArticle, mixed: bool = False) -> list[tuple[int, int, GoldAttribution]]:
    """Gold direct quotes: the quoted stretches of every direct attribution's fragments (and, with
    ``mixed``, of the mixed ones: partial quotes inside reported speech, titles and terms included)."""
    out: list[tuple[int, int, GoldAttribution]] = []
    for gold in article.attributions:
        if gold.kind != "direct" and not (mixed and gold.kind == "mixed"):
            continue
        for s, e in gold.fragments:
            stretches = quoted_stretches(article.text, s, e)
            if not stretches and gold.kind == "direct":
                stretches = [_strip(article.text, s, e)]
            out.extend((a, b, gold) for a, b in stretches if b > a)
    return out


def gold_reported(article: AnnotatedArticle) -> list[tuple[int, int, GoldAttribution]]:
    """Gold reported speech: indirect and mixed contents (first to last fragment)."""
    return [(g.fragments[0][0], g.fragments[-1][1], g) for g in article.attributions if g.kind in {"indirect", "mixed"}]


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


def cached_parses(texts: Sequence[str], folder: Path) -> list[Doc]:
    """``parse_texts`` of ``texts``, each parse kept in ``folder`` (keyed by the text's hash) and reused."""
    from spacy.tokens import DocBin

    from newsroundup.annotate.nlp import load_nlp, parse_texts

    folder.mkdir(parents=True, exist_ok=True)
    vocab = load_nlp().vocab
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    docs: dict[int, Doc] = {}
    missing = []
    for i, key in enumerate(keys):
        path = folder / f"{key}.spacy"
        if path.is_file():
            try:
                docs[i] = next(iter(DocBin().from_bytes(path.read_bytes()).get_docs(vocab)))
                continue
            except (ValueError, StopIteration, OSError):
                pass
        missing.append(i)
    step = 16
    for lo in range(0, len(missing), step):
        chunk = missing[lo : lo + step]
        for i, doc in zip(chunk, parse_texts([texts[i] for i in chunk]), strict=True):
            (folder / f"{keys[i]}.spacy").write_bytes(bytes(DocBin(docs=[doc], store_user_data=False).to_bytes()))
            docs[i] = doc
    return [docs[i] for i in range(len(texts))]


# --- peers -------------------------------------------------------------------------------------------

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
        start, end = _strip(text, m.start(group), m.end(group))
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
        start, end = _strip(doc.text, content.start_char, content.end_char)
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


# --- the run -----------------------------------------------------------------------------------------

THRESHOLDS = (0.3, 0.8)


def wire_marks(text: str) -> bool:
    """True for a text quoting with ''...'' (PolNeAR's NYT articles): there the annotators labelled
    every quotation ``indirect`` (1,287 of them, no ``direct`` one), so its direct gold is empty."""
    return "''" in text


def ours(article: AnnotatedArticle, doc: Doc) -> list[Found]:
    """newsroundup's attributions (direct and reported) of one parsed article."""
    from newsroundup.annotate.mentions import article_entities
    from newsroundup.annotate.quotes import attributions_in_article
    from newsroundup.model import Article

    record = Article(id=article.id, text=article.text, title=article.title or None)
    out = []
    for q in attributions_in_article(record, doc, article_entities(record, doc)):
        s_start, s_end = (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else (-1, -1)
        out.append(Found(q.kind, q.span.start, q.span.end, q.speaker, s_start, s_end))
    return out


def evaluate_polnear(
    path: Path,
    split: str = "dev",
    cache: Path | None = None,
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
    started = time.perf_counter()
    if cache is not None:
        docs = cached_parses([a.text for a in articles], cache)
    else:
        from newsroundup.annotate.nlp import parse_texts

        docs = parse_texts([a.text for a in articles])
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
