"""The everyday commands, run as a user would: ingest, articles, lookup, sources, status."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help(workdir: Path) -> None:
    for cmd in (
        [],
        ["run"],
        ["ingest"],
        ["articles"],
        ["lookup"],
        ["status"],
        ["sources"],
        ["sources", "list"],
        ["sources", "add"],
        ["sources", "remove"],
    ):
        code, out, _ = invoke(*cmd, "--help")
        assert code == 0, cmd
        assert "Usage:" in out


def test_ingest_seeds_then_nothing_new(workdir: Path) -> None:
    code, out, _ = invoke("ingest", "seeds/")
    assert code == 0
    assert "5 new article(s)" in out
    code, out, _ = invoke("ingest", "seeds/")
    assert code == 0
    assert "0 new article(s) stored, 5 already known" in out
    assert (workdir / "var" / "redline.db").is_file()


def test_articles_lists_what_was_ingested(workdir: Path) -> None:
    invoke("ingest", "seeds/")
    code, out, _ = invoke("articles", "--limit", "10")
    assert code == 0
    assert "Biden clarifies stance" in out  # 003's headline, its title line
    assert out.count("seeds") >= 5


def test_lookup_finds_kharkiv_articles(workdir: Path) -> None:
    invoke("ingest", "seeds/")
    code, out, _ = invoke("lookup", "Kharkiv")
    assert code == 0
    # 002 and 003 mention Kharkiv by that spelling; their titles lead their results.
    assert "lifted restrictions on Ukraine" in out
    assert "Biden clarifies stance" in out


@pytest.mark.parametrize(
    "query",
    ['Kremlin"', "(", "NEAR(a b)", "a AND", '"; DROP TABLE articles; --', "*", "-", "x" * 10_000],
)
def test_lookup_survives_any_string(workdir: Path, query: str) -> None:
    invoke("ingest", "seeds/")
    result = CliRunner().invoke(main, ["lookup", query])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_lookup_filters(workdir: Path) -> None:
    invoke("ingest", "seeds/")
    code, out, _ = invoke("lookup", "since:2024-08-01", "restrictions")
    assert code == 0
    assert "preparing to ask" in out or "Ukrainian officials" in out  # 004 is the only one after
    assert "Biden clarifies" not in out
    result = CliRunner().invoke(main, ["lookup", "since:yesterday", "x"])
    assert result.exit_code == 1 and "since:" in result.stderr


def test_sources_add_list_remove(workdir: Path) -> None:
    code, out, _ = invoke("sources", "add", "more", "seeds", "--interval", "5m")
    assert code == 0, out
    assert "more" in (workdir / "sources.yaml").read_text()
    code, out, _ = invoke("sources", "list")
    assert "more" in out and "seeds" in out
    code, out, _ = invoke("sources", "remove", "more")
    assert code == 0
    assert "more" not in (workdir / "sources.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["sources", "add", "x", "ftp://example.com/feed"], "ftp"),
        (["sources", "add", "x", "http://127.0.0.1/feed"], "127.0.0.1"),
        (["sources", "add", "x", "nowhere/at/all"], "no file or folder"),
        (["sources", "add", "x", "seeds", "--interval", "often"], "interval"),
        (["sources", "remove", "nope"], "no source called"),
        (["ingest", "does-not-exist.txt"], "does-not-exist"),
    ],
)
def test_bad_input_is_one_sentence(workdir: Path, args: list[str], needle: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert needle.lower() in result.stderr.lower()
    assert result.stderr.count("\n") == 1


def test_status_shows_sources_and_rules(workdir: Path) -> None:
    invoke("ingest", "seeds/")
    code, out, _ = invoke("status")
    assert code == 0
    assert "seeds" in out
    assert "Outbox" in out
    assert "Rules:" in out


def test_desk_errors_show_the_terminal_usage(workdir: Path) -> None:
    """In the terminal the usage names the `redline` program, not the chat slash command."""
    result = CliRunner().invoke(main, ["mute", "official-statement", "forever"])
    assert result.exit_code == 1
    assert "'forever' is not a duration" in result.output
    assert "Usage: redline mute <rule|all>" in result.output
    assert "/redline" not in result.output
