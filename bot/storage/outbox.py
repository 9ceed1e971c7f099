"""The delivery outbox: every post is a row first, so a crash loses none and repeats none."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.domain.records import Delivery, DeliveryKind, DeliveryState
from bot.storage.codec import dumps, from_ts, from_ts_or_none, ts

DEFAULT_LEASE = timedelta(minutes=5)
MAX_ERROR_CHARS = 500  # a status line, not a log


def delivery_key(alert_id: int, platform: str, workspace: str, channel: str) -> str:
    """The idempotency key of one alert posted to one channel."""
    return f"{alert_id}:{platform}:{workspace}:{channel}"


def _delivery(row: dict[str, Any]) -> Delivery:
    return Delivery(
        id=row["id"],
        key=row["key"],
        alert_id=row["alert_id"],
        platform=row["platform"],
        workspace=row["workspace"],
        channel=row["channel"],
        kind=DeliveryKind(row["kind"]),
        state=DeliveryState(row["state"]),
        attempts=row["attempts"],
        next_attempt=from_ts(row["next_attempt"]),
        created=from_ts(row["created"]),
        last_error=row["last_error"],
        sent_at=from_ts_or_none(row["sent_at"]),
        leased_at=from_ts_or_none(row["leased_at"]),
        remote_ref=row["remote_ref"],
        thread_ref=row["thread_ref"],
    )


class SqliteOutbox:
    """Pending, in-flight, sent and given-up posts, one row per (alert, channel) key."""

    def __init__(self, db: Database, *, lease: timedelta = DEFAULT_LEASE) -> None:
        self._db = db
        self._lease = lease

    def enqueue(
        self,
        *,
        key: str,
        alert_id: int | None,
        platform: str,
        workspace: str,
        channel: str,
        kind: DeliveryKind,
        now: datetime,
        next_attempt: datetime | None = None,
        thread_ref: str | None = None,
    ) -> bool:
        """Queue a post; False when a row with this key exists already (nothing changes).

        `next_attempt` defers the post, e.g. to a digest's time.
        """
        cursor = self._db.execute(
            """
            INSERT OR IGNORE INTO deliveries (key, alert_id, platform, workspace, channel, kind,
                state, attempts, next_attempt, created, thread_ref)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            """,
            [
                key,
                alert_id,
                platform,
                workspace,
                channel,
                DeliveryKind(kind).value,
                ts(next_attempt or now),
                ts(now),
                thread_ref,
            ],
        )
        return cursor.rowcount > 0

    def get(self, delivery_id: int) -> Delivery | None:
        """One outbox row, or None."""
        rows = list(self._db.query("SELECT * FROM deliveries WHERE id = ?", [delivery_id]))
        return _delivery(rows[0]) if rows else None

    def by_key(self, key: str) -> Delivery | None:
        """The outbox row with this idempotency key, or None."""
        rows = list(self._db.query("SELECT * FROM deliveries WHERE key = ?", [key]))
        return _delivery(rows[0]) if rows else None

    def due(
        self, now: datetime, limit: int = 50, *, kinds: tuple[DeliveryKind, ...] | None = None
    ) -> list[Delivery]:
        """Rows to post now: pending or failed ones whose time has come, and rows left in
        `sending` for longer than the lease (the process died mid-post), oldest first."""
        sql = """
            SELECT * FROM deliveries
            WHERE ((state IN ('pending', 'failed') AND next_attempt <= :now)
                OR (state = 'sending' AND leased_at <= :stale))
        """
        params: dict[str, Any] = {"now": ts(now), "stale": ts(now - self._lease)}
        if kinds:
            sql += " AND kind IN (SELECT value FROM json_each(:kinds))"
            params["kinds"] = dumps([DeliveryKind(k).value for k in kinds])
        sql += " ORDER BY next_attempt, id LIMIT :limit"
        params["limit"] = max(1, int(limit))
        return [_delivery(r) for r in self._db.query(sql, params)]

    def mark_sending(self, delivery_id: int, *, now: datetime) -> bool:
        """Claim a due row for posting (counts an attempt); False when it is not due any more."""
        cursor = self._db.execute(
            """
            UPDATE deliveries SET state = 'sending', leased_at = :now, attempts = attempts + 1
            WHERE id = :id AND ((state IN ('pending', 'failed') AND next_attempt <= :now)
                OR (state = 'sending' AND leased_at <= :stale))
            """,
            {"id": delivery_id, "now": ts(now), "stale": ts(now - self._lease)},
        )
        return cursor.rowcount > 0

    def release_leases(self) -> int:
        """Make rows left in `sending` due again at once. Only for a process that knows it is
        the only one running on this database (the run lock): whoever held them is dead.
        Returns how many were released."""
        cursor = self._db.execute(
            "UPDATE deliveries SET state = 'pending', leased_at = NULL WHERE state = 'sending'"
        )
        return cursor.rowcount

    def mark_sent(self, delivery_id: int, *, remote_ref: str | None, now: datetime) -> None:
        """Record a successful post and the platform's reference to it."""
        self._db.execute(
            "UPDATE deliveries SET state = 'sent', sent_at = ?, remote_ref = ?, leased_at = NULL,"
            " last_error = NULL WHERE id = ?",
            [ts(now), remote_ref, delivery_id],
        )

    def mark_retry(self, delivery_id: int, *, next_attempt: datetime, error: str) -> None:
        """Record a failed attempt to be tried again at `next_attempt`."""
        self._db.execute(
            "UPDATE deliveries SET state = 'failed', next_attempt = ?, last_error = ?,"
            " leased_at = NULL WHERE id = ?",
            [ts(next_attempt), error[:MAX_ERROR_CHARS], delivery_id],
        )

    def mark_dead(self, delivery_id: int, *, error: str) -> None:
        """Give up on a post (permanent error or too many attempts); it stays for `status`."""
        self._db.execute(
            "UPDATE deliveries SET state = 'dead', last_error = ?, leased_at = NULL WHERE id = ?",
            [error[:MAX_ERROR_CHARS], delivery_id],
        )

    def set_thread_ref(self, delivery_id: int, thread_ref: str | None) -> None:
        """Post this row in the thread of another message (a follow-up whose parent is sent)."""
        self._db.execute(
            "UPDATE deliveries SET thread_ref = ? WHERE id = ?", [thread_ref, delivery_id]
        )

    def stats(self) -> dict[DeliveryState, int]:
        """How many rows are in each state (every state present, zero included)."""
        counts = dict.fromkeys(DeliveryState, 0)
        for state, n in self._db.execute(
            "SELECT state, count(*) FROM deliveries GROUP BY state"
        ).fetchall():
            counts[DeliveryState(state)] = int(n)
        return counts

    def depth(self) -> int:
        """Rows still to post: pending, sending or waiting for a retry."""
        row = self._db.execute(
            "SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending', 'failed')"
        ).fetchone()
        return int(row[0])

    def oldest_pending(self) -> datetime | None:
        """When the oldest row still to post was queued (delivery lag), or None."""
        row = self._db.execute(
            "SELECT min(created) FROM deliveries WHERE state IN ('pending', 'sending', 'failed')"
        ).fetchone()
        return from_ts_or_none(row[0])

    def failures(self, limit: int = 20) -> list[Delivery]:
        """Rows that failed (waiting for a retry) or died, newest first."""
        rows = self._db.query(
            "SELECT * FROM deliveries WHERE state IN ('failed', 'dead') ORDER BY id DESC LIMIT ?",
            [max(1, int(limit))],
        )
        return [_delivery(r) for r in rows]

    def remote_ref_of(
        self, alert_id: int, platform: str, workspace: str, channel: str
    ) -> str | None:
        """The platform's reference to an alert's post in a channel, once it was sent."""
        row = self._db.execute(
            "SELECT remote_ref FROM deliveries WHERE alert_id = ? AND platform = ?"
            " AND workspace = ? AND channel = ? AND state = 'sent' AND remote_ref IS NOT NULL"
            " ORDER BY id LIMIT 1",
            [alert_id, platform, workspace, channel],
        ).fetchone()
        return None if row is None else str(row[0])

    def recent_count(self, platform: str, workspace: str, channel: str, since: datetime) -> int:
        """Posts queued for a channel since `since` (dead ones excluded), for burst folding."""
        row = self._db.execute(
            "SELECT count(*) FROM deliveries WHERE platform = ? AND workspace = ? AND channel = ?"
            " AND created >= ? AND state != 'dead'",
            [platform, workspace, channel, ts(since)],
        ).fetchone()
        return int(row[0])

    def sent_since(self, platform: str, workspace: str, channel: str, since: datetime) -> int:
        """Rows posted to a channel at or after `since`, for burst folding."""
        row = self._db.execute(
            "SELECT count(*) FROM deliveries WHERE platform = ? AND workspace = ? AND channel = ?"
            " AND state = 'sent' AND sent_at >= ?",
            [platform, workspace, channel, ts(since)],
        ).fetchone()
        return int(row[0])
