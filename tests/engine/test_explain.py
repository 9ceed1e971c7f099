"""`explain`: which conditions held, which failed and why, with the sentences."""

from __future__ import annotations

import pytest

from bot.domain.errors import NotFoundError
from bot.text.lexicon import Lexicons
from tests.engine.conftest import article, ruleset_of

RULE = """\
id: change
title: Change
scope: lead
match:
  all:
    - lexicon: policy.loosen
      factuality: [asserted]
    - terms: [Russia]
"""


def test_a_holding_rule_shows_the_conditions_and_evidence(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RULE)
    lines = rs.explain("change", article(lexicons, "The government lifted the limits on Russia."))
    text = "\n".join(lines)
    assert lines[0] == "rule change: HOLDS"
    assert "presearch: candidate" in text
    assert "✓ lexicon policy.loosen [asserted]: holds in sentence 1" in text
    assert "“lifted” (policy.loosen, asserted)" in text
    assert "evidence (sentence 1): The government lifted the limits on Russia." in text


def test_a_silent_rule_says_what_failed_and_why(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RULE)
    lines = rs.explain("change", article(lexicons, "The government refused to lift the limits."))
    text = "\n".join(lines)
    assert lines[0] == "rule change: does not hold"
    assert "✗ lexicon policy.loosen [asserted]: holds nowhere" in text
    refused = "“lift” (policy.loosen, negated) — refused: factuality negated, not asserted"
    assert refused in text
    assert "✗ terms [Russia]: holds nowhere" in text
    assert "presearch: would skip it, none of these occur: russia" in text


def test_explain_an_unknown_rule(lexicons: Lexicons) -> None:
    rs = ruleset_of(lexicons, RULE)
    with pytest.raises(NotFoundError, match="did you mean 'change'"):
        rs.explain("chnage", article(lexicons, "Text."))
