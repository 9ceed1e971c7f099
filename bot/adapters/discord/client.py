"""DiscordAdapter: the discord.py connection that `redline run` starts and stops.

One `discord.Client` with minimal intents (guilds only, nothing privileged), a CommandTree
holding `/redline`, and the DiscordPoster that delivers alerts through the same client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
import discord
import yarl

from bot.adapters.discord.commands import RedlineCommands
from bot.adapters.discord.embeds import no_mentions
from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.runner import DEFER_AFTER_S, CommandRunner
from bot.adapters.discord.tree import RedlineTree
from bot.config import Settings
from bot.domain.errors import ConfigError, RedlineError
from bot.domain.ports import CommandHandler

log = logging.getLogger(__name__)

BAD_TOKEN = "Discord rejected DISCORD_TOKEN; check the token in .env."
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
# A 429 asking for a longer wait raises RateLimited (-> DeliveryError with retry_after)
# instead of blocking the delivery loop; 30 s is discord.py's minimum.
MAX_RATELIMIT_WAIT_S = 60.0


class DiscordStartError(RedlineError):
    """The Discord connection could not be established (network, Discord outage)."""


def minimal_intents() -> discord.Intents:
    """Guild events only: app commands need no privileged intent, nor message content."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


def apply_endpoint_overrides(settings: Settings) -> None:
    """Point discord.py at DISCORD_API_BASE / DISCORD_GATEWAY_URL (test-only settings)."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class RedlineClient(discord.Client):
    """discord.Client that syncs `/redline` on start and signals readiness."""

    def __init__(self, *, commands: RedlineCommands, guild_id: int | None, **options: Any) -> None:
        super().__init__(intents=minimal_intents(), allowed_mentions=no_mentions(), **options)
        self.tree = RedlineTree(self)
        self.guild = discord.Object(id=guild_id) if guild_id is not None else None
        self.tree.add_command(commands, guild=self.guild)
        self.ready = asyncio.Event()

    async def setup_hook(self) -> None:
        """Sync the commands: to one server when configured (instant), else globally."""
        try:
            synced = await self.tree.sync(guild=self.guild)
        except discord.Forbidden as exc:
            where = f"server {self.guild.id}" if self.guild else "this application"
            raise ConfigError(
                f"Discord refused to register /redline for {where} (code {exc.code}); "
                "invite the bot again with the applications.commands scope."
            ) from exc
        log.info(
            "synced %d command(s) %s",
            len(synced),
            f"to server {self.guild.id}" if self.guild else "globally",
        )

    async def on_ready(self) -> None:
        """Discord sent READY and the guilds: commands and posts can flow."""
        log.info("connected to Discord as %s in %d server(s)", self.user, len(self.guilds))
        self.ready.set()


class DiscordAdapter:
    """ChatAdapter for Discord: `await start()` returns once connected; `await stop()`."""

    platform = "discord"

    def __init__(
        self,
        settings: Settings,
        handler: CommandHandler,
        *,
        defer_after: float = DEFER_AFTER_S,
        start_timeout: float = START_TIMEOUT_S,
        **client_options: Any,
    ) -> None:
        self.settings = settings
        self.runner = CommandRunner(handler, defer_after=defer_after)
        self.client = RedlineClient(
            commands=RedlineCommands(self.runner),
            guild_id=settings.discord_guild_id,
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT_S,
            **client_options,
        )
        self.poster = DiscordPoster(self.client)
        self._start_timeout = start_timeout
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in, sync commands, connect to the gateway; return once ready.

        Raises:
            ConfigError: the token is missing or Discord rejected it.
            DiscordStartError: Discord could not be reached or did not become ready.
        """
        token = self.settings.discord_token
        if token is None or not token.value:
            raise ConfigError("DISCORD_TOKEN is not set; add the bot token to .env.")
        apply_endpoint_overrides(self.settings)
        self._task = asyncio.create_task(self.client.start(token.value), name="discord")
        ready = asyncio.create_task(self.client.ready.wait())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=self._start_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done:
            self._task.add_done_callback(_log_exit)
            return
        ready.cancel()
        if self._task in done:
            exc = self._task.exception()
            self._task = None
            await self.client.close()
            raise start_error(exc) from exc
        await self.stop()
        raise DiscordStartError(
            f"Discord did not become ready within {self._start_timeout:.0f} s; "
            "check the network and try again."
        )

    async def stop(self) -> None:
        """Close the gateway and HTTP session; safe to call twice."""
        await self.client.close()
        task, self._task = self._task, None
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(task, STOP_TIMEOUT_S)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
            except Exception:
                log.debug("Discord task ended with an error while stopping", exc_info=True)


def start_error(exc: BaseException | None) -> RedlineError:
    """One sentence for why `client.start()` ended before the bot was ready."""
    if isinstance(exc, discord.LoginFailure):
        return ConfigError(BAD_TOKEN)
    if isinstance(exc, RedlineError):
        return exc
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return ConfigError("Discord refused the requested gateway intents for this bot.")
    if isinstance(exc, discord.HTTPException):
        return DiscordStartError(
            f"Discord refused the connection ({exc.status}, code {exc.code}); try again later."
        )
    if isinstance(exc, aiohttp.ClientError | OSError | asyncio.TimeoutError):
        return DiscordStartError(
            f"Could not reach Discord ({type(exc).__name__}); check the network connection."
        )
    name = type(exc).__name__ if exc is not None else "no error"
    return DiscordStartError(f"The Discord connection ended before it was ready ({name}).")


def _log_exit(task: asyncio.Task[None]) -> None:
    """After start() returned, a dying connection can only be logged."""
    if task.cancelled():
        return
    with contextlib.suppress(asyncio.CancelledError):
        exc = task.exception()
        if exc is not None:
            log.error("the Discord connection stopped: %s", start_error(exc))
