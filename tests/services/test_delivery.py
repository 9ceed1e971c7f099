"""The outbox drain: once per (alert, channel), retries, dead letters, restarts, threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.errors import DeliveryError
from bot.domain.message import Message, MessageKind
from bot.domain.models import ArticleDraft, Severity
from bot.domain.records import DeliveryKind, DeliveryState, SelectorKind
from bot.services.delivery import Deliverer, backoff_s
from bot.services.serialize import to_jsonable
from bot.storage import Storage
from tests.services.conftest import FakeClock, RecordingPoster


def _alert(storage: Storage, clock: FakeClock, n: int, *, parent: int | None = None) -> int:
    article = storage.articles.add(
        ArticleDraft(source="wire", title=f"Story {n}", text=f"Body number {n} of the test."),
        fetched=clock(),
    )
    assert article is not None
    msg = Message(kind=MessageKind.ALERT, title=f"Alert {n}", severity=Severity.HIGH)
    return int(
        storage.alerts.add(
            rule_id="r",
            article_id=article.id,
            severity=Severity.HIGH,
            tags=("t",),
            message=to_jsonable(msg),
            created=clock(),
            parent_alert_id=parent,
        )
    )


def _queue(
    storage: Storage,
    clock: FakeClock,
    alert_id: int,
    channel: str = "C1",
    kind: DeliveryKind = DeliveryKind.IMMEDIATE,
) -> None:
    storage.outbox.enqueue(
        key=f"{alert_id}:chat:W:{channel}",
        alert_id=alert_id,
        platform="chat",
        workspace="W",
        channel=channel,
        kind=kind,
        now=clock(),
    )


@pytest.mark.asyncio
async def test_each_queued_alert_is_posted_once(storage: Storage, clock: FakeClock) -> None:
    poster = RecordingPoster()
    ids = [_alert(storage, clock, i) for i in range(3)]
    for a in ids:
        _queue(storage, clock, a)
        _queue(storage, clock, a)  # a duplicate enqueue is ignored by key
    d = Deliverer(storage=storage, posters={"chat": poster}, clock=clock)
    report = await d.deliver_due()
    assert report.sent == 3
    assert [p[2].title for p in poster.posts] == ["Alert 0", "Alert 1", "Alert 2"]
    assert (await d.deliver_due()).sent == 0
    assert storage.outbox.stats()[DeliveryState.SENT] == 3


@pytest.mark.asyncio
async def test_retry_after_is_honoured_then_delivered(storage: Storage, clock: FakeClock) -> None:
    poster = RecordingPoster(failures=[DeliveryError("rate limited", retry_after=30)])
    _queue(storage, clock, _alert(storage, clock, 1))
    d = Deliverer(storage=storage, posters={"chat": poster}, clock=clock)
    assert (await d.deliver_due()).retried == 1
    clock.advance(seconds=10)
    assert (await d.deliver_due()).sent == 0  # Retry-After (30 s) not over yet
    clock.advance(seconds=21)
    assert (await d.deliver_due()).sent == 1
    assert len(poster.posts) == 1


@pytest.mark.asyncio
async def test_permanent_error_stops_and_shows(storage: Storage, clock: FakeClock) -> None:
    poster = RecordingPoster(failures=[DeliveryError("channel_not_found", permanent=True)])
    _queue(storage, clock, _alert(storage, clock, 1))
    d = Deliverer(storage=storage, posters={"chat": poster}, clock=clock)
    assert (await d.deliver_due()).dead == 1
    clock.advance(hours=2)
    assert (await d.deliver_due()).sent == 0
    failures = storage.outbox.failures()
    assert failures[0].state is DeliveryState.DEAD
    assert "channel_not_found" in (failures[0].last_error or "")


def test_backoff_grows_and_respects_retry_after() -> None:
    assert backoff_s(1, None) < backoff_s(2, None) < backoff_s(5, None)
    assert backoff_s(1, 120) == 120
    assert backoff_s(100, None) <= 3600


@pytest.mark.asyncio
async def test_restart_between_outbox_write_and_post(db_path: Path, clock: FakeClock) -> None:
    # First process: alerts stored and deliveries queued, then it dies before posting.
    first = Storage.open(db_path)
    ids = [_alert(first, clock, i) for i in range(4)]
    for a in ids:
        _queue(first, clock, a)
    first.close()
    # Second process: everything pending goes out, once.
    second = Storage.open(db_path)
    poster = RecordingPoster()
    d = Deliverer(storage=second, posters={"chat": poster}, clock=clock)
    await d.deliver_due()
    await d.deliver_due()
    second.close()
    assert sorted(p[2].title for p in poster.posts) == [f"Alert {i}" for i in range(4)]


@pytest.mark.asyncio
async def test_crash_mid_post_is_retried_after_the_lease(db_path: Path, clock: FakeClock) -> None:
    first = Storage.open(db_path)
    a = _alert(first, clock, 1)
    _queue(first, clock, a)
    row = first.outbox.due(clock())[0]
    assert first.outbox.mark_sending(row.id, now=clock())  # claimed, then the process died
    first.close()
    second = Storage.open(db_path)
    poster = RecordingPoster()
    d = Deliverer(storage=second, posters={"chat": poster}, clock=clock)
    assert (await d.deliver_due()).sent == 0  # still leased to the dead process
    clock.advance(minutes=10)
    assert (await d.deliver_due()).sent == 1
    second.close()
    assert len(poster.posts) == 1


@pytest.mark.asyncio
async def test_followup_waits_for_parent_and_threads_under_it(
    storage: Storage, clock: FakeClock
) -> None:
    poster = RecordingPoster()
    parent = _alert(storage, clock, 1)
    child = _alert(storage, clock, 2, parent=parent)
    _queue(storage, clock, child, kind=DeliveryKind.FOLLOWUP)  # the child is due first
    _queue(storage, clock, parent)
    d = Deliverer(storage=storage, posters={"chat": poster}, clock=clock)
    await d.deliver_due()
    clock.advance(seconds=10)
    await d.deliver_due()
    assert [p[2].title for p in poster.posts] == ["Alert 1", "Alert 2"]
    assert poster.posts[0][3] is None
    assert poster.posts[1][3] == "ref-1"  # threaded under the parent's post


@pytest.mark.asyncio
async def test_burst_folds_into_one_message(storage: Storage, clock: FakeClock) -> None:
    poster = RecordingPoster()
    for i in range(8):
        _queue(storage, clock, _alert(storage, clock, i))
    d = Deliverer(storage=storage, posters={"chat": poster}, clock=clock, burst_limit=3)
    report = await d.deliver_due()
    assert [p[2].kind for p in poster.posts] == [MessageKind.ALERT] * 3 + [MessageKind.BURST]
    burst = poster.posts[3][2]
    assert "+4 more" in burst.title  # the first folded alert, and four more
    assert report.folded == 5
    assert storage.outbox.depth() == 0


@pytest.mark.asyncio
async def test_unknown_platform_rows_wait(storage: Storage, clock: FakeClock) -> None:
    storage.subscriptions.subscribe(
        platform="chat", workspace="W", channel="C1", selector_kind=SelectorKind.ALL, now=clock()
    )
    _queue(storage, clock, _alert(storage, clock, 1))
    d = Deliverer(storage=storage, posters={}, clock=clock)
    assert (await d.deliver_due()).sent == 0
    assert storage.outbox.depth() == 1
