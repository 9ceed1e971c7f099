"""Shared helpers for the engine tests: shipped lexicons, rules built from YAML text."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.engine.finding import Finding
from bot.engine.loader import parse_rule_text
from bot.engine.model import Rule
from bot.engine.ruleset import RuleSet
from bot.text.analysis import Analysis, analyse
from bot.text.lexicon import Lexicons, load_lexicons

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
LEXICONS = RULES / "lexicons"
SEEDS = ROOT / "seeds"
T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def lexicons() -> Lexicons:
    """The lexicons shipped in rules/lexicons."""
    return load_lexicons(LEXICONS)


def build_rule(text: str, lexicons: Lexicons, name: str = "test.yaml") -> Rule:
    """A rule from YAML text; fails the test with every error when it is invalid."""
    rule, errors = parse_rule_text(textwrap.dedent(text), name, lexicons)
    assert not errors, "\n".join(map(str, errors))
    assert rule is not None
    return rule


def rule_errors(text: str, lexicons: Lexicons, name: str = "bad.yaml") -> list[str]:
    """The error messages of an invalid rule text."""
    rule, errors = parse_rule_text(textwrap.dedent(text), name, lexicons)
    assert rule is None or errors
    return [str(e) for e in errors]


def ruleset_of(lexicons: Lexicons, *texts: str) -> RuleSet:
    """A rule set of rules given as YAML texts."""
    return RuleSet([build_rule(t, lexicons, f"r{i}.yaml") for i, t in enumerate(texts)], lexicons)


def article(lexicons: Lexicons, text: str, title: str = "") -> Analysis:
    """An analysed article."""
    return analyse(title, textwrap.dedent(text).strip(), lexicons)


def findings(
    ruleset: RuleSet, lexicons: Lexicons, text: str, title: str = "", **kw: Any
) -> dict[str, Finding]:
    """The findings of a rule set on a text, by rule id."""
    return {f.rule.id: f for f in ruleset.evaluate(article(lexicons, text, title), **kw)}


def holds(lexicons: Lexicons, rule_yaml: str, text: str, title: str = "", **kw: Any) -> bool:
    """Whether a single rule holds on a text."""
    rs = ruleset_of(lexicons, rule_yaml)
    return bool(findings(rs, lexicons, text, title, **kw))
