"""Alerts as recorded before delivery: the rule, the article, and the serialised message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.domain.models import Severity
from bot.domain.records import StoredAlert
from bot.storage.codec import dumps, from_ts, loads, ts

MAX_LIMIT = 10_000  # a guard against mistakes, far above any page a user sees

_SELECT = "SELECT al.*, a.source AS source FROM alerts al JOIN articles a ON a.id = al.article_id"


def _alert(row: dict[str, Any]) -> StoredAlert:
    return StoredAlert(
        id=row["id"],
        rule_id=row["rule_id"],
        article_id=row["article_id"],
        severity=Severity(row["severity"]),
        tags=tuple(loads(row["tags"])),
        created=from_ts(row["created"]),
        message=loads(row["message"]),
        key=row["key"],
        story_id=row["story_id"],
        parent_alert_id=row["parent_alert_id"],
        new=bool(row["new"]),
        speaker=row["speaker"],
        source=row["source"],
    )


class SqliteAlertStore:
    """Every alert the engine raised, follow-ups included."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        *,
        rule_id: str,
        article_id: int,
        severity: Severity,
        tags: Iterable[str],
        message: dict[str, Any],
        created: datetime,
        key: str | None = None,
        story_id: int | None = None,
        parent_alert_id: int | None = None,
        new: bool = True,
        speaker: str | None = None,
    ) -> int:
        """Record an alert and return its id. `speaker` feeds `recent(speaker=...)`."""
        cursor = self._db.execute(
            """
            INSERT INTO alerts (rule_id, article_id, story_id, key, severity, tags, created,
                message, parent_alert_id, new, speaker)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                rule_id,
                article_id,
                story_id,
                key,
                Severity(severity).value,
                dumps(list(tags)),
                ts(created),
                dumps(message),
                parent_alert_id,
                int(new),
                speaker,
            ],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def set_message(self, alert_id: int, message: dict[str, Any]) -> None:
        """Replace an alert's serialised message (e.g. once its id is known to it)."""
        self._db.execute("UPDATE alerts SET message = ? WHERE id = ?", [dumps(message), alert_id])

    def get(self, alert_id: int) -> StoredAlert | None:
        """The alert with this id, or None."""
        rows = list(self._db.query(_SELECT + " WHERE al.id = ?", [alert_id]))
        return _alert(rows[0]) if rows else None

    def recent(
        self,
        limit: int = 20,
        *,
        rule: str | None = None,
        speaker: str | None = None,
        source: str | None = None,
        since: datetime | None = None,
    ) -> list[StoredAlert]:
        """The newest alerts first, optionally for one rule, speaker or source."""
        clauses: list[str] = []
        params: list[Any] = []
        if rule is not None:
            clauses.append("al.rule_id = ?")
            params.append(rule)
        if speaker is not None:
            clauses.append("al.speaker = ?")
            params.append(speaker)
        if source is not None:
            clauses.append("a.source = ?")
            params.append(source)
        if since is not None:
            clauses.append("al.created >= ?")
            params.append(ts(since))
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._db.query(
            f"{_SELECT}{where} ORDER BY al.created DESC, al.id DESC LIMIT ?",
            [*params, max(1, min(int(limit), MAX_LIMIT))],
        )
        return [_alert(r) for r in rows]

    def first_in_story(self, story_id: int, rule_id: str) -> StoredAlert | None:
        """The first alert a rule raised for a story (the parent of follow-ups), or None."""
        rows = list(
            self._db.query(
                _SELECT + " WHERE al.story_id = ? AND al.rule_id = ? ORDER BY al.id LIMIT 1",
                [story_id, rule_id],
            )
        )
        return _alert(rows[0]) if rows else None

    def for_story(self, story_id: int, rule_id: str) -> list[StoredAlert]:
        """Every alert a rule raised for a story, oldest first (the first one and follow-ups)."""
        rows = self._db.query(
            _SELECT + " WHERE al.story_id = ? AND al.rule_id = ? ORDER BY al.id",
            [story_id, rule_id],
        )
        return [_alert(r) for r in rows]

    def for_article(self, article_id: int) -> list[StoredAlert]:
        """Every alert raised for one article, oldest first."""
        rows = self._db.query(_SELECT + " WHERE al.article_id = ? ORDER BY al.id", [article_id])
        return [_alert(r) for r in rows]

    def count(self) -> int:
        """How many alerts are stored."""
        return int(self._db.execute("SELECT count(*) FROM alerts").fetchone()[0])
