"""Reading article files and processing them in date order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.errors import ParseError
from bot.engine.batch import in_date_order, read_article_file, read_article_files
from tests.engine.conftest import SEEDS


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_seed_files_have_a_date_prefix_and_a_title() -> None:
    dated = read_article_file(SEEDS / "000_69cb0963fede10d4.txt")
    assert dated.published == datetime(2024, 7, 11, tzinfo=UTC) and dated.date == "2024-07-11"
    assert "date 2024" not in dated.text and dated.title
    undated = read_article_file(SEEDS / "001_e69eb9d007a3607d.txt")
    assert undated.published is None and undated.date is None


def test_dated_files_come_first_oldest_first_then_undated_in_given_order(tmp_path: Path) -> None:
    files = [
        _write(tmp_path, "u1.txt", "Undated one.\n"),
        _write(tmp_path, "d2.txt", " date 2024-08-01 Later news.\n"),
        _write(tmp_path, "u2.txt", "Undated two.\n"),
        _write(tmp_path, "d1.txt", " date 2024-07-01 Earlier news.\n"),
    ]
    ordered = in_date_order(read_article_files(files))
    assert [a.ref for a in ordered] == ["d1.txt", "d2.txt", "u1.txt", "u2.txt"]


def test_files_with_the_same_name_are_told_apart_by_path(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = _write(tmp_path / "a", "x.txt", "One.\n")
    two = _write(tmp_path / "b", "x.txt", "Two.\n")
    refs = [a.ref for a in read_article_files([one, two])]
    assert refs == [str(one), str(two)]


def test_unreadable_files_raise_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="Cannot read"):
        read_article_file(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ParseError, match="not UTF-8"):
        read_article_file(bad)
