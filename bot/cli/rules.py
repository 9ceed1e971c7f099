"""Rule commands: `rules check`, `rules test`, `extract` and `match`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from bot.cli import main
from bot.domain.errors import RedlineError

DEFAULT_RULES = Path("rules")
DEFAULT_STORY_WINDOW_DAYS = 3.0
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _load_ruleset(directory: Path) -> Any:
    """The rule set in `directory`; on errors print each one and exit 1."""
    from bot.engine.loader import RuleSetError, load_ruleset

    if not directory.is_dir():
        _fail(f"There is no rules folder at {directory}.")
    try:
        return load_ruleset(directory)
    except RuleSetError as e:
        for err in e.errors:
            click.echo(str(err), err=True)
        _fail(f"{len(e.errors)} error(s) in {directory}; `redline rules check` lists them.")


def _lexicons(directory: Path) -> Any:
    """The lexicons of a rules folder (analysis needs them even without rules)."""
    from bot.engine.loader import LEXICON_DIR, load_lexicon_dir

    if not (directory / LEXICON_DIR).is_dir():
        _fail(f"There is no lexicons folder at {directory / LEXICON_DIR}.")
    lexicons, errors = load_lexicon_dir(directory / LEXICON_DIR)
    if errors:
        for err in errors:
            click.echo(str(err), err=True)
        _fail(f"{len(errors)} error(s) in the lexicons of {directory}.")
    return lexicons


def _read(files: tuple[Path, ...]) -> list[Any]:
    from bot.engine.batch import read_article_files

    if not files:
        _fail("Give at least one article file.")
    paths: list[Path] = []
    for path in files:
        if path.is_dir():  # a folder stands for its article files, by name
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            paths.append(path)
    if not paths:
        _fail("No article files (.txt, .html) in the folders given.")
    return read_article_files(paths)


def _story_assigner() -> Callable[[str, Any, datetime | None], str] | None:
    """Group articles into stories when the story clusterer is available."""
    try:
        from bot.alerts.stories import StoryClusterer
    except ImportError:
        return None
    clusterer = StoryClusterer(window_days=DEFAULT_STORY_WINDOW_DAYS)

    def assign(ref: str, analysis: Any, when: datetime | None) -> str:
        return str(clusterer.assign(ref, analysis, when))

    return assign


# --- rules check / test ---------------------------------------------------------------------


@main.group("rules")
def rules_group() -> None:
    """Validate the watch rules and run their tests."""


@rules_group.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path), default=DEFAULT_RULES)
def check(directory: Path) -> None:
    """Validate every rule and lexicon in DIRECTORY (default: rules/)."""
    from bot.engine.loader import load_directory

    if not directory.is_dir():
        _fail(f"There is no rules folder at {directory}.")
    report = load_directory(directory)
    if report.errors:
        for err in report.errors:
            click.echo(str(err))
        click.echo(f"{len(report.errors)} error(s) in {directory}.", err=True)
        sys.exit(1)
    click.echo(f"{len(report.rules)} rules, {len(report.lexicons)} lexicons OK")


@rules_group.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path), default=DEFAULT_RULES)
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder with article files and expected.yaml (default: seeds/ next to DIRECTORY).",
)
@click.option("--rule", "rule_ids", multiple=True, help="Only this rule (repeatable).")
def test(directory: Path, seeds_dir: Path | None, rule_ids: tuple[str, ...]) -> None:
    """Run every rule's examples and hold the rules to the seeds' expected.yaml."""
    from rich.table import Table

    from bot.engine.examples import run_examples
    from bot.engine.expectations import check_expected, load_expected

    ruleset = _load_ruleset(directory)
    rows: list[tuple[str, str, bool, str]] = []
    for r in run_examples(ruleset, list(rule_ids) or None):
        rows.append(
            (r.rule_id, f"example {r.kind} #{r.index + 1} (line {r.line})", r.passed, r.detail)
        )
    explicit = seeds_dir is not None
    seeds = seeds_dir if seeds_dir is not None else directory.resolve().parent / "seeds"
    expected_file = seeds / "expected.yaml"
    if expected_file.is_file():
        expected = load_expected(expected_file)
        if rule_ids:
            expected = {"rules": {k: v for k, v in expected["rules"].items() if k in rule_ids}}
        results = _seed_results(ruleset, seeds)
        for c in check_expected(expected, results, {r.id for r in ruleset.rules}):
            rows.append((c.rule_id, f"seed {c.subject}", c.passed, c.detail))
    elif explicit:
        _fail(f"There is no expected.yaml in {seeds}.")
    table = Table(title=f"Rule tests: {directory}")
    for col in ("rule", "case", "result", "detail"):
        table.add_column(col, overflow="fold")
    for rule_id, case, passed, detail in rows:
        table.add_row(rule_id, case, "[green]PASS[/green]" if passed else "[red]FAIL[/red]", detail)
    console = _console()
    console.print(table)
    failed = sum(1 for row in rows if not row[2])
    console.print(f"{len(rows) - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


def _seed_results(ruleset: Any, seeds: Path) -> dict[str, dict[str, dict[str, Any]]]:
    from bot.engine.batch import read_article_files, run_batch
    from bot.engine.state import MemoryStateStore

    articles = read_article_files(sorted(seeds.glob("*.txt")))
    results: dict[str, dict[str, dict[str, Any]]] = {a.ref: {} for a in articles}
    done = run_batch(
        ruleset,
        articles,
        state=MemoryStateStore(),
        now=datetime.now(UTC),
        story_of=_story_assigner(),
    )
    for item in done:
        for m in item.matches:
            results[item.article.ref][m.rule_id] = {
                "facts": m.facts,
                "evidence": [e.sentence for e in m.evidence],
                "new": m.new,
            }
    return results


# --- extract / match ------------------------------------------------------------------------


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_RULES,
    help="Rules folder whose lexicons/ the analysis uses (default: rules/).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line per article.")
def extract(files: tuple[Path, ...], rules_dir: Path, as_json: bool) -> None:
    """Show the quotes (with speakers) and distances found in article FILES."""
    from bot.engine.batch import extract_record
    from bot.text.analysis import analyse

    articles = _read(files)
    lexicons = _lexicons(rules_dir)
    console = None if as_json else _console()
    for article in articles:
        record = extract_record(article, analyse(article.title, article.text, lexicons))
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        assert console is not None
        console.print(f"[bold]{article.ref}[/bold] {record['date'] or 'undated'}: {article.title}")
        for q in record["quotes"]:
            who = q["speaker"] or "(unnamed)"
            console.print(f"  quote  {who}: “{q['text']}”", highlight=False)
        for d in record["distances"]:
            console.print(
                f"  range  {d['value']:g} {d['unit']} = {d['km']:g} km ({d['status']})",
                highlight=False,
            )


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_RULES,
    help="Rules folder (default: rules/).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Keep tracked rule state in this SQLite database (default: in memory).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line per match.")
def match(files: tuple[Path, ...], rules_dir: Path, db_path: Path | None, as_json: bool) -> None:
    """Run the rules on article FILES (oldest first) and show which fire, with their facts.

    Dated files are processed oldest first, then undated ones in the order given. State
    starts empty and is kept in memory unless --db names a database.
    """
    from bot.engine.batch import match_record, run_batch

    articles = _read(files)
    ruleset = _load_ruleset(rules_dir)
    state = _state_store(db_path)
    done = run_batch(
        ruleset, articles, state=state, now=datetime.now(UTC), story_of=_story_assigner()
    )
    records = [match_record(item, m) for item in done for m in item.matches]
    if as_json:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    from rich.table import Table

    from bot.engine.templates import format_value

    table = Table(title=f"{len(records)} match(es) in {len(articles)} article(s)")
    for col in ("file", "rule", "new", "facts", "story"):
        table.add_column(col, overflow="fold")
    for r in records:
        facts = ", ".join(f"{k}={format_value(v)}" for k, v in r["facts"].items())
        table.add_row(r["file"], r["rule"], "yes" if r["new"] else "no", facts, r["story"])
    _console().print(table)


def _state_store(db_path: Path | None) -> Any:
    """In-memory state, or the SQLite state store of the database at `db_path`."""
    from bot.engine.state import MemoryStateStore

    if db_path is None:
        return MemoryStateStore()
    try:
        from bot.storage.database import open_database
        from bot.storage.state import SqliteStateStore
    except ImportError:
        _fail("--db is not available yet: this build has no SQLite rule state store.")
    try:
        return SqliteStateStore(open_database(db_path))
    except RedlineError as e:
        _fail(str(e))
