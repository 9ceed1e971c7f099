"""Fixtures: the fake Discord, a recording command handler and a started DiscordAdapter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import discord
import pytest
import pytest_asyncio
import yarl

from bot.adapters.discord import DiscordAdapter
from bot.config import Secret, Settings
from bot.domain.commands import CommandRequest
from bot.domain.message import Reply
from tests.fakes.discord import FakeDiscord

# Commands that change a channel's subscriptions; the stub refuses them like the service.
MANAGING = {"subscribe", "unsubscribe", "mute"}
REFUSAL = "You need the Manage Channels permission in this channel to change its alerts."
MANAGE_CHANNELS = 1 << 4  # Discord's permission bit, from the developer docs
ADMINISTRATOR = 1 << 3


@dataclass
class RecordingHandler:
    """A CommandHandler that records requests and answers from a script."""

    requests: list[CommandRequest] = field(default_factory=list)
    completions: list[tuple[str, str, int]] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    reply: Reply | None = None
    error: BaseException | None = None
    gate: asyncio.Event | None = None  # when set, handle() waits for it

    async def handle(self, request: CommandRequest) -> Reply:
        self.requests.append(request)
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        if request.name in MANAGING and not request.can_manage:
            return Reply(text=REFUSAL, error=True)
        return self.reply or Reply(text=f"Done: {request.name}.")

    def complete(self, kind: str, prefix: str, *, limit: int = 25) -> list[str]:
        self.completions.append((kind, prefix, limit))
        return [v for v in self.values.get(kind, []) if v.startswith(prefix)][:limit]


async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """Replaces discord.py's 5 s pause before a re-IDENTIFY."""


def settings_for(fake: FakeDiscord, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "discord_token": Secret(fake.token),
        "discord_api_base": fake.api_base,
        "discord_gateway_url": fake.gateway_url,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def build_adapter(
    fake: FakeDiscord, handler: RecordingHandler, *, defer_after: float = 2.0, **overrides: object
) -> DiscordAdapter:
    adapter = DiscordAdapter(
        settings_for(fake, **overrides),
        handler,
        defer_after=defer_after,
        start_timeout=5.0,
        guild_ready_timeout=0.05,
    )
    adapter.client.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    return adapter


@pytest_asyncio.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = await FakeDiscord().start()
    # Set (and so restore afterwards) the two process-global endpoints the adapter changes.
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    yield fake
    await fake.stop()


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler(
        values={
            "selector": ["all", "rule:alpha-change", "rule:alpha-range", "tag:beta"],
            "rule": ["alpha-change", "alpha-range", "gamma-statement"],
            "official": ["Jane Roe", "Jan Novak", "Ana Ruiz"],
        }
    )


@pytest_asyncio.fixture
async def adapter(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> AsyncIterator[DiscordAdapter]:
    adapter = build_adapter(fake_discord, handler)
    await adapter.start()
    yield adapter
    await adapter.stop()
