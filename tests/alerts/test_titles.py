"""Alert titles per kind of rule: message first, then place, "(was: …)" and a quote snippet."""

from __future__ import annotations

import pytest

from bot.alerts.titles import (
    NONE_RECORDED,
    TITLE_MAX,
    alert_title,
    cut,
    format_value,
    snippet,
    title_from_facts,
)

QUOTE = "If he had the capacity to strike Moscow, strike the Kremlin, would that make sense?"


def test_policy_change_title_adds_the_place_the_message_leaves_out() -> None:
    title = alert_title(
        "US loosened limits on strikes inside Russia",
        rule_title="Restriction policy change",
        facts={"actor": "US", "direction": "loosened", "scope": ["Kharkiv region"]},
        tracked=False,
    )
    assert title == "US loosened limits on strikes inside Russia — Kharkiv region"


def test_a_place_already_in_the_message_is_not_repeated() -> None:
    title = alert_title(
        "US loosened limits around Kharkiv",
        rule_title="Restriction policy change",
        facts={"scope": ["Kharkiv"]},
        tracked=False,
    )
    assert title == "US loosened limits around Kharkiv"


def test_range_title_says_what_it_was_before() -> None:
    facts = {"km": 100.0, "value": 100.0, "unit": "km", "status": "permitted"}
    first = alert_title(
        "Permitted strike range: ~100 km inside Russia",
        rule_title="Permitted strike range",
        facts=facts,
        tracked=True,
    )
    assert first == f"Permitted strike range: ~100 km inside Russia (was: {NONE_RECORDED})"
    wider = alert_title(
        "Permitted strike range: ~300 km inside Russia",
        rule_title="Permitted strike range",
        facts={**facts, "km": 300.0, "value": 300.0},
        tracked=True,
        previous=100.0,
    )
    assert wider.endswith("(was: 100 km)")


def test_the_unit_of_the_previous_value_is_the_tracked_fact_not_the_written_unit() -> None:
    # Written in miles, tracked in km: the previous value is km.
    facts = {"km": 321.9, "value": 200.0, "unit": "mi"}
    title = alert_title("Range 200 mi", rule_title="r", facts=facts, tracked=True, previous=160.9)
    assert title.endswith("(was: 160.9 km)")


def test_statement_title_carries_a_short_quote_snippet() -> None:
    title = alert_title(
        "Biden on strikes inside Russia",
        rule_title="Statement by a watched official",
        facts={"speakers": ["Joe Biden"]},
        tracked=False,
        quote=QUOTE,
    )
    assert title == "Biden on strikes inside Russia: “If he had the capacity to strike…”"


def test_a_quote_fact_is_used_when_no_quote_is_given() -> None:
    title = alert_title(
        "Biden", rule_title="r", facts={"speakers": ["Joe Biden"], "quote": QUOTE}, tracked=False
    )
    assert title.startswith("Biden: “If he had")


def test_a_message_that_already_quotes_gets_no_second_quote() -> None:
    title = alert_title("Biden: “no”", rule_title="r", facts={}, tracked=False, quote=QUOTE)
    assert title == "Biden: “no”"


def test_without_a_message_the_title_comes_from_the_facts() -> None:
    title = alert_title(
        "", rule_title="Permitted strike range", facts={"km": 100.0, "status": "permitted"},
        tracked=False,
    )  # fmt: skip
    assert title == "Permitted strike range: km 100 km, status permitted"
    assert title_from_facts("Rule", {}) == "Rule"


def test_long_titles_are_cut_but_keep_the_previous_value() -> None:
    title = alert_title(
        "word " * 60, rule_title="r", facts={"km": 5}, tracked=True, previous=3, quote=QUOTE
    )
    assert len(title) <= TITLE_MAX
    assert title.endswith("(was: 3 km)")
    assert "“" not in title  # no room for the quote: the fact wins


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, NONE_RECORDED),
        (100.0, "100"),
        (321.87, "321.9"),
        (1500, "1,500"),
        (True, "yes"),
        (["Joe Biden", "Olaf Scholz"], "Joe Biden, Olaf Scholz"),
        ({"km": 100.0}, "100 km"),
        ("loosened", "loosened"),
    ],
)
def test_format_value(value: object, text: str) -> None:
    assert format_value(value) == text


def test_cut_and_snippet_end_at_words() -> None:
    assert cut("one two three four", 12) == "one two…"
    assert cut("short", 12) == "short"
    assert snippet("“a b c”") == "a b c"
    assert snippet(QUOTE, 3) == "If he had…"
