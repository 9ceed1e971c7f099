"""Channel subscriptions (by rule, tag or everything) and mutes, and routing between them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.domain.models import Severity
from bot.domain.records import DeliveryMode, Mute, SelectorKind, Subscription
from bot.storage.codec import dumps, from_ts, ts

ALL_SELECTOR = "*"
_SPECIFICITY = {SelectorKind.RULE: 0, SelectorKind.TAG: 1, SelectorKind.ALL: 2}


def normalize_selector(kind: SelectorKind, selector: str | None) -> str:
    """The stored form of a selector: tags are case-insensitive, "all" has one value.

    Raises:
        ValueError: when a rule or tag subscription names no rule or tag.
    """
    if kind is SelectorKind.ALL:
        return ALL_SELECTOR
    if not selector or not selector.strip():
        raise ValueError(f"a {kind.value} subscription needs a {kind.value} name")
    if kind is SelectorKind.TAG:
        return selector.strip().casefold()
    return selector.strip()


def _subscription(row: dict[str, Any]) -> Subscription:
    return Subscription(
        id=row["id"],
        platform=row["platform"],
        workspace=row["workspace"],
        channel=row["channel"],
        selector_kind=SelectorKind(row["selector_kind"]),
        selector=row["selector"],
        min_severity=Severity(row["min_severity"]),
        mode=DeliveryMode(row["mode"]),
        digest_schedule=row["digest_schedule"],
        tz=row["tz"],
        created_by=row["created_by"],
        created=from_ts(row["created"]),
    )


def _mute(row: dict[str, Any]) -> Mute:
    return Mute(
        platform=row["platform"],
        workspace=row["workspace"],
        channel=row["channel"],
        rule_id=row["rule_id"] or None,
        until=from_ts(row["until"]),
    )


class SqliteSubscriptionStore:
    """Who wants which alerts, and who asked for quiet."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def subscribe(
        self,
        *,
        platform: str,
        workspace: str,
        channel: str,
        selector_kind: SelectorKind,
        selector: str | None = ALL_SELECTOR,
        min_severity: Severity = Severity.INFO,
        mode: DeliveryMode = DeliveryMode.IMMEDIATE,
        digest_schedule: str | None = None,
        tz: str = "UTC",
        created_by: str | None = None,
        now: datetime,
    ) -> Subscription:
        """Subscribe a channel, or update the same subscription's severity, mode and schedule."""
        kind = SelectorKind(selector_kind)
        sel = normalize_selector(kind, selector)
        self._db.execute(
            """
            INSERT INTO subscriptions (platform, workspace, channel, selector_kind, selector,
                min_severity, mode, digest_schedule, tz, created_by, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform, workspace, channel, selector_kind, selector) DO UPDATE SET
                min_severity = excluded.min_severity, mode = excluded.mode,
                digest_schedule = excluded.digest_schedule, tz = excluded.tz
            """,
            [
                platform,
                workspace,
                channel,
                kind.value,
                sel,
                Severity(min_severity).value,
                DeliveryMode(mode).value,
                digest_schedule if DeliveryMode(mode) is DeliveryMode.DIGEST else None,
                tz,
                created_by,
                ts(now),
            ],
        )
        rows = list(
            self._db.query(
                "SELECT * FROM subscriptions WHERE platform = ? AND workspace = ? AND channel = ?"
                " AND selector_kind = ? AND selector = ?",
                [platform, workspace, channel, kind.value, sel],
            )
        )
        return _subscription(rows[0])

    def unsubscribe(
        self,
        *,
        platform: str,
        workspace: str,
        channel: str,
        selector_kind: SelectorKind | None = None,
        selector: str | None = None,
    ) -> int:
        """Remove a channel's subscriptions (all of them when no selector is given)."""
        sql = "DELETE FROM subscriptions WHERE platform = ? AND workspace = ? AND channel = ?"
        params: list[Any] = [platform, workspace, channel]
        if selector_kind is not None:
            kind = SelectorKind(selector_kind)
            sql += " AND selector_kind = ?"
            params.append(kind.value)
            if selector is not None or kind is SelectorKind.ALL:
                sql += " AND selector = ?"
                params.append(normalize_selector(kind, selector))
        return self._db.execute(sql, params).rowcount

    def list_for_channel(self, platform: str, workspace: str, channel: str) -> list[Subscription]:
        """A channel's subscriptions, oldest first."""
        rows = self._db.query(
            "SELECT * FROM subscriptions WHERE platform = ? AND workspace = ? AND channel = ?"
            " ORDER BY id",
            [platform, workspace, channel],
        )
        return [_subscription(r) for r in rows]

    def list_all(self, platform: str | None = None) -> list[Subscription]:
        """Every subscription (on one platform, if given), grouped by channel."""
        where = " WHERE platform = ?" if platform is not None else ""
        rows = self._db.query(
            f"SELECT * FROM subscriptions{where} ORDER BY platform, workspace, channel, id",
            [platform] if platform is not None else [],
        )
        return [_subscription(r) for r in rows]

    def mute(
        self,
        *,
        platform: str,
        workspace: str,
        channel: str,
        until: datetime,
        rule_id: str | None = None,
    ) -> Mute:
        """Silence a channel until `until`, for one rule or (rule_id None) entirely."""
        self._db.execute(
            "INSERT INTO mutes (platform, workspace, channel, rule_id, until) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (platform, workspace, channel, rule_id) DO UPDATE SET until = excluded.until",
            [platform, workspace, channel, rule_id or "", ts(until)],
        )
        return Mute(platform, workspace, channel, rule_id or None, until)

    def unmute(
        self, *, platform: str, workspace: str, channel: str, rule_id: str | None = None
    ) -> int:
        """Lift a mute (the channel-wide one when rule_id is None); returns how many."""
        return self._db.execute(
            "DELETE FROM mutes WHERE platform = ? AND workspace = ? AND channel = ?"
            " AND rule_id = ?",
            [platform, workspace, channel, rule_id or ""],
        ).rowcount

    def active_mutes(
        self,
        now: datetime,
        *,
        platform: str | None = None,
        workspace: str | None = None,
        channel: str | None = None,
    ) -> list[Mute]:
        """Mutes still in force at `now`, optionally for one channel."""
        sql = "SELECT * FROM mutes WHERE until > ?"
        params: list[Any] = [ts(now)]
        for column, value in (
            ("platform", platform),
            ("workspace", workspace),
            ("channel", channel),
        ):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        rows = self._db.query(sql + " ORDER BY platform, workspace, channel, rule_id", params)
        return [_mute(r) for r in rows]

    def purge_expired_mutes(self, now: datetime) -> int:
        """Delete mutes that have run out; returns how many."""
        return self._db.execute("DELETE FROM mutes WHERE until <= ?", [ts(now)]).rowcount

    def matching(
        self, rule_id: str, tags: Iterable[str], severity: Severity, now: datetime
    ) -> list[Subscription]:
        """The subscription each unmuted channel should receive this alert by, if any.

        A channel with several matching subscriptions gets the alert once: immediate
        before digest, then the most specific selector (rule, tag, all).
        """
        tag_list = sorted({t.strip().casefold() for t in tags})
        rows = self._db.query(
            """
            SELECT s.* FROM subscriptions s
            WHERE ((s.selector_kind = 'rule' AND s.selector = :rule)
                OR (s.selector_kind = 'tag' AND s.selector IN (SELECT value FROM json_each(:tags)))
                OR s.selector_kind = 'all')
              AND NOT EXISTS (
                SELECT 1 FROM mutes m
                WHERE m.platform = s.platform AND m.workspace = s.workspace
                  AND m.channel = s.channel AND m.rule_id IN ('', :rule) AND m.until > :now)
            """,
            {"rule": rule_id, "tags": dumps(tag_list), "now": ts(now)},
        )
        rank = Severity(severity).rank
        best: dict[tuple[str, str, str], Subscription] = {}
        for sub in map(_subscription, rows):
            if rank < sub.min_severity.rank:
                continue
            channel = (sub.platform, sub.workspace, sub.channel)
            if channel not in best or _preference(sub) < _preference(best[channel]):
                best[channel] = sub
        return [best[c] for c in sorted(best)]


def _preference(sub: Subscription) -> tuple[int, int, int]:
    return (sub.mode is not DeliveryMode.IMMEDIATE, _SPECIFICITY[sub.selector_kind], sub.id)
