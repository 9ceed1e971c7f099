"""Sources and their scheduling state (next poll, ETag, Last-Modified, failures)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.domain.models import SourceKind, SourceSpec, SourceState
from bot.storage.codec import from_ts_or_none, ts, ts_or_none

_SELECT = """
    SELECT s.*, (SELECT count(*) FROM articles a WHERE a.source = s.name) AS articles
    FROM sources s
"""
# In an upsert: the stored source still points at the same resource.
_SAME = "(sources.kind = excluded.kind AND sources.location = excluded.location)"


def _state(row: dict[str, Any]) -> SourceState:
    return SourceState(
        name=row["name"],
        kind=SourceKind(row["kind"]),
        location=row["location"],
        interval_s=row["interval_s"],
        enabled=bool(row["enabled"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_poll=from_ts_or_none(row["next_poll"]),
        last_polled=from_ts_or_none(row["last_polled"]),
        last_ok=from_ts_or_none(row["last_ok"]),
        failures=row["failures"],
        last_error=row["last_error"],
        articles=row["articles"],
    )


class SqliteSourceStore:
    """Declared sources plus everything the poller must remember between runs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, spec: SourceSpec) -> SourceState:
        """Add a source or update its declaration, keeping its scheduling state.

        A changed location or kind is a different resource: its validators (ETag,
        Last-Modified) are dropped and it is polled at the next tick.
        """
        self._db.execute(
            f"""
            INSERT INTO sources (name, kind, location, interval_s, enabled)
            VALUES (:name, :kind, :location, :interval_s, :enabled)
            ON CONFLICT (name) DO UPDATE SET
                kind = excluded.kind,
                location = excluded.location,
                interval_s = excluded.interval_s,
                enabled = excluded.enabled,
                etag = CASE WHEN {_SAME} THEN etag END,
                last_modified = CASE WHEN {_SAME} THEN last_modified END,
                next_poll = CASE WHEN {_SAME} THEN next_poll END
            """,
            {
                "name": spec.name,
                "kind": spec.kind.value,
                "location": spec.location,
                "interval_s": spec.interval_s,
                "enabled": int(spec.enabled),
            },
        )
        state = self.get(spec.name)
        assert state is not None  # just written
        return state

    def get(self, name: str) -> SourceState | None:
        """The source called `name`, or None."""
        rows = list(self._db.query(_SELECT + " WHERE s.name = ?", [name]))
        return _state(rows[0]) if rows else None

    def list(self) -> builtins.list[SourceState]:
        """Every source, by name."""
        return [_state(r) for r in self._db.query(_SELECT + " ORDER BY s.name")]

    def remove(self, name: str) -> bool:
        """Forget a source (its articles stay); False when there was none."""
        return self._db.execute("DELETE FROM sources WHERE name = ?", [name]).rowcount > 0

    def set_enabled(self, name: str, enabled: bool) -> bool:
        """Pause or resume a source; False when there is no such source."""
        cursor = self._db.execute(
            "UPDATE sources SET enabled = ? WHERE name = ?", [int(enabled), name]
        )
        return cursor.rowcount > 0

    def due(self, now: datetime) -> builtins.list[SourceState]:
        """Enabled sources whose next poll time has come (never polled ones first)."""
        rows = self._db.query(
            _SELECT + " WHERE s.enabled AND (s.next_poll IS NULL OR s.next_poll <= ?)"
            " ORDER BY s.next_poll IS NOT NULL, s.next_poll, s.name",
            [ts(now)],
        )
        return [_state(r) for r in rows]

    def save_state(self, state: SourceState) -> None:
        """Persist the scheduling half of `state`; its declaration is left as it is.

        A source removed while it was being polled stays removed.
        """
        self._db.execute(
            """
            UPDATE sources SET etag = ?, last_modified = ?, next_poll = ?, last_polled = ?,
                last_ok = ?, failures = ?, last_error = ?
            WHERE name = ?
            """,
            [
                state.etag,
                state.last_modified,
                ts_or_none(state.next_poll),
                ts_or_none(state.last_polled),
                ts_or_none(state.last_ok),
                state.failures,
                state.last_error,
                state.name,
            ],
        )

    def article_counts(self) -> dict[str, int]:
        """How many articles are stored per source name (sources that are gone included)."""
        rows = self._db.query("SELECT source, count(*) AS n FROM articles GROUP BY source")
        return {r["source"]: r["n"] for r in rows}
