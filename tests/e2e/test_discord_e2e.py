"""Seeds -> rules -> alerts -> outbox -> the real discord.py adapter -> a fake Discord.

Also `/redline subscribe` from a member without Manage Channels, through the real command
service, and a 429 on posting that discord.py retries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio
import yarl

from bot.adapters.discord import DiscordAdapter
from bot.app import App
from bot.config import Secret, Settings
from bot.feeds.directory import read_articles
from bot.services.commands import CommandService
from tests.adapters.discord.conftest import MANAGE_CHANNELS, no_identify_wait
from tests.fakes.discord import FakeDiscord
from tests.services.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def app(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[App]:
    clock = FakeClock()
    settings = Settings(
        db_path=tmp_path / "r.db",
        rules_dir=ROOT / "rules",
        discord_token=Secret(fake.token),
        discord_api_base=fake.api_base,
        discord_gateway_url=fake.gateway_url,
    )
    app = App(settings, clock=clock)
    assert app.rulebook.reload()
    adapter = DiscordAdapter(
        settings, CommandService(app), start_timeout=5.0, guild_ready_timeout=0.05
    )
    adapter.client.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    app.adapters.append(adapter)
    await adapter.start()
    app.posters["discord"] = adapter.poster
    yield app
    await app.close()


@pytest.mark.asyncio
async def test_non_manager_is_refused_then_manager_subscribes_and_alerts_arrive(
    app: App, fake: FakeDiscord
) -> None:
    refused = await fake.send_slash_command(
        "redline", "subscribe", {"selector": "all"}, member_permissions=0
    )
    await fake.wait_for(lambda: refused.answered)
    assert "manage" in str(refused.callbacks + refused.followups + refused.edits).lower()
    assert app.storage.subscriptions.list_all() == []

    ok = await fake.send_slash_command(
        "redline", "subscribe", {"selector": "all"}, member_permissions=MANAGE_CHANNELS
    )
    await fake.wait_for(lambda: ok.answered)
    assert len(app.storage.subscriptions.list_all()) == 1

    fake.rate_limit_next("POST", rf"/channels/{fake.channel_id}/messages", 0.05)
    await app.pipeline.process(read_articles(ROOT / "seeds", source="seeds"))
    deliverer = app.deliverer()
    for _ in range(3):
        await deliverer.deliver_due()
        app.clock.advance(minutes=1)  # type: ignore[attr-defined]
    # The channel also holds the public "subscribed" answer; alerts are the titled embeds.
    in_channel = [
        m for m in fake.messages_in(fake.channel_id) if m["embeds"] and m["embeds"][0].get("title")
    ]
    in_threads = [m for m in fake.messages.values() if m["channel_id"] != fake.channel_id]
    titles = [m["embeds"][0]["title"] for m in in_channel]
    assert len(in_channel) == 6  # 4 statements, 1 policy change, 1 strike range
    assert len(set(titles)) == 6  # the 429 was retried, nothing posted twice
    assert len(in_threads) == 1  # 001's follow-up in the thread on 000's alert
    assert app.storage.alerts.count() == 7
    assert app.storage.outbox.depth() == 0
    for m in in_channel:
        assert m["embeds"][0]["footer"]["text"]


@pytest.mark.asyncio
async def test_run_with_a_rejected_token_exits_with_one_sentence(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    import asyncio
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN="not-the-token",
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        REDLINE_DATA_DIR=str(tmp_path / "var"),
        REDLINE_RULES_DIR=str(ROOT / "rules"),
        REDLINE_SOURCES_FILE=str(tmp_path / "none.yaml"),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    text = err.decode()
    assert "Traceback" not in text
    last = text.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "DISCORD_TOKEN" in last
    assert "not-the-token" not in text + out.decode()
