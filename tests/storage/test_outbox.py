"""The outbox: idempotent enqueue, due rows and leases, retries, dead letters, threading."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.domain.models import Severity
from bot.domain.records import DeliveryKind, DeliveryState
from bot.storage import Storage, delivery_key
from bot.storage.outbox import DEFAULT_LEASE, MAX_ERROR_CHARS
from tests.storage.conftest import T0, add, draft


def _alert_id(storage: Storage, n: int = 1) -> int:
    article = add(storage, draft(n))
    return storage.alerts.add(
        rule_id="r",
        article_id=article.id,
        severity=Severity.HIGH,
        tags=(),
        message={},
        created=T0,
    )


def _enqueue(storage: Storage, alert_id: int, channel: str = "C1", **kw: object) -> bool:
    fields: dict[str, object] = {
        "key": delivery_key(alert_id, "slack", "T1", channel),
        "alert_id": alert_id,
        "platform": "slack",
        "workspace": "T1",
        "channel": channel,
        "kind": DeliveryKind.IMMEDIATE,
        "now": T0,
    }
    fields.update(kw)
    return storage.outbox.enqueue(**fields)  # type: ignore[arg-type]


def test_enqueue_twice_keeps_one_row(storage: Storage) -> None:
    alert = _alert_id(storage)
    assert _enqueue(storage, alert)
    assert not _enqueue(storage, alert, kind=DeliveryKind.DIGEST)
    assert storage.outbox.stats()[DeliveryState.PENDING] == 1
    row = storage.outbox.by_key(delivery_key(alert, "slack", "T1", "C1"))
    assert row is not None and row.kind is DeliveryKind.IMMEDIATE
    assert storage.outbox.get(row.id) == row


def test_due_waits_for_next_attempt(storage: Storage) -> None:
    alert = _alert_id(storage)
    _enqueue(storage, alert, channel="now")
    _enqueue(storage, alert, channel="later", next_attempt=T0 + timedelta(hours=1))
    assert [d.channel for d in storage.outbox.due(T0)] == ["now"]
    assert [d.channel for d in storage.outbox.due(T0 + timedelta(hours=1))] == ["now", "later"]
    assert len(storage.outbox.due(T0 + timedelta(hours=1), limit=1)) == 1
    assert storage.outbox.due(T0, kinds=(DeliveryKind.DIGEST,)) == []


def test_a_claimed_row_is_not_due_until_its_lease_runs_out(storage: Storage) -> None:
    _enqueue(storage, _alert_id(storage))
    (row,) = storage.outbox.due(T0)
    assert storage.outbox.mark_sending(row.id, now=T0)
    assert not storage.outbox.mark_sending(row.id, now=T0)  # claimed once only
    assert storage.outbox.due(T0 + DEFAULT_LEASE - timedelta(seconds=1)) == []
    # The process died mid-post: after the lease the row is offered again.
    (stale,) = storage.outbox.due(T0 + DEFAULT_LEASE)
    assert (stale.id, stale.state, stale.attempts) == (row.id, DeliveryState.SENDING, 1)
    assert storage.outbox.mark_sending(row.id, now=T0 + DEFAULT_LEASE)
    again = storage.outbox.get(row.id)
    assert again is not None and again.attempts == 2


def test_a_lone_process_releases_a_dead_ones_leases_at_once(storage: Storage) -> None:
    _enqueue(storage, _alert_id(storage))
    (row,) = storage.outbox.due(T0)
    assert storage.outbox.mark_sending(row.id, now=T0)
    assert storage.outbox.due(T0 + timedelta(seconds=5)) == []
    assert storage.outbox.release_leases() == 1
    (due,) = storage.outbox.due(T0 + timedelta(seconds=5))
    assert (due.id, due.state, due.attempts) == (row.id, DeliveryState.PENDING, 1)
    assert storage.outbox.release_leases() == 0


def test_sent_rows_keep_their_remote_ref(storage: Storage) -> None:
    alert = _alert_id(storage)
    _enqueue(storage, alert)
    (row,) = storage.outbox.due(T0)
    storage.outbox.mark_sending(row.id, now=T0)
    storage.outbox.mark_sent(row.id, remote_ref="1720699200.000100", now=T0)
    sent = storage.outbox.get(row.id)
    assert sent is not None
    assert (sent.state, sent.sent_at, sent.remote_ref) == (
        DeliveryState.SENT,
        T0,
        "1720699200.000100",
    )
    assert storage.outbox.due(T0 + timedelta(days=1)) == []
    assert storage.outbox.remote_ref_of(alert, "slack", "T1", "C1") == "1720699200.000100"
    assert storage.outbox.remote_ref_of(alert, "slack", "T1", "C2") is None
    assert storage.outbox.depth() == 0


def test_retries_then_dead_letters(storage: Storage) -> None:
    _enqueue(storage, _alert_id(storage))
    (row,) = storage.outbox.due(T0)
    storage.outbox.mark_sending(row.id, now=T0)
    storage.outbox.mark_retry(row.id, next_attempt=T0 + timedelta(minutes=2), error="x" * 9999)
    failed = storage.outbox.get(row.id)
    assert failed is not None and failed.state is DeliveryState.FAILED
    assert failed.last_error is not None and len(failed.last_error) == MAX_ERROR_CHARS
    assert storage.outbox.due(T0 + timedelta(minutes=1)) == []
    assert [d.id for d in storage.outbox.due(T0 + timedelta(minutes=2))] == [row.id]
    assert storage.outbox.depth() == 1
    storage.outbox.mark_sending(row.id, now=T0 + timedelta(minutes=2))
    storage.outbox.mark_dead(row.id, error="channel_not_found")
    dead = storage.outbox.get(row.id)
    assert dead is not None
    assert (dead.state, dead.attempts, dead.last_error) == (
        DeliveryState.DEAD,
        2,
        "channel_not_found",
    )
    assert storage.outbox.due(T0 + timedelta(days=9)) == []
    assert [d.id for d in storage.outbox.failures()] == [row.id]
    assert storage.outbox.stats()[DeliveryState.DEAD] == 1


def test_stats_depth_and_lag(storage: Storage) -> None:
    alert = _alert_id(storage)
    assert storage.outbox.oldest_pending() is None
    for i, channel in enumerate(["a", "b", "c"]):
        _enqueue(storage, alert, channel=channel, now=T0 + timedelta(minutes=i))
    later = T0 + timedelta(hours=1)
    rows = storage.outbox.due(later)
    assert storage.outbox.mark_sending(rows[0].id, now=later)
    storage.outbox.mark_sent(rows[0].id, remote_ref="m1", now=later)
    assert storage.outbox.mark_sending(rows[1].id, now=later)
    stats = storage.outbox.stats()
    assert stats == {
        DeliveryState.PENDING: 1,
        DeliveryState.SENDING: 1,
        DeliveryState.SENT: 1,
        DeliveryState.FAILED: 0,
        DeliveryState.DEAD: 0,
    }
    assert storage.outbox.depth() == 2
    assert storage.outbox.oldest_pending() == T0 + timedelta(minutes=1)


def test_counts_per_channel_for_burst_folding(storage: Storage) -> None:
    for n in range(4):
        _enqueue(storage, _alert_id(storage, n), now=T0 + timedelta(seconds=10 * n))
    _enqueue(storage, _alert_id(storage, 9), channel="C2")
    since = T0 + timedelta(seconds=10)
    assert storage.outbox.recent_count("slack", "T1", "C1", since) == 3
    assert storage.outbox.sent_since("slack", "T1", "C1", since) == 0
    later = T0 + timedelta(minutes=1)
    for row in [d for d in storage.outbox.due(later) if d.channel == "C1"][:2]:
        assert storage.outbox.mark_sending(row.id, now=later)
        storage.outbox.mark_sent(row.id, remote_ref=None, now=T0 + timedelta(seconds=20))
    assert storage.outbox.sent_since("slack", "T1", "C1", since) == 2
    assert storage.outbox.sent_since("slack", "T1", "C1", T0 + timedelta(seconds=21)) == 0


def test_follow_ups_carry_a_thread_ref(storage: Storage) -> None:
    alert = _alert_id(storage)
    _enqueue(storage, alert, kind=DeliveryKind.FOLLOWUP, thread_ref=None)
    (row,) = storage.outbox.due(T0)
    storage.outbox.set_thread_ref(row.id, "1720699200.000100")
    got = storage.outbox.get(row.id)
    assert got is not None and (got.kind, got.thread_ref) == (
        DeliveryKind.FOLLOWUP,
        "1720699200.000100",
    )


def test_the_outbox_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    first = Storage.open(path)
    alert = _alert_id(first)
    _enqueue(first, alert)
    first.close()
    again = Storage.open(path)
    assert not _enqueue(again, alert)  # a restart re-routing the alert queues nothing new
    assert len(again.outbox.due(T0)) == 1
    again.close()
