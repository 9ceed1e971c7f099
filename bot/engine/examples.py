"""Run every rule's own examples: `fires` texts must match (with their facts), `silent` not."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bot.engine.finding import evaluate_rule
from bot.engine.model import Example, Rule
from bot.engine.ruleset import RuleSet
from bot.engine.templates import format_value
from bot.text.analysis import analyse

PREVIEW = 70


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """The outcome of one example of one rule."""

    rule_id: str
    kind: str  # fires | silent
    index: int
    line: int
    passed: bool
    detail: str
    preview: str


def same_fact(expected: Any, actual: Any) -> bool:
    """Whether an extracted fact equals the expected one.

    Numbers agree to 0.05 (km are rounded to 0.1), text ignores case, and a list equals
    another with the same members in any order.
    """
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(float(expected), float(actual), abs_tol=0.05)
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple) or len(expected) != len(actual):
            return False
        remaining = list(actual)
        for item in expected:
            hit = next((i for i, a in enumerate(remaining) if same_fact(item, a)), None)
            if hit is None:
                return False
            remaining.pop(hit)
        return True
    if isinstance(expected, str) and isinstance(actual, str):
        return expected.casefold() == actual.casefold()
    return bool(expected == actual)


def fact_mismatches(expected: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    """One line per expected fact that the extracted facts do not have."""
    return [
        f"{name}: expected {format_value(value)!r}, got {format_value(facts.get(name))!r}"
        for name, value in expected.items()
        if not same_fact(value, facts.get(name))
    ]


def _preview(example: Example) -> str:
    text = " ".join((example.title + " " + example.text).split())
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"


def run_example(
    ruleset: RuleSet, rule: Rule, example: Example, kind: str, index: int
) -> ExampleResult:
    """Evaluate one example text with the rule (through the presearcher, as in production)."""
    analysis = analyse(example.title, example.text, ruleset.lexicons)
    ctx = ruleset.context(analysis, source=example.source, published=example.published)
    finding = evaluate_rule(rule, ctx)
    candidate = rule in ruleset.candidates(analysis) or not rule.enabled
    problems: list[str] = []
    if kind == "fires":
        if finding is None:
            problems.append("expected the rule to fire; it stayed silent")
        else:
            problems += fact_mismatches(example.facts, finding.facts)
            if not candidate:
                problems.append("the presearcher skipped the rule, so production would miss it")
    elif finding is not None:
        problems.append(f"expected silence; it fired: {finding.why}")
    return ExampleResult(
        rule_id=rule.id,
        kind=kind,
        index=index,
        line=example.line,
        passed=not problems,
        detail="; ".join(problems) or "ok",
        preview=_preview(example),
    )


def run_examples(ruleset: RuleSet, rule_ids: list[str] | None = None) -> list[ExampleResult]:
    """Every example of every rule (or of `rule_ids`), in rule order."""
    rules = [ruleset.get(r) for r in rule_ids] if rule_ids else list(ruleset.rules)
    out: list[ExampleResult] = []
    for rule in rules:
        for i, example in enumerate(rule.fires):
            out.append(run_example(ruleset, rule, example, "fires", i))
        for i, example in enumerate(rule.silent):
            out.append(run_example(ruleset, rule, example, "silent", i))
    return out
