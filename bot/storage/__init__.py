"""Storage layer: the SQLite database behind every pipeline stage (the only home of SQL)."""

from __future__ import annotations

from bot.storage.alerts import SqliteAlertStore
from bot.storage.analyses import SqliteAnalysisStore
from bot.storage.articles import SqliteArticleStore
from bot.storage.bundle import Storage
from bot.storage.database import open_database
from bot.storage.dedupe import content_hash, normalize_url
from bot.storage.meta import SqliteMetaStore
from bot.storage.outbox import SqliteOutbox, delivery_key
from bot.storage.quotes import SqliteQuoteStore
from bot.storage.sources import SqliteSourceStore
from bot.storage.state import SqliteStateStore
from bot.storage.stories import SqliteStoryStore
from bot.storage.subscriptions import SqliteSubscriptionStore

__all__ = [
    "SqliteAlertStore",
    "SqliteAnalysisStore",
    "SqliteArticleStore",
    "SqliteMetaStore",
    "SqliteOutbox",
    "SqliteQuoteStore",
    "SqliteSourceStore",
    "SqliteStateStore",
    "SqliteStoryStore",
    "SqliteSubscriptionStore",
    "Storage",
    "content_hash",
    "delivery_key",
    "normalize_url",
    "open_database",
]
