"""Rule state in SQLite: tracked values with their history, and realert times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.storage.codec import dumps, from_ts, loads, ts


class SqliteStateStore:
    """The SQLite implementation of `bot.domain.ports.StateStore`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get_tracked(self, rule_id: str, key: str) -> Any | None:
        """The last recorded value for (rule, key), or None."""
        row = self._db.execute(
            "SELECT value FROM rule_state WHERE rule_id = ? AND key = ?", [rule_id, key]
        ).fetchone()
        return None if row is None else loads(row[0])

    def set_tracked(
        self, rule_id: str, key: str, value: Any, *, at: datetime, article_ref: str | None
    ) -> None:
        """Record a new value for (rule, key) and append it to the history."""
        params = [rule_id, key, dumps(value), ts(at), article_ref]
        with self._db.atomic():
            self._db.execute(
                """
                INSERT INTO rule_state (rule_id, key, value, at, article_ref)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (rule_id, key) DO UPDATE SET
                    value = excluded.value, at = excluded.at, article_ref = excluded.article_ref
                """,
                params,
            )
            self._db.execute(
                "INSERT INTO rule_state_history (rule_id, key, value, at, article_ref)"
                " VALUES (?, ?, ?, ?, ?)",
                params,
            )

    def tracked_history(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        """Every recorded value, oldest first: {rule_id, key, value, at, article_ref}."""
        sql = "SELECT * FROM rule_state_history"
        params: list[Any] = []
        if rule_id is not None:
            sql += " WHERE rule_id = ?"
            params.append(rule_id)
        return [
            {
                "rule_id": r["rule_id"],
                "key": r["key"],
                "value": loads(r["value"]),
                "at": from_ts(r["at"]),
                "article_ref": r["article_ref"],
            }
            for r in self._db.query(sql + " ORDER BY id", params)
        ]

    def last_alerted(self, rule_id: str, key: str) -> datetime | None:
        """When (rule, key) was last announced, for `realert` windows."""
        row = self._db.execute(
            "SELECT at FROM realert WHERE rule_id = ? AND key = ?", [rule_id, key]
        ).fetchone()
        return None if row is None else from_ts(row[0])

    def set_alerted(self, rule_id: str, key: str, at: datetime) -> None:
        """Remember that (rule, key) was announced at `at`."""
        self._db.execute(
            "INSERT INTO realert (rule_id, key, at) VALUES (?, ?, ?)"
            " ON CONFLICT (rule_id, key) DO UPDATE SET at = excluded.at",
            [rule_id, key, ts(at)],
        )
