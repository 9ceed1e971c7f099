"""SqliteStateStore against the StateStore protocol: tracked values, history, realert."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.domain.ports import StateStore
from bot.storage import SqliteStateStore, Storage
from tests.storage.conftest import T0


def _as_protocol(store: SqliteStateStore) -> StateStore:
    return store  # mypy checks the structural match here


def test_tracked_values_and_their_history(storage: Storage) -> None:
    state = _as_protocol(storage.state)
    assert state.get_tracked("strike-range", "US") is None
    state.set_tracked("strike-range", "US", {"km": 100.0}, at=T0, article_ref="001.txt")
    state.set_tracked(
        "strike-range", "US", {"km": 300.0}, at=T0 + timedelta(days=1), article_ref=None
    )
    state.set_tracked("other", "UK", "loosened", at=T0, article_ref="x")
    assert state.get_tracked("strike-range", "US") == {"km": 300.0}
    history = state.tracked_history("strike-range")
    assert [(h["value"], h["at"], h["article_ref"]) for h in history] == [
        ({"km": 100.0}, T0, "001.txt"),
        ({"km": 300.0}, T0 + timedelta(days=1), None),
    ]
    assert {h["rule_id"] for h in state.tracked_history()} == {"strike-range", "other"}
    assert set(history[0]) == {"rule_id", "key", "value", "at", "article_ref"}


def test_json_values_of_every_kind(storage: Storage) -> None:
    for i, value in enumerate([0, 1.5, "x", True, [1, "a"], {"n": None}, "ünïcode"]):
        storage.state.set_tracked("r", f"k{i}", value, at=T0, article_ref=None)
        assert storage.state.get_tracked("r", f"k{i}") == value


def test_realert_times(storage: Storage) -> None:
    state = _as_protocol(storage.state)
    assert state.last_alerted("r", "k") is None
    state.set_alerted("r", "k", T0)
    state.set_alerted("r", "k", T0 + timedelta(hours=1))
    assert state.last_alerted("r", "k") == T0 + timedelta(hours=1)
    assert state.last_alerted("r", "other") is None


def test_state_survives_reopening(tmp_path: Path) -> None:
    first = Storage.open(tmp_path / "r.db")
    first.state.set_tracked("r", "k", 1, at=T0, article_ref=None)
    first.state.set_alerted("r", "k", T0)
    first.close()
    again = Storage.open(tmp_path / "r.db")
    assert again.state.get_tracked("r", "k") == 1
    assert again.state.last_alerted("r", "k") == T0
    again.close()
