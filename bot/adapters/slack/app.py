"""SlackAdapter: the Bolt app, Socket Mode or HTTP mode, and the poster for alerts.

Socket Mode (SLACK_APP_TOKEN set) is the default for self-hosters: one outbound
connection, no public URL. HTTP mode (SLACK_SIGNING_SECRET only) serves Bolt's aiohttp
app on SLACK_HTTP_PORT behind the operator's own HTTPS reverse proxy.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.adapters.slack.blocks import OPEN_ARTICLE_ACTION
from bot.adapters.slack.clients import base_url, command_client, delivery_client
from bot.adapters.slack.commands import COMMAND, SlashCommand
from bot.adapters.slack.directory import SlackUserDirectory
from bot.adapters.slack.poster import SlackPoster, api_error_code
from bot.config import Settings
from bot.domain.errors import ConfigError, RedlineError
from bot.domain.ports import CommandHandler

log = logging.getLogger(__name__)

HTTP_PATH = "/slack/events"
_TOKEN_ERRORS = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "not_allowed_token_type",
}


class SlackUnreachableError(RedlineError):
    """Slack (or the configured API base URL) could not be reached at start-up."""


def _code(err: SlackApiError) -> str:
    return api_error_code(err.response) or f"HTTP {getattr(err.response, 'status_code', '?')}"


class SlackAdapter:
    """ChatAdapter for Slack: `/redline` commands in, alerts out through `poster`."""

    platform = "slack"

    def __init__(
        self,
        settings: Settings,
        handler: CommandHandler,
        *,
        http_host: str | None = None,
        http_path: str = HTTP_PATH,
        connect_timeout_s: float = 30.0,
        user_cache_ttl_s: float = 60.0,
        drain_timeout_s: float = 5.0,
    ) -> None:
        """Build clients and the Bolt app; nothing touches the network until `start()`.

        Raises:
            ConfigError: no bot token, or neither an app token nor a signing secret.
        """
        if settings.slack_bot_token is None:
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token into .env."
            )
        if settings.slack_app_token is None and settings.slack_signing_secret is None:
            raise ConfigError(
                "Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) in .env."
            )
        self.settings = settings
        self.mode = "socket" if settings.slack_app_token is not None else "http"
        self.http_host: str = http_host or settings.slack_http_host
        self.http_path = http_path
        self.http_port: int | None = None  # the bound port once HTTP mode has started
        self.connect_timeout_s = connect_timeout_s
        self.drain_timeout_s = drain_timeout_s
        self.client = command_client(settings)
        self.poster = SlackPoster(delivery_client(settings))
        self.directory = SlackUserDirectory(
            self.client, admin_group=settings.slack_admin_group, ttl_s=user_cache_ttl_s
        )
        self.command = SlashCommand(handler, self.directory)
        self.identity: dict[str, Any] = {}  # auth.test's answer: team, bot user, bot id
        self.app = self._build_app()
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None

    def _build_app(self) -> AsyncApp:
        secret = self.settings.slack_signing_secret
        app = AsyncApp(
            client=self.client,
            # Passed explicitly so Bolt never falls back to reading the environment.
            signing_secret=secret.value if secret is not None else "",
            process_before_response=False,
            logger=logging.getLogger("bot.adapters.slack.bolt"),
        )
        slash = self.command

        # Bolt injects listener arguments by parameter name: `ack`, `command`, `respond`.
        async def redline_listener(ack: Any, command: dict[str, Any], respond: Any) -> None:
            await slash(ack, command, respond)

        app.command(COMMAND)(redline_listener)

        async def ack_link_button(ack: Any) -> None:
            # Link buttons open the article in the browser; Slack still expects an ack.
            await ack()

        app.action(re.compile(f"^{OPEN_ARTICLE_ACTION}"))(ack_link_button)
        return app

    async def start(self) -> None:
        """Check the bot token, then connect (Socket Mode) or listen (HTTP mode).

        Raises:
            ConfigError: Slack rejected a token.
            SlackUnreachableError: Slack could not be reached.
        """
        await self._verify_bot_token()
        if self.mode == "socket":
            await self._start_socket_mode()
        else:
            await self._start_http()

    async def _verify_bot_token(self) -> None:
        try:
            # The retry-free delivery client: start-up reports at once and the caller
            # (`redline run`, systemd) decides whether to try again.
            resp = await self.poster.client.auth_test()
        except SlackApiError as e:
            code = _code(e)
            if code in _TOKEN_ERRORS:
                raise ConfigError(
                    f"Slack rejected SLACK_BOT_TOKEN ({code}); check the token in .env."
                ) from e
            raise SlackUnreachableError(
                f"Slack answered auth.test with {code}; try again later."
            ) from e
        except (TimeoutError, aiohttp.ClientError, OSError, SlackClientError) as e:
            raise SlackUnreachableError(
                f"Could not reach Slack at {base_url(self.settings)} ({type(e).__name__})."
            ) from e
        if not resp.get("bot_id"):
            raise ConfigError(
                "SLACK_BOT_TOKEN is not a bot token; use the Bot User OAuth Token (xoxb-…)."
            )
        self.identity = {
            k: resp.get(k) for k in ("team", "team_id", "user", "user_id", "bot_id", "url")
        }
        log.info(
            "slack: connected as %s in %s (%s mode)",
            self.identity.get("user"),
            self.identity.get("team"),
            self.mode,
        )

    async def _start_socket_mode(self) -> None:
        assert self.settings.slack_app_token is not None
        app_token = self.settings.slack_app_token.value
        # Opening the first URL ourselves turns a bad app token into one clear error;
        # the Socket Mode client would otherwise log and retry it forever.
        try:
            opened = await self.client.apps_connections_open(app_token=app_token)
        except SlackApiError as e:
            code = _code(e)
            if code in _TOKEN_ERRORS or code.startswith("invalid"):
                raise ConfigError(
                    f"Slack rejected SLACK_APP_TOKEN ({code}); use an app-level token "
                    "(xapp-…) with the connections:write scope."
                ) from e
            raise SlackUnreachableError(
                f"Slack refused a Socket Mode connection ({code}); try again later."
            ) from e
        except (TimeoutError, aiohttp.ClientError, OSError, SlackClientError) as e:
            raise SlackUnreachableError(
                f"Could not reach Slack at {base_url(self.settings)} ({type(e).__name__})."
            ) from e
        handler = AsyncSocketModeHandler(self.app, app_token)
        handler.client.wss_uri = opened["url"]
        self._socket = handler
        try:
            await asyncio.wait_for(handler.connect_async(), self.connect_timeout_s)  # type: ignore[no-untyped-call]
        except TimeoutError as e:
            await self.stop()
            raise SlackUnreachableError(
                f"The Slack Socket Mode connection did not open within "
                f"{self.connect_timeout_s:g} s; check outbound network access."
            ) from e

    async def _start_http(self) -> None:
        runner = web.AppRunner(
            self.app.web_app(path=self.http_path, port=self.settings.slack_http_port),
            access_log=None,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.http_host, self.settings.slack_http_port)
        try:
            await site.start()
        except OSError as e:
            await runner.cleanup()
            raise ConfigError(
                f"Cannot listen on {self.http_host}:{self.settings.slack_http_port} "
                f"({e.strerror or e}); change SLACK_HTTP_PORT."
            ) from e
        self._runner = runner
        self.http_port = _bound_port(runner, self.settings.slack_http_port)
        log.info(
            "slack: HTTP mode listening on %s:%s%s", self.http_host, self.http_port, self.http_path
        )

    async def stop(self) -> None:
        """Close the connection or the listener, letting commands in progress finish."""
        socket, self._socket = self._socket, None
        runner, self._runner = self._runner, None
        if socket is not None:
            await socket.close_async()  # type: ignore[no-untyped-call]
        if runner is not None:
            await runner.cleanup()
        await self.command.drain(self.drain_timeout_s)


def _bound_port(runner: web.AppRunner, fallback: int) -> int:
    """The port actually bound (differs from the setting when it is 0)."""
    for addr in runner.addresses:
        if isinstance(addr, tuple) and len(addr) >= 2:
            return int(addr[1])
    return fallback
