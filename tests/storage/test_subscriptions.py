"""Subscriptions and mutes, and the routing of one alert to the channels that want it."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

import pytest

from bot.domain.models import Severity
from bot.domain.records import DeliveryMode, SelectorKind, Subscription
from bot.storage import Storage
from tests.storage.conftest import T0


class Channel(TypedDict):
    platform: str
    workspace: str
    channel: str


CH: Channel = {"platform": "slack", "workspace": "T1", "channel": "C1"}


def _sub(storage: Storage, channel: str = "C1", **kw: object) -> Subscription:
    fields: dict[str, object] = {
        "platform": "slack",
        "workspace": "T1",
        "channel": channel,
        "selector_kind": SelectorKind.ALL,
        "now": T0,
    }
    fields.update(kw)
    return storage.subscriptions.subscribe(**fields)  # type: ignore[arg-type]


def _channels(subs: list[Subscription]) -> list[str]:
    return [s.channel for s in subs]


def test_subscribe_is_an_upsert(storage: Storage) -> None:
    first = _sub(storage, selector_kind=SelectorKind.RULE, selector="strike-range", created_by="U1")
    again = _sub(
        storage,
        selector_kind=SelectorKind.RULE,
        selector="strike-range",
        min_severity=Severity.HIGH,
        mode=DeliveryMode.DIGEST,
        digest_schedule="daily 08:00",
        tz="Europe/Kyiv",
        created_by="U2",
    )
    assert again.id == first.id
    assert (again.min_severity, again.mode, again.digest_schedule, again.tz) == (
        Severity.HIGH,
        DeliveryMode.DIGEST,
        "daily 08:00",
        "Europe/Kyiv",
    )
    assert again.created_by == "U1"  # who first asked stays on record
    assert len(storage.subscriptions.list_for_channel("slack", "T1", "C1")) == 1


def test_selectors_are_normalised(storage: Storage) -> None:
    tag = _sub(storage, selector_kind=SelectorKind.TAG, selector="  Ukraine ")
    everything = _sub(storage, selector_kind=SelectorKind.ALL, selector="ignored")
    assert (tag.selector, everything.selector) == ("ukraine", "*")
    assert _sub(storage, selector_kind=SelectorKind.TAG, selector="UKRAINE").id == tag.id
    with pytest.raises(ValueError):
        _sub(storage, selector_kind=SelectorKind.RULE, selector="  ")


def test_unsubscribe_counts_what_it_removed(storage: Storage) -> None:
    _sub(storage, selector_kind=SelectorKind.RULE, selector="r1")
    _sub(storage, selector_kind=SelectorKind.TAG, selector="t1")
    _sub(storage, selector_kind=SelectorKind.ALL)
    _sub(storage, channel="C2")
    remove = storage.subscriptions.unsubscribe
    assert remove(**CH, selector_kind=SelectorKind.TAG, selector="T1") == 1
    assert remove(**CH, selector_kind=SelectorKind.TAG, selector="t1") == 0
    assert remove(**CH, selector_kind=SelectorKind.ALL) == 1
    assert remove(**CH) == 1
    assert storage.subscriptions.list_for_channel("slack", "T1", "C1") == []
    assert _channels(storage.subscriptions.list_all()) == ["C2"]
    assert storage.subscriptions.list_all(platform="discord") == []


def test_matching_by_rule_tag_and_all(storage: Storage) -> None:
    _sub(storage, channel="by-rule", selector_kind=SelectorKind.RULE, selector="strike-range")
    _sub(storage, channel="by-tag", selector_kind=SelectorKind.TAG, selector="ranges")
    _sub(storage, channel="all")
    _sub(storage, channel="other-rule", selector_kind=SelectorKind.RULE, selector="quotes")
    _sub(storage, channel="other-tag", selector_kind=SelectorKind.TAG, selector="people")
    match = storage.subscriptions.matching
    assert _channels(match("strike-range", ["Ranges"], Severity.LOW, T0)) == [
        "all",
        "by-rule",
        "by-tag",
    ]
    assert _channels(match("unrelated", [], Severity.LOW, T0)) == ["all"]


def test_matching_respects_minimum_severity(storage: Storage) -> None:
    _sub(storage, channel="high", min_severity=Severity.HIGH)
    _sub(storage, channel="info")
    match = storage.subscriptions.matching
    assert _channels(match("r", [], Severity.MEDIUM, T0)) == ["info"]
    assert _channels(match("r", [], Severity.HIGH, T0)) == ["high", "info"]
    assert _channels(match("r", [], Severity.CRITICAL, T0)) == ["high", "info"]


def test_a_channel_gets_one_subscription_preferring_immediate_then_specific(
    storage: Storage,
) -> None:
    digest = _sub(storage, mode=DeliveryMode.DIGEST, digest_schedule="hourly")
    by_tag = _sub(storage, selector_kind=SelectorKind.TAG, selector="ranges")
    by_rule = _sub(storage, selector_kind=SelectorKind.RULE, selector="strike-range")
    match = storage.subscriptions.matching
    assert [s.id for s in match("strike-range", ["ranges"], Severity.LOW, T0)] == [by_rule.id]
    assert [s.id for s in match("x", ["ranges"], Severity.LOW, T0)] == [by_tag.id]
    assert [s.id for s in match("x", [], Severity.LOW, T0)] == [digest.id]


def test_mutes_silence_a_rule_or_a_channel_until_they_expire(storage: Storage) -> None:
    _sub(storage, channel="C1")
    _sub(storage, channel="C2")
    subs = storage.subscriptions
    subs.mute(**CH, rule_id="strike-range", until=T0 + timedelta(hours=1))
    subs.mute(platform="slack", workspace="T1", channel="C2", until=T0 + timedelta(hours=2))
    assert _channels(subs.matching("strike-range", [], Severity.HIGH, T0)) == []
    assert _channels(subs.matching("quotes", [], Severity.HIGH, T0)) == ["C1"]
    later = T0 + timedelta(hours=1)
    assert _channels(subs.matching("strike-range", [], Severity.HIGH, later)) == ["C1"]
    assert [m.channel for m in subs.active_mutes(later)] == ["C2"]
    assert [m.rule_id for m in subs.active_mutes(T0, channel="C1")] == ["strike-range"]
    assert _channels(subs.matching("x", [], Severity.HIGH, T0 + timedelta(hours=2))) == [
        "C1",
        "C2",
    ]
    assert subs.purge_expired_mutes(T0 + timedelta(hours=2)) == 2
    assert subs.active_mutes(T0) == []


def test_muting_again_moves_the_end_and_unmute_lifts_it(storage: Storage) -> None:
    _sub(storage)
    subs = storage.subscriptions
    subs.mute(**CH, until=T0 + timedelta(hours=1))
    subs.mute(**CH, until=T0 + timedelta(hours=5))
    (mute,) = subs.active_mutes(T0)
    assert (mute.rule_id, mute.until) == (None, T0 + timedelta(hours=5))
    assert subs.unmute(**CH, rule_id="other") == 0
    assert subs.unmute(**CH) == 1
    assert _channels(subs.matching("r", [], Severity.INFO, T0)) == ["C1"]
