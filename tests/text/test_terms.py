"""Word-form patterns: inflections match, other words do not."""

from __future__ import annotations

import re

import pytest

from bot.text.terms import word_form_pattern


def matches(term: str, word: str) -> bool:
    return re.fullmatch(word_form_pattern(term), word, re.IGNORECASE) is not None


@pytest.mark.parametrize(
    ("term", "forms"),
    [
        ("lift", ["lift", "lifts", "lifted", "lifting", "Lifted"]),
        ("loosen", ["loosens", "loosened", "loosening"]),
        ("ease", ["ease", "eases", "eased", "easing"]),
        ("permit", ["permits", "permitted", "permitting"]),
        ("allow", ["allows", "allowed", "allowing"]),
        ("authorize", ["authorizes", "authorized", "authorised", "authorizing", "authorising"]),
        ("ban", ["bans", "banned", "banning"]),
        ("deny", ["denies", "denied", "denying"]),
        ("relax", ["relaxes", "relaxed", "relaxing"]),
        ("agree", ["agrees", "agreed", "agreeing"]),
        ("say", ["says", "said"]),
        ("greenlight", ["greenlighted", "greenlit"]),
        ("restriction", ["restrictions"]),
        (
            "lift restrictions",
            ["lifted restrictions", "lifts restriction", "lifting\nrestrictions"],
        ),
        ("long-range", ["long-range", "long range", "longrange"]),
    ],
)
def test_inflections_match(term: str, forms: list[str]) -> None:
    for form in forms:
        assert matches(term, form), (term, form)


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("lift", "liftoff"),
        ("lift", "airlift"),
        ("ban", "bank"),
        ("allow", "allowance"),
        ("ease", "cease"),
    ],
)
def test_other_words_do_not_match(term: str, word: str) -> None:
    assert re.search(word_form_pattern(term), word, re.IGNORECASE) is None


def test_function_words_are_not_inflected() -> None:
    assert not matches("no plan to", "nos plan to")
    assert matches("no plan to", "no plans to")


def test_apostrophes_are_interchangeable() -> None:
    assert matches("won't", "won’t")
    assert matches("won't", "won't")


def test_pattern_is_valid_re2() -> None:
    import re2

    rx = re2.compile("(?i)" + word_form_pattern("authorize strikes"))
    assert rx.search("it authorised strikes on") is not None
