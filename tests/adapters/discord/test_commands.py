"""`/redline` interactions through the real discord.py: requests, permissions, replies, errors."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.adapters.discord import DiscordAdapter
from bot.domain.commands import ChannelRef
from bot.domain.errors import NotFoundError
from bot.domain.message import Reply
from bot.domain.models import Severity
from bot.services.parsing import parse_subscribe
from tests.adapters.discord.conftest import (
    ADMINISTRATOR,
    MANAGE_CHANNELS,
    REFUSAL,
    RecordingHandler,
    build_adapter,
)
from tests.fakes.discord import EPHEMERAL, FakeDiscord, FakeInteraction

pytestmark = pytest.mark.asyncio

CHANNEL_MESSAGE = 4  # interaction callback types, from Discord's docs
DEFERRED_CHANNEL_MESSAGE = 5
AUTOCOMPLETE_RESULT = 8


async def answered(fake: FakeDiscord, interaction: FakeInteraction) -> dict[str, Any]:
    await fake.wait_for(lambda: interaction.answered)
    [callback] = interaction.callbacks
    return callback


def description(data: dict[str, Any]) -> str:
    return "\n".join(e.get("description", "") for e in data.get("embeds", []))


async def test_subscribe_with_manage_channels_reaches_the_handler_as_a_command_request(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    interaction = await fake_discord.send_slash_command(
        "redline",
        "subscribe",
        {"selector": "alpha-change", "min_severity": "high"},
        member_permissions=MANAGE_CHANNELS,
    )
    callback = await answered(fake_discord, interaction)
    [request] = handler.requests
    assert request.name == "subscribe"
    assert request.options == {"selector": "alpha-change", "min_severity": "high"}
    assert request.channel == ChannelRef("discord", fake_discord.guild_id, fake_discord.channel_id)
    assert request.user == fake_discord.user_id
    assert request.can_manage is True
    assert callback["type"] == CHANNEL_MESSAGE
    assert callback["data"]["flags"] & EPHEMERAL
    assert "Done: subscribe." in description(callback["data"])
    assert callback["data"]["allowed_mentions"] == {"parse": []}


async def test_subscribe_without_manage_channels_is_refused_only_to_the_user(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    interaction = await fake_discord.send_slash_command(
        "redline", "subscribe", {"selector": "all"}, member_permissions=0
    )
    callback = await answered(fake_discord, interaction)
    [request] = handler.requests
    assert request.can_manage is False
    assert callback["data"]["flags"] & EPHEMERAL
    assert REFUSAL in description(callback["data"])
    assert fake_discord.messages_in(fake_discord.channel_id) == []  # nothing public


async def test_an_administrator_can_manage(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    interaction = await fake_discord.send_slash_command(
        "redline", "unsubscribe", {"selector": "all"}, member_permissions=ADMINISTRATOR
    )
    await answered(fake_discord, interaction)
    assert handler.requests[0].can_manage is True


async def test_subscribe_options_also_arrive_in_the_shared_text_grammar(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    options = {"selector": "rule:alpha-range", "min_severity": "medium"}
    options |= {"digest": "daily", "at": "07:30"}
    interaction = await fake_discord.send_slash_command(
        "redline", "subscribe", options, member_permissions=MANAGE_CHANNELS
    )
    await answered(fake_discord, interaction)
    [request] = handler.requests
    assert request.options == options
    parsed = parse_subscribe(request.args, known_rules={"alpha-range"}, known_tags=set())
    assert (parsed.selector_kind, parsed.selector) == ("rule", "alpha-range")
    assert parsed.min_severity is Severity.MEDIUM
    assert (parsed.mode, parsed.schedule) == ("digest", "daily 07:30")


@pytest.mark.parametrize(
    ("sub", "options", "args"),
    [
        ("unsubscribe", {"selector": "tag:beta"}, "tag:beta"),
        ("subscriptions", {}, ""),
        ("mute", {"rule": "alpha-change", "duration": "2h"}, "alpha-change 2h"),
        ("lookup", {"query": '"permitted range" ministry'}, '"permitted range" ministry'),
        ("quotes", {"official": "Jane Roe"}, "Jane Roe"),
        ("tracked", {}, ""),
        ("tracked", {"key": "range"}, "range"),
        ("rules", {}, "list"),
        ("rules", {"action": "show", "rule": "alpha-change"}, "show alpha-change"),
        ("why", {"article": "https://news.example/a/1"}, "https://news.example/a/1"),
        ("why", {"article": "17", "rule": "alpha-range"}, "17 alpha-range"),
        ("status", {}, ""),
        ("help", {}, ""),
    ],
)
async def test_every_subcommand_becomes_a_request(
    adapter: DiscordAdapter,
    fake_discord: FakeDiscord,
    handler: RecordingHandler,
    sub: str,
    options: dict[str, str],
    args: str,
) -> None:
    interaction = await fake_discord.send_slash_command(
        "redline", sub, options, member_permissions=MANAGE_CHANNELS
    )
    await answered(fake_discord, interaction)
    [request] = handler.requests
    assert request.name == sub
    expected = dict(options)
    if sub == "rules":
        expected.setdefault("action", "list")  # the default action is stated explicitly
    assert request.options == expected
    assert request.args == args


@pytest.mark.parametrize(
    ("sub", "option", "kind", "typed", "expected"),
    [
        (
            "subscribe",
            "selector",
            "selector",
            "rule:alpha",
            ["rule:alpha-change", "rule:alpha-range"],
        ),
        ("unsubscribe", "selector", "selector", "tag", ["tag:beta"]),
        ("mute", "rule", "rule", "gam", ["gamma-statement"]),
        ("rules", "rule", "rule", "", ["alpha-change", "alpha-range", "gamma-statement"]),
        ("why", "rule", "rule", "alpha-r", ["alpha-range"]),
        ("quotes", "official", "official", "Ja", ["Jane Roe", "Jan Novak"]),
    ],
)
async def test_autocompletion_answers_with_the_handlers_values(
    adapter: DiscordAdapter,
    fake_discord: FakeDiscord,
    handler: RecordingHandler,
    sub: str,
    option: str,
    kind: str,
    typed: str,
    expected: list[str],
) -> None:
    interaction = await fake_discord.send_autocomplete(
        "redline", sub, {option: typed}, focused=option
    )
    callback = await answered(fake_discord, interaction)
    assert callback["type"] == AUTOCOMPLETE_RESULT
    assert [c["value"] for c in callback["data"]["choices"]] == expected
    assert handler.completions == [(kind, typed, 25)]
    assert handler.requests == []  # completion never runs the command


async def test_autocompletion_survives_a_failing_handler(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    def broken(kind: str, prefix: str, *, limit: int = 25) -> list[str]:
        raise RuntimeError("index unavailable")

    handler.complete = broken  # type: ignore[method-assign]
    interaction = await fake_discord.send_autocomplete(
        "redline", "mute", {"rule": "a"}, focused="rule"
    )
    callback = await answered(fake_discord, interaction)
    assert callback["data"]["choices"] == []


async def test_a_public_reply_is_posted_for_everyone(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    handler.reply = Reply(text="3 articles match.", ephemeral=False)
    interaction = await fake_discord.send_slash_command("redline", "lookup", {"query": "range"})
    callback = await answered(fake_discord, interaction)
    assert not callback["data"].get("flags", 0) & EPHEMERAL
    assert "3 articles match." in description(callback["data"])


async def test_slow_work_is_deferred_then_the_reply_replaces_the_placeholder(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = build_adapter(fake_discord, handler, defer_after=0.01)
    await adapter.start()
    try:
        handler.gate = asyncio.Event()
        handler.reply = Reply(text="Found it.")
        interaction = await fake_discord.send_slash_command("redline", "why", {"article": "3"})
        callback = await answered(fake_discord, interaction)
        assert callback["type"] == DEFERRED_CHANNEL_MESSAGE
        assert callback["data"]["flags"] & EPHEMERAL
        handler.gate.set()
        await fake_discord.wait_for(lambda: interaction.edits)
        assert "Found it." in description(interaction.edits[-1])
        assert interaction.followups == []
    finally:
        await adapter.stop()


async def test_a_slow_public_reply_becomes_a_public_followup(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = build_adapter(fake_discord, handler, defer_after=0.01)
    await adapter.start()
    try:
        handler.gate = asyncio.Event()
        handler.reply = Reply(text="Everyone should see this.", ephemeral=False)
        interaction = await fake_discord.send_slash_command("redline", "lookup", {"query": "x"})
        await answered(fake_discord, interaction)
        handler.gate.set()
        await fake_discord.wait_for(lambda: interaction.followups)
        [followup] = interaction.followups
        assert not followup["flags"] & EPHEMERAL
        assert "Everyone should see this." in description(followup)
        assert followup["allowed_mentions"] == {"parse": []}
    finally:
        await adapter.stop()


async def test_a_redline_error_is_told_to_the_user_in_its_own_words(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    handler.error = NotFoundError("There is no article 99; `lookup` finds articles.")
    interaction = await fake_discord.send_slash_command("redline", "why", {"article": "99"})
    callback = await answered(fake_discord, interaction)
    assert callback["data"]["flags"] & EPHEMERAL
    assert description(callback["data"]) == str(handler.error).replace("`", "\\`")


async def test_an_unexpected_error_is_one_sentence_for_the_user_and_logged_with_context(
    adapter: DiscordAdapter,
    fake_discord: FakeDiscord,
    handler: RecordingHandler,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler.error = RuntimeError("database exploded at /var/secret/path")
    with caplog.at_level(logging.ERROR, logger="bot.adapters.discord"):
        interaction = await fake_discord.send_slash_command("redline", "status")
        callback = await answered(fake_discord, interaction)
    text = description(callback["data"])
    assert "exploded" not in text and "Traceback" not in text
    assert text.endswith(".") and text.count(". ") == 0  # one sentence
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert interaction.id in record.getMessage()
    assert fake_discord.channel_id in record.getMessage()
    assert record.exc_info is not None and "exploded" in str(record.exc_info[1])
    assert fake_discord.token not in caplog.text


async def test_an_error_after_deferring_is_still_reported(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = build_adapter(fake_discord, handler, defer_after=0.01)
    await adapter.start()
    try:
        handler.gate = asyncio.Event()
        handler.error = NotFoundError("There is no rule called 'zeta'.")
        interaction = await fake_discord.send_slash_command("redline", "rules", {"rule": "zeta"})
        await answered(fake_discord, interaction)
        handler.gate.set()
        await fake_discord.wait_for(lambda: interaction.followups)
        [followup] = interaction.followups
        assert "There is no rule called 'zeta'." in description(followup)
        assert followup["flags"] & EPHEMERAL
    finally:
        await adapter.stop()


async def test_mentions_in_a_reply_cannot_ping(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    handler.reply = Reply(text="Quote: @everyone and <@123456789012345678>", ephemeral=False)
    interaction = await fake_discord.send_slash_command("redline", "quotes", {"official": "x"})
    callback = await answered(fake_discord, interaction)
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    text = description(callback["data"])
    assert "@everyone" not in text and "<@123456789012345678>" not in text
