"""Rule examples and ground-truth expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.examples import run_examples, same_fact
from bot.engine.expectations import check_expected, load_expected
from bot.engine.loader import load_ruleset
from bot.text.lexicon import Lexicons
from tests.engine.conftest import RULES, SEEDS, ruleset_of


def test_every_shipped_rule_has_fires_and_silent_examples() -> None:
    ruleset = load_ruleset(RULES)
    for rule in ruleset.rules:
        assert len(rule.fires) >= 2 and len(rule.silent) >= 3, rule.id


def test_the_shipped_examples_pass() -> None:
    results = run_examples(load_ruleset(RULES))
    failed = [f"{r.rule_id} {r.kind} #{r.index + 1}: {r.detail}" for r in results if not r.passed]
    assert failed == []
    assert len(results) >= 15


def test_a_wrong_example_fails(lexicons: Lexicons) -> None:
    text = """\
    id: cf
    title: Ceasefire
    match: {terms: [ceasefire]}
    extract:
      word: {value: truce}
    examples:
      fires:
        - A ceasefire began.
        - Nothing happened.
        - {text: A ceasefire began., facts: {word: armistice}}
      silent:
        - The ceasefire held.
        - Quiet day.
    """
    results = run_examples(ruleset_of(lexicons, text))
    assert [r.passed for r in results] == [True, False, False, False, True]
    assert "expected 'armistice', got 'truce'" in results[2].detail
    assert results[3].detail.startswith("expected silence; it fired")


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (100, 100.0, True),
        (321.9, 321.87, True),
        (100, 101, False),
        ("US", "us", True),
        (["A", "B"], ["B", "A"], True),
        (["A"], ["A", "B"], False),
        (True, 1, False),
    ],
)
def test_same_fact(expected: object, actual: object, same: bool) -> None:
    assert same_fact(expected, actual) is same


def test_expectations_catch_wrong_results() -> None:
    expected = {
        "rules": {
            "r": {
                "must": {"a.txt": {"actor": "US", "place_mentions": "Kharkiv"}},
                "must_not": ["b.txt"],
                "by_speaker": {"Biden": {"must": ["a"], "must_not": ["b"]}},
            },
            "missing-rule": {"must_not": ["a.txt"]},
        }
    }
    good = {
        "a.txt": {
            "r": {
                "facts": {"actor": "US", "speakers": ["Joe Biden"]},
                "evidence": ["Near Kharkiv."],
            }
        },
        "b.txt": {},
    }
    checks = check_expected(expected, good, {"r"})
    assert [c.passed for c in checks] == [True, True, True, True, False]
    bad = {
        "a.txt": {"r": {"facts": {"actor": "UK", "speakers": []}, "evidence": ["Elsewhere."]}},
        "b.txt": {"r": {"facts": {"speakers": ["Joe Biden"]}, "evidence": []}},
    }
    checks = check_expected(expected, bad, {"r"})
    assert not any(c.passed for c in checks)
    assert "actor: expected 'US', got 'UK'" in checks[0].detail
    assert "place_mentions" in checks[0].detail


def test_the_seed_expectations_file_is_readable() -> None:
    data = load_expected(SEEDS / "expected.yaml")
    assert set(data["rules"]) >= {"restriction-policy-change", "strike-range", "official-statement"}
    assert Path(SEEDS).is_dir()
