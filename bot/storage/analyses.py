"""The article-analysis cache: one JSON blob per article, tagged with the analyser version."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from bot.storage.codec import dumps, loads


class SqliteAnalysisStore:
    """Cached analyses; a different version means the cached one is stale."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, article_id: int, version: str) -> Any | None:
        """The cached analysis of an article if it was made by `version`, else None."""
        row = self._db.execute(
            "SELECT json FROM analyses WHERE article_id = ? AND version = ?",
            [article_id, version],
        ).fetchone()
        return None if row is None else loads(row[0])

    def put(self, article_id: int, version: str, data: Any) -> None:
        """Cache (or replace) the analysis of an article."""
        self._db.execute(
            """
            INSERT INTO analyses (article_id, version, json) VALUES (?, ?, ?)
            ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, json = excluded.json
            """,
            [article_id, version, dumps(data)],
        )

    def invalidate(self, version: str | None = None) -> int:
        """Drop cached analyses not made by `version` (all when None); returns how many."""
        if version is None:
            return self._db.execute("DELETE FROM analyses").rowcount
        return self._db.execute("DELETE FROM analyses WHERE version != ?", [version]).rowcount
