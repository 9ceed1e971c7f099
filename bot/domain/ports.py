"""Protocols that let services and the engine talk to storage without importing it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class Clock(Protocol):
    """Returns the current time (timezone-aware UTC). Tests pass a fake one."""

    def __call__(self) -> datetime: ...


class StateStore(Protocol):
    """Persisted rule state: tracked values (with history) and realert timestamps.

    Values are JSON-serialisable. `bot/engine` ships an in-memory implementation;
    `bot/storage` ships the SQLite one.
    """

    def get_tracked(self, rule_id: str, key: str) -> Any | None:
        """The last recorded value for (rule, key), or None."""
        ...

    def set_tracked(
        self, rule_id: str, key: str, value: Any, *, at: datetime, article_ref: str | None
    ) -> None:
        """Record a new value for (rule, key) and append it to the history."""
        ...

    def tracked_history(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        """Every recorded value, oldest first: {rule_id, key, value, at, article_ref}."""
        ...

    def last_alerted(self, rule_id: str, key: str) -> datetime | None:
        """When (rule, key) was last announced, for `realert` windows."""
        ...

    def set_alerted(self, rule_id: str, key: str, at: datetime) -> None:
        """Remember that (rule, key) was announced at `at`."""
        ...


class ChatPoster(Protocol):
    """Posts a rendered Message to one channel of one platform.

    Raises:
        DeliveryError: `permanent=True` when the channel is gone or the bot was removed;
            `retry_after` set when the platform rate-limited the call.
    """

    platform: str

    async def post(
        self, *, workspace: str, channel: str, message: Any, thread_ref: str | None = None
    ) -> str:
        """Post and return the platform's reference to the message (ts / message id)."""
        ...


class CommandHandler(Protocol):
    """The platform-neutral `/redline` command service every adapter calls."""

    async def handle(self, request: Any) -> Any:
        """Run a CommandRequest and return a Reply (bot.domain.commands / message)."""
        ...

    def complete(self, kind: str, prefix: str, *, limit: int = 25) -> list[str]:
        """Autocompletion values: kind is "rule", "tag", "selector" or "official"."""
        ...


class ChatAdapter(Protocol):
    """A chat platform connection started by `redline run`.

    `start` raises ConfigError with one sentence when the token is rejected.
    """

    platform: str
    poster: ChatPoster

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
