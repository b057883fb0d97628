"""Progress of a long ``add`` on the terminal (rich), and one line per failure either way."""

from __future__ import annotations

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
        """One item is done; ``error: ...`` and ``warning: ...`` notes are printed on their own line."""
        if not outcome.startswith("warning: "):
            self._done += 1
            self._bar.update(self._task, completed=self._done, description=item[-60:])
        if outcome.startswith(("error: ", "warning: ")) and not self._quiet:
            self.console.print(f"newsroundup: {outcome}", markup=False, highlight=False, soft_wrap=True)
