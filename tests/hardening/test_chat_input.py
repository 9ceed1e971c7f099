"""Hostile chat input is answered in one sentence or with results, and nothing ever pings.

Commands go through the CommandService that Slack, Discord and the CLI share; replies and
alerts are rendered by the real Slack and Discord renderers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot.adapters.discord.embeds import no_mentions
from bot.adapters.discord.embeds import render_message as discord_message
from bot.adapters.discord.embeds import render_reply as discord_reply
from bot.adapters.slack.blocks import render_message as slack_message
from bot.adapters.slack.blocks import render_reply as slack_reply
from bot.adapters.slack.commands import parse_text
from bot.app import App
from bot.domain.commands import ChannelRef, CommandRequest
from bot.domain.message import Reply
from bot.domain.models import ArticleDraft
from bot.services.commands import CommandService
from bot.services.serialize import message_from_jsonable
from tests.hardening.conftest import MATCH_ALL, console_poster, rules_dir

CHAN = ChannelRef("slack", "T1", "C1")
MENTIONS = [
    "@everyone",
    "@here",
    "@channel",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<@U123>",
    "<@U123|boss>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&223456789012345678>",
    "<@&role>",
    "<!subteam^S0ABC|@desk>",
]
HOSTILE = [
    *MENTIONS,
    'Kremlin"',
    "NEAR(a b)",
    "a OR",
    "NOT",
    "title:kremlin",
    "^start*",
    "(((((",
    '"; DROP TABLE articles; --',
    "' OR 1=1 --",
    "1; SELECT * FROM sqlite_master",
    "x" * 10_000,
    "strike " * 2_000,
    "\x00\x01\x02\x1b[31m\x7f",
    "line\nbreak\rcarriage\ttab",
    "\u202e\u200b\ufeff",
    "\ud800",
    "speaker:",
    "speaker:<!channel>",
    "source:",
    "since:",
    "since:9999-99-99",
    "since:0001-01-01",
    "rule:",
    "rule:../../etc/passwd",
]
# What Slack would treat as a notification, or a bare broadcast word.
SLACK_LIVE = re.compile(r"<[!@]|(?<![\w\u2060])@(channel|here|everyone)\b", re.IGNORECASE)
# Discord's mentions are numeric (<@id>, <@!id>, <@&id>); `<@U123>` is only text there.
DISCORD_LIVE = re.compile(r"<@[!&]?\d+>|(?<![\w\u200b])@(everyone|here)\b", re.IGNORECASE)


@pytest_asyncio.fixture
async def service(make_app: Callable[..., App], tmp_path: Path) -> CommandService:
    rules = rules_dir(tmp_path, {"everything.yaml": MATCH_ALL})
    app = make_app(rules_dir=rules)
    assert app.rulebook.reload(), app.rulebook.health.errors
    console_poster(app)
    loud = " ".join(MENTIONS)
    await app.pipeline.process(
        [
            ArticleDraft(
                source="wire",
                title=f"Harbour inquiry {loud}",
                text=f"The harbour inquiry heard witnesses. {loud} Officials said more later.",
                url="https://wire.example.org/harbour",
            ),
            ArticleDraft(
                source="wire",
                title="Orchard report",
                text="The orchard report was published on Monday by the regional council.",
                url="https://wire.example.org/orchard",
            ),
        ]
    )
    return CommandService(app)


async def ask(svc: CommandService, name: str, args: str = "", **options: str) -> Reply:
    return await svc.handle(
        CommandRequest(
            name=name, args=args, options=options, channel=CHAN, user="U1", can_manage=True
        )
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _rich_text_elements(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if value.get("type") in ("rich_text_quote", "rich_text_section"):
            return list(value.get("elements", []))
        return [e for v in value.values() for e in _rich_text_elements(v)]
    if isinstance(value, list):
        return [e for v in value for e in _rich_text_elements(v)]
    return []


def assert_slack_quiet(payload: dict[str, Any]) -> None:
    """mrkdwn and plain text hold no live markup; rich text holds no mention elements.

    Slack reads `<!channel>` and `@here` in mrkdwn, but in a rich-text `text` element they
    are only characters: a ping there needs a `broadcast`, `user` or `usergroup` element.
    """
    blocks = [b for b in payload.get("blocks", []) if b.get("type") != "rich_text"]
    for text in _strings(payload.get("text", "")) + _strings(blocks):
        assert not SLACK_LIVE.search(text), text[:200]
    for element in _rich_text_elements(payload.get("blocks", [])):
        assert element.get("type") in ("text", "link"), element


def assert_safe_everywhere(reply: Reply, sent: str = "") -> None:
    assert "Traceback" not in reply.text and "went wrong" not in reply.text, reply.text
    # One sentence; a line break the user typed may be quoted back to them.
    assert reply.text.strip() and "\n" not in reply.text.replace(sent, "")
    assert_slack_quiet(slack_reply(reply))
    for embed in discord_reply(reply):
        for text in _strings(embed.to_dict()):
            assert not DISCORD_LIVE.search(text), text[:200]


@pytest.mark.asyncio
async def test_hostile_lookups_are_answered_safely(service: CommandService) -> None:
    for text in HOSTILE:
        for reply in (await ask(service, "lookup", text), await ask(service, "lookup", query=text)):
            assert_safe_everywhere(reply, text)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("quotes", "{}"),
        ("why", "{}"),
        ("why", "{} everything"),
        ("rules", "show {}"),
        ("tracked", "{}"),
        ("mute", "{} 2h"),
        ("mute", "everything {}"),
        ("subscribe", "{}"),
        ("subscribe", "all {}"),
        ("subscribe", "all high digest daily {}"),
        ("unsubscribe", "{}"),
        ("{}", ""),
    ],
)
async def test_hostile_arguments_to_every_command_are_answered_safely(
    service: CommandService, command: str, args: str
) -> None:
    for text in HOSTILE:
        reply = await ask(service, command.format(text), args.format(text))
        assert_safe_everywhere(reply, text.strip())


@pytest.mark.asyncio
async def test_lookup_results_quoting_loud_articles_stay_quiet(service: CommandService) -> None:
    reply = await ask(service, "lookup", "harbour")
    assert reply.lines and "Harbour inquiry" in reply.lines[0]
    assert_safe_everywhere(reply)


@pytest.mark.asyncio
async def test_alerts_about_loud_articles_never_ping(service: CommandService) -> None:
    stored = service.app.storage.alerts.recent(10)
    assert stored
    for alert in stored:
        message = message_from_jsonable(alert.message)
        assert_slack_quiet(slack_message(message))
        for embed in discord_message(message):
            for text in _strings(embed.to_dict()):
                assert not DISCORD_LIVE.search(text), text[:200]


def test_the_discord_poster_allows_no_mentions_at_all() -> None:
    allowed = no_mentions()
    assert allowed.everyone is False and allowed.roles is False and allowed.users is False
    assert allowed.replied_user is False
    assert allowed.to_dict() == {"parse": []}
    assert isinstance(allowed, discord.AllowedMentions)


@pytest.mark.parametrize(
    "raw",
    [
        "lookup &lt;!channel&gt;",
        "lookup <!channel>",
        "\x00\x1b lookup x",
        "LOOKUP\tx\ny",
        "&amp;lt;@U1&amp;gt;",
        "",
        " " * 1000,
        "x" * 10_000,
    ],
)
def test_slack_command_text_always_parses(raw: str) -> None:
    name, args = parse_text(raw)
    assert name == name.lower() and isinstance(args, str)
