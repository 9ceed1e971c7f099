"""Facts read from a match: mentions (through attributes), cues, templates, require."""

from __future__ import annotations

from bot.engine.templates import TemplateError, format_value, render, template_fields
from bot.text.lexicon import Lexicons
from tests.engine.conftest import findings, ruleset_of

POLICY = """\
id: p
title: P
scope: lead
message: "{actor} {direction} ({rule})"
match:
  as: trigger
  near:
    - lexicon: [policy.loosen, policy.tighten]
    - lexicon: policy.restriction
extract:
  actor: {mention: governments#supplier, through: {people: government}, in: [trigger, lead]}
  direction: {cue: {policy.loosen: loosened, policy.tighten: tightened}, in: trigger}
  country: {mention: governments#supplier, through: {people: government}, attr: country, in: lead}
  places: {mention: places, all: true, in: trigger}
  summary: {template: "{actor}/{direction}"}
  kind: {value: policy}
  missing: {mention: governments.China, default: none}
require: [actor, direction]
"""


def facts_of(lexicons: Lexicons, text: str, title: str = "") -> dict[str, object] | None:
    found = findings(ruleset_of(lexicons, POLICY), lexicons, text, title).get("p")
    return None if found is None else found.facts


def test_actor_through_a_person_and_direction_from_the_cue(lexicons: Lexicons) -> None:
    facts = facts_of(lexicons, "President Joe Biden lifted the restrictions near Kharkiv.")
    assert facts is not None
    assert facts["actor"] == "US" and facts["direction"] == "loosened"
    assert facts["places"] == ["Kharkiv"]
    assert facts["summary"] == "US/loosened" and facts["kind"] == "policy"
    assert facts["missing"] == "none"
    assert facts["country"] == "United States"


def test_a_recipient_is_not_the_actor(lexicons: Lexicons) -> None:
    # Ukraine is mentioned first but is not tagged as a supplier.
    facts = facts_of(lexicons, "Ukraine saw Germany ease the restrictions on Monday.")
    assert facts is not None and facts["actor"] == "Germany"


def test_actor_falls_back_to_the_lead(lexicons: Lexicons) -> None:
    facts = facts_of(lexicons, "The restrictions were eased on Monday.", title="A step by Paris")
    assert facts is not None and facts["actor"] == "France"


def test_require_drops_a_match_without_the_fact(lexicons: Lexicons) -> None:
    assert facts_of(lexicons, "The restrictions were eased on Monday.") is None


def test_ambiguous_cue_words_yield_to_clear_ones(lexicons: Lexicons) -> None:
    # "ban" is a tightening verb and a restriction noun; "lifted" says which way it went.
    facts = facts_of(lexicons, "The ban on such strikes was lifted by Washington.")
    assert facts is not None and facts["direction"] == "loosened"
    facts = facts_of(lexicons, "Washington tightened its rules on Monday.")
    assert facts is not None and facts["direction"] == "tightened"


def test_templates_render_safely() -> None:
    values = {"actor": "US", "km": 100.0, "speakers": ["A", "B"], "none": None}
    assert (
        render("{actor} may strike {km} km ({speakers})", values) == "US may strike 100 km (A, B)"
    )
    assert render("{absent} {actor}", values) == "US"
    assert format_value(321.9) == "321.9" and format_value(True) == "yes"
    assert template_fields("{a} and {b}") == ["a", "b"]
    for bad in ("{a.__class__}", "{a[0]}", "{a!r}", "{a:>10}", "{unclosed"):
        try:
            template_fields(bad)
        except TemplateError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_message_uses_facts_and_builtins(lexicons: Lexicons) -> None:
    from datetime import UTC, datetime

    from bot.engine.state import MemoryStateStore
    from tests.engine.conftest import article

    rs = ruleset_of(lexicons, POLICY)
    (m,) = rs.match(
        article(lexicons, "President Joe Biden lifted the restrictions."),
        ref="a1",
        state=MemoryStateStore(),
        now=datetime(2024, 6, 1, tzinfo=UTC),
    )
    assert m.message == "US loosened (p)"
    assert m.article_ref == "a1" and m.rule_title == "P"


def test_constant_facts_are_json_ready(lexicons: Lexicons) -> None:
    import json

    from tests.engine.conftest import build_rule, rule_errors

    rule = build_rule(
        "id: c\ntitle: C\nmatch: {terms: [a]}\n"
        "extract:\n  since: {value: 2024-05-30}\n  who: {mention: people, default: [nobody]}\n",
        lexicons,
    )
    assert json.dumps([s.value for s in rule.extract] + [rule.extract[1].default])
    assert rule.extract[0].value == "2024-05-30"
    errors = rule_errors(
        "id: c\ntitle: C\nmatch: {terms: [a]}\nextract:\n  x: {value: {a: 1}}\n", lexicons
    )
    assert any("'value' expects a single text" in e for e in errors)


def test_a_cue_can_name_a_condition(lexicons: Lexicons) -> None:
    text = """\
    id: g
    title: G
    match:
      any:
        - as: granted
          near: [{terms: [give]}, {lexicon: policy.restriction}]
        - lexicon: policy.tighten
    extract:
      direction: {cue: {granted: loosened, policy.tighten: tightened}}
    """
    rs = ruleset_of(lexicons, text)
    assert (
        findings(rs, lexicons, "Rome gave Kyiv permission.")["g"].facts["direction"] == "loosened"
    )
    assert (
        findings(rs, lexicons, "Rome curbed the deliveries.")["g"].facts["direction"] == "tightened"
    )
