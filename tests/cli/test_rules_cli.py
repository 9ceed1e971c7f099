"""`redline rules check|test`, `extract` and `match`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import bot.cli.rules  # noqa: F401  (registers the commands on the main group)
from bot.cli import main


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def seeds(workdir: Path) -> list[str]:
    return sorted(str(p.relative_to(workdir)) for p in (workdir / "seeds").glob("*.txt"))


def expected(workdir: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((workdir / "seeds" / "expected.yaml").read_text())
    return data


def match_lines(workdir: Path, *extra: str) -> list[dict[str, Any]]:
    result = run("match", *seeds(workdir), "--json", *extra)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def by_file_and_rule(lines: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        key = (Path(line["file"]).name, line["rule"])
        assert key not in out, f"two lines for {key}"
        out[key] = line
    return out


@pytest.mark.parametrize(
    "args",
    [
        ["rules", "--help"],
        ["rules", "check", "--help"],
        ["rules", "test", "--help"],
        ["extract", "--help"],
        ["match", "--help"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0 and "Usage:" in result.output


def test_rules_check_counts_rules_and_lexicons(workdir: Path) -> None:
    rules = len(list((workdir / "rules").glob("*.yaml")))
    lexicons = len(list((workdir / "rules" / "lexicons").glob("*.yaml")))
    result = run("rules", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{rules} rules, {lexicons} lexicons OK"


def test_rules_check_lists_every_error_as_file_line_message(workdir: Path) -> None:
    (workdir / "rules" / "bad.yaml").write_text(
        "id: bad\ntitle: Bad\nseverity: loud\nmatch:\n  regex: '(?<=x)y'\n"
    )
    result = run("rules", "check")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("rules/bad.yaml:3: severity must be one of")
    assert lines[1].startswith("rules/bad.yaml:5: not a valid RE2 regular expression")
    assert "Traceback" not in result.output


def test_rules_check_on_a_missing_folder_is_one_sentence(workdir: Path) -> None:
    result = run("rules", "check", "nowhere")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: There is no rules folder at nowhere."


def test_rules_test_passes_on_the_shipped_rules_and_seeds(workdir: Path) -> None:
    result = run("rules", "test")
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output
    assert "example" in result.output and "seed" in result.output


def test_rules_test_fails_on_a_broken_example(workdir: Path) -> None:
    rule = workdir / "rules" / "official-statement.yaml"
    rule.write_text(
        rule.read_text().replace(
            "  silent:\n", "  silent:\n    - '\"We wait,\" Chancellor Olaf Scholz said.'\n", 1
        )
    )
    result = run("rules", "test")
    assert result.exit_code == 1
    assert "FAIL" in result.output


def test_match_satisfies_every_expectation_of_the_seeds(workdir: Path) -> None:
    got = by_file_and_rule(match_lines(workdir))
    assert all(
        set(line) == {"file", "rule", "new", "facts", "evidence", "story"} for line in got.values()
    )
    for rule_id, spec in expected(workdir)["rules"].items():
        for name, facts in (spec.get("must") or {}).items():
            line = got.get((name, rule_id))
            assert line is not None, f"{rule_id} must report {name}"
            for key, want in facts.items():
                if key.endswith("_mentions"):
                    fact = line["facts"].get(key.removesuffix("_mentions"))
                    text = json.dumps([fact, line["evidence"]], ensure_ascii=False)
                    assert want in text, (rule_id, name, key)
                elif isinstance(want, float | int) and not isinstance(want, bool):
                    assert line["facts"][key] == pytest.approx(want, abs=0.05), (rule_id, key)
                else:
                    assert line["facts"][key] == want, (rule_id, name, key)
        for name in spec.get("must_not") or []:
            assert (name, rule_id) not in got, f"{rule_id} must not report {name}"
        for surname, sides in (spec.get("by_speaker") or {}).items():
            for side, prefixes in sides.items():
                for prefix in prefixes:
                    lines = [
                        v for (f, r), v in got.items() if r == rule_id and f.startswith(prefix)
                    ]
                    speakers = lines[0]["facts"]["speakers"] if lines else []
                    quoted = any(s.split()[-1] == surname for s in speakers)
                    assert quoted is (side == "must"), (surname, side, prefix, speakers)


def test_match_reports_one_line_per_article_and_rule_with_stories(workdir: Path) -> None:
    lines = match_lines(workdir)
    stories = {Path(line["file"]).name: line["story"] for line in lines}
    for group in expected(workdir)["stories"]:
        present = [stories[name] for name in group if name in stories]
        assert len(set(present)) <= 1, group
    assert all(isinstance(line["new"], bool) for line in lines)


def test_match_with_a_database_remembers_tracked_values(workdir: Path) -> None:
    first = by_file_and_rule(match_lines(workdir, "--db", "var/state.db"))
    second = by_file_and_rule(match_lines(workdir, "--db", "var/state.db"))
    assert first.keys() == second.keys()
    tracked = {"restriction-policy-change", "strike-range"}
    for key, line in first.items():
        assert line["new"] is True
        # Rules with `track` saw the same values already; others are reported again.
        assert second[key]["new"] is (key[1] not in tracked), key
    assert any(key[1] in tracked for key in first)


def test_match_without_json_prints_a_table(workdir: Path) -> None:
    result = run("match", *seeds(workdir))
    assert result.exit_code == 0
    assert "strike-range" in result.output and "match(es)" in result.output


def test_extract_prints_quotes_and_distances(workdir: Path) -> None:
    result = run("extract", *seeds(workdir), "--json")
    assert result.exit_code == 0, result.output
    records = {Path(r["file"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(records) == {Path(s).name for s in seeds(workdir)}
    for record in records.values():
        assert set(record) == {"file", "title", "date", "quotes", "distances"}
        for q in record["quotes"]:
            assert set(q) == {"speaker", "text"}
        for d in record["distances"]:
            assert set(d) == {"value", "unit", "km", "status", "sentence"}
    ((name, facts),) = expected(workdir)["rules"]["strike-range"]["must"].items()
    assert any(
        d["status"] == facts["status"] and d["km"] == pytest.approx(facts["km"], abs=0.05)
        for d in records[name]["distances"]
    )
    dated = [r for r in records.values() if r["date"]]
    assert dated and all(len(r["date"]) == 10 for r in dated)


@pytest.mark.parametrize("command", ["match", "extract"])
def test_bad_input_is_one_sentence_without_traceback(workdir: Path, command: str) -> None:
    result = run(command, "no-such-file.txt", "--json")
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    result = run(command, "--json")
    assert result.exit_code != 0 and "Error:" in result.stderr


def test_the_installed_command_runs_the_rules(workdir: Path) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "redline"
    if not script.exists():
        pytest.skip("the redline console script is not installed in this environment")
    done = subprocess.run(
        [str(script), "match", "seeds", "--json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rules = {json.loads(line)["rule"] for line in done.stdout.splitlines()}
    assert rules == set(expected(workdir)["rules"])
