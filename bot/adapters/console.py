"""The console adapter: renders alerts and replies in the terminal with rich.

It is a ChatPoster like Slack and Discord, so console alerts go through the same outbox;
it is what `make run` shows when no chat token is set.
"""

from __future__ import annotations

import itertools

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from bot.domain.message import Message, MessageKind, Reply
from bot.domain.models import Article, Severity

_COLOURS = {
    Severity.INFO: "cyan",
    Severity.LOW: "green",
    Severity.MEDIUM: "yellow",
    Severity.HIGH: "red",
    Severity.CRITICAL: "bold red",
}

CONSOLE_WORKSPACE = "local"
CONSOLE_CHANNEL = "terminal"


def render_message(msg: Message) -> Panel:
    """A rich Panel for one alert, follow-up, digest or burst."""
    colour = _COLOURS.get(msg.severity, "white")
    body = Text()
    if msg.kind in (MessageKind.DIGEST, MessageKind.BURST):
        for item in msg.items:
            body.append("• ", style=colour)
            body.append(item.title, style="bold")
            if item.source:
                body.append(f"  ({item.source})", style="dim")
            body.append("\n")
        if msg.summary:
            body.append(msg.summary, style="dim")
        return Panel(body, title=escape(msg.title), border_style=colour, expand=False)
    if msg.also_reported_by:
        body.append("Also reported by: " + ", ".join(msg.also_reported_by) + "\n", style="dim")
    if msg.summary:
        body.append(msg.summary + "\n")
    if msg.evidence:
        body.append("\n▌ ", style=colour)
        for run in msg.evidence:
            body.append(run.text, style="bold underline" if run.mark else "italic")
        body.append("\n")
    for q in msg.quotes:
        body.append(f"\n“{q.text}”", style="italic")
        body.append(f" — {q.speaker or 'unnamed source'}", style="dim")
    context = " · ".join(
        part
        for part in (
            msg.source,
            msg.date.date().isoformat() if msg.date else "",
            msg.rule_id,
            str(msg.severity),
        )
        if part
    )
    body.append("\n" + context, style="dim")
    if msg.why:
        body.append("\nwhy: " + msg.why, style="dim")
    if msg.url:
        body.append("\n" + msg.url, style="blue underline")
    prefix = "↳ " if msg.kind is MessageKind.FOLLOWUP else ""
    return Panel(body, title=escape(prefix + msg.title), border_style=colour, expand=False)


def render_reply(reply: Reply) -> list[object]:
    """Rich renderables for a command reply."""
    out: list[object] = []
    if reply.title:
        out.append(Text(reply.title, style="bold"))
    out.append(Text(reply.text, style="red" if reply.error else ""))
    if reply.usage:
        # In the terminal the command is the `redline` program, not the chat's slash command.
        usage = reply.usage.removeprefix("/")
        out.append(Text("Usage: " + usage, style="dim"))
    for line in reply.lines:
        out.append(Text(line))
    if reply.table is not None:
        table = RichTable(*reply.table.headers, show_lines=False)
        for row in reply.table.rows:
            table.add_row(*(escape(c) for c in row))
        out.append(table)
    out.extend(render_message(m) for m in reply.messages)
    return out


class ConsolePoster:
    """Prints alerts to a rich Console; the 'channel' is the terminal."""

    platform = "console"

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self._ids = itertools.count(1)

    async def post(
        self, *, workspace: str, channel: str, message: Message, thread_ref: str | None = None
    ) -> str:
        self.console.print(render_message(message))
        return f"console-{next(self._ids)}"

    def article(self, article: Article) -> None:
        """One line for an ingested article."""
        when = article.published.date().isoformat() if article.published else "undated"
        self.console.print(
            Text.assemble(
                ("ingested ", "green"),
                (f"[{article.source}] ", "dim"),
                (article.title[:100], "bold"),
                (f"  {when}", "dim"),
            )
        )
