"""The article store: SQLite by default; other backends would sit behind the same interface."""

from newsroundup.store.sqlite import (
    FeedState,
    FeedStatus,
    Store,
    StoreStatus,
    default_db_path,
)
from newsroundup.store.stories import GroupingState, RoundupVersion, StoryRow, roundup_from_dict

__all__ = [
    "FeedState",
    "FeedStatus",
    "GroupingState",
    "RoundupVersion",
    "Store",
    "StoreStatus",
    "StoryRow",
    "default_db_path",
    "roundup_from_dict",
]
