"""Stage options from the Settings and the command's flags: enrichment (with the alias file), grouping, fetching."""

from __future__ import annotations

from newsroundup.annotate.aliases import alias_table
from newsroundup.errors import NewsroundupError
from newsroundup.grouping.options import GroupingOptions
from newsroundup.pipeline.add import AddOptions
from newsroundup.pipeline.load import LoadRules
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.settings import Settings
from newsroundup.sources.fetch import FetchOptions


def enrich_options(settings: Settings) -> EnrichOptions:
    """Enrichment as the settings say: the built-in aliases, with the alias file on top when one is set."""
    return EnrichOptions(aliases=alias_table(settings.aliases))


def grouping_options(settings: Settings) -> GroupingOptions:
    """Story matching for a new (or regrouped) store or archive: the learned pair scorer, or the hand-set rule."""
    return GroupingOptions(learned=settings.grouping == "learned")


def add_options(
    settings: Settings, command: str, *, allow_private: bool, ignore_robots: bool, delay: float, timeout: float,
    retries: int,
) -> AddOptions:
    """How ``add`` and ``run`` fetch and extract; a one-line error for a bad number."""
    if delay < 0 or timeout <= 0 or retries < 0:
        raise NewsroundupError(f"{command}: --delay and --retries must be >= 0, --timeout > 0")
    fetch = FetchOptions(
        allow_private=allow_private, respect_robots=not ignore_robots, delay=delay, timeout=timeout, retries=retries
    )
    return AddOptions(fetch=fetch, load=LoadRules(extraction=settings.extraction))
