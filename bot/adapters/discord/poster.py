"""DiscordPoster: alerts to channels (and follow-ups into threads), discord.py errors mapped.

Rate limits stay discord.py's job: on a 429 it sleeps `retry_after` and retries by itself,
so a post that returns has arrived once. What reaches the caller is a DeliveryError that
says whether retrying can ever help.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any, Final, Literal

import aiohttp
import discord

from bot.adapters.discord.embeds import no_mentions, render_message
from bot.adapters.discord.text import THREAD_NAME_MAX, plain
from bot.domain.errors import DeliveryError
from bot.domain.message import Message

log = logging.getLogger(__name__)

# Discord JSON error codes that decide what happens next.
MISSING_ACCESS = 50001
UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008
THREAD_ALREADY_CREATED = 160004
THREAD_ARCHIVE_MINUTES: Final[Literal[1440]] = (
    1440  # a story's follow-ups usually arrive within a day
)
_THREAD_CACHE = 2048


class DiscordPoster:
    """ChatPoster for Discord: `post()` sends one message and returns its id."""

    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        # alert message id -> thread id; a thread started on a message usually shares its id,
        # but Discord does not promise it, so remember what it answered.
        self._threads: OrderedDict[str, str] = OrderedDict()
        self._thread_locks: dict[str, asyncio.Lock] = {}

    async def post(
        self, *, workspace: str, channel: str, message: Any, thread_ref: str | None = None
    ) -> str:
        """Post `message` to `channel` (in the thread on `thread_ref` when given).

        Raises:
            DeliveryError: `permanent=True` when the channel is gone or the bot lost access.
        """
        if not isinstance(message, Message):
            raise TypeError(f"DiscordPoster posts Message values, not {type(message).__name__}")
        if self._client.user is None or self._client.is_closed():
            raise DeliveryError("Discord is not connected yet, so the post will be retried.")
        guild_id = _snowflake(workspace, "server") if workspace else None
        target = _snowflake(channel, "channel")
        if thread_ref:
            target = await self._thread_for(target, _snowflake(thread_ref, "message"), message)
        destination = self._client.get_partial_messageable(target, guild_id=guild_id)
        try:
            sent = await destination.send(
                embeds=render_message(message), allowed_mentions=no_mentions()
            )
        except Exception as exc:
            raise delivery_error(exc, str(target)) from exc
        return str(sent.id)

    async def _thread_for(self, channel: int, message_id: int, message: Message) -> int:
        """The thread on `message_id`, created on first use; the channel if that message is gone."""
        key = str(message_id)
        lock = self._thread_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self._threads:
                self._threads.move_to_end(key)
                return int(self._threads[key])
            name = plain(message.title, THREAD_NAME_MAX) or "Follow-ups"
            try:
                data = await self._client.http.start_thread_with_message(
                    channel, message_id, name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES
                )
                thread_id = str(data["id"])
            except discord.HTTPException as exc:
                if exc.code == THREAD_ALREADY_CREATED:
                    thread_id = key  # Discord gives a message's thread the message's id
                elif isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE:
                    log.info("first alert %s is gone; follow-up goes to channel %s", key, channel)
                    return channel
                else:
                    raise delivery_error(exc, str(channel)) from exc
            except Exception as exc:
                raise delivery_error(exc, str(channel)) from exc
            finally:
                self._thread_locks.pop(key, None)
            self._threads[key] = thread_id
            while len(self._threads) > _THREAD_CACHE:
                self._threads.popitem(last=False)
            return int(thread_id)


def delivery_error(exc: BaseException, channel: str) -> DeliveryError:
    """Translate a discord.py or network failure into a one-sentence DeliveryError."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(
            f"Discord denied access to channel {channel} (code {exc.code}); "
            "invite the bot to it again or unsubscribe the channel.",
            permanent=True,
        )
    if isinstance(exc, discord.NotFound):
        return DeliveryError(
            f"Discord channel {channel} no longer exists (code {exc.code}).", permanent=True
        )
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"Discord rate-limited posts to channel {channel} for {exc.retry_after:.0f} s.",
            retry_after=exc.retry_after,
        )
    if isinstance(exc, discord.DiscordServerError):
        return DeliveryError(
            f"Discord had a server error ({exc.status}) posting to channel {channel}; "
            "the post will be retried."
        )
    if isinstance(exc, discord.HTTPException):
        retry_after = _retry_after(exc) if exc.status == 429 else None
        return DeliveryError(
            f"Discord refused the post to channel {channel} ({exc.status}, code {exc.code}).",
            retry_after=retry_after,
        )
    if isinstance(exc, aiohttp.ClientError | OSError | asyncio.TimeoutError):
        return DeliveryError(
            f"Could not reach Discord to post to channel {channel} ({type(exc).__name__})."
        )
    return DeliveryError(
        f"Posting to Discord channel {channel} failed unexpectedly ({type(exc).__name__})."
    )


def _retry_after(exc: discord.HTTPException) -> float | None:
    raw = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _snowflake(value: str, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DeliveryError(f"'{value}' is not a Discord {what} id.", permanent=True) from None
    if number <= 0:
        raise DeliveryError(f"'{value}' is not a Discord {what} id.", permanent=True)
    return number
