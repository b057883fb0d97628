"""The article store: SQLite by default, PostgreSQL (store/postgres/) behind the same interface (store/base.py)."""

from newsroundup.store.feeds import FeedState, FeedStatus, StoreStatus
from newsroundup.store.search import ArticleHit, EntityMention, StoryHit
from newsroundup.store.sqlite import Store, default_db_path
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
