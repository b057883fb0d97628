"""Generate the audit development set: stitched articles from real multi-source clusters, with planted defects.

Each case stitches sentences of the real reports of one Multi-News cluster (shared/data/multinews-dev)
into one "article" and plants labelled defects: sentences from a report left out of the source pool
(``no_source``), a sentence from a gun-violence report of another incident (gva-stream-dev;
``off_topic``, with its report in the pool or not), a misspelt name (``misspelling``), a quote given
to another speaker of the cluster (``misattributed_quote``), a changed number (``changed_fact``) and
pronoun openings cut from the sentence naming their referent (``dangling_reference``; any pronoun
opening whose source predecessor is not in the article is labelled so). Reports of other clusters
join the pool as distractors. Cases are split by cluster (crc32 of its id) into ``fit`` and
``heldout``. Seeded: the same data and seed give the same file. The data stays outside the repo.

``--corpus duc2004`` stitches DUC 2004's newswire clusters (AP and New York Times, 1998-2000) instead, by
the same rules: the stray sentence comes from a report of another DUC cluster (another story of the same
years), and every case is ``heldout``. DUC 2004 is evaluation only: nothing of the audit is chosen on it.
``--strays clusters`` keeps Multi-News but takes the stray sentence from a report of another Multi-News cluster
of the case's own split (another web story, of any kind) instead of a gun-violence report.

    .venv/bin/python benchmarks/make_audit_dev.py [--data ../shared/data] [--out /work/cache/audit/audit-dev.jsonl]
    .venv/bin/python benchmarks/make_audit_dev.py --corpus duc2004 --out /work/cache/audit/audit-duc2004.jsonl
    .venv/bin/python benchmarks/make_audit_dev.py --strays clusters --out /work/cache/audit/audit-clusters.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import zlib
from pathlib import Path
from typing import Any

from newsroundup.text.sentences import split_sentences

# Openings that need a person or group named before ("It" is left out: it is often impersonal).
PERSON_PRONOUNS = frozenset({"he", "she", "they", "his", "her", "their"})
_SAID_NAME = re.compile(r"(?:said|says|added|told reporters)\s+((?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]{2,})")
_NAME_SAID = re.compile(r"((?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]{2,})\s+(?:said|says|added)\b")
_QUOTE = re.compile(r"(?:[“\"]|``).{8,}?(?:[”\"]|'')")  # newswire archives write ``quotes''
_NUMBER = re.compile(r"\b\d{1,4}\b")
_NAME_TOKEN = re.compile(r"(?<=\s)[A-Z][a-z]{4,}\b")


def good_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences worth stitching: prose of 8 to 60 words, not page furniture."""
    out = []
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        n = len(sentence.split())
        if (
            8 <= n <= 60
            and sentence[0].isupper() | (sentence[0] in '“"`')
            and sentence[-1] in ".!?\"”'"
            and "http" not in sentence
            and "@" not in sentence
            and "|" not in sentence
        ):
            out.append((span.start, span.end))
    return out


def plain(text: str) -> str:
    """Lower-cased words only, single-spaced: text as compared for copies."""
    return " ".join(re.findall(r"\w+", text.lower()))


def opening(sentence: str) -> str:
    """The first word, lower-cased, without quotes."""
    match = re.match(r"[\"“‘'(]*([A-Za-z]+)", sentence)
    return match.group(1).lower() if match else ""


def misspell(word: str, rng: random.Random) -> str:
    """A typo of a name: two inner letters swapped, one dropped or one doubled."""
    i = rng.randrange(1, len(word) - 2)
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def speakers(texts: list[str]) -> list[str]:
    """Names given as speakers ("said Jane Smith", "Smith said") in the cluster's reports."""
    found = []
    for text in texts:
        for pattern in (_SAID_NAME, _NAME_SAID):
            found += [m.group(1) for m in pattern.finditer(text) if m.group(1).split()[0] not in {"The", "He", "She"}]
    return sorted(set(found))


def make_case(
    cluster: dict[str, Any],
    others: list[dict[str, Any]],
    strays: list[dict[str, Any]],
    rng: random.Random,
    split: str | None = None,
) -> dict[str, Any] | None:
    """One stitched article with its pool and gold labels, or None when the cluster is too thin.

    ``strays``: reports of other stories, one of which gives the off-topic sentence; ``split``: the case's
    split, else by a hash of the cluster id."""
    docs = [d for d in cluster["documents"] if len(good_sentences(d["text"])) >= 4]
    if len(docs) < 2:
        return None
    withheld = docs.pop(rng.randrange(len(docs))) if len(docs) >= 3 else None
    pool = [{"id": d["id"], "text": d["text"], "outlet": f"outlet-{d['id']}"} for d in docs]
    items: list[dict[str, Any]] = []  # {"text", "source": {...} | None, "defects": set, "doc", "index"}
    for doc in docs:
        sentences = good_sentences(doc["text"])
        for _ in range(rng.randint(2, 3)):
            i = rng.randrange(len(sentences))
            for j in range(i, min(i + rng.randint(1, 2), len(sentences))):
                start, end = sentences[j]
                items.append(
                    {
                        "text": doc["text"][start:end],
                        "source": {"article": doc["id"], "start": start, "end": end},
                        "defects": set(),
                        "doc": doc["id"],
                        "index": j,
                    }
                )
    # Pronoun openings cut from their referent: a sentence opening with a pronoun, without the one before it.
    for doc in docs:
        sentences = good_sentences(doc["text"])
        openers = [
            j for j, (s, e) in enumerate(sentences) if j and opening(doc["text"][s:e]) in {"he", "she", "they", "it"}
        ]
        if openers and rng.random() < 0.7:
            j = rng.choice(openers)
            start, end = sentences[j]
            items.append(
                {
                    "text": doc["text"][start:end],
                    "source": {"article": doc["id"], "start": start, "end": end},
                    "defects": set(),
                    "doc": doc["id"],
                    "index": j,
                }
            )
    # Deduplicate, keep a source's sentences in its order, interleave sources.
    seen: set[tuple[str, int]] = set()
    items = [it for it in items if (it["doc"], it["index"]) not in seen and not seen.add((it["doc"], it["index"]))]
    rng.shuffle(items)
    items.sort(key=lambda it: (it["index"] // 3, it["doc"]))
    plant_edits(items, docs, rng)
    if withheld is not None:
        sentences = good_sentences(withheld["text"])
        # Only sentences no pool report carries (reports of one cluster often copy each other).
        carried = " ".join(plain(d["text"]) for d in docs)
        sentences = [(s, e) for s, e in sentences if plain(withheld["text"][s:e]) not in carried]
        for start, end in rng.sample(sentences, min(2, len(sentences))):
            items.insert(
                rng.randrange(1, len(items)),
                {
                    "text": withheld["text"][start:end],
                    "source": None,
                    "defects": {"no_source"},
                    "doc": withheld["id"],
                    "index": -1,
                },
            )
    report = rng.choice(strays)
    start, end = rng.choice(good_sentences(report["text"]))
    in_pool = rng.random() < 0.5
    if in_pool:
        pool.append({"id": report["id"], "text": report["text"], "outlet": report["outlet"]})
    items.insert(
        rng.randrange(1, len(items)),
        {
            "text": report["text"][start:end],
            "source": {"article": report["id"], "start": start, "end": end} if in_pool else None,
            "defects": {"off_topic"} | (set() if in_pool else {"no_source"}),
            "doc": report["id"],
            "index": good_sentences(report["text"]).index((start, end)) if in_pool else -1,
        },
    )
    for other in rng.sample(others, 3):
        d = rng.choice(other["documents"])
        pool.append({"id": d["id"], "text": d["text"], "outlet": f"outlet-{d['id']}"})
    label_dangling(items, {d["id"]: d["text"] for d in docs})
    text, gold = "", []
    for number, item in enumerate(items):
        if number:
            text += "\n\n" if number % 3 == 0 else " "
        gold.append(
            {
                "start": len(text),
                "end": len(text) + len(item["text"]),
                "source": item["source"],
                "defects": sorted(item["defects"]),
            }
        )
        text += item["text"]
    rng.shuffle(pool)
    split = split or split_of(cluster)
    return {
        "id": f"audit-{cluster['id']}",
        "cluster": cluster["id"],
        "split": split,
        "article": {"id": f"stitched-{cluster['id']}", "text": text},
        "sources": pool,
        "gold": gold,
    }


def split_of(cluster: dict[str, Any]) -> str:
    """A Multi-News cluster's split, by a hash of its id."""
    return "fit" if zlib.crc32(cluster["id"].encode()) % 2 == 0 else "heldout"


def plant_edits(items: list[dict[str, Any]], docs: list[dict[str, Any]], rng: random.Random) -> None:
    """A misspelt name, a quote given to another speaker and a changed number, each in a different sentence."""
    traced = [it for it in items if it["source"] is not None]
    rng.shuffle(traced)
    names = speakers([d["text"] for d in docs])
    wanted = ["misattributed_quote", "misspelling", "changed_fact"]
    for kind in wanted:
        for item in traced:
            if item["defects"]:
                continue
            edited = edit(kind, item["text"], names, rng)
            if edited and edited != item["text"]:
                item["text"] = edited
                item["defects"].add(kind)
                break


def edit(kind: str, sentence: str, names: list[str], rng: random.Random) -> str | None:
    """``sentence`` with one planted defect of ``kind``, or None when it has nothing to plant it on."""
    if kind == "misspelling":
        found = [m for m in _NAME_TOKEN.finditer(sentence)]
        if not found:
            return None
        m = rng.choice(found)
        return sentence[: m.start()] + misspell(m.group(), rng) + sentence[m.end() :]
    if kind == "changed_fact":
        found = [m for m in _NUMBER.finditer(sentence)]
        if not found:
            return None
        m = rng.choice(found)
        return sentence[: m.start()] + str(int(m.group()) + rng.randint(1, 9)) + sentence[m.end() :]
    quote = _QUOTE.search(sentence)
    if not quote:
        return None
    for pattern in (_SAID_NAME, _NAME_SAID):
        for m in pattern.finditer(sentence):
            if quote.start() <= m.start(1) < quote.end():
                continue
            speaker = m.group(1)
            others = [n for n in names if n.split()[-1] != speaker.split()[-1] and speaker.split()[-1] not in n]
            if others:
                return sentence[: m.start(1)] + rng.choice(others) + sentence[m.end(1) :]
    return None


def label_dangling(items: list[dict[str, Any]], texts: dict[str, str]) -> None:
    """Label pronoun openings whose source predecessor is not right before them, nor anywhere earlier."""
    placed: set[tuple[str, int]] = set()
    for item in items:
        if (
            item["source"] is not None
            and item["index"] > 0
            and opening(item["text"]) in PERSON_PRONOUNS
            and item["text"][0] not in "\"“‘'`"
            and (item["doc"], item["index"] - 1) not in placed
        ):
            item["defects"].add("dangling_reference")
        placed.add((item["doc"], item["index"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("/work/cache/audit/audit-dev.jsonl"))
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--corpus", choices=("multinews", "duc2004"), default="multinews", help="whose clusters to stitch"
    )
    parser.add_argument(
        "--strays",
        choices=("gva", "clusters"),
        default="gva",
        help="where a Multi-News case's off-topic sentence comes from: a gun-violence report (gva-stream-dev), or "
        "a report of another Multi-News cluster of the same split (DUC always takes another DUC cluster's)",
    )
    args = parser.parse_args()
    duc = args.corpus == "duc2004"
    from_clusters = duc or args.strays == "clusters"
    clusters_file = "duc2004/clusters.jsonl" if duc else "multinews-dev/clusters.jsonl"
    clusters = [json.loads(line) for line in (args.data / clusters_file).open()]
    gva = [] if from_clusters else [json.loads(line) for line in (args.data / "gva-stream-dev/stream.jsonl").open()]
    gva = [a for a in gva if len(good_sentences(a["text"])) >= 3]
    # Stray sentences from other clusters' reports: each cluster's usable reports, found once.
    usable = {
        c["id"]: [{**d, "outlet": f"outlet-{d['id']}"} for d in c["documents"] if len(good_sentences(d["text"])) >= 3]
        for c in clusters
    } if from_clusters else {}
    rng = random.Random(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    counts = {"fit": 0, "heldout": 0}
    with args.out.open("w") as out:
        for cluster in clusters:
            others = [c for c in clusters if c["id"] != cluster["id"]]
            # Multi-News strays come from clusters of the case's own split, so held-out text stays out of fit cases.
            kin = others if duc else [c for c in others if split_of(c) == split_of(cluster)]
            strays = gva or [d for c in kin for d in usable[c["id"]]]
            case = make_case(cluster, others, strays, rng, split="heldout" if duc else None)
            if case:
                counts[case["split"]] += 1
                out.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}: {counts}")


if __name__ == "__main__":
    main()
