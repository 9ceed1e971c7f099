"""Rule state: the in-memory StateStore, and the `track` / `realert` decisions made with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.ports import StateStore
from bot.engine.model import Rule
from bot.engine.templates import render


class MemoryStateStore:
    """A StateStore kept in a dict: for tests, dry runs and `redline match` without --db."""

    def __init__(self) -> None:
        self._tracked: dict[tuple[str, str], Any] = {}
        self._history: list[dict[str, Any]] = []
        self._alerted: dict[tuple[str, str], datetime] = {}

    def get_tracked(self, rule_id: str, key: str) -> Any | None:
        """The last recorded value for (rule, key), or None."""
        return self._tracked.get((rule_id, key))

    def set_tracked(
        self, rule_id: str, key: str, value: Any, *, at: datetime, article_ref: str | None
    ) -> None:
        """Record a new value for (rule, key) and append it to the history."""
        self._tracked[(rule_id, key)] = value
        self._history.append(
            {"rule_id": rule_id, "key": key, "value": value, "at": at, "article_ref": article_ref}
        )

    def tracked_history(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        """Every recorded value, oldest first."""
        return [dict(h) for h in self._history if rule_id is None or h["rule_id"] == rule_id]

    def last_alerted(self, rule_id: str, key: str) -> datetime | None:
        """When (rule, key) was last announced."""
        return self._alerted.get((rule_id, key))

    def set_alerted(self, rule_id: str, key: str, at: datetime) -> None:
        """Remember that (rule, key) was announced at `at`."""
        self._alerted[(rule_id, key)] = at


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a match is news: `new`, the tracked `key` and the `previous` value."""

    new: bool
    key: str | None = None
    previous: Any = None
    value: Any = None
    suppressed: bool = False  # a realert window hid it


def _plain(value: Any) -> Any:
    """A JSON-like form for storing and comparing (tuples become lists)."""
    if isinstance(value, tuple | list | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def _changed(change: str, previous: Any, value: Any) -> bool:
    if previous is None:
        return True
    if change == "new":
        return False
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (previous, value))
    if change == "increase":
        return numbers and value > previous
    if change == "decrease":
        return numbers and value < previous
    return bool(_plain(previous) != value)


def decide(
    rule: Rule,
    facts: dict[str, Any],
    template_values: dict[str, Any],
    state: StateStore,
    *,
    at: datetime,
    ref: str | None,
) -> Decision:
    """Apply the rule's `track` and `realert` to a match, updating `state`."""
    new = True
    key: str | None = None
    previous: Any = None
    value: Any = None
    track = rule.track
    if track is not None:
        key = render(track.key, template_values) or rule.id
        value = _plain(facts.get(track.value)) if track.value else True
        previous = state.get_tracked(rule.id, key)
        if value is None:
            new = False  # nothing to compare: the tracked fact was not found
        else:
            new = _changed(track.change, previous, value)
            if new:
                state.set_tracked(rule.id, key, value, at=at, article_ref=ref)
    suppressed = False
    if rule.realert is not None and new:
        realert_key = key if key is not None else render(rule.message, template_values)
        last = state.last_alerted(rule.id, realert_key)
        if last is not None and at - last < rule.realert:
            new, suppressed = False, True
        else:
            state.set_alerted(rule.id, realert_key, at)
    return Decision(new=new, key=key, previous=previous, value=value, suppressed=suppressed)
