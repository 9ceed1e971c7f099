"""When a channel's digest is due: "hourly" or "daily HH:MM" in the channel's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def next_digest_time(schedule: str | None, tz: str, now: datetime) -> datetime:
    """The next time a digest with this schedule goes out, strictly after `now` (UTC)."""
    if not schedule or schedule == "hourly":
        return (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    _, _, hhmm = schedule.partition(" ")
    hour, _, minute = (hhmm or "08:00").partition(":")
    zone = _zone(tz)
    local = now.astimezone(zone)
    at = local.replace(hour=int(hour), minute=int(minute or 0), second=0, microsecond=0)
    if at <= local:
        at = (at + timedelta(days=1)).replace(hour=int(hour), minute=int(minute or 0))
    return at.astimezone(UTC)
