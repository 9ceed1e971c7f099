"""Every store over one database connection, for the composition root and tests."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from bot.storage.alerts import SqliteAlertStore
from bot.storage.analyses import SqliteAnalysisStore
from bot.storage.articles import SqliteArticleStore
from bot.storage.database import open_database
from bot.storage.meta import SqliteMetaStore
from bot.storage.outbox import SqliteOutbox
from bot.storage.quotes import SqliteQuoteStore
from bot.storage.sources import SqliteSourceStore
from bot.storage.state import SqliteStateStore
from bot.storage.stories import SqliteStoryStore
from bot.storage.subscriptions import SqliteSubscriptionStore


@dataclass(frozen=True, slots=True)
class Storage:
    """The stores, sharing one connection; `close()` when done."""

    db: Database
    sources: SqliteSourceStore
    articles: SqliteArticleStore
    analyses: SqliteAnalysisStore
    state: SqliteStateStore
    stories: SqliteStoryStore
    alerts: SqliteAlertStore
    subscriptions: SqliteSubscriptionStore
    outbox: SqliteOutbox
    quotes: SqliteQuoteStore
    meta: SqliteMetaStore

    @classmethod
    def open(cls, path: str | Path) -> Storage:
        """Open and migrate the database at `path` (or ":memory:") and build every store.

        Raises:
            StorageError: when the database cannot be opened.
        """
        db = open_database(path)
        return cls(
            db=db,
            sources=SqliteSourceStore(db),
            articles=SqliteArticleStore(db),
            analyses=SqliteAnalysisStore(db),
            state=SqliteStateStore(db),
            stories=SqliteStoryStore(db),
            alerts=SqliteAlertStore(db),
            subscriptions=SqliteSubscriptionStore(db),
            outbox=SqliteOutbox(db),
            quotes=SqliteQuoteStore(db),
            meta=SqliteMetaStore(db),
        )

    def atomic(self) -> AbstractContextManager[Database]:
        """One transaction over every store: all of its writes commit, or none (nestable)."""
        return self.db.atomic()

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by SQLite on the last close)."""
        self.db.close()
