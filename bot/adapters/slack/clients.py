"""The two Slack Web API clients: one for commands (retries itself), one for alerts (does not).

Commands run while a person waits, so their client rides out a 429, a 500 or a dropped
connection once. Alert delivery goes through the outbox, which already waits out
Retry-After and backs off; a retrying client underneath would retry every post twice.
"""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.domain.errors import ConfigError

DEFAULT_BASE_URL = "https://slack.com/api/"
TIMEOUT_S = 30


def base_url(settings: Settings) -> str:
    """The Web API root: Slack's, or a local fake's in tests."""
    return settings.slack_api_base_url or DEFAULT_BASE_URL


def _token(settings: Settings) -> str:
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token into .env.")
    return settings.slack_bot_token.value


def command_client(settings: Settings) -> AsyncWebClient:
    """The client Bolt and the slash command use: retries 429, 500/503 and lost connections.

    Raises:
        ConfigError: SLACK_BOT_TOKEN is not set.
    """
    return AsyncWebClient(
        token=_token(settings),
        base_url=base_url(settings),
        timeout=TIMEOUT_S,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def delivery_client(settings: Settings) -> AsyncWebClient:
    """The client SlackPoster uses: no retry handlers, the outbox owns retries.

    Raises:
        ConfigError: SLACK_BOT_TOKEN is not set.
    """
    return AsyncWebClient(
        token=_token(settings),
        base_url=base_url(settings),
        timeout=TIMEOUT_S,
        retry_handlers=[],
    )
