"""PolNeAR (annotated news attributions): find and load the articles, and the gold spans they are scored against.

Gold: every attribution the annotators marked has a content span (``start``/``end``, or ``fragments``
when discontinuous), a speaker as written and a kind (``direct``, ``indirect``, ``mixed``). Direct
gold quotes are the quoted stretches of direct and mixed contents (each fragment's text between its
outer quotation marks); reported gold is the content of indirect and mixed attributions.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.errors import DataError, InputError

POLNEAR_FILE = "articles.jsonl"
_REPO_ROOT = Path(__file__).resolve().parents[3]
_OPEN = '“"‘'
_CLOSE = '”"’'


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
    closers = ""
    i = start
    while i < end:
        ch = text[i]
        if depth_open is None and ch in _OPEN and (i == start or not text[i - 1].isalnum()):
            depth_open = i + 1
            # A double mark is closed by a double mark (curly or straight), a single one by a single one:
            # the ’ of a quote inside a quote (“no ‘boots on the ground,’ when ...”) does not end it.
            closers = "’" if ch == "‘" else '”"'
        elif (
            depth_open is not None
            and ch in closers
            and (i + 1 >= end or not text[i + 1].isalnum())
            and (ch != "’" or text[i - 1] != "s")
        ):
            out.append((depth_open, i))
            depth_open = None
        i += 1
    if depth_open is not None:
        out.append((depth_open, end))
    return [(s, e) for s, e in (strip_marks(text, s, e) for s, e in out) if e > s]


def strip_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved inwards past spaces and quotation marks (and a trailing comma)."""
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
                stretches = [strip_marks(article.text, s, e)]
            out.extend((a, b, gold) for a, b in stretches if b > a)
    return out


def gold_reported(article: AnnotatedArticle) -> list[tuple[int, int, GoldAttribution]]:
    """Gold reported speech: indirect and mixed contents (first to last fragment)."""
    return [(g.fragments[0][0], g.fragments[-1][1], g) for g in article.attributions if g.kind in {"indirect", "mixed"}]


def tool_options(parser: argparse.ArgumentParser, limit: str) -> None:
    """The options every PolNeAR script and benchmark takes: ``--data``, ``--limit`` (``limit``: its help)
    and ``--cache``."""
    parser.add_argument("--data", type=Path, help="PolNeAR articles.jsonl (default ../shared/data/polnear-dev)")
    parser.add_argument("--limit", type=int, help=limit)
    parser.add_argument(
        "--cache", type=Path, help="the parse cache folder (default: parses/ in the cache folder of the settings)"
    )


def keep_parses(cache: Path | None) -> None:
    """Keep a tool's parses in ``cache``, else in parses/ of the settings' cache folder, as the CLI does
    (up to 4 GiB: PolNeAR's 924 articles fit many times)."""
    from newsroundup.annotate import parses
    from newsroundup.settings import load_settings

    folder = cache or load_settings(os.environ).cache / "parses"
    parses.configure(parses.CacheSettings(folder=folder, disk_bytes=4 * 2**30))
