"""The polling schedule policy: when a source is polled next, and what its state records.

Pure: it takes the state, the fetch result and the time, and returns the new state. A
failing source backs off exponentially (interval x 2^(failures-1)) up to a cap, waits at
least as long as the server's Retry-After, and goes straight to the cap on a permanent error.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.models import FetchResult, FetchStatus, SourceState

MAX_BACKOFF_S = 24 * 3600
_MAX_EXPONENT = 32  # 2**32 intervals is past any cap; keeps the arithmetic small


def backoff_delay_s(
    interval_s: float,
    failures: int,
    *,
    retry_after_s: float | None = None,
    permanent: bool = False,
    cap_s: float = MAX_BACKOFF_S,
) -> float:
    """Seconds to wait after the `failures`-th failure in a row (failures >= 1)."""
    interval = max(1.0, float(interval_s))
    cap = max(cap_s, interval)  # never poll a failing source more often than a healthy one
    doublings = min(max(failures, 1) - 1, _MAX_EXPONENT)
    delay = cap if permanent else min(interval * 2**doublings, cap)
    if retry_after_s is not None and retry_after_s > delay:
        delay = min(retry_after_s, cap)
    return delay


def reschedule(state: SourceState, result: FetchResult, now: datetime) -> SourceState:
    """The source's state after one poll with `result` at `now` (a new object)."""
    if result.status is FetchStatus.ERROR:
        failures = state.failures + 1
        delay = backoff_delay_s(
            state.interval_s,
            failures,
            retry_after_s=result.retry_after_s,
            permanent=result.permanent,
        )
        return replace(
            state,
            failures=failures,
            last_error=result.error or "failed",
            last_polled=now,
            next_poll=now + timedelta(seconds=delay),
        )
    if result.status is FetchStatus.OK:
        # A server that stops sending validators must stop receiving the old ones.
        etag, last_modified = result.etag, result.last_modified
    else:
        etag = result.etag or state.etag
        last_modified = result.last_modified or state.last_modified
    return replace(
        state,
        failures=0,
        last_error=None,
        last_polled=now,
        last_ok=now,
        next_poll=now + timedelta(seconds=max(1, state.interval_s)),
        etag=etag,
        last_modified=last_modified,
    )
