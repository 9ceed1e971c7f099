"""sources.yaml: loading with file:line errors, and edits that keep comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.errors import ConfigError, NotFoundError
from bot.domain.models import SourceKind, SourceSpec
from bot.feeds.sources_file import (
    add_source,
    format_interval,
    load_sources,
    parse_interval,
    parse_sources,
    remove_source,
)

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = """\
# My sources
sources:
  # local files
  - name: local
    kind: directory
    path: articles
    interval: 30s

  # a feed I like
  - name: world
    url: https://news.example.org/world.rss   # kind is inferred
    interval: 1h
"""


def test_the_shipped_sources_file() -> None:
    specs = load_sources(ROOT / "sources.yaml")
    seeds = [s for s in specs if s.kind is SourceKind.DIRECTORY]
    feeds = [s for s in specs if s.kind is SourceKind.FEED]
    assert [(s.name, s.location, s.interval_s) for s in seeds] == [
        ("seeds", str(ROOT / "seeds"), 60)
    ]
    assert 4 <= len(feeds) <= 6
    assert all(s.location.startswith("https://") for s in feeds)
    assert len({s.name for s in specs}) == len(specs)


def test_parse_resolves_paths_and_infers_kinds(tmp_path: Path) -> None:
    specs = parse_sources(SAMPLE, base_dir=tmp_path)
    assert specs == [
        SourceSpec("local", SourceKind.DIRECTORY, str(tmp_path / "articles"), 30),
        SourceSpec("world", SourceKind.FEED, "https://news.example.org/world.rss", 3600),
    ]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("30s", 30),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("2d", 172800),
        (45, 45),
        ("45", 45),
        ("15 m", 900),
    ],
)
def test_intervals(value: object, seconds: int) -> None:
    assert parse_interval(value) == seconds


@pytest.mark.parametrize("value", ["", "0s", "soon", "15x", "-5m", 0, True, 1.5, "m15"])
def test_bad_intervals(value: object) -> None:
    assert parse_interval(value) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "30s"), (60, "1m"), (90, "90s"), (3600, "1h"), (86400, "1d"), (5400, "90m")],
)
def test_format_interval_round_trips(seconds: int, text: str) -> None:
    assert format_interval(seconds) == text
    assert parse_interval(text) == seconds


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "sources:\n  - name: a\n    url: https://x.example/\n    intervl: 5m\n",
            4,
            "unknown key 'intervl'",
        ),
        (
            "sources:\n  - name: a\n    url: https://x.example/\n    interval: soon\n",
            4,
            "interval 'soon'",
        ),
        ("sources:\n  - name: a\n    kind: feed\n", 2, "needs an http or https url"),
        ("sources:\n  - name: a\n    url: ftp://x.example/\n", 3, "needs an http or https url"),
        ("sources:\n  - name: a\n    kind: podcast\n    url: https://x/\n", 3, "kind 'podcast'"),
        ("sources:\n  - name: a\n    kind: directory\n", 2, "needs a path"),
        ("sources:\n  - name: a b\n    url: https://x.example/\n", 2, "needs a name"),
        ("sources:\n  - url: https://x.example/\n", 2, "needs a name"),
        (
            "sources:\n  - name: a\n    url: https://x.example/\n  - name: a\n    url: https://y.example/\n",
            4,
            "two sources called 'a'",
        ),
        (
            "sources:\n  - name: a\n    url: https://x.example/\n    enabled: maybe\n",
            4,
            "enabled 'maybe'",
        ),
        (
            "sources:\n  - name: a\n    path: x\n    url: https://x.example/\n",
            4,
            "takes a path, not a url",
        ),
        ("sources:\n  name: a\n", 2, "must be a list"),
        ("feeds:\n  - name: a\n", 1, "unknown key 'feeds'"),
        ("sources:\n  - just a string\n", 2, "must be a mapping"),
        ("sources:\n  - name: [a\n", 3, "not valid YAML"),
    ],
)
def test_errors_name_the_file_and_line(text: str, line: int, words: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_sources(text, file="sources.yaml", base_dir=tmp_path)
    message = str(info.value)
    assert message.startswith(f"sources.yaml:{line}: ")
    assert words in message
    assert "\n" not in message


def test_a_missing_or_empty_file_has_no_sources(tmp_path: Path) -> None:
    assert load_sources(tmp_path / "absent.yaml") == []
    (tmp_path / "empty.yaml").write_text("", "utf-8")
    assert load_sources(tmp_path / "empty.yaml") == []
    (tmp_path / "null.yaml").write_text("sources:\n", "utf-8")
    assert load_sources(tmp_path / "null.yaml") == []


def test_add_keeps_comments_and_appends_in_the_same_style(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SAMPLE, "utf-8")
    add_source(
        path, SourceSpec("extra", SourceKind.FEED, "https://extra.example/feed?a=1&b=2", 900)
    )
    text = path.read_text("utf-8")
    assert text.startswith(SAMPLE.rstrip("\n"))  # everything before is untouched
    assert text.endswith(
        "  - name: extra\n    kind: feed\n    url: https://extra.example/feed?a=1&b=2\n"
        "    interval: 15m\n"
    )
    assert [s.name for s in load_sources(path)] == ["local", "world", "extra"]


def test_add_a_directory_writes_a_relative_path(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SAMPLE, "utf-8")
    add_source(path, SourceSpec("more", SourceKind.DIRECTORY, str(tmp_path / "more" / "files"), 60))
    assert "    path: more/files\n" in path.read_text("utf-8")
    assert load_sources(path)[-1].location == str(tmp_path / "more" / "files")


def test_add_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "sources.yaml"
    spec = SourceSpec("solo", SourceKind.FEED, "https://solo.example/rss", 120, enabled=False)
    add_source(path, spec)
    assert path.read_text("utf-8").startswith("# ")
    assert load_sources(path) == [spec]


def test_add_to_a_flow_style_list_rewrites_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources: [{name: a, url: 'https://a.example/'}]\n", "utf-8")
    add_source(path, SourceSpec("b", SourceKind.FEED, "https://b.example/", 900))
    assert [s.name for s in load_sources(path)] == ["a", "b"]


def test_add_refuses_a_duplicate_name(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SAMPLE, "utf-8")
    with pytest.raises(ConfigError, match="'world' already exists"):
        add_source(path, SourceSpec("world", SourceKind.FEED, "https://other.example/", 900))
    assert path.read_text("utf-8") == SAMPLE


def test_remove_keeps_the_other_sources_and_their_comments(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SAMPLE, "utf-8")
    remove_source(path, "local")
    text = path.read_text("utf-8")
    assert "name: local" not in text and "path: articles" not in text
    assert "# My sources" in text and "# a feed I like" in text and "# kind is inferred" in text
    assert [s.name for s in load_sources(path)] == ["world"]


def test_remove_the_last_source_and_a_file_without_a_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SAMPLE.rstrip("\n"), "utf-8")
    remove_source(path, "world")
    assert [s.name for s in load_sources(path)] == ["local"]
    assert "news.example.org" not in path.read_text("utf-8")
    remove_source(path, "local")
    assert load_sources(path) == []


def test_remove_an_unknown_source(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SAMPLE, "utf-8")
    with pytest.raises(NotFoundError, match="no source called 'nope'"):
        remove_source(path, "nope")


def test_names_that_yaml_would_misread_are_quoted(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    add_source(path, SourceSpec("true", SourceKind.FEED, "https://t.example/#frag", 900))
    add_source(path, SourceSpec("123", SourceKind.FEED, "https://n.example/", 900))
    assert [s.name for s in load_sources(path)] == ["true", "123"]
    assert load_sources(path)[0].location == "https://t.example/#frag"
