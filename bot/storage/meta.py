"""Small named values the bot keeps between runs (rule-set health, last reload error)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from bot.storage.codec import dumps, loads


class SqliteMetaStore:
    """A key/value table of JSON values."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under `key`, or `default`."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return default if row is None else loads(row[0])

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under `key`."""
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, dumps(value)],
        )

    def delete(self, key: str) -> bool:
        """Forget `key`; False when it was not set."""
        return self._db.execute("DELETE FROM meta WHERE key = ?", [key]).rowcount > 0
