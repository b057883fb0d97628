"""A real ``newsroundup serve`` for tests and the web benchmark: the example store and a server subprocess.

``build_web_store`` runs the real pipeline (``newsroundup run``) over examples/events and
fixtures/hostile.jsonl — an article whose title, outlet and text carry ``<script>``, an ``onerror=``
attribute and a ``javascript:`` URL. ``start_server`` runs ``newsroundup serve`` on a store as a
subprocess on a free loopback port and returns once it says it is serving.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from newsroundup.cli import main
from newsroundup.store import Store

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "examples" / "events"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile.jsonl"
HOSTILE_ARTICLE = "hostile-harbour-notice"
READY = re.compile(r"serving (http://\S+)")
READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class WebStore:
    """The built store and the ids the tests look for in it."""

    db: Path
    story_ids: tuple[str, ...]  # every live story, most recently seen first
    hostile_story: str  # the story holding the hostile article
    ferry_story: str  # the story with the most articles (the ferry strike: 11 articles, 4 outlets)


@dataclass(frozen=True)
class LiveServer:
    """A running ``newsroundup serve``: its base URL (no trailing slash) and the lines it wrote to stderr."""

    url: str
    process: subprocess.Popen[str]
    stderr: list[str]


def build_web_store(folder: Path) -> WebStore:
    """Run the examples and the hostile article through ``newsroundup run`` into ``folder``/news.db."""
    db = folder / "news.db"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["run", str(EVENTS), str(HOSTILE), "--db", str(db), "--out", str(folder / "site"), "--quiet"])
    if code != 0:
        raise RuntimeError(f"newsroundup run failed ({code}): {err.getvalue()}")
    with Store(db) as store:
        rows = store.story_rows()
        hostile = next(r.id for r in rows if HOSTILE_ARTICLE in store.story_article_ids(r.id))
        ferry = max(rows, key=lambda r: r.articles).id
    return WebStore(db, tuple(r.id for r in rows), hostile, ferry)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, *options: str) -> LiveServer:
    """Start ``newsroundup serve --db DB OPTIONS`` on a free port; return once it says it is serving."""
    command = [sys.executable, "-m", "newsroundup", "serve", "--db", str(db), "--port", str(free_port()), *options]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def drain(stream: IO[str]) -> None:
        # read stderr for the server's whole life so that a chatty server never blocks on a full pipe
        for line in stream:
            lines.append(line.rstrip("\n"))
            if READY.search(line):
                ready.set()
        ready.set()  # the stream closed: the process has ended

    assert process.stderr is not None
    threading.Thread(target=drain, args=(process.stderr,), daemon=True).start()
    ready.wait(READY_TIMEOUT)
    found = next((m for m in map(READY.search, lines) if m), None)
    if process.poll() is not None or found is None:
        ended = process.poll()
        stop_server(process)
        why = f"exited with code {ended}" if ended is not None else f"was not serving after {READY_TIMEOUT:.0f} s"
        output = "\n".join(lines)
        raise RuntimeError(f"`{' '.join(command)}` {why}:\n{output}")
    return LiveServer(found.group(1).rstrip("/"), process, lines)


def stop_server(process: subprocess.Popen[str]) -> None:
    """Stop the server: SIGTERM, then SIGKILL if it has not exited within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
