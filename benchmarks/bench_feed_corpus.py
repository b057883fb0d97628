"""Real-world feed files: feedparser's own test corpus through ``add``, against feedparser directly.

The corpus is the ``tests/`` folder of feedparser's source distribution (2,000+ RSS, Atom, RDF and
CDF files, well-formed and ill-formed, in many encodings: written by feedparser's authors to cover
what feeds in the wild do); ``pip download feedparser --no-binary :all: --no-deps`` fetches it into
``--cache`` when it is not there. For each ``.xml`` file:

- feedparser: ``feedparser.parse(bytes)`` and its entries; an entry is *article material* when it has
  a web link (a page to fetch) or text (a description or content with words in it).
- ours: ``parse_feed``, the entries our feed source reads (each to be stored as it is, or its page
  fetched); and ``newsroundup add FILE`` into a fresh store. The corpus links to example.org-style
  hosts: where the machine reaches none (as where this was measured) every page fetch fails, so the
  store holds the entries with text (partial when they had a link) and a link-only entry is reported
  as its page failing; a networked machine can only store more.

Reported: entries read over feedparser's entries and over its article material, entries stored over
those with text; feeds lost
(feedparser finds article material, we keep none); every "unexpected" failure; the entries we read
that feedparser's article material has not (none expected) and the reverse, with a file and reason for
each. Target: >= 99.5 % of the article material read and of the entries with text stored, 0 feeds lost
to one bad entry, 0 unexpected.

    .venv/bin/python benchmarks/bench_feed_corpus.py
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "feed_corpus.json"
TARGET = 0.995


def corpus(cache: Path) -> Path:
    """feedparser's ``tests/`` folder for the installed version, downloaded and unpacked once."""
    release = version("feedparser")
    tests = cache / f"feedparser-{release}" / "tests"
    if tests.is_dir():
        return tests
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"feedparser=={release}", "--no-binary", ":all:", "--no-deps",
         "-d", str(cache)], check=True, capture_output=True,
    )
    with tarfile.open(cache / f"feedparser-{release}.tar.gz") as archive:
        archive.extractall(cache, filter="data")
    return tests


def has_text(entry: Any) -> bool:
    """Whether a feedparser entry has text with a word in it (a description or content): storable as it is."""
    from newsroundup.sources.feeds import html_to_text

    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    return any(ch.isalnum() for ch in html_to_text(html or ""))


def material(entry: Any) -> bool:
    """Whether a feedparser entry can become an article: a web link (a page to fetch), or text."""
    from newsroundup.sources.urls import is_web_url

    link = entry.get("link")
    return (isinstance(link, str) and is_web_url(link.strip())) or has_text(entry)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsroundup-feed-corpus")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (smoke runs)")
    args = parser.parse_args()

    import feedparser

    from newsroundup.errors import SourceError
    from newsroundup.pipeline.add import AddOptions, add_sources
    from newsroundup.sources.feeds import parse_feed
    from newsroundup.sources.fetch import FetchOptions
    from newsroundup.store import Store

    tests = corpus(args.cache)
    files = sorted(p for p in tests.rglob("*.xml") if p.is_file())[: args.limit]
    options = AddOptions(fetch=FetchOptions(retries=0, timeout=2.0, delay=0.0, respect_robots=False))
    totals: Counter[str] = Counter()
    lost_feeds: list[dict[str, Any]] = []
    unexpected: list[str] = []
    short: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="feed-corpus-") as scratch:
        for n, path in enumerate(files):
            data = path.read_bytes()
            name = str(path.relative_to(tests))
            theirs = feedparser.parse(data).entries
            useful = sum(material(e) for e in theirs)
            texts = sum(has_text(e) for e in theirs)
            totals["feedparser_with_text"] += texts
            totals["files"] += 1
            totals["feedparser_entries"] += len(theirs)
            totals["feedparser_material"] += useful
            try:
                ours = len(parse_feed(data, name).entries)
            except SourceError:
                ours = 0
            totals["read"] += ours
            with Store(Path(scratch) / f"{n}.db") as store, contextlib.redirect_stderr(io.StringIO()):
                report = add_sources([str(path)], store, options)
                stored = len(store.articles())
            totals["stored"] += stored
            totals["partial"] += report.partial
            unexpected += [f for f in report.failures if ": unexpected " in f]
            if useful and not ours:
                lost_feeds.append({"file": name, "material": useful, "failures": report.failures[:3]})
            if ours < useful or stored < texts:
                short.append({"file": name, "feedparser": useful, "with_text": texts, "read": ours, "stored": stored,
                              "failures": report.failures[:3]})
            (Path(scratch) / f"{n}.db").unlink(missing_ok=True)
    read_share = totals["read"] / max(1, totals["feedparser_material"])
    stored_share = totals["stored"] / max(1, totals["feedparser_with_text"])
    results = {
        "corpus": f"feedparser {version('feedparser')} sdist tests/ (*.xml)",
        "machine_load": os.getloadavg()[0],
        "seconds": round(time.perf_counter() - started, 1),
        **totals,
        "read_of_material": round(read_share, 4),
        "read_of_all_entries": round(totals["read"] / max(1, totals["feedparser_entries"]), 4),
        "stored_offline_of_material": round(totals["stored"] / max(1, totals["feedparser_material"]), 4),
        "stored_offline_of_text": round(totals["stored"] / max(1, totals["feedparser_with_text"]), 4),
        "feeds_lost": len(lost_feeds),
        "unexpected": len(unexpected),
        "target_read_share": TARGET,
        "met": read_share >= TARGET and stored_share >= TARGET and not lost_feeds and not unexpected,
        "lost_feeds": lost_feeds[:50],
        "files_short": short[:100],
        "unexpected_failures": unexpected[:50],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if not isinstance(v, list)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
