"""Fixtures for the feed tests: a local feed server and an httpx client that ignores proxies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.fakes.feed_server import FeedServer

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def rss_body() -> bytes:
    """The golden RSS 2.0 feed (three items)."""
    return (DATA / "rss20.xml").read_bytes()


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FeedServer]:
    fake = await FeedServer().start()
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def client(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    async with httpx.AsyncClient(trust_env=False) as http:
        yield http
