"""``audit --db`` against a large store: seconds per audited article, and how fast the store's index is built.

The store is built (or given with ``--store``) as ``bench_copy.py`` builds it: ``--articles`` distinct articles
of 12 real gva-stream-dev sentences each, added with the real ``add`` pipeline, which writes the full-text
index ``audit --db`` searches as it stores. The index alone is then built anew from the stored rows, as
``newsroundup db reindex`` builds it, and timed (the issue's "index build" rate). Then ``--audits`` stitched
articles, each 8 sentences from 3 stored articles (one with a number changed) and one sentence no stored
article has, are audited against the store in process (``audit_stored``, models loaded), and a few through the
``newsroundup audit --db`` command with its start-up. A claimed source is right when its span and the
sentence's original hold one another's words (sentences recur across these articles, so any article with the
sentence is right; the audit may split a stitched text's sentences otherwise than they were cut).

    .venv/bin/python benchmarks/bench_audit_store.py --articles 100000 --keep /work/cache/a100k.db
    .venv/bin/python benchmarks/bench_audit_store.py --store /work/cache/a100k.db

Writes benchmarks/results/audit_store.json.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_copy import add_store_arguments, build  # noqa: E402
from results_file import write_results  # noqa: E402

from newsroundup.evaluate.audit import words_of  # noqa: E402
from newsroundup.model import Article  # noqa: E402
from newsroundup.pipeline.audit import audit_stored  # noqa: E402
from newsroundup.store.base import open_store  # noqa: E402
from newsroundup.text.sentences import split_sentences  # noqa: E402

UNSOURCED = "A spokesman for the county said the review would take several weeks to finish."
_NUMBER = re.compile(r"\b\d+\b")
_WHOLE = re.compile(r"^[A-Z\"“][^\n]*[.!?][\"”]?$")  # a whole sentence: capital first, its full stop last


@cache
def whole_sentences(article: Article) -> list[str]:
    """The article's whole sentences of 8 words or more: no fragment ("UPDATE", "25, 2014)")."""
    texts = [article.text[s.start : s.end] for s in split_sentences(article.text)]
    return [t for t in texts if _WHOLE.match(t) and len(t.split()) >= 8]


def stitched(articles: list[Article], rng: random.Random) -> tuple[str, list[tuple[int, int, str | None]]]:
    """A text of 8 whole sentences from ``articles`` (one with a number changed) and one with no source; each
    sentence's span in the text with its original (None: it has none)."""
    picked: list[str] = []
    for article in articles:
        whole = whole_sentences(article)
        picked += [whole[i] for i in sorted(rng.sample(range(len(whole)), min(3, len(whole))))]
    originals: list[str | None] = list(picked[:8])
    sentences = [o for o in originals if o is not None]
    for n, sentence in enumerate(sentences):
        if _NUMBER.search(sentence):
            sentences[n] = _NUMBER.sub(lambda m: str(int(m.group()) + 3), sentence, count=1)
            break
    sentences.insert(len(sentences) // 2, UNSOURCED)
    originals.insert(len(originals) // 2, None)
    gold, at = [], 0
    for sentence, original in zip(sentences, originals, strict=True):
        gold.append((at, at + len(sentence), original))
        at += len(sentence) + 1
    return " ".join(sentences), gold


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_arguments(parser, "an existing SQLite store (built as bench_copy.py builds it)")
    parser.add_argument("--audits", type=int, default=30, help="stitched articles audited in process")
    parser.add_argument("--commands", type=int, default=3, help="of those, audited again by the command")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "audit_store.json")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store_path = args.store
        if store_path is None:
            store_path = args.keep or folder / "built.db"
            began = time.perf_counter()
            build(store_path, args.articles, args.stream, folder)
            seconds = time.perf_counter() - began
            results["build"] = {"articles": args.articles, "seconds": round(seconds, 1),
                                "articles_per_s": round(args.articles / seconds, 1)}
            print("build", results["build"], file=sys.stderr)
        rng = random.Random(15)
        with open_store(store_path, existing=True) as store:
            began = time.perf_counter()
            indexed = store.rebuild_search()
            seconds = time.perf_counter() - began
            results["index_rebuild"] = {"articles": indexed, "seconds": round(seconds, 1),
                                        "articles_per_s": round(indexed / seconds, 1)}
            print("index rebuild", results["index_rebuild"], file=sys.stderr)
            ids = [a.id for a in store.articles()]
            results["store_articles"] = len(ids)
            cases = []
            for _ in range(args.audits):
                articles = list(store.articles_by_id(rng.sample(ids, 3)))
                cases.append(stitched(articles, rng))
            audit_stored(store, Article("warm-up", cases[0][0]))  # load what the first audit loads, untimed
            timings, right, claims, sourced, found_unsourced = [], 0, 0, 0, 0
            for number, (text, originals) in enumerate(cases):
                began = time.perf_counter()
                run = audit_stored(store, Article(f"stitched-{number}", text))
                timings.append(time.perf_counter() - began)
                by_id = {a.id: a for a in run.sources}
                for start, end, original in originals:
                    said = max(run.audit.sentences, key=lambda x, g=(start, end): _overlap(g, (x.start, x.end)))
                    sourced += original is not None
                    if said.source is None:
                        found_unsourced += original is None
                        continue
                    claims += 1
                    cited = words_of(by_id[said.source.article].text[said.source.start : said.source.end])
                    # Splits may differ: a claim is right when the cited span and the original hold one another.
                    own = words_of(original) if original is not None else ""
                    right += bool(own and cited) and (own in cited or cited in own)
        results["in_process"] = {
            "audits": len(cases),
            "sentences": sum(len(o) for _, o in cases),
            "seconds_per_article_median": round(statistics.median(timings), 3),
            "seconds_per_article_max": round(max(timings), 3),
            "provenance_precision": round(right / max(claims, 1), 4),
            "provenance_recall": round(right / max(sourced, 1), 4),
            "unsourced_found": f"{found_unsourced} of {len(cases)}",
        }
        print("in process", results["in_process"], file=sys.stderr)
        command = []
        for number, (text, _) in enumerate(cases[: args.commands]):
            path = folder / f"stitched-{number}.txt"
            path.write_text(text, encoding="utf-8")
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "newsroundup", "audit", str(path), "--db", str(store_path), "--format", "json",
                 "--quiet"],
                check=True, capture_output=True,
            )
            command.append(time.perf_counter() - began)
        results["command_with_startup"] = {"runs": len(command), "seconds": [round(s, 2) for s in command]}
        print("command", results["command_with_startup"], file=sys.stderr)
    write_results(results, args.out)


if __name__ == "__main__":
    main()
