"""Progress on stderr for long work: ``add``'s live counter (one line per failure either way) and a plain bar."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from newsroundup.render.markdown import terminal_text


def terminal_line(text: str) -> str:
    """``text`` as one line a terminal shows as written: no control characters (escape sequences), no line breaks.

    Item names and failure reasons carry text from the input (titles, outlet names, URLs).
    """
    return " ".join(terminal_text(text).split("\n")).replace("\t", " ")


def say(line: str) -> None:
    """Print ``line`` on stderr, made safe for a terminal by :func:`terminal_line`."""
    print(terminal_line(line), file=sys.stderr, flush=True)


class AddProgress:
    """A live "items done" counter for ``add``; silent when quiet, plain when not on a terminal."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._quiet = quiet
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]adding"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
            disable=quiet or not self.console.is_terminal,
        )
        self._task = self._bar.add_task("", total=None)
        self._done = 0

    def __enter__(self) -> AddProgress:
        self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.stop()

    def __call__(self, item: str, outcome: str) -> None:
        """One item is done; ``error: ...`` notes are printed on their own line, and ``warning: ...`` notes
        unless quiet: a run that exits 1 always says which input failed and why."""
        if not outcome.startswith("warning: "):
            self._done += 1
            self._bar.update(self._task, completed=self._done, description=terminal_line(item)[-60:])
        if outcome.startswith("error: ") or (outcome.startswith("warning: ") and not self._quiet):
            self.console.print(f"newsroundup: {terminal_line(outcome)}", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def progress_bar(label: str, total: int, quiet: bool = False) -> Iterator[Callable[[], None]]:
    """Yield a function that advances a progress bar of ``total`` steps (a no-op when quiet)."""
    if quiet or not sys.stderr.isatty():
        yield lambda: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)
