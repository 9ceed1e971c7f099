"""docs/rules.md documents every key the loader accepts, and its full example is valid."""

from __future__ import annotations

import re

import pytest

from bot.domain.models import Severity
from bot.engine import schema
from bot.engine.examples import run_examples
from bot.engine.ruleset import RuleSet
from bot.text.lexicon import Lexicons
from bot.text.types import DistanceStatus, Factuality
from tests.engine.conftest import ROOT, build_rule

DOC = ROOT / "docs" / "rules.md"


def _documented() -> set[str]:
    return set(re.findall(r"`([^`\s]+)`", DOC.read_text(encoding="utf-8")))


@pytest.mark.parametrize("section", sorted(schema.SECTIONS))
def test_every_key_of_the_schema_is_documented(section: str) -> None:
    missing = sorted(set(schema.SECTIONS[section]) - _documented())
    assert missing == [], f"docs/rules.md does not mention {missing} ({section})"


def test_every_enumerated_value_is_documented() -> None:
    values = {
        *(s.value for s in Severity),
        *(f.value for f in Factuality),
        *(d.value for d in DistanceStatus),
        *schema.SCOPE_NAMES,
        *schema.CHANGES,
        *schema.FACT_IN,
        *schema.QUOTE_FIELDS,
        *schema.DISTANCE_FIELDS,
        *schema.PICKS,
        *schema.TEMPLATE_BUILTINS,
    }
    assert sorted(values - _documented()) == []


def test_the_walk_sees_keys() -> None:
    # Guards the tests above against passing on an empty schema.
    assert len(schema.all_keys()) > 40 and {"match", "near", "realert"} <= schema.all_keys()


def test_the_complete_example_in_the_docs_is_a_valid_rule(lexicons: Lexicons) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## A complete rule", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    rule = build_rule(block, lexicons, "docs/rules.md")
    results = run_examples(RuleSet([rule], lexicons))
    assert results and all(r.passed for r in results), [r.detail for r in results]
