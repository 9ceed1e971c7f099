"""Every condition type, scopes and factuality gating, on short articles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.text.lexicon import Lexicons
from tests.engine.conftest import findings, holds, rule_errors, ruleset_of


def rule(match: str, scope: str = "sentence", extra: str = "") -> str:
    """A rule text around a `match:` block (given as YAML lines indented by two)."""
    return f"id: t\ntitle: T\nscope: {scope}\nmatch:\n{match}\n{extra}"


def test_terms_match_word_forms_at_word_boundaries(lexicons: Lexicons) -> None:
    r = rule("  terms: [lift, authorize]")
    assert holds(lexicons, r, "The government lifted the measure.")
    assert holds(lexicons, r, "London authorised the move.")
    assert not holds(lexicons, r, "The liftoff was delayed.")


def test_terms_without_word_forms_match_as_written(lexicons: Lexicons) -> None:
    r = rule("  terms: [lift]\n  word_forms: false")
    assert holds(lexicons, r, "They will lift it.")
    assert not holds(lexicons, r, "They lifted it.")


def test_terms_with_non_ascii_edges(lexicons: Lexicons) -> None:
    r = rule("  terms: [Élysée]")
    assert holds(lexicons, r, "The Élysée said nothing.")
    assert not holds(lexicons, r, "The XÉlysée said nothing.")


def test_lexicon_entry_tag_and_whole_lexicon(lexicons: Lexicons) -> None:
    assert holds(lexicons, rule("  lexicon: governments.Russia"), "Moscow said no.")
    assert not holds(lexicons, rule("  lexicon: governments.Russia"), "Paris said no.")
    assert holds(lexicons, rule("  lexicon: people#watchlist"), "Scholz spoke late.")
    assert holds(lexicons, rule("  lexicon: governments"), "Paris said no.")


def test_lexicon_tag_can_be_excluded(lexicons: Lexicons) -> None:
    r = rule("  lexicon: places#!capital")
    assert holds(lexicons, r, "Shelling hit Kharkiv overnight.")
    assert not holds(lexicons, r, "Kyiv asked Moscow for talks.")


def test_an_unknown_excluded_tag_is_a_load_error(lexicons: Lexicons) -> None:
    errors = rule_errors(rule("  lexicon: places#!capitol"), lexicons)
    assert any("no entry of lexicon 'places' has the tag 'capitol'" in e for e in errors)


def test_regex_is_case_insensitive_unless_asked(lexicons: Lexicons) -> None:
    text = "The atacms arrived."
    assert holds(lexicons, rule("  regex: 'ATACMS'"), text)
    assert not holds(lexicons, rule("  regex: 'ATACMS'\n  case_sensitive: true"), text)


def test_near_counts_words_between(lexicons: Lexicons) -> None:
    r = rule("  near:\n    - terms: [lift]\n    - terms: [restriction]\n  within: 2")
    assert holds(lexicons, r, "They lifted the restrictions.")
    assert holds(lexicons, r, "Restrictions were lifted.")
    assert not holds(lexicons, r, "They lifted, after a very long debate, the restrictions.")


def test_near_needs_one_word_per_condition(lexicons: Lexicons) -> None:
    # "ban" is both a tightening verb and a restriction noun; it cannot be both at once.
    r = rule("  near:\n    - lexicon: policy.tighten\n    - lexicon: policy.restriction")
    assert not holds(lexicons, r, "The ban stays.")
    assert holds(lexicons, r, "They tightened the ban.")


def test_all_any_not(lexicons: Lexicons) -> None:
    r = rule(
        "  all:\n"
        "    - terms: [ceasefire]\n"
        "    - any: [{terms: [Gaza]}, {terms: [Ukraine]}]\n"
        "    - not: {terms: [rumour]}"
    )
    assert holds(lexicons, r, "A ceasefire in Ukraine began.")
    assert not holds(lexicons, r, "A ceasefire began.")
    assert not holds(lexicons, r, "A ceasefire in Ukraine is a rumour.")


TWO_SENTENCES = "Talks on a ceasefire began today. Delegates met in Istanbul."
BOTH = "  all:\n    - terms: [ceasefire]\n    - terms: [Istanbul]"


@pytest.mark.parametrize(
    ("scope", "expected"),
    [("sentence", False), ("{window: 2}", True), ("lead", True), ("article", True)],
)
def test_rule_scope_decides_where_conditions_must_meet(
    lexicons: Lexicons, scope: str, expected: bool
) -> None:
    assert holds(lexicons, rule(BOTH, scope), TWO_SENTENCES) is expected


def test_lead_is_the_title_and_the_first_two_sentences(lexicons: Lexicons) -> None:
    r = rule("  terms: [ceasefire]", "lead")
    body = "One thing happened. Another followed. A third came. A ceasefire came last."
    assert not holds(lexicons, r, body)
    assert holds(lexicons, r, body, title="Ceasefire agreed")
    assert holds(lexicons, r, "A ceasefire began. Another followed. A third came.")


def test_narrower_scope_inside_the_lead(lexicons: Lexicons) -> None:
    r = rule("  scope: sentence\n  all:\n    - terms: [ceasefire]\n    - terms: [Istanbul]", "lead")
    assert not holds(lexicons, r, TWO_SENTENCES)
    assert holds(lexicons, r, "A ceasefire was agreed in Istanbul. Nothing else.")


def test_article_scope_condition_from_a_sentence(lexicons: Lexicons) -> None:
    r = rule("  all:\n    - terms: [ceasefire]\n    - scope: article\n      terms: [Istanbul]")
    assert holds(lexicons, r, TWO_SENTENCES)
    assert not holds(lexicons, r, "Talks on a ceasefire began today. Delegates met.")


def test_not_with_a_scope_means_nowhere_in_it(lexicons: Lexicons) -> None:
    r = rule(
        "  all:\n"
        "    - terms: [ceasefire]\n"
        "    - not:\n"
        "        scope: article\n"
        "        terms: [drill]"
    )
    assert holds(lexicons, r, TWO_SENTENCES)
    assert not holds(lexicons, r, TWO_SENTENCES + " It was only a drill.")


def test_source_filter_with_wildcards(lexicons: Lexicons) -> None:
    r = rule("  all:\n    - terms: [ceasefire]\n    - source: ['reut*', apnews]")
    text = "A ceasefire began."
    assert holds(lexicons, r, text, source="Reuters-World")
    assert holds(lexicons, r, text, source="apnews")
    assert not holds(lexicons, r, text, source="other")
    assert not holds(lexicons, r, text)


def test_date_filter_includes_the_whole_until_day(lexicons: Lexicons) -> None:
    r = rule("  all:\n    - terms: [ceasefire]\n    - date: {since: 2024-05-01, until: 2024-05-31}")
    text = "A ceasefire began."

    def on(day: int, month: int = 5, hour: int = 12) -> bool:
        published = datetime(2024, month, day, hour, tzinfo=UTC)
        return holds(lexicons, r, text, published=published)

    assert on(1, hour=0) and on(31, hour=23)
    assert not on(30, month=4) and not on(1, month=6, hour=0)
    assert not holds(lexicons, r, text)  # undated


FACT_RULE = rule("  lexicon: policy.loosen\n  factuality: [asserted]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The government lifted the restrictions on Monday.", True),
        ("The government refused to lift the restrictions.", False),  # negated
        ("Kyiv urged the government to lift the restrictions.", False),  # requested
        ("The government could lift the restrictions soon.", False),  # hypothetical
        ("In May, the government lifted the restrictions.", False),  # background
    ],
)
def test_factuality_gates_the_trigger(lexicons: Lexicons, text: str, expected: bool) -> None:
    assert holds(lexicons, FACT_RULE, text) is expected


def test_factuality_exclusion_form(lexicons: Lexicons) -> None:
    r = rule("  lexicon: policy.loosen\n  factuality: {not: [negated]}")
    assert holds(lexicons, r, "Kyiv urged the government to lift the restrictions.")
    assert not holds(lexicons, r, "The government refused to lift the restrictions.")


def test_hits_and_evidence_come_from_the_held_sentence(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, rule("  terms: [ceasefire]"))
    found = findings(rs, lexicons, "Nothing here. A ceasefire began at dawn. Quiet.")["t"]
    assert [e.sentence for e in found.evidence] == ["A ceasefire began at dawn."]
    (ev,) = found.evidence
    (mark,) = ev.marks
    assert ev.sentence[mark.start : mark.end] == "ceasefire"
    assert ev.sentence_index == 1
