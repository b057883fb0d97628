"""The article store: SQLite by default; other backends would sit behind the same interface."""

from newsroundup.store.sqlite import (
    FeedState,
    FeedStatus,
    Store,
    StoreStatus,
    default_db_path,
)

__all__ = ["FeedState", "FeedStatus", "Store", "StoreStatus", "default_db_path"]
