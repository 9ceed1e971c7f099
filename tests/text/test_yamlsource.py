"""YAML loading with line numbers, and refusal of oversized or alias-bomb files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.errors import RuleError
from bot.text.yamlsource import MAX_BYTES, line_of, load_yaml_text, load_yaml_with_lines


def test_lines_of_keys_and_items(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - name: y\n    tags: [t]\n", encoding="utf-8")
    data, lines = load_yaml_with_lines(path)
    assert data == {"a": 1, "b": ["x", {"name": "y", "tags": ["t"]}]}
    assert lines[("a",)] == 1
    assert lines[("b",)] == 2
    assert lines[("b", 0)] == 3
    assert lines[("b", 1, "name")] == 4
    assert lines[("b", 1, "tags")] == 5
    assert line_of(lines, ("b", 1, "tags", 0)) == 5
    assert line_of(lines, ("b", 1, "missing")) == 4


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(RuleError) as err:
        load_yaml_text("a: 1\nb: [unclosed\nc: 2\n", "bad.yaml")
    assert err.value.file == "bad.yaml"
    assert err.value.line is not None and err.value.line >= 2
    assert str(err.value).startswith("bad.yaml:")


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    prev = "a"
    for name in "bcdefghijk":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    with pytest.raises(RuleError, match="aliases"):
        load_yaml_text("\n".join(lines) + "\n", "bomb.yaml")


def test_a_few_aliases_are_fine() -> None:
    data, _ = load_yaml_text("base: &b {x: 1}\none: *b\ntwo: *b\n", "ok.yaml")
    assert data["two"] == {"x": 1}


def test_file_over_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * (MAX_BYTES + 1) + "\n", encoding="utf-8")
    with pytest.raises(RuleError, match="limit"):
        load_yaml_with_lines(path)


def test_non_utf8_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(RuleError, match=r"latin.yaml:2: file is not UTF-8 text \(byte 0xe9\)"):
        load_yaml_with_lines(bad)
    with pytest.raises(RuleError, match="cannot read"):
        load_yaml_with_lines(tmp_path / "absent.yaml")


def test_python_tags_are_not_constructed() -> None:
    with pytest.raises(RuleError):
        load_yaml_text("a: !!python/object/apply:os.system ['true']\n", "evil.yaml")


def test_many_small_aliases_are_refused() -> None:
    body = "base: &b [1]\n" + "".join(f"k{i}: *b\n" for i in range(150))
    with pytest.raises(RuleError, match="too many YAML aliases"):
        load_yaml_text(body, "many.yaml")
