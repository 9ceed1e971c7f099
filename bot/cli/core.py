"""The everyday commands: run, ingest, articles, lookup, sources, status."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import click

from bot.cli import main
from bot.domain.errors import RedlineError


def _settings() -> Any:
    from bot.config import load_settings

    return load_settings()


def _app(**kw: Any) -> Any:
    from bot.app import App

    return App(_settings(), **kw)


def _console() -> Any:
    from rich.console import Console

    return Console()


@main.command()
@click.option("--once", is_flag=True, help="Poll every source once, deliver, and exit.")
def run(once: bool) -> None:
    """Start the bot: poll sources, run the rules, post alerts until Ctrl-C."""
    from bot.adapters.console import ConsolePoster
    from bot.app import App, run_forever
    from bot.config import load_settings

    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The scheduler narrates every run at INFO; only its problems are worth a line.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    console = ConsolePoster()
    app = App(settings, on_article=console.article)
    if settings.console_enabled:
        app.add_console(console)
    _add_chat_adapters(app, settings)
    mode = ", ".join(
        [p for p in ("console",) if settings.console_enabled] + [a.platform for a in app.adapters]
    )
    console.console.print(
        f"[bold]Redline[/bold] database {settings.db_path}, rules {settings.rules_dir}, "
        f"sources {settings.sources_file}, output: {mode or 'none'}. Ctrl-C stops."
    )
    if once:
        asyncio.run(_run_once(app))
        return
    asyncio.run(run_forever(app))
    console.console.print("Redline stopped.")


async def _run_once(app: Any) -> None:
    from bot.app import start

    lock = await start(app)
    try:
        await app.poller().poll_due()
        await app.deliverer().deliver_due()
    finally:
        await app.close()
        lock.release()


def _add_chat_adapters(app: Any, settings: Any) -> None:
    from bot.services.commands import CommandService

    if not (settings.slack_enabled or settings.discord_enabled):
        return
    handler = CommandService(app)
    if settings.slack_enabled:
        from bot.adapters.slack.app import SlackAdapter

        app.adapters.append(SlackAdapter(settings, handler))
    if settings.discord_enabled:
        from bot.adapters.discord.client import DiscordAdapter

        app.adapters.append(DiscordAdapter(settings, handler))


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--source", help="Source name to file the articles under (default: derived).")
def ingest(targets: tuple[str, ...], source: str | None) -> None:
    """Read article files, folders or feed URLs once and store what is new."""
    from rich.progress import Progress

    from bot.domain.models import FetchStatus, SourceKind, SourceState
    from bot.feeds.directory import read_articles

    app = _app()
    app.rulebook.reload()
    added = dupes = 0
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("ingesting", total=len(targets))
            for target in targets:
                is_url = target.startswith(("http://", "https://"))
                name = source or (target if is_url else Path(target).resolve().name)
                if is_url:
                    state = SourceState(name=name, kind=SourceKind.FEED, location=target)
                    result = asyncio.run(_fetch_once(app, state))
                    if result.status is FetchStatus.ERROR:
                        raise RedlineError(result.error or f"{target} could not be fetched.")
                    drafts = list(result.drafts)
                else:
                    drafts = read_articles(target, source=name)
                progress.update(task, description=f"{target} ({len(drafts)} articles)")
                for done in asyncio.run(app.pipeline.process(drafts)):
                    if done.article is None:
                        dupes += 1
                    else:
                        added += 1
                progress.advance(task)
    finally:
        asyncio.run(app.close())
    click.echo(f"{added} new article(s) stored, {dupes} already known.")


async def _fetch_once(app: Any, state: Any) -> Any:
    return await app.fetch(state)


@main.command()
@click.option("--limit", default=20, show_default=True, help="How many to list.")
@click.option("--source", help="Only this source.")
def articles(limit: int, source: str | None) -> None:
    """List stored articles, newest first."""
    from rich.table import Table

    app = _app()
    try:
        rows = app.storage.articles.recent(limit, source=source)
        table = Table("id", "date", "source", "title")
        for a in rows:
            when = a.published.date().isoformat() if a.published else "—"
            table.add_row(str(a.id), when, a.source, a.title[:90])
        _console().print(table)
        if not rows:
            click.echo("No articles stored yet; `redline ingest seeds/` or `redline run`.")
    finally:
        asyncio.run(app.close())


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True, help="How many results.")
@click.option("--source", help="Only this source.")
def lookup(query: tuple[str, ...], limit: int, source: str | None) -> None:
    """Full-text search of stored articles, best first, with highlighted snippets.

    Words are matched in any order; "quoted phrases" stay together; word* is a prefix;
    -word excludes. Filters: rule:ID, speaker:NAME, source:NAME, since:YYYY-MM-DD.
    """
    from bot.services.lookup import run_lookup

    app = _app()
    try:
        hits = run_lookup(app.storage, " ".join(query), limit=limit, source=source)
    finally:
        asyncio.run(app.close())
    if not hits:
        click.echo("No articles match.")
        return
    con = _console()
    for hit in hits:
        from rich.text import Text

        a = hit.article
        when = a.published.date().isoformat() if a.published else "undated"
        con.print(
            Text.assemble(
                (f"#{a.id} ", "dim"), (a.title, "bold"), (f"  {a.source} · {when}", "dim")
            )
        )
        con.print(_highlight(hit.snippet))


def _highlight(snippet: str) -> Any:
    from rich.text import Text

    from bot.services.lookup import split_snippet

    text = Text("  ")
    for part, marked in split_snippet(snippet):
        text.append(part, style="bold yellow" if marked else "")
    return text


@main.group()
def sources() -> None:
    """List, add or remove sources (kept in sources.yaml)."""


@sources.command("list")
def sources_list() -> None:
    """Show every source with its state."""
    from rich.table import Table

    app = _app()
    try:
        rows = app.sync_sources()
        counts = app.storage.sources.article_counts()
    finally:
        asyncio.run(app.close())
    table = Table("name", "kind", "location", "every", "articles", "failures", "last error")
    for s in rows:
        table.add_row(
            s.name,
            str(s.kind),
            s.location,
            f"{s.interval_s}s",
            str(counts.get(s.name, 0)),
            str(s.failures),
            (s.last_error or "")[:60],
        )
    _console().print(table)


@sources.command("add")
@click.argument("name")
@click.argument("location")
@click.option("--interval", default="15m", show_default=True, help="Poll interval: 30s, 15m, 1h.")
def sources_add(name: str, location: str, interval: str) -> None:
    """Add a feed URL or a folder of article files as a source."""
    from bot.services.sources import add_source

    settings = _settings()
    spec = add_source(settings, name=name, location=location, interval=interval)
    click.echo(
        f"Added {spec.kind} source '{spec.name}' ({spec.location}), every {spec.interval_s}s."
    )


@sources.command("remove")
@click.argument("name")
def sources_remove(name: str) -> None:
    """Remove a source (its stored articles stay)."""
    from bot.services.sources import remove_source

    remove_source(_settings(), name=name)
    click.echo(f"Removed source '{name}'.")


@main.command()
def status() -> None:
    """Sources, failures and lag, outbox depth, rule-set health."""
    from bot.adapters.console import render_reply
    from bot.services.status import status_reply

    app = _app()
    try:
        app.rulebook.reload()
        app.sync_sources()
        reply = status_reply(app)
    finally:
        asyncio.run(app.close())
    con = _console()
    for part in render_reply(reply):
        con.print(part)
