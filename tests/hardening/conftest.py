"""Shared pieces for the hardening tests: a fake clock, a local feed server, a built App."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.app import App
from bot.config import Settings
from tests.fakes.feed_server import FeedServer
from tests.services.conftest import FakeClock, RecordingPoster

ROOT = Path(__file__).resolve().parents[2]
LEXICONS = ROOT / "rules" / "lexicons"
_PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)

# A rule that fires on any article with a sentence in it: the worst case for a noisy desk.
MATCH_ALL = """\
id: everything
title: Everything
severity: high
match:
  regex: '\\w'
"""


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to the fake servers on 127.0.0.1 must never go through a proxy."""
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FeedServer]:
    fake = await FeedServer().start()
    yield fake
    await fake.stop()


def rules_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    """A rules folder holding `files` and the shipped lexicons."""
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    if not (directory / "lexicons").exists():
        shutil.copytree(LEXICONS, directory / "lexicons")
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def write_sources(path: Path, feeds: dict[str, str], *, interval: str = "60s") -> Path:
    """A sources.yaml declaring one feed per (name, url)."""
    lines = ["sources:"]
    for name, url in feeds.items():
        lines += [
            f"  - name: {name}",
            "    kind: feed",
            f"    url: {url}",
            f"    interval: {interval}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest_asyncio.fixture
async def make_app(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Callable[..., App]]:
    """Builds Apps on a temporary database; tests only serve feeds from 127.0.0.0/8."""
    built: list[App] = []

    def build(**kw: Any) -> App:
        kw.setdefault("db_path", tmp_path / "redline.db")
        kw.setdefault("rules_dir", ROOT / "rules")
        kw.setdefault("sources_file", tmp_path / "sources.yaml")
        kw.setdefault("url_allowlist", ("127.0.0.0/8",))
        kw.setdefault("fetch_timeout_s", 0.3)
        kw.setdefault("console", False)
        app = App(Settings(**kw), clock=clock)
        built.append(app)
        return app

    yield build
    for app in built:
        await app.close()


def console_poster(app: App) -> RecordingPoster:
    """Subscribe the console channel to everything and record what it is sent."""
    poster = RecordingPoster(platform="console")
    app.add_console(poster)
    return poster
