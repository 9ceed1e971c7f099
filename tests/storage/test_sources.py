"""Sources: upsert keeps scheduling state, due() picks what must be polled now."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.domain.models import SourceKind, SourceSpec
from bot.storage import Storage
from tests.storage.conftest import T0, add, draft

FEED = SourceSpec("wire", SourceKind.FEED, "https://news.example/feed.xml", interval_s=600)


def test_upsert_then_get_and_list(storage: Storage) -> None:
    state = storage.sources.upsert(FEED)
    assert state.spec == FEED
    assert (state.next_poll, state.failures, state.articles) == (None, 0, 0)
    storage.sources.upsert(SourceSpec("a-dir", SourceKind.DIRECTORY, "seeds"))
    assert [s.name for s in storage.sources.list()] == ["a-dir", "wire"]
    assert storage.sources.get("nope") is None


def _polled(storage: Storage) -> None:
    state = storage.sources.upsert(FEED)
    storage.sources.save_state(
        dataclasses.replace(
            state,
            etag='"abc"',
            last_modified="Thu, 11 Jul 2024 10:00:00 GMT",
            next_poll=T0 + timedelta(minutes=10),
            last_polled=T0,
            last_ok=T0,
            failures=2,
            last_error="timed out",
        )
    )


def test_save_state_round_trips(storage: Storage) -> None:
    _polled(storage)
    got = storage.sources.get("wire")
    assert got is not None
    assert (got.etag, got.next_poll, got.last_polled, got.failures, got.last_error) == (
        '"abc"',
        T0 + timedelta(minutes=10),
        T0,
        2,
        "timed out",
    )


def test_upsert_of_the_same_source_keeps_its_scheduling_state(storage: Storage) -> None:
    _polled(storage)
    state = storage.sources.upsert(dataclasses.replace(FEED, interval_s=60, enabled=False))
    assert (state.interval_s, state.enabled) == (60, False)
    assert (state.etag, state.next_poll, state.failures) == ('"abc"', T0 + timedelta(minutes=10), 2)


def test_a_new_location_drops_the_validators_and_polls_soon(storage: Storage) -> None:
    _polled(storage)
    state = storage.sources.upsert(dataclasses.replace(FEED, location="https://other.example/"))
    assert (state.etag, state.last_modified, state.next_poll) == (None, None, None)
    assert state.failures == 2  # the history of the name stays


def test_due_picks_enabled_sources_whose_time_has_come(storage: Storage) -> None:
    _polled(storage)  # wire: next poll at T0 + 10 min
    storage.sources.upsert(SourceSpec("fresh", SourceKind.FEED, "https://f.example/"))
    storage.sources.upsert(SourceSpec("off", SourceKind.FEED, "https://o.example/", enabled=False))
    assert [s.name for s in storage.sources.due(T0)] == ["fresh"]
    assert [s.name for s in storage.sources.due(T0 + timedelta(minutes=10))] == ["fresh", "wire"]
    assert storage.sources.set_enabled("off", True)
    assert "off" in [s.name for s in storage.sources.due(T0)]
    assert not storage.sources.set_enabled("nope", True)


def test_save_state_does_not_resurrect_a_removed_source(storage: Storage) -> None:
    state = storage.sources.upsert(FEED)
    assert storage.sources.remove("wire")
    storage.sources.save_state(dataclasses.replace(state, failures=1))
    assert storage.sources.get("wire") is None
    assert not storage.sources.remove("wire")


def test_article_counts_per_source(storage: Storage) -> None:
    storage.sources.upsert(FEED)
    for n in range(3):
        add(storage, draft(n, source="wire"))
    add(storage, draft(9, source="gone"))
    assert storage.sources.article_counts() == {"wire": 3, "gone": 1}
    state = storage.sources.get("wire")
    assert state is not None and state.articles == 3
