"""Fixtures for the Slack adapter: a clean environment, the fake Slack, a recording handler."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.slack import SlackAdapter
from bot.config import Secret, Settings
from bot.domain.commands import CommandRequest
from bot.domain.message import Reply
from tests.fakes.slack import ENV_TO_CLEAR, FakeSlack

SIGNING_SECRET = "test-signing-secret"
MEMBER, ADMIN, OWNER, DESK = "U0MEMBER", "U0ADMIN", "U0OWNER", "U0DESK"
DESK_GROUP = "S0DESK"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bolt and slack_sdk read SLACK_* and proxy variables on their own; a proxy would
    # swallow every call to 127.0.0.1 (aiohttp ignores NO_PROXY).
    for name in ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user(MEMBER)
        fake.add_user(ADMIN, admin=True, tz="America/New_York")
        fake.add_user(OWNER, owner=True)
        fake.add_user(DESK)
        fake.usergroups[DESK_GROUP] = [DESK]
        yield fake


@dataclass
class RecordingHandler:
    """A CommandHandler stub at the seam: records requests, answers with `answer`."""

    answer: Callable[[CommandRequest], Reply] = lambda r: Reply(text=f"ran {r.name}")
    requests: list[CommandRequest] = field(default_factory=list)
    gate: asyncio.Event | None = None  # when set, handle() waits for it: a slow command

    async def handle(self, request: Any) -> Any:
        self.requests.append(request)
        if self.gate is not None:
            await self.gate.wait()
        return self.answer(request)

    def complete(self, kind: str, prefix: str, *, limit: int = 25) -> list[str]:
        return []


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler()


def make_settings(fake: FakeSlack, *, mode: str = "http", **overrides: Any) -> Settings:
    """Settings pointing at the fake: Socket Mode with an app token, else HTTP mode."""
    kw: dict[str, Any] = {
        "slack_bot_token": Secret(fake.bot_token),
        "slack_signing_secret": Secret(SIGNING_SECRET),
        "slack_api_base_url": fake.base_url,
        "slack_http_port": 0,
        "slack_admin_group": DESK_GROUP,
    }
    if mode == "socket":
        kw["slack_app_token"] = Secret(fake.app_token)
    kw.update(overrides)
    return Settings(**kw)


@pytest_asyncio.fixture
async def adapter(slack: FakeSlack, handler: RecordingHandler) -> AsyncIterator[SlackAdapter]:
    """An HTTP-mode adapter, not started (dispatch tests need no listener)."""
    a = SlackAdapter(make_settings(slack), handler, http_host="127.0.0.1")
    yield a
    await a.stop()
