"""Secrets never appear in logs, errors or `status`, even with every logger at DEBUG.

Recognisable fake values are set for the Slack bot token, app token and signing secret and
the Discord token; the adapters then start against the local fakes (accepted and rejected)
and against a closed port, and every log record, error and status line is searched.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio
import yarl
from click.testing import CliRunner

from bot.adapters.discord import DiscordAdapter
from bot.adapters.slack import SlackAdapter
from bot.app import App
from bot.cli import main
from bot.config import Secret, Settings, load_settings
from bot.services.status import status_reply
from tests.adapters.discord.conftest import RecordingHandler as DiscordHandler
from tests.adapters.discord.conftest import no_identify_wait
from tests.adapters.slack.conftest import RecordingHandler as SlackHandler
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import ENV_TO_CLEAR, FakeSlack

BOT_TOKEN = "xoxb-0000-FAKEBOTTOKEN-7b3e9c"
APP_TOKEN = "xapp-1-FAKEAPPTOKEN-51d0aa"
SIGNING_SECRET = "FAKESIGNINGSECRET-c0ffee42"
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.FAKE.DISCORDTOKEN-9f8e7d"
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, DISCORD_TOKEN)
# Parts of each secret: a log line that cut or re-encoded a token would still show these.
FRAGMENTS = ("FAKEBOTTOKEN", "FAKEAPPTOKEN", "FAKESIGNINGSECRET", "DISCORDTOKEN")


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        s = str(text)
        for needle in SECRETS + FRAGMENTS:
            assert needle not in s, f"{needle} leaked: …{s[max(0, s.find(needle) - 80) :][:200]}"


def all_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as formatted, with its raw args and exception text."""
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(repr(record.args))
        parts.append(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(repr(record.exc_info[1]))
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def _debug_everything(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    for name in ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.DEBUG)
    for name in ("slack_sdk", "slack_bolt", "discord", "aiohttp", "httpx", "httpcore", "bot"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- settings and status -----------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "DISCORD_TOKEN": DISCORD_TOKEN,
        "REDLINE_DB": str(tmp_path / "r.db"),
        "REDLINE_SOURCES_FILE": str(tmp_path / "none.yaml"),
        "REDLINE_LOG_LEVEL": "DEBUG",
    }


@pytest.mark.asyncio
async def test_settings_and_status_never_show_a_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(_env(tmp_path), dotenv=None)
    assert settings.slack_bot_token is not None and settings.slack_bot_token.value == BOT_TOKEN
    app = App(settings)
    try:
        app.rulebook.reload()
        app.sync_sources()
        reply = status_reply(app)
    finally:
        await app.close()
    assert_no_secret(repr(settings), str(settings), settings.describe(), reply, all_logged(caplog))


def test_the_status_command_never_shows_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name, value in _env(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status"])
    assert result.exit_code == 0, result.output
    assert_no_secret(result.output, all_logged(caplog))


# --- Slack ---------------------------------------------------------------------------------


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as fake:
        yield fake


def _slack_settings(fake: FakeSlack, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "slack_bot_token": Secret(BOT_TOKEN),
        "slack_app_token": Secret(APP_TOKEN),
        "slack_signing_secret": Secret(SIGNING_SECRET),
        "slack_api_base_url": fake.base_url,
        "slack_http_port": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_slack_start_and_stop_log_no_secret(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    adapter = SlackAdapter(_slack_settings(slack), SlackHandler())
    await adapter.start()
    await adapter.stop()
    assert slack.calls_to("apps.connections.open")  # the app token was used
    assert_no_secret(all_logged(caplog))


@pytest.mark.asyncio
async def test_slack_rejecting_the_tokens_logs_no_secret(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.bot_token = "xoxb-the-real-one"
    adapter = SlackAdapter(_slack_settings(slack), SlackHandler())
    with pytest.raises(Exception) as caught:
        await adapter.start()
    await adapter.stop()
    assert_no_secret(str(caught.value), repr(caught.value), all_logged(caplog))


@pytest.mark.asyncio
async def test_an_unreachable_slack_logs_no_secret(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/api/"
    adapter = SlackAdapter(_slack_settings(slack, slack_api_base_url=dead), SlackHandler())
    with pytest.raises(Exception) as caught:
        await adapter.start()
    await adapter.stop()
    assert_no_secret(str(caught.value), repr(caught.value), all_logged(caplog))


# --- Discord -------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = await FakeDiscord(token=DISCORD_TOKEN).start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    yield fake
    await fake.stop()


def _discord(fake: FakeDiscord, **overrides: object) -> DiscordAdapter:
    values: dict[str, object] = {
        "discord_token": Secret(DISCORD_TOKEN),
        "discord_api_base": fake.api_base,
        "discord_gateway_url": fake.gateway_url,
    }
    values.update(overrides)
    adapter = DiscordAdapter(
        Settings(**values),  # type: ignore[arg-type]
        DiscordHandler(),
        start_timeout=5.0,
        guild_ready_timeout=0.05,
    )
    adapter.client.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    return adapter


@pytest.mark.asyncio
async def test_discord_start_and_stop_log_no_secret(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    adapter = _discord(fake_discord)
    await adapter.start()
    await fake_discord.wait_for(lambda: fake_discord.identifies)
    await adapter.stop()
    assert_no_secret(all_logged(caplog))


@pytest.mark.asyncio
async def test_discord_rejecting_the_token_logs_no_secret(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake_discord.token = "the-real-token"
    adapter = _discord(fake_discord)
    with pytest.raises(Exception) as caught:
        await adapter.start()
    await adapter.stop()
    assert_no_secret(str(caught.value), repr(caught.value), all_logged(caplog))


@pytest.mark.asyncio
async def test_an_unreachable_discord_logs_no_secret(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    adapter = _discord(fake_discord, discord_api_base=f"http://127.0.0.1:{_closed_port()}/api/v10")
    with pytest.raises(Exception) as caught:
        await adapter.start()
    await adapter.stop()
    assert_no_secret(str(caught.value), repr(caught.value), all_logged(caplog))
