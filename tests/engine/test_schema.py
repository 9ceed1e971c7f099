"""Rule validation: every error names file:line, rule and key, and says what was expected."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.engine.loader import RuleSetError, load_directory, load_ruleset, parse_rule_file
from bot.engine.patterns import compile_re2
from bot.text.lexicon import Lexicons
from tests.engine.conftest import LEXICONS, build_rule, rule_errors

GOOD = """\
id: sample
title: Sample
match:
  terms: [ceasefire]
"""


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_minimal_rule_loads_with_defaults(lexicons: Lexicons) -> None:
    rule = build_rule(GOOD, lexicons)
    assert (rule.id, rule.title, rule.severity.value, rule.scope.kind.value) == (
        "sample",
        "Sample",
        "medium",
        "sentence",
    )
    assert rule.message == "Sample" and rule.enabled and rule.track is None


def test_unknown_key_names_file_line_rule_key_and_suggests(lexicons: Lexicons) -> None:
    text = GOOD.replace(
        "match:\n  terms: [ceasefire]", "match:\n  terms: [ceasefire]\n  scpoe: lead"
    )
    errors = rule_errors(text, lexicons, "rules/x.yaml")
    line = _line_of(text, "scpoe")
    assert len(errors) == 1
    assert errors[0].startswith(f"rules/x.yaml:{line}: unknown key 'scpoe'")
    assert "did you mean 'scope'" in errors[0]
    assert "rule 'sample'" in errors[0] and "key 'match.scpoe'" in errors[0]


def test_unknown_top_level_key_without_close_match_lists_the_choices(lexicons: Lexicons) -> None:
    errors = rule_errors(GOOD + "zzz: 1\n", lexicons)
    assert "expected one of" in errors[0] and "severity" in errors[0]


def test_every_error_of_a_file_is_reported(lexicons: Lexicons) -> None:
    text = """\
    id: many
    title: Many problems
    severity: urgent
    tags: [ok]
    match:
      all:
        - terms: {a: 1}
        - lexicon: peeple
        - regex: '(?<=x)y'
    """
    errors = rule_errors(text, lexicons)
    assert len(errors) == 4, errors
    joined = "\n".join(errors)
    assert "severity must be one of" in joined
    assert "'terms' expects a word or a non-empty list of words" in joined
    assert "unknown lexicon 'peeple'; did you mean 'people'" in joined
    assert "not a valid RE2 regular expression" in joined


def test_bad_types_say_what_was_expected(lexicons: Lexicons) -> None:
    cases = {
        "enabled: maybe\n": "'enabled' expects true or false",
        "scope: paragraph\n": "scope expects sentence, lead, article or {window: N}",
        "realert: soon\n": "'realert' expects a duration",
        "tags: [yes]\n": "quote words YAML reads as true/false",
        "message: '{nope}'\n": "template uses '{nope}'",
        "require: [actor]\n": "'require' names 'actor'",
    }
    for extra, expected in cases.items():
        errors = rule_errors(GOOD + extra, lexicons)
        assert any(expected in e for e in errors), (extra, errors)


def test_bad_re2_pattern_is_a_load_error_with_its_line(lexicons: Lexicons) -> None:
    text = """\
    id: lookbehind
    title: Lookbehind
    match:
      any:
        - terms: [a]
        - regex: '(?<=over)due'
    """
    errors = rule_errors(text, lexicons, "rules/lb.yaml")
    line = _line_of(text, "regex:")
    assert len(errors) == 1
    assert errors[0].startswith(f"rules/lb.yaml:{line}: not a valid RE2 regular expression")
    assert "no lookaround" in errors[0] and "key 'match.any[1].regex'" in errors[0]


def test_catastrophic_backtracking_pattern_runs_in_linear_time() -> None:
    pattern = compile_re2("(a+)+$")
    timings = []
    for n in (20_000, 200_000):
        text = "a" * n + "!"
        start = time.perf_counter()
        assert pattern.search(text) is None
        timings.append(time.perf_counter() - start)
    # Python's re needs exponential time here; RE2 stays linear (10x text, ~10x time).
    assert timings[1] < 1.0
    assert timings[1] < max(timings[0], 1e-4) * 60


def test_lexicon_references_are_checked(lexicons: Lexicons) -> None:
    text = """\
    id: refs
    title: Refs
    match:
      all:
        - lexicon: policy.loosn
        - lexicon: people#watchlst
        - quote: {speaker: people, anonymous: true}
    """
    joined = "\n".join(rule_errors(text, lexicons))
    assert "lexicon 'policy' has no entry 'loosn'; did you mean 'loosen'" in joined
    assert "no entry of lexicon 'people' has the tag 'watchlst'; did you mean 'watchlist'" in joined
    assert "cannot have a named speaker and be anonymous" in joined


def test_condition_shape_errors(lexicons: Lexicons) -> None:
    text = """\
    id: shapes
    title: Shapes
    match:
      all:
        - terms: [a]
          regex: b
        - near: [{terms: [a]}, {quote: {}}]
        - terms: [a]
          within: 3
        - distance: {status: allowed}
        - {}
    """
    joined = "\n".join(rule_errors(text, lexicons))
    assert "needs exactly one of" in joined and "(found terms, regex)" in joined
    assert "'near' takes only terms, lexicon, regex conditions, not 'quote'" in joined
    assert "'within' does not go with 'terms'" in joined
    assert "'allowed' is not a distance status" in joined
    assert "a condition must be a mapping" in joined


def test_fact_and_track_errors(lexicons: Lexicons) -> None:
    text = """\
    id: facts
    title: Facts
    match: {lexicon: people}
    extract:
      who: {mention: people, in: somewhere}
      how: {cue: {policy.loosen: loosened}, pick: max}
      km: {distance: miles}
      Bad-Name: {value: 1}
    track: {key: "{who}", value: size, change: up}
    """
    joined = "\n".join(rule_errors(text, lexicons))
    assert "'in' names 'somewhere'" in joined
    assert "'pick' does not go with 'cue'" in joined
    assert "'distance' must be one of km" in joined
    assert "a fact name must be a lowercase identifier" in joined
    assert "'track.value' names 'size'" in joined
    assert "'change' must be one of any, increase, decrease, new" in joined


def test_as_names_are_what_in_may_refer_to(lexicons: Lexicons) -> None:
    rule = build_rule(
        """\
        id: named
        title: Named
        match:
          as: trigger
          lexicon: people
        extract:
          who: {mention: people, in: [trigger, lead]}
        """,
        lexicons,
    )
    assert rule.extract[0].where == ("trigger", "lead")


def test_examples_are_validated(lexicons: Lexicons) -> None:
    text = GOOD + "examples:\n  fires:\n    - {text: a ceasefire, factz: {}}\n  silnt: []\n"
    joined = "\n".join(rule_errors(text, lexicons))
    assert "unknown key 'factz'; did you mean 'facts'" in joined
    assert "unknown key 'silnt'; did you mean 'silent'" in joined


def test_invalid_yaml_reports_its_line(lexicons: Lexicons) -> None:
    errors = rule_errors("id: a\ntitle: [unclosed\nmatch: {}\n", lexicons, "rules/y.yaml")
    assert len(errors) == 1 and errors[0].startswith("rules/y.yaml:")
    assert "invalid YAML" in errors[0]


def test_alias_bomb_is_refused(tmp_path: Path, lexicons: Lexicons) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
        prev = name
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    rule, errors = parse_rule_file(path, lexicons)
    assert rule is None and len(errors) == 1
    assert "yaml aliases" in str(errors[0]).lower()
    assert time.perf_counter() - start < 2.0


def test_huge_file_is_refused(tmp_path: Path, lexicons: Lexicons) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(GOOD + "description: '" + "x" * 1_100_000 + "'\n")
    rule, errors = parse_rule_file(path, lexicons)
    assert rule is None and "over the 1000000 byte limit" in str(errors[0])


def _rules_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "lexicons").symlink_to(LEXICONS, target_is_directory=True)
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def test_a_directory_reports_all_errors_of_all_files(tmp_path: Path) -> None:
    directory = _rules_dir(
        tmp_path,
        {
            "a.yaml": GOOD.replace("sample", "a"),
            "b.yaml": GOOD.replace("sample", "b") + "severity: loud\n",
            "c.yaml": GOOD.replace("sample", "c").replace("terms:", "termz:"),
            "d.yaml": GOOD.replace("sample", "a"),  # duplicate id
        },
    )
    report = load_directory(directory)
    assert [r.id for r in report.rules] == ["a"]
    files = sorted(Path(e.file or "").name for e in report.errors)
    assert files == ["b.yaml", "c.yaml", "c.yaml", "d.yaml"], [str(e) for e in report.errors]
    with pytest.raises(RuleSetError) as info:
        load_ruleset(directory)
    assert len(info.value.errors) == 4
    assert "and 3 more" in str(info.value)


def test_the_shipped_rules_load(lexicons: Lexicons) -> None:
    ruleset = load_ruleset(LEXICONS.parent)
    assert {r.id for r in ruleset.rules} >= {
        "restriction-policy-change",
        "strike-range",
        "official-statement",
    }
    assert len(ruleset.lexicons) >= 5
