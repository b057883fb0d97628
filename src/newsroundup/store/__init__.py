"""The article store: SQLite by default; other backends would sit behind the same interface."""

from newsroundup.store.search import ArticleHit, EntityMention, StoryHit
from newsroundup.store.sqlite import (
    FeedState,
    FeedStatus,
    Store,
    StoreStatus,
    default_db_path,
)
from newsroundup.store.stories import GroupingState, RoundupVersion, StoryRow

__all__ = [
    "ArticleHit",
    "EntityMention",
    "FeedState",
    "FeedStatus",
    "GroupingState",
    "RoundupVersion",
    "Store",
    "StoreStatus",
    "StoryHit",
    "StoryRow",
    "default_db_path",
]
