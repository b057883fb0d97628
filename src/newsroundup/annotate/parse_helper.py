"""The second process that parses beside the first (``python -m newsroundup.annotate.parse_helper``), and
its side in the first process: texts go over in length-prefixed frames, parses come back as DocBin bytes."""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
from typing import IO, TYPE_CHECKING

from newsroundup.annotate.nlp import _pipe, _pos_rules, load_nlp

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class ParseHelper:
    """A child process (``python -m newsroundup.annotate.parse_helper``) with its own copy of the model.

    A plain subprocess rather than multiprocessing: nothing of the caller's ``__main__`` is imported
    again in the child. Requests and answers are length-prefixed frames on its stdin and stdout.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "newsroundup.annotate.parse_helper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._ready = threading.Event()
        self._busy = threading.Lock()  # one hand-over at a time: frames of two threads must not interleave
        self._broken = False
        threading.Thread(target=self._wait_ready, daemon=True).start()
        atexit.register(self.close)

    def _wait_ready(self) -> None:
        try:
            if read_frame(self._stdout()) == READY:
                self._ready.set()
                return
        except OSError:
            pass
        self._broken = True

    def _stdout(self) -> IO[bytes]:
        assert self._process.stdout is not None
        return self._process.stdout

    def ready(self) -> bool:
        """True once the helper has loaded its model (until then this process parses alone)."""
        return self._ready.is_set() and not self._broken

    def acquire(self) -> bool:
        """Take the helper for one hand-over if it is ready and no other thread is using it."""
        return self.ready() and self._busy.acquire(blocking=False)

    def release(self) -> None:
        self._busy.release()

    def parse(self, texts: list[str]) -> bool:
        """Hand ``texts`` over; False (and no more hand-overs) if the helper is gone."""
        try:
            assert self._process.stdin is not None
            write_frame(self._process.stdin, json.dumps(texts).encode("utf-8"))
            return True
        except OSError:
            self._broken = True
            return False

    def collect(self, nlp: Language) -> list[Doc] | None:
        """The docs of the last hand-over in this process's vocabulary, or None if the helper failed."""
        from spacy.tokens import DocBin

        try:
            return list(DocBin().from_bytes(read_frame(self._stdout())).get_docs(nlp.vocab))
        except (OSError, ValueError):
            self._broken = True
            return None

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(len(payload).to_bytes(8, "big") + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> bytes:
    """One length-prefixed frame; OSError when the stream ends before it does."""
    head = stream.read(8)
    size = int.from_bytes(head, "big") if len(head) == 8 else -1
    payload = stream.read(size) if size >= 0 else b""
    if size < 0 or len(payload) != size:
        raise OSError("the parse helper closed its output")
    return payload


READY = b"ready"


def serve_parses(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The helper's loop: load the model, say so, then parse each request until stdin closes."""
    from spacy.tokens import DocBin

    load_nlp()
    _pos_rules()
    write_frame(answers, READY)
    while True:
        try:
            texts = json.loads(read_frame(requests))
        except OSError:
            return
        write_frame(answers, bytes(DocBin(docs=_pipe(texts), store_user_data=False).to_bytes()))


if __name__ == "__main__":
    serve_parses(sys.stdin.buffer, sys.stdout.buffer)
