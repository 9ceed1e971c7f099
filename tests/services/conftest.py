"""Fixtures for the services: a real SQLite store on disk, a fake clock, a recording poster."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.errors import DeliveryError
from bot.domain.message import Message
from bot.storage import Storage


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2024, 7, 12, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class RecordingPoster:
    """A chat platform at the edge of the system: records posts, fails on demand."""

    platform: str = "chat"
    posts: list[tuple[str, str, Message, str | None]] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)

    async def post(
        self, *, workspace: str, channel: str, message: Message, thread_ref: str | None = None
    ) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append((workspace, channel, message, thread_ref))
        return f"ref-{len(self.posts)}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "redline.db"


@pytest.fixture
def storage(db_path: Path) -> Storage:
    s = Storage.open(db_path)
    yield s
    s.close()
