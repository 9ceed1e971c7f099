"""Distances: parsing numbers and units, km conversion, and status from the clause's cues."""

from __future__ import annotations

import pytest

from bot.text.distances import KM_PER_MILE, extract_distances, parse_number
from bot.text.lexicon import Lexicons
from bot.text.sentences import split_sentences
from bot.text.types import Distance, DistanceStatus
from tests.text.seedtext import expected, seed_article

P, D, T, G, A, OTHER = (
    DistanceStatus.PERMITTED,
    DistanceStatus.DENIED,
    DistanceStatus.TECHNICAL,
    DistanceStatus.GEOGRAPHIC,
    DistanceStatus.AREA,
    DistanceStatus.OTHER,
)


def distances(text: str, lexicons: Lexicons) -> list[Distance]:
    return extract_distances(
        text, split_sentences(text), lexicons.get("distance"), lexicons.get("factuality")
    )


def seed_distances(prefix: str, lexicons: Lexicons) -> list[Distance]:
    name = next(n for n in expected()["rules"]["strike-range"]["must"] if n.startswith(prefix))
    return distances(seed_article(name)[1], lexicons)


def seed_file(prefix: str) -> str:
    from tests.text.seedtext import seed_names

    return next(n for n in seed_names() if n.startswith(prefix))


def test_seed_001_one_permitted_100_km(lexicons: Lexicons) -> None:
    label = expected()["rules"]["strike-range"]["must"][seed_file("001")]
    found = seed_distances("001", lexicons)
    assert len(found) == 1
    d = found[0]
    assert d.status.value == label["status"]
    assert d.value == label["value"] and d.unit == label["unit"] and d.km == label["km"]
    assert d.approximate  # "some 100km"


def test_seed_000_twelve_miles_is_geographic(lexicons: Lexicons) -> None:
    found = distances(seed_article(seed_file("000"))[1], lexicons)
    assert [(d.value, d.unit, d.km, d.status) for d in found] == [
        (12.0, "mi", round(12 * KM_PER_MILE, 1), G)
    ]
    assert found[0].km == 19.3


def test_seed_003_two_hundred_miles_is_denied(lexicons: Lexicons) -> None:
    found = distances(seed_article(seed_file("003"))[1], lexicons)
    assert [(d.value, d.unit, d.km, d.status) for d in found] == [
        (200.0, "mi", round(200 * KM_PER_MILE, 1), D)
    ]
    assert found[0].km == 321.9


def test_seed_004_has_no_permitted_distance(lexicons: Lexicons) -> None:
    found = distances(seed_article(seed_file("004"))[1], lexicons)
    assert all(d.status is not P for d in found)


def test_no_seed_but_001_has_a_permitted_distance(lexicons: Lexicons) -> None:
    for name in expected()["rules"]["strike-range"]["must_not"]:
        assert all(d.status is not P for d in distances(seed_article(name)[1], lexicons)), name


@pytest.mark.parametrize(
    ("text", "value", "unit", "km", "status"),
    [
        (
            "Ukraine can now strike targets up to 300 km inside Russia, officials said.",
            300,
            "km",
            300.0,
            P,
        ),
        (
            "Kyiv was authorised to hit sites as deep as 60 kilometres into Russia.",
            60,
            "km",
            60.0,
            P,
        ),
        ("The Pentagon allowed strikes 50 miles beyond the border.", 50, "mi", 80.5, P),
        ("Washington is not authorizing strikes 300 km into Russia.", 300, "km", 300.0, D),
        ("Kyiv is not allowed to strike more than 1,000 km into Russia.", 1000, "km", 1000.0, D),
        ("London has refused to permit strikes 250 km deep.", 250, "km", 250.0, D),
        ("Strikes deeper than 100 km are prohibited.", 100, "km", 100.0, D),
        ("Berlin has banned attacks 500 km inside Russia.", 500, "km", 500.0, D),
        ("The ATACMS has a range of up to 300 kilometres.", 300, "km", 300.0, T),
        ("The missiles can fly 250 km.", 250, "km", 250.0, T),
        ("HIMARS rockets can hit targets 80 km away.", 80, "km", 80.0, T),
        ("The missiles can reach 300 km.", 300, "km", 300.0, T),
        ("Storm Shadow, which has a 250-km range, was delivered.", 250, "km", 250.0, T),
        ("Belgorod lies about 40 mi north of Kharkiv.", 40, "mi", 64.4, G),
        ("The town is 30 kilometers from the border.", 30, "km", 30.0, G),
        ("Sumy sits just ten miles away from the frontier.", 10, "mi", 16.1, G),
        ("Shelling hit Vovchansk, just 5 km from the border.", 5, "km", 5.0, G),
        ("Washington widened the zone for Kyiv's strikes to 90 miles.", 90, "mi", 144.8, P),
        ("Ukrainian forces seized 1,000 square kilometres in Kursk.", 1000, "km", 1000.0, A),
        ("Troops took 400 miles of territory in a week.", 400, "mi", 643.7, A),
        ("Officials urged Washington to allow strikes 500 km deep.", 500, "km", 500.0, OTHER),
        ("Britain could allow strikes 200 miles into Russia.", 200, "mi", 321.9, OTHER),
        ("The convoy was seen 3 km outside the city.", 3, "km", 3.0, G),
        ("The rally drew people who walked 5 km.", 5, "km", 5.0, OTHER),
    ],
)
def test_status_and_units(
    text: str, value: float, unit: str, km: float, status: DistanceStatus, lexicons: Lexicons
) -> None:
    found = distances(text, lexicons)
    assert len(found) == 1, found
    d = found[0]
    assert (d.value, d.unit, d.km, d.status) == (value, unit, km, status)
    assert text[d.start : d.end] == d.text


def test_ranges_and_forms(lexicons: Lexicons) -> None:
    found = distances(
        "Strikes of 60 to 80 kilometres, then between 5 and 10 miles, then 20-30km.", lexicons
    )
    assert [(d.value, d.value_max, d.unit) for d in found] == [
        (60, 80, "km"),
        (5, 10, "mi"),
        (20, 30, "km"),
    ]
    assert found[1].km == round(5 * KM_PER_MILE, 1)


def test_not_distances(lexicons: Lexicons) -> None:
    text = (
        "Mi-8 helicopters flew at 250 km/h and 150 miles per hour; hundreds of miles of "
        "territory changed hands; 40 years passed."
    )
    assert distances(text, lexicons) == []


def test_approximate_and_text(lexicons: Lexicons) -> None:
    [d] = distances("Ukraine can strike roughly 120 kilometers in.", lexicons)
    assert d.approximate and d.text == "roughly 120 kilometers"
    [d] = distances("Ukraine can strike 120 kilometers in.", lexicons)
    assert not d.approximate and d.text == "120 kilometers"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("1,000", 1000),
        ("2.5", 2.5),
        ("ten", 10),
        ("two hundred", 200),
        ("a hundred", 100),
        ("fifty", 50),
        ("blue", None),
    ],
)
def test_parse_number(words: str, value: float | None) -> None:
    assert parse_number(words) == value
