"""`track` and `realert`: when a match is news, with state in memory and a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.domain.ports import StateStore
from bot.engine.ruleset import RuleSet
from bot.engine.state import MemoryStateStore
from bot.text.lexicon import Lexicons
from tests.engine.conftest import T0, article, ruleset_of

RANGE = """\
id: range
title: Range
match:
  distance: {status: permitted}
extract:
  km: {distance: km, pick: max}
track:
  key: "range {source}"
  value: km
  change: {change}
"""


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def _text(km: int) -> str:
    return f"Ukraine is now allowed to strike targets {km} km inside Russia."


def _news(
    rs: RuleSet, lexicons: Lexicons, state: StateStore, km: int, clock: FakeClock
) -> bool | None:
    matches = rs.match(
        article(lexicons, _text(km)), ref=f"a{km}", source="wire", state=state, now=clock()
    )
    return matches[0].new if matches else None


@pytest.mark.parametrize(
    ("change", "sequence", "expected"),
    [
        ("increase", [50, 40, 50, 80], [True, False, False, True]),
        ("decrease", [50, 40, 50, 30], [True, True, False, True]),
        ("any", [50, 50, 40, 40], [True, False, True, False]),
        ("new", [50, 80, 40], [True, False, False]),
    ],
)
def test_track_change_modes(
    lexicons: Lexicons, change: str, sequence: list[int], expected: list[bool]
) -> None:
    rs = ruleset_of(lexicons, RANGE.replace("{change}", change))
    state = MemoryStateStore()
    clock = FakeClock(T0)
    got = []
    for km in sequence:
        got.append(_news(rs, lexicons, state, km, clock))
        clock.advance(hours=1)
    assert got == expected


def test_tracked_values_and_history_are_recorded(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RANGE.replace("{change}", "increase"))
    state = MemoryStateStore()
    clock = FakeClock(T0)
    for km in (50, 40, 80):
        _news(rs, lexicons, state, km, clock)
    assert state.get_tracked("range", "range wire") == 80.0
    history = state.tracked_history("range")
    assert [h["value"] for h in history] == [50.0, 80.0]
    assert [h["article_ref"] for h in history] == ["a50", "a80"]
    matches = rs.match(article(lexicons, _text(60)), ref="x", source="wire", state=state, now=T0)
    assert matches[0].key == "range wire" and matches[0].previous == 80.0


def test_keys_are_tracked_separately(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RANGE.replace("{change}", "increase"))
    state = MemoryStateStore()
    a = article(lexicons, _text(50))
    first = rs.match(a, ref="1", source="one", state=state, now=T0)[0]
    other = rs.match(a, ref="2", source="two", state=state, now=T0)[0]
    again = rs.match(a, ref="3", source="one", state=state, now=T0)[0]
    assert (first.new, other.new, again.new) == (True, True, False)


REALERT = """\
id: said
title: Said
scope: article
message: "Quoted: {speakers}"
match:
  quote: {speaker: people#watchlist}
extract:
  speakers: {quote: speaker, all: true}
realert: 6h
"""


def test_realert_suppresses_repeats_inside_the_window(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, REALERT)
    state = MemoryStateStore()
    clock = FakeClock(T0)
    quote = article(lexicons, '"We stand firm," Chancellor Olaf Scholz said.')
    other = article(lexicons, '"Nothing changes," Kremlin spokesman Dmitry Peskov said.')

    def new(a: object) -> bool:
        (m,) = rs.match(a, ref="r", state=state, now=clock())
        return m.new

    assert new(quote)
    clock.advance(hours=5)
    assert not new(quote)  # same key (rendered message) inside 6h
    assert new(other)  # another speaker is another key
    clock.advance(hours=1, minutes=1)
    assert new(quote)  # 6h after the announcement, not after the suppressed repeat


def test_realert_uses_the_publication_date_when_known(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, REALERT)
    state = MemoryStateStore()
    quote = article(lexicons, '"We stand firm," Chancellor Olaf Scholz said.')
    day1 = rs.match(quote, ref="1", state=state, now=T0, published=T0)[0]
    day2 = rs.match(quote, ref="2", state=state, now=T0, published=T0 + timedelta(days=1))[0]
    assert day1.new and day2.new


def test_story_key_announces_once_per_story(lexicons: Lexicons) -> None:
    text = """\
    id: change
    title: Change
    match:
      lexicon: policy.loosen
      factuality: [asserted]
    extract:
      direction: {cue: {policy.loosen: loosened}}
    track: {key: "{direction}|{story}"}
    """
    rs = ruleset_of(lexicons, text)
    state = MemoryStateStore()
    a = article(lexicons, "The government lifted the restrictions on Monday.")
    first = rs.match(a, ref="1", story="s1", state=state, now=T0)[0]
    same_story = rs.match(a, ref="2", story="s1", state=state, now=T0)[0]
    new_story = rs.match(a, ref="3", story="s2", state=state, now=T0)[0]
    assert (first.new, same_story.new, new_story.new) == (True, False, True)
    assert first.extra["story"] == "s1"


def test_memory_store_is_a_state_store() -> None:
    store: StateStore = MemoryStateStore()
    assert store.get_tracked("r", "k") is None and store.last_alerted("r", "k") is None
    store.set_alerted("r", "k", T0)
    assert store.last_alerted("r", "k") == T0
