"""Chat commands from the terminal, so a desk can run without chat, and `replay`.

Each command builds the same CommandRequest a Slack or Discord user would send and renders
the service's Reply; `--channel` names the channel it acts on (default: the console).
"""

from __future__ import annotations

import asyncio
from typing import Any

import click

from bot.cli import main
from bot.domain.errors import RedlineError

_CHANNEL_HELP = "PLATFORM:WORKSPACE:CHANNEL to act on (default: console:local:terminal)."


def _channel(value: str | None) -> Any:
    from bot.adapters.console import CONSOLE_CHANNEL, CONSOLE_WORKSPACE
    from bot.domain.commands import ChannelRef

    if not value:
        return ChannelRef("console", CONSOLE_WORKSPACE, CONSOLE_CHANNEL)
    parts = value.split(":")
    if len(parts) != 3 or not all(parts):
        raise click.BadParameter("use PLATFORM:WORKSPACE:CHANNEL, like slack:T0123:C0456.")
    return ChannelRef(*parts)


def _ask(
    name: str, args: str = "", *, channel: str | None = None, all_channels: bool = False
) -> None:
    """Run one command through the shared service and print its reply."""
    from rich.console import Console

    from bot.adapters.console import render_reply
    from bot.app import App
    from bot.config import load_settings
    from bot.domain.commands import CommandRequest
    from bot.services.commands import CommandService

    app = App(load_settings())
    try:
        app.rulebook.reload()
        request = CommandRequest(
            name=name,
            args=args,
            channel=None if all_channels else _channel(channel),
            user="cli",
            can_manage=True,  # whoever runs the CLI owns the installation
        )
        reply = asyncio.run(CommandService(app).handle(request))
    finally:
        asyncio.run(app.close())
    con = Console()
    for part in render_reply(reply):
        con.print(part)
    if reply.error:
        raise SystemExit(1)


@main.command()
@click.argument("selector")
@click.argument("options", nargs=-1)
@click.option("--channel", help=_CHANNEL_HELP)
def subscribe(selector: str, options: tuple[str, ...], channel: str | None) -> None:
    """Subscribe a channel to a rule id, a tag, or all.

    OPTIONS: [min-severity] [digest hourly|daily HH:MM], e.g. `subscribe all high digest daily 08:00`.
    """
    _ask("subscribe", " ".join((selector, *options)), channel=channel)


@main.command()
@click.argument("selector", required=False, default="")
@click.option("--channel", help=_CHANNEL_HELP)
def unsubscribe(selector: str, channel: str | None) -> None:
    """Remove a channel's subscription (all of them when no selector is given)."""
    _ask("unsubscribe", selector, channel=channel)


@main.command()
@click.option("--channel", help="Only this channel (default: every channel).")
def subscriptions(channel: str | None) -> None:
    """List subscriptions."""
    _ask("subscriptions", channel=channel, all_channels=channel is None)


@main.command()
@click.argument("rule")
@click.argument("duration")
@click.option("--channel", help=_CHANNEL_HELP)
def mute(rule: str, duration: str, channel: str | None) -> None:
    """Mute a rule (or all) in a channel for a duration like 2h or 1d."""
    _ask("mute", f"{rule} {duration}", channel=channel)


@main.command()
@click.argument("official", nargs=-1, required=True)
def quotes(official: tuple[str, ...]) -> None:
    """Recent statements by an official (any spelling the people lexicon knows)."""
    _ask("quotes", " ".join(official))


@main.command()
@click.argument("key", required=False, default="")
def tracked(key: str) -> None:
    """Tracked facts and their history, e.g. the permitted strike range over time."""
    _ask("tracked", key)


@main.command()
@click.argument("article")
@click.argument("rule", required=False, default="")
def why(article: str, rule: str) -> None:
    """Why the rules did or did not fire on a stored article (id or URL)."""
    _ask("why", f"{article} {rule}".strip())


@main.command()
@click.option("--since", help="Only articles published (or fetched) on or after YYYY-MM-DD.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), help="Rules folder to try.")
def replay(since: str | None, rules_dir: str | None) -> None:
    """Run the rules over stored articles and show what would fire, posting nothing."""
    from datetime import UTC, datetime
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from bot.app import App
    from bot.config import load_settings
    from bot.engine.loader import load_ruleset
    from bot.engine.state import MemoryStateStore

    start = None
    if since:
        try:
            start = datetime.fromisoformat(since).replace(tzinfo=UTC)
        except ValueError:
            raise RedlineError(f"--since {since} is not a date; use YYYY-MM-DD.") from None
    settings = load_settings()
    ruleset = load_ruleset(Path(rules_dir) if rules_dir else settings.rules_dir)
    app = App(settings)
    state = MemoryStateStore()
    table = Table("article", "date", "rule", "new", "facts")
    fired = 0
    try:
        for article in app.storage.articles.iter_all(since=start):
            analysis = app.pipeline.analyse(article, ruleset.lexicons)
            for m in ruleset.match(
                analysis,
                ref=str(article.id),
                article_id=article.id,
                source=article.source,
                published=article.published,
                state=state,
                now=article.when,
            ):
                fired += 1
                facts = ", ".join(f"{k}={v}" for k, v in m.facts.items())
                when = article.published.date().isoformat() if article.published else "undated"
                table.add_row(
                    f"#{article.id} {article.title[:50]}",
                    when,
                    m.rule_id,
                    "yes" if m.new else "no",
                    facts[:80],
                )
    finally:
        asyncio.run(app.close())
    con = Console()
    con.print(table)
    con.print(f"{fired} match(es); nothing was posted.")


def _rules_group() -> click.Group:
    from bot.cli.rules import rules_group

    return rules_group


@_rules_group().command("list")
def rules_list() -> None:
    """List the loaded rules with their severity and tags."""
    _ask("rules", "list")


@_rules_group().command("show")
@click.argument("rule_id")
def rules_show(rule_id: str) -> None:
    """Show one rule: title, severity, tags, description."""
    _ask("rules", f"show {rule_id}")
