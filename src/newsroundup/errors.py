"""Our exception types: each carries a message a user can act on; the CLI prints it on one line."""


class NewsroundupError(Exception):
    """Base of every error newsroundup raises on purpose."""


class InputError(NewsroundupError):
    """An input (file, folder, URL, record) cannot be used; the message names it and the problem."""


class SourceError(InputError):
    """A feed, page, file or item could not be added; ``kind`` names the failure for the store."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class CheckError(NewsroundupError):
    """A roundup broke the provenance invariant: a sentence does not match its cited span."""


class DataError(NewsroundupError):
    """Evaluation or benchmark data is missing or malformed."""
