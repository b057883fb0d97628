"""kill -9 at random points of ``newsroundup run``, and what the finished store and site must equal.

Shared by ``tests/pipeline/test_kill9.py`` (a few kills, slow tier) and ``benchmarks/bench_kill9.py`` (20).
The input is real ``run`` input: the bundled examples folder (text files and a JSONL file) and, served by a
loopback server, an RSS feed of article pages (the examples again, four weeks later, as HTML pages with their
own outlet and date), so a kill can land while files are read, pages fetched, copies linked, stories grouped,
roundups written or pages of the site replaced.

What is compared (``store_snapshot``, ``site_snapshot``) is everything a run leaves, except what records *when*
it happened: ``fetched_at``, poll and failure times, ``updated_at``, a roundup's ``created_at``, and in the
Atom feed each entry's ``<updated>`` (that time) and the entries' order (newest first by that time).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from loopback import LoopbackServer
from newsroundup.model import Article
from newsroundup.pipeline.load import load_articles

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "examples" / "events"
ATOM = "{http://www.w3.org/2005/Atom}"
FETCH_FLAGS = ["--allow-private", "--delay", "0", "--timeout", "10", "--retries", "0"]

# Columns that say when something happened; everything else must be equal after a finished re-run.
TIME_COLUMNS = {
    "articles": {"seq", "fetched_at"},  # seq: the store's own row numbers (compared as an order, see below)
    "signatures": {"seq"},
    # a killed run may have polled the feed once more, and then the last poll found fewer new entries
    "feeds": {"last_polled_at", "polls", "last_new", "last_status"},
    "failures": {"first_at", "last_at", "count"},
    "robots": {"fetched_at"},
    "grouping": {"updated_at", "article_seq"},  # article_seq: compared as the article it names
    "stories": {"updated_at"},
    "roundup_versions": {"created_at"},
}
TABLES = (
    "articles", "aliases", "signatures", "feeds", "failures", "robots", "grouping", "grouping_stories", "stories",
    "story_articles", "roundup_versions",
)


# -- the input -------------------------------------------------------------------------------------


def later_edition(weeks: int = 4) -> list[Article]:
    """The example articles as another edition ``weeks`` later: own outlets' pages, own last line."""
    articles = load_articles([EVENTS]).articles
    shift = timedelta(weeks=weeks)
    return [
        replace(
            a,
            published=a.published + shift if a.published else None,
            text=f"{a.text}\n\nThis report appeared in the later edition of the {a.outlet or 'wire'} news pages.",
        )
        for a in articles
    ]


def article_html(article: Article) -> str:
    """An article page as outlets write it: site name and date in the head, navigation and footer around it."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n\n") if p.strip())
    published = article.published.isoformat() if article.published else ""
    title = escape(article.title or "Untitled")
    outlet = escape(article.outlet or "News")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}"></head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/weather">Weather</a></nav>
<main><article><h1>{title}</h1>
{paragraphs}
</article></main>
<footer>Copyright 2026 {outlet}. All rights reserved.</footer>
</body></html>"""


def serve_articles(web: LoopbackServer, articles: Sequence[Article], name: str) -> str:
    """Serve ``articles`` as pages listed in one RSS feed at ``/NAME.xml``; return the feed's URL."""
    items = []
    for n, article in enumerate(articles):
        url = web.add(f"/{name}/{n}", article_html(article).encode("utf-8"))
        date = article.published.strftime("%a, %d %b %Y %H:%M:%S GMT") if article.published else ""
        items.append(
            f"<item><title>{escape(article.title or '')}</title><link>{url}</link>"
            f"<pubDate>{date}</pubDate><description>{escape(article.text[:200])}</description></item>"
        )
    channel = f"<channel><title>{name}</title>{''.join(items)}</channel>"
    feed = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    return web.add(f"/{name}.xml", feed.encode("utf-8"), headers={"Content-Type": "application/rss+xml"}, etag='"e1"')


def run_command(sources: Sequence[str], db: Path, out: Path, *extra: str) -> list[str]:
    """``newsroundup run`` as a command line, this checkout's package first."""
    return [
        sys.executable, "-m", "newsroundup", "run", *sources, "--db", str(db), "--out", str(out),
        *FETCH_FLAGS, *extra,
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


# -- runs and kills --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One start of ``run``: killed after ``delay`` seconds, or finished before that."""

    delay: float  # after the start, or after the end of the stage before the one aimed at
    killed: bool
    seconds: float  # how long it ran
    returncode: int
    stage: str  # the stage it was in: add (starting up included), group, roundups, site, or done
    stored: dict[str, int]  # rows and site files right after it ended

    def to_json(self) -> dict[str, Any]:
        return {
            "delay": round(self.delay, 3), "killed": self.killed, "seconds": round(self.seconds, 3),
            "returncode": self.returncode, "stage": self.stage, "stored": self.stored,
        }


@dataclass(frozen=True)
class Finished:
    """A run that went to the end: its wall time and when (seconds from its start) each stage ended."""

    seconds: float
    stage_ends: dict[str, float]  # add, group, roundups, site

    def window(self, stage: str) -> tuple[float, float]:
        """When ``stage`` ran, from the end of the one before (0 for the first) to its own end."""
        before = self.before(stage)
        return (self.stage_ends[before] if before else 0.0), self.stage_ends[stage]

    @staticmethod
    def before(stage: str) -> str | None:
        """The stage that runs before ``stage`` (None for the first)."""
        order = list(STAGE_LINES)
        return order[order.index(stage) - 1] if order.index(stage) else None


# The summary line each stage writes when it is done.
STAGE_LINES = {"add": "newsroundup: added ", "group": "newsroundup: grouped ", "roundups": "newsroundup: roundups: ",
               "site": "newsroundup: site: "}


def finished_run(command: list[str], log: Path) -> Finished:
    """Run to the end, noting when each stage's summary line came; raises when it fails."""
    start = time.perf_counter()
    ends: dict[str, float] = {}
    with log.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), text=True, errors="replace"
        )
        assert process.stderr is not None
        for line in process.stderr:
            err.write(line)
            for stage, prefix in STAGE_LINES.items():
                if line.startswith(prefix):
                    ends.setdefault(stage, time.perf_counter() - start)
        process.wait()
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {tail}")
    return Finished(time.perf_counter() - start, ends)


def killed_run(
    command: list[str], delay: float, log: Path, db: Path, out: Path, *, after: str | None = None
) -> Attempt:
    """Start ``run`` in its own process group and SIGKILL the whole group ``delay`` seconds after it started,
    or, with ``after``, ``delay`` seconds after it wrote that stage's summary line (so that a kill lands in the
    next stage however loaded the machine is). A run that ends first is not killed."""
    start = time.perf_counter()
    began = threading.Event()
    with log.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), start_new_session=True,
            text=True, errors="replace",
        )

        def copy() -> None:  # the child's stderr to the log, noting when the stage ``after`` ended
            assert process.stderr is not None
            for line in process.stderr:
                err.write(line)
                err.flush()
                if after is not None and line.startswith(STAGE_LINES[after]):
                    began.set()
            began.set()  # the run ended (or was killed): nothing more to wait for

        reader = threading.Thread(target=copy, daemon=True)
        reader.start()
        try:
            if after is None:
                began.set()
            began.wait()
            process.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            killed = True
        finally:  # also when this process is interrupted: no run is left behind
            if process.returncode is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            reader.join()
    seconds = time.perf_counter() - start
    return Attempt(delay, killed, seconds, process.returncode, stage_of(log.read_text(errors="replace")),
                   counts(db, out))


def stage_of(stderr: str) -> str:
    """The stage a run was in, from the summary lines it wrote before it ended (``done``: all written)."""
    lines = stderr.splitlines()
    done = {stage for stage, prefix in STAGE_LINES.items() if any(line.startswith(prefix) for line in lines)}
    return next((stage for stage in STAGE_LINES if stage not in done), "done")


def counts(db: Path, out: Path) -> dict[str, int]:
    """Articles, stories, roundup versions and site files there now."""
    found = {"articles": 0, "stories": 0, "versions": 0}
    if db.exists():
        with _read(db) as con:
            for key, table in (("articles", "articles"), ("stories", "stories"), ("versions", "roundup_versions")):
                with contextlib.suppress(sqlite3.OperationalError):  # killed before the schema was made
                    found[key] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    found["site_files"] = sum(1 for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    return found


def _read(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


# -- what a finished run leaves --------------------------------------------------------------------


def store_snapshot(db: Path) -> dict[str, Any]:
    """Every table a run writes, without the columns that record times; rows sorted; texts by digest."""
    snapshot: dict[str, Any] = {}
    with _read(db) as con:
        for table in TABLES:
            cursor = con.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            keep = [i for i, n in enumerate(names) if n not in TIME_COLUMNS.get(table, set())]
            rows = [tuple(_plain(table, names[i], row[i]) for i in keep) for row in cursor.fetchall()]
            snapshot[table] = sorted(json.dumps(r, default=str) for r in rows)
        # Articles in the order they were stored (it breaks ties when grouping by time).
        snapshot["article_order"] = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY seq")]
        # The last article grouping has read, by id (row numbers may have gaps: AUTOINCREMENT).
        snapshot["grouped_up_to"] = con.execute(
            "SELECT a.id FROM articles a, grouping g WHERE a.seq <= g.article_seq ORDER BY a.seq DESC LIMIT 1"
        ).fetchall()
        snapshot["integrity"] = con.execute("PRAGMA integrity_check").fetchone()[0]
    return snapshot


def _plain(table: str, column: str, value: Any) -> Any:
    """A value as compared: long texts and blobs by digest, a roundup's JSON without its time."""
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if table == "roundup_versions" and column == "roundup":
        data = json.loads(value)
        _drop_times(data)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()
    if table in {"grouping", "grouping_stories"} and column == "state":  # same state, sets in hash order
        value = json.dumps(json.loads(value), sort_keys=True)
    if isinstance(value, str) and len(value) > 200:
        return hashlib.sha256(value.encode("utf-8")).hexdigest()
    return value


def _drop_times(data: Any) -> None:
    """Remove keys that hold when a roundup was made (``created``/``created_at``/``generated_at``)."""
    if isinstance(data, dict):
        for key in ("created", "created_at", "generated_at"):
            data.pop(key, None)
        for value in data.values():
            _drop_times(value)
    elif isinstance(data, list):
        for value in data:
            _drop_times(value)


def site_snapshot(out: Path, db: Path) -> dict[str, str]:
    """Every file of the site (hidden ones too) by path, with its digest; the times of the store ``db`` (when
    each roundup was written, each article fetched) replaced by one mark; the Atom feed's entries in id order."""
    stamps = _time_strings(db)
    files: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if name == "feed.atom":
            data = _timeless_feed(data)
        if path.suffix in {".html", ".json", ".atom"}:
            text = data.decode("utf-8")
            for stamp in stamps:
                text = text.replace(stamp, "[time]")
            data = text.encode("utf-8")
        files[name] = hashlib.sha256(data).hexdigest()
    return files


def _time_strings(db: Path) -> list[str]:
    """The times the store recorded (roundups written, articles fetched, stories updated) as pages show them."""
    with _read(db) as con:
        values = [
            row[0] for query in (
                "SELECT created_at FROM roundup_versions", "SELECT fetched_at FROM articles",
                "SELECT updated_at FROM stories",
            ) for row in con.execute(query)
        ]
    stamps: set[str] = set()
    for value in values:
        when = datetime.fromisoformat(value).astimezone(UTC)
        stamps |= {value, when.isoformat(), when.strftime("%Y-%m-%dT%H:%M:%SZ"), when.strftime("%Y-%m-%d %H:%M UTC")}
    return sorted(stamps, key=len, reverse=True)


def _timeless_feed(data: bytes) -> bytes:
    """The feed's entries without ``<updated>`` (when each roundup was written), in id order."""
    root = ET.fromstring(data)
    for parent in [root, *root.findall(f"{ATOM}entry")]:
        for updated in parent.findall(f"{ATOM}updated"):
            parent.remove(updated)
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        root.remove(entry)
    for entry in sorted(entries, key=lambda e: e.findtext(f"{ATOM}id") or ""):
        root.append(entry)
    for element in root.iter():
        element.tail = None
        element.text = element.text.strip() if element.text else None
    return ET.tostring(root)


def differences(a: dict[str, Any], b: dict[str, Any], label: str) -> list[str]:
    """One line per key whose value differs between two snapshots (store or site)."""
    lines = []
    for key in sorted(a.keys() | b.keys()):
        if a.get(key) == b.get(key):
            continue
        va, vb = a.get(key), b.get(key)
        if isinstance(va, list) and isinstance(vb, list) and key != "article_order":
            only_a, only_b = sorted(set(va) - set(vb)), sorted(set(vb) - set(va))
            lines.append(f"{label} {key}: {len(only_a)} rows only in the clean run, {len(only_b)} only after kills"
                         f" (e.g. {(only_a or only_b)[:1]})")
        else:
            lines.append(f"{label} {key}: {str(va)[:120]} != {str(vb)[:120]}")
    return lines
