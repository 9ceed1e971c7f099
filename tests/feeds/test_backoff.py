"""The polling schedule: intervals on success, exponential backoff with a cap on failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.models import ArticleDraft, FetchResult, FetchStatus, SourceKind, SourceState
from bot.feeds.backoff import MAX_BACKOFF_S, backoff_delay_s, reschedule

NOW = datetime(2024, 7, 11, 12, 0, tzinfo=UTC)
DAY = 24 * 3600


def _state(**kw: object) -> SourceState:
    base: dict[str, object] = {
        "name": "feed",
        "kind": SourceKind.FEED,
        "location": "https://x.example/rss",
        "interval_s": 900,
    }
    base.update(kw)
    return SourceState(**base)  # type: ignore[arg-type]


def _error(**kw: object) -> FetchResult:
    return FetchResult(FetchStatus.ERROR, error="It broke.", **kw)  # type: ignore[arg-type]


def test_success_schedules_the_next_poll_one_interval_later() -> None:
    draft = ArticleDraft(source="feed", title="t", text="x")
    ok = FetchResult(FetchStatus.OK, drafts=(draft,), etag='"e2"', last_modified="lm2")
    before = _state(failures=3, last_error="old", etag='"e1"', last_modified="lm1")
    after = reschedule(before, ok, NOW)
    assert after.next_poll == NOW + timedelta(seconds=900)
    assert (after.failures, after.last_error) == (0, None)
    assert after.last_ok == after.last_polled == NOW
    assert (after.etag, after.last_modified) == ('"e2"', "lm2")
    assert before.failures == 3  # the input is left alone


def test_a_success_without_validators_forgets_the_old_ones() -> None:
    after = reschedule(_state(etag='"e1"', last_modified="lm1"), FetchResult(FetchStatus.OK), NOW)
    assert (after.etag, after.last_modified) == (None, None)


def test_not_modified_is_a_success_that_keeps_the_validators() -> None:
    state = _state(etag='"e1"', last_modified="lm1", failures=2)
    after = reschedule(state, FetchResult(FetchStatus.NOT_MODIFIED), NOW)
    assert (after.etag, after.last_modified, after.failures) == ('"e1"', "lm1", 0)
    assert after.next_poll == NOW + timedelta(seconds=900)


def test_failures_back_off_exponentially_up_to_a_day() -> None:
    state = _state()
    delays = []
    for _ in range(10):
        state = reschedule(state, _error(), NOW)
        assert state.next_poll is not None
        delays.append((state.next_poll - NOW).total_seconds())
    # 900 s doubled per failure in a row: 15 min, 30 min, 1 h, ... until the 24 h cap.
    assert delays == [900, 1800, 3600, 7200, 14400, 28800, 57600, DAY, DAY, DAY]
    assert state.failures == 10 and state.last_error == "It broke."
    assert state.last_polled == NOW and state.last_ok is None


def test_a_failure_keeps_the_validators() -> None:
    after = reschedule(_state(etag='"e1"', last_modified="lm1"), _error(), NOW)
    assert (after.etag, after.last_modified) == ('"e1"', "lm1")


def test_the_first_success_after_failures_resets_the_backoff() -> None:
    failing = reschedule(reschedule(_state(), _error(), NOW), _error(), NOW)
    assert failing.failures == 2
    healthy = reschedule(failing, FetchResult(FetchStatus.OK), NOW)
    again = reschedule(healthy, _error(), NOW)
    assert again.next_poll == NOW + timedelta(seconds=900)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(7200.0, 7200.0), (60.0, 900.0), (10 * DAY, DAY)],
)
def test_retry_after_is_a_floor_within_the_cap(retry_after: float, expected: float) -> None:
    after = reschedule(_state(), _error(retry_after_s=retry_after), NOW)
    assert after.next_poll == NOW + timedelta(seconds=expected)


def test_a_permanent_error_backs_off_to_the_cap_at_once() -> None:
    after = reschedule(_state(), _error(permanent=True), NOW)
    assert after.next_poll == NOW + timedelta(seconds=MAX_BACKOFF_S)


def test_a_huge_failure_count_does_not_overflow() -> None:
    assert backoff_delay_s(900, 10**6) == MAX_BACKOFF_S


def test_a_source_polled_less_than_daily_never_fails_faster_than_its_interval() -> None:
    assert backoff_delay_s(2 * DAY, 1) == 2 * DAY
