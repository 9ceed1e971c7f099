"""DiscordAdapter start/stop against the fake: login, command sync, gateway, bad tokens."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from bot.adapters.discord import DiscordAdapter, DiscordStartError
from bot.config import Secret
from bot.domain.errors import ConfigError
from tests.adapters.discord.conftest import RecordingHandler, build_adapter
from tests.fakes.discord import FakeDiscord

pytestmark = pytest.mark.asyncio

GUILDS_INTENT = 1 << 0  # Discord's intent bits, from the gateway docs
# Everything `/redline` must offer, as the task and the services define it.
SUBCOMMANDS = {
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "mute",
    "lookup",
    "quotes",
    "tracked",
    "rules",
    "why",
    "status",
    "help",
}


def synced_group(fake: FakeDiscord, scope: str) -> dict[str, Any]:
    [command] = fake.commands[scope]
    assert command["name"] == "redline"
    return command


async def test_start_logs_in_syncs_globally_and_connects_with_minimal_intents(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    paths = [(c.method, c.path) for c in fake_discord.calls]
    app = fake_discord.app_id
    assert paths[:3] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", f"/applications/{app}/commands"),
    ]
    assert fake_discord.unknown == []
    [identify] = fake_discord.identifies
    assert identify["intents"] == GUILDS_INTENT
    assert adapter.client.is_ready()
    group = synced_group(fake_discord, "global")
    options = group["options"]
    assert isinstance(options, list)
    assert {o["name"] for o in options} == SUBCOMMANDS
    assert all(o["type"] == 1 for o in options)  # all are subcommands of one group


async def test_commands_are_not_offered_in_direct_messages(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    group = synced_group(fake_discord, "global")
    # Either the legacy flag or the newer contexts list must rule out DMs (context 1).
    contexts = group.get("contexts")
    assert group.get("dm_permission") is False or (contexts is not None and 1 not in contexts)


async def test_the_token_travels_only_in_the_authorization_header(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    for call in fake_discord.calls:
        assert call.headers.get("Authorization") == f"Bot {fake_discord.token}"
        assert fake_discord.token not in call.path and fake_discord.token not in str(call.query)


async def test_a_configured_server_gets_its_commands_synced_there_and_they_work(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    guild = int(fake_discord.guild_id)
    adapter = build_adapter(fake_discord, handler, discord_guild_id=guild)
    await adapter.start()
    try:
        app = fake_discord.app_id
        assert fake_discord.calls_to("PUT", f"/applications/{app}/guilds/{guild}/commands")
        assert not fake_discord.calls_to("PUT", f"/applications/{app}/commands")
        interaction = await fake_discord.send_slash_command("redline", "status")
        assert interaction.payload["data"]["guild_id"] == fake_discord.guild_id
        await fake_discord.wait_for(lambda: interaction.answered)
        assert [r.name for r in handler.requests] == ["status"]
    finally:
        await adapter.stop()


async def test_a_rejected_token_is_one_clear_sentence(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = build_adapter(fake_discord, handler, discord_token=Secret("not-the-token"))
    with pytest.raises(ConfigError) as caught:
        await adapter.start()
    message = str(caught.value)
    assert message == "Discord rejected DISCORD_TOKEN; check the token in .env."
    assert "not-the-token" not in message
    assert adapter.client.is_closed()
    assert not fake_discord.calls_to("PUT", r"/applications/\d+/commands")
    await adapter.stop()  # stopping after a failed start is harmless


async def test_a_missing_token_is_a_config_error(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = build_adapter(fake_discord, handler, discord_token=None)
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        await adapter.start()
    assert fake_discord.calls == []


async def test_a_refused_command_sync_says_how_to_fix_it(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    fake_discord.fail_next("PUT", r"/applications/\d+/commands", 403, code=50001)
    adapter = build_adapter(fake_discord, handler)
    with pytest.raises(ConfigError, match=r"applications\.commands"):
        await adapter.start()
    assert adapter.client.is_closed()


async def test_an_unreachable_discord_is_a_start_error(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]  # closed again before the adapter connects
    adapter = build_adapter(
        fake_discord, handler, discord_api_base=f"http://127.0.0.1:{dead}/api/v10"
    )
    with pytest.raises(DiscordStartError, match="Could not reach Discord"):
        await adapter.start()


async def test_stop_closes_the_gateway_and_is_idempotent(
    fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    adapter = build_adapter(fake_discord, handler)
    await adapter.start()
    await fake_discord.wait_for(lambda: fake_discord._sockets)
    await adapter.stop()
    await adapter.stop()
    assert adapter.client.is_closed()
    await fake_discord.wait_for(lambda: not fake_discord._sockets)


async def test_the_client_survives_a_gateway_reconnect(
    adapter: DiscordAdapter, fake_discord: FakeDiscord, handler: RecordingHandler
) -> None:
    await fake_discord.wait_for(lambda: fake_discord._sockets)
    for ws in list(fake_discord._sockets):
        await ws.send_json({"op": 7, "d": None})  # RECONNECT
    await fake_discord.wait_for(lambda: 6 in fake_discord.client_ops)  # RESUME
    interaction = await fake_discord.send_slash_command("redline", "help")
    await fake_discord.wait_for(lambda: interaction.answered)
    assert [r.name for r in handler.requests] == ["help"]
