"""Novelty: what a later article of a story adds to the story's earlier alerts."""

from __future__ import annotations

from bot.alerts.novelty import new_evidence


def test_new_speakers_are_the_set_difference() -> None:
    earlier = [{"speakers": ["Joe Biden", "Volodymyr Zelensky"]}]
    added = new_evidence(
        "official-statement", earlier, {"speakers": ["Joe Biden", "Vladimir Putin"]}
    )
    assert added == {"speakers": ["Vladimir Putin"]}


def test_speakers_already_heard_add_nothing() -> None:
    earlier = [{"speakers": ["Joe Biden"]}, {"speakers": ["Olaf Scholz"]}]
    assert new_evidence("s", earlier, {"speakers": ["olaf scholz", "Joe Biden"]}) == {}


def test_a_larger_range_is_new_and_a_smaller_or_equal_one_is_not() -> None:
    earlier = [{"km": 100.0, "status": "permitted"}]
    assert new_evidence("r", earlier, {"km": 300.0, "status": "permitted"}) == {"km": 300.0}
    assert new_evidence("r", earlier, {"km": 100.0, "status": "permitted"}) == {}
    assert new_evidence("r", earlier, {"km": 80.0, "status": "permitted"}) == {}


def test_a_new_direction_or_actor_is_new() -> None:
    earlier = [{"actor": "US", "direction": "loosened"}]
    assert new_evidence("p", earlier, {"actor": "US", "direction": "tightened"}) == {
        "direction": "tightened"
    }
    assert new_evidence("p", earlier, {"actor": "UK", "direction": "loosened"}) == {"actor": "UK"}
    assert new_evidence("p", earlier, {"actor": "us", "direction": "Loosened"}) == {}


def test_a_quote_repeated_in_other_words_is_not_new_but_another_statement_is() -> None:
    said = "If he had the capacity to strike Moscow, strike the Kremlin, would that make sense?"
    earlier = [{"speakers": ["Joe Biden"], "quote": said}]
    again = "If he had the capacity to strike Moscow, strike the Kremlin, would that make sense? It wouldn't."
    assert new_evidence("s", earlier, {"speakers": ["Joe Biden"], "quote": again}) == {}
    other = "We are sending more air defence systems to Ukraine before the winter begins."
    assert new_evidence("s", earlier, {"speakers": ["Joe Biden"], "quote": other}) == {
        "quote": other
    }


def test_a_fact_no_earlier_alert_had_is_new() -> None:
    earlier = [{"actor": "US"}]
    assert new_evidence("p", earlier, {"actor": "US", "scope": ["Kharkiv"]}) == {
        "scope": ["Kharkiv"]
    }


def test_nested_facts_are_compared_field_by_field() -> None:
    earlier = [{"range": {"km": 100.0, "status": "permitted"}}]
    added = new_evidence("r", earlier, {"range": {"km": 150.0, "status": "permitted"}})
    assert added == {"range": {"km": 150.0}}


def test_without_earlier_alerts_every_found_fact_is_new() -> None:
    assert new_evidence("r", [], {"km": 100.0, "unit": None, "scope": []}) == {"km": 100.0}


def test_empty_values_never_count_as_news() -> None:
    assert new_evidence("r", [{"actor": "US"}], {"actor": None, "scope": []}) == {}
