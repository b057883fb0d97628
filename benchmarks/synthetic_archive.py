"""A synthetic archive of any size made from the real, dated gva-stream-dev articles (for bench_archive.py).

Pass 0 is the 2,011 real articles as they are. Each later pass k re-dates every article 5 × k years on (the
stream spans 4.2 years, so passes never share a grouping window) and perturbs its words: three quarters
of the content words of the stream's vocabulary (not stopwords, not day or month names, three letters or
more) are replaced, for the whole pass, by another word of about the same frequency (shuffled within bands
of 50 frequency ranks), keeping their capitals; a later sentence is dropped and two later sentences
swapped. One mapping per pass keeps the articles of one incident sharing their words (and so their names
and content words) as the real ones do, while articles of different passes share too few 3-word shingles
to be copies of each other (a lighter perturbation, such as new names alone, leaves them above the copy
test's Jaccard of 0.45, and the archive would be mostly copies; at three quarters, 4 of 4,022 pairs of an
article and its perturbed version are still copies: one-line texts and a search form). In every pass 5% of
the articles get a planted copy: the same text under a wire credit, two hours later, from another outlet,
which the copy test must find.

The text is therefore real in its shape (sentence lengths, stopwords, punctuation, datelines, quotes) and
only partly in its words: it measures cost, and the agreement of engines with each other, not quality.

    PYTHONPATH=src python benchmarks/synthetic_archive.py --articles 20000 --out /tmp/archive-20k.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from newsroundup.text.date_expressions import CALENDAR_WORDS
from newsroundup.text.tokens import STOPWORDS

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSROUNDUP_DATA", ROOT.parent / "shared" / "data"))
PASS_YEARS = 5
COPY_SHARE = 0.05
REPLACED_SHARE = 0.75
BAND = 50
_WORD = re.compile(r"[A-Za-z]{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def real_articles() -> list[dict[str, Any]]:
    """The gva-stream-dev articles in stream order, with the fields an archive input takes (and the gold)."""
    with (DATA / "gva-stream-dev" / "stream.jsonl").open(encoding="utf-8") as lines:
        return [
            {k: row[k] for k in ("id", "url", "outlet", "title", "text", "published", "gold")}
            for row in map(json.loads, lines)
        ]


def _vocabulary(articles: list[dict[str, Any]]) -> list[str]:
    """Content words of the stream (lower case), most frequent first."""
    counts: Counter[str] = Counter()
    for article in articles:
        for word in _WORD.findall(f"{article['title']} {article['text']}"):
            low = word.lower()
            if low not in STOPWORDS and low not in CALENDAR_WORDS:
                counts[low] += 1
    return [word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def word_map(vocabulary: list[str], rng: random.Random) -> dict[str, str]:
    """One pass's replacements: three quarters of the words, each by another of its frequency band."""
    mapping: dict[str, str] = {}
    for start in range(0, len(vocabulary), BAND):
        band = vocabulary[start : start + BAND]
        chosen = [w for w in band if rng.random() < REPLACED_SHARE]
        targets = chosen[:]
        rng.shuffle(targets)
        mapping.update((w, t) for w, t in zip(chosen, targets, strict=True) if w != t)
    return mapping


def _cased(word: str, replacement: str) -> str:
    if word.isupper():
        return replacement.upper()
    if word[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def perturb(text: str, mapping: dict[str, str], rng: random.Random) -> str:
    """``text`` with the pass's words replaced, a later sentence dropped and two later ones swapped."""
    text = _WORD.sub(lambda m: _cased(m.group(), mapping.get(m.group().lower(), m.group().lower())), text)
    sentences = _SENTENCE_END.split(text)
    if len(sentences) > 4:
        del sentences[rng.randrange(2, len(sentences))]
        i, j = rng.sample(range(1, len(sentences)), 2)
        sentences[i], sentences[j] = sentences[j], sentences[i]
    return " ".join(sentences)


def _shifted(published: str, days: int) -> str:
    """An ISO date or datetime ``days`` later, in the same form."""
    if len(published) == 10:
        return (datetime.fromisoformat(published) + timedelta(days=days)).date().isoformat()
    return (datetime.fromisoformat(published.replace("Z", "+00:00")) + timedelta(days=days)).isoformat()


def synthetic_records(articles: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``articles`` records: the real stream, then perturbed passes, each with its planted copies."""
    base = real_articles()
    vocabulary = _vocabulary(base)
    made = 0
    for number in range(1_000_000):
        rng = random.Random(seed * 1_000_003 + number)
        mapping = word_map(vocabulary, rng) if number else {}
        for article in base:
            if made >= articles:
                return
            record = dict(article)
            if number:
                record["id"] = f"{article['id']}~p{number}"
                record["url"] = f"{article['url']}#p{number}"
                record["title"] = perturb(article["title"], mapping, rng)
                record["text"] = perturb(article["text"], mapping, rng)
                record["published"] = _shifted(article["published"], number * PASS_YEARS * 365)
                record["gold"] = f"{article['gold']}~p{number}"
            yield record
            made += 1
            if rng.random() < COPY_SHARE and made < articles:
                yield _copy(record)
                made += 1


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    """A wire copy of ``record``: the same text under a credit line, two hours later, from another outlet."""
    published = record["published"]
    when = datetime.fromisoformat(published if len(published) > 10 else published + "T12:00:00")
    return record | {
        "id": f"{record['id']}~copy",
        "url": f"https://wire.example/{record['id'].replace('/', '-')}",
        "outlet": "wire.example",
        "text": f"(Wire Services) {record['text']}\n\nDistributed by Wire Services.",
        "published": (when + timedelta(hours=2)).isoformat(),
        "copy_of": record["id"],
    }


def write_synthetic(path: Path, articles: int, seed: int = 0) -> dict[str, int]:
    """Write ``articles`` synthetic records to ``path`` (JSONL); the counts of real, perturbed and copied ones."""
    mix = {"real": 0, "perturbed": 0, "planted_copies": 0}
    with path.open("w", encoding="utf-8") as out:
        for record in synthetic_records(articles, seed):
            copy_of = record.pop("copy_of", None)
            record.pop("gold", None)
            key = "planted_copies" if copy_of else ("perturbed" if "~p" in record["id"] else "real")
            mix[key] += 1
            out.write(json.dumps(record) + "\n")
    return mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(write_synthetic(args.out, args.articles, args.seed)))


if __name__ == "__main__":
    main()
