"""Conversions between Python values and SQLite columns (UTC timestamps, JSON, booleans)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def ts(value: datetime) -> str:
    """A timezone-aware datetime as fixed-width UTC ISO text, so text order is time order.

    Raises:
        ValueError: for a naive datetime, which would be ambiguous once stored.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetimes cannot be stored; pass a timezone-aware UTC datetime")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def ts_or_none(value: datetime | None) -> str | None:
    """`ts` that lets None through."""
    return None if value is None else ts(value)


def from_ts(value: str) -> datetime:
    """Stored ISO text back to an aware UTC datetime."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def from_ts_or_none(value: str | None) -> datetime | None:
    """`from_ts` that lets None through."""
    return None if value is None else from_ts(value)


def dumps(value: Any) -> str:
    """JSON text for a column; keys sorted so equal values store equally."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(value: str | None) -> Any:
    """A JSON column back to Python (None stays None)."""
    return None if value is None else json.loads(value)
