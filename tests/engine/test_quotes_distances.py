"""Quote and distance conditions, and the facts read from them."""

from __future__ import annotations

import pytest

from bot.text.lexicon import Lexicons
from tests.engine.conftest import article, findings, holds, ruleset_of

QUOTE_RULE = """\
id: q
title: Q
scope: article
match:
  quote: {speaker: people#watchlist}
extract:
  speakers: {quote: speaker, all: true}
  said: {quote: text}
"""

NAMED = '"We will stand firm," Chancellor Olaf Scholz said on Monday.'
ANONYMOUS = '"The decision is made," a senior official said on condition of anonymity.'
UNWATCHED = '"The village is cold," said Olena Petrenko, a teacher.'


def test_quote_by_a_watched_official(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, QUOTE_RULE)
    found = findings(rs, lexicons, NAMED)["q"]
    assert found.facts["speakers"] == ["Olaf Scholz"]
    assert found.facts["said"].startswith("We will stand firm")


def test_anonymous_and_unwatched_speakers_do_not_count(lexicons: Lexicons) -> None:
    assert not holds(lexicons, QUOTE_RULE, ANONYMOUS)
    assert not holds(lexicons, QUOTE_RULE, UNWATCHED)


def test_one_finding_per_article_lists_every_speaker_once(lexicons: Lexicons) -> None:
    text = (
        f'{NAMED} Kremlin spokesman Dmitry Peskov said the move was "reckless". '
        '"We remain ready," Scholz added.'
    )
    rs = ruleset_of(lexicons, QUOTE_RULE)
    result = rs.evaluate(article(lexicons, text))
    assert len(result) == 1
    assert sorted(result[0].facts["speakers"]) == ["Dmitry Peskov", "Olaf Scholz"]


def test_quote_anonymous_and_text_conditions(lexicons: Lexicons) -> None:
    anon = "id: a\ntitle: A\nmatch:\n  quote: {anonymous: true}\n"
    assert holds(lexicons, anon, ANONYMOUS)
    assert not holds(lexicons, anon, NAMED)
    named = "id: n\ntitle: N\nmatch:\n  quote: {anonymous: false}\n"
    assert holds(lexicons, named, NAMED) and not holds(lexicons, named, ANONYMOUS)
    words = "id: w\ntitle: W\nmatch:\n  quote: {speaker: people, terms: [firm]}\n"
    assert holds(lexicons, words, NAMED)
    assert not holds(lexicons, words, NAMED.replace("stand firm", "wait"))


RANGE_RULE = """\
id: r
title: R
match:
  distance:
    status: permitted
    km: {gt: 0, lt: 5000}
extract:
  km: {distance: km, pick: max}
  value: {distance: value, pick: max}
  unit: {distance: unit, pick: max}
  status: {distance: status}
"""


def test_permitted_distance_in_km(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RANGE_RULE)
    text = "Ukraine is now allowed to strike targets 70 km inside Russia, officials said."
    facts = findings(rs, lexicons, text)["r"].facts
    assert facts == {"km": 70.0, "value": 70.0, "unit": "km", "status": "permitted"}


def test_miles_are_converted_to_km(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RANGE_RULE)
    text = "The allies have allowed Kyiv to strike up to 150 miles into Russia."
    facts = findings(rs, lexicons, text)["r"].facts
    assert facts["unit"] == "mi" and facts["value"] == 150
    assert facts["km"] == pytest.approx(150 * 1.609344, abs=0.05)


@pytest.mark.parametrize(
    "text",
    [
        "Washington is not authorizing strikes 300 miles into Russia.",  # denied
        "The missile has a range of 300 km.",  # technical
        "The city lies 30 km from the border.",  # geographic
        "Troops seized 1,000 square kilometres of territory.",  # area
    ],
)
def test_other_distances_are_not_permitted_ranges(lexicons: Lexicons, text: str) -> None:
    assert not holds(lexicons, RANGE_RULE, text)


def test_km_bounds_and_units(lexicons: Lexicons) -> None:
    text = "Ukraine is now allowed to strike targets 70 km inside Russia."
    far = RANGE_RULE.replace("{gt: 0, lt: 5000}", "{gte: 100}")
    assert not holds(lexicons, far, text)
    miles_only = RANGE_RULE.replace("    km: {gt: 0, lt: 5000}", "    unit: mi")
    assert not holds(lexicons, miles_only, text)
