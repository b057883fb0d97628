"""Who said what in many articles on two cores: a second process (``python -m
newsroundup.annotate.attribution_worker``) parses and attributes batches from the end of the articles while
this one does them from the front.

Parsing alone on two cores (the parse helper of ``nlp.parse_texts``) leaves the second core idle while the
first finds the attributions; here each process does both for its own batches, so the export of a
thousand articles keeps both cores busy from start to end. Batches go over as pickles in length-prefixed
frames (parent and child are the same installation), after a first frame with the parent's parse-cache
settings, so both read and fill the same cache. Should the worker fail, its batches are done here.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from typing import IO

from newsroundup.annotate import nlp, parses
from newsroundup.annotate.parse_helper import read_frame, write_frame
from newsroundup.model import Article, Quote

BATCH = 16  # articles parsed together
_LEAST_BATCHES = 4  # fewer, and starting a second process costs more than it saves


def attribute_batch(articles: Sequence[Article]) -> list[list[Quote]]:
    """Every attribution of each of ``articles`` (``quotes.attributions_in_article``), parsed together."""
    from newsroundup.annotate.mentions import article_entities
    from newsroundup.annotate.quotes import attributions_in_article

    docs = nlp.parse_texts([a.text for a in articles])
    return [attributions_in_article(a, doc, article_entities(a, doc)) for a, doc in zip(articles, docs, strict=True)]


def attributions_of(articles: Sequence[Article]) -> Iterator[tuple[Article, list[Quote]]]:
    """Each of ``articles`` with its attributions, in order. With enough batches, two cores and the parse
    helper allowed (``nlp.configure``), a worker process takes batches from the end while this process
    takes them from the front, so each does what it has time for; the worker's come out after."""
    batches = [articles[lo : lo + BATCH] for lo in range(0, len(articles), BATCH)]
    claims = _Claims(len(batches))
    worker = None
    if len(batches) >= _LEAST_BATCHES and (os.cpu_count() or 1) >= 2 and nlp.helper_allowed():
        worker = AttributionWorker.start(batches, claims)
    elif (warm := _take_warm()) is not None:
        _stop(warm)  # too little to share
    if worker is None:
        for batch in batches:
            yield from zip(batch, attribute_batch(batch), strict=True)
        return
    helper = nlp.configure(parse_helper=False)  # each process parses its own batches on its own core
    try:
        done = 0
        while (k := claims.front()) is not None:
            yield from zip(batches[k], attribute_batch(batches[k]), strict=True)
            done = k + 1
        for k in range(done, len(batches)):
            found = worker.answer(k)
            yield from zip(batches[k], attribute_batch(batches[k]) if found is None else found, strict=True)
    finally:
        nlp.configure(parse_helper=helper)
        worker.close()


class _Claims:
    """The numbers of the batches nobody took yet: this process takes from the front, the worker from the back."""

    def __init__(self, count: int) -> None:
        self._left = deque(range(count))
        self._lock = threading.Lock()

    def front(self) -> int | None:
        with self._lock:
            return self._left.popleft() if self._left else None

    def back(self) -> int | None:
        with self._lock:
            return self._left.pop() if self._left else None


class AttributionWorker:
    """The child process, a thread handing it batches (two at a time in flight, so it never waits for the
    next) and a thread collecting its answers."""

    def __init__(self, process: subprocess.Popen[bytes], batches: list[Sequence[Article]], claims: _Claims) -> None:
        self._process = process
        self._answers: dict[int, list[list[Quote]]] = {}
        self._over = False
        self._changed = threading.Condition()
        self._in_flight = threading.Semaphore(2)
        self._sent: queue.Queue[int | None] = queue.Queue()
        threading.Thread(target=self._send, args=(batches, claims), daemon=True).start()
        threading.Thread(target=self._collect, daemon=True).start()

    @classmethod
    def start(cls, batches: list[Sequence[Article]], claims: _Claims) -> AttributionWorker | None:
        """A worker (the one ``warm_up`` started, if any) taking ``batches`` from the back of ``claims``;
        None when it cannot be started."""
        process = _take_warm() or _spawn()
        return None if process is None else cls(process, batches, claims)

    def _send(self, batches: list[Sequence[Article]], claims: _Claims) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            write_frame(stdin, pickle.dumps(parses.current().settings))
            while self._in_flight.acquire() and not self._over and (k := claims.back()) is not None:
                self._sent.put(k)
                write_frame(stdin, pickle.dumps(list(batches[k])))
            stdin.close()
        except OSError:
            pass  # the worker is gone: the collector says so
        finally:
            self._sent.put(None)

    def _collect(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while (k := self._sent.get()) is not None:
                answer = pickle.loads(read_frame(stdout))
                with self._changed:
                    self._answers[k] = answer
                    self._changed.notify_all()
                self._in_flight.release()
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
        with self._changed:
            self._over = True  # no more answers: the batches it has not answered are done here
            self._changed.notify_all()
        self._in_flight.release()

    def answer(self, k: int) -> list[list[Quote]] | None:
        """The attributions of batch ``k`` once the worker has them, or None if it never will (do it here)."""
        with self._changed:
            self._changed.wait_for(lambda: k in self._answers or self._over)
            return self._answers.pop(k, None)

    def close(self) -> None:
        _stop(self._process)


_warm: subprocess.Popen[bytes] | None = None  # started by ``warm_up``, not given batches yet
_warm_lock = threading.Lock()


def warm_up() -> None:
    """Start the worker now, when ``attributions_of`` is likely to want one (two cores, the helper allowed): it
    loads its model while this process reads the articles. Unused, it is stopped when this process ends."""
    global _warm
    if (os.cpu_count() or 1) < 2 or not nlp.helper_allowed():
        return
    with _warm_lock:
        if _warm is None:
            _warm = _spawn()


def _take_warm() -> subprocess.Popen[bytes] | None:
    global _warm
    with _warm_lock:
        process, _warm = _warm, None
    return process


def _spawn() -> subprocess.Popen[bytes] | None:
    """A new worker process (stopped when this one ends), or None when it cannot be started."""
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsroundup.annotate.attribution_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None
    atexit.register(_stop, process)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The worker's loop: load the model, take the parent's parse-cache settings, then answer each batch
    until stdin closes."""
    import newsroundup.annotate.quotes  # noqa: F401  (loaded before the first batch arrives)

    nlp.load_nlp()
    nlp.configure(parse_helper=False)
    try:
        parses.configure(pickle.loads(read_frame(requests)))
    except OSError:
        return  # warmed up and never used
    while True:
        try:
            batch = pickle.loads(read_frame(requests))
        except OSError:
            return
        write_frame(answers, pickle.dumps(attribute_batch(batch)))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
