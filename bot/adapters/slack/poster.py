"""SlackPoster: posts rendered alerts with chat.postMessage and reports failures as DeliveryError.

The outbox owns retries. The poster's client therefore has no rate-limit or server-error
retry handlers of its own (see `clients.delivery_client`): one 429 is reported at once with
Slack's Retry-After, and the outbox waits that long, so a post is never retried twice over.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import render_message
from bot.domain.errors import DeliveryError
from bot.domain.message import Message

log = logging.getLogger(__name__)

# Errors that retrying can never fix: the channel or the bot's access is gone, or the
# message itself is malformed. Each maps to the sentence a user reads in `status`.
_PERMANENT: dict[str, str] = {
    "channel_not_found": "Slack channel {channel} does not exist or the bot cannot see it",
    "not_in_channel": "The bot is not a member of Slack channel {channel}; invite it with /invite",
    "is_archived": "Slack channel {channel} is archived",
    "channel_is_archived": "Slack channel {channel} is archived",
    "account_inactive": "The Slack bot account is deactivated",
    "invalid_auth": "Slack rejected the bot token",
    "not_authed": "Slack received no bot token",
    "token_revoked": "The Slack bot token was revoked",
    "token_expired": "The Slack bot token has expired",
    "no_permission": "The Slack bot has no permission to post in channel {channel}",
    "missing_scope": "The Slack app lacks a scope it needs to post; reinstall it from slack-manifest.yaml",
    "restricted_action": "The Slack workspace does not allow the bot to post in channel {channel}",
    "team_access_not_granted": "The Slack bot has no access to the workspace of channel {channel}",
    "ekm_access_denied": "Slack refused access to channel {channel} (enterprise key management)",
    "invalid_blocks": "Slack refused the message layout (invalid_blocks)",
    "invalid_blocks_format": "Slack refused the message layout (invalid_blocks_format)",
    "msg_too_long": "The message is too long for Slack",
    "too_many_attachments": "The message has too many attachments for Slack",
    "invalid_arguments": "Slack refused the message arguments",
    "thread_not_found": "The thread to follow up in no longer exists in Slack channel {channel}",
}


def retry_after_of(response: Any) -> float | None:
    """Slack's Retry-After header in seconds, or None when absent or unreadable."""
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    try:
        return max(float(raw), 0.0) if raw is not None else None
    except (TypeError, ValueError):
        return None


def api_error_code(response: Any) -> str:
    """The `error` field of a Slack answer, or "" when the body was not JSON."""
    data = getattr(response, "data", None)
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def delivery_error(err: SlackApiError, *, channel: str) -> DeliveryError:
    """Translate one failed Web API call into the outbox's terms."""
    status = int(getattr(err.response, "status_code", 0) or 0)
    code = api_error_code(err.response)
    if status == 429 or code == "ratelimited":
        wait = retry_after_of(err.response)
        return DeliveryError(
            f"Slack rate-limited posting to channel {channel}; retrying later.",
            retry_after=wait if wait is not None else 1.0,
        )
    if code in _PERMANENT:
        sentence = _PERMANENT[code].format(channel=channel)
        return DeliveryError(f"{sentence} ({code}).", permanent=True)
    if status >= 500 or not code:
        return DeliveryError(f"Slack answered HTTP {status} posting to channel {channel}.")
    # An error code we do not know: report it and let the outbox's attempt limit decide.
    return DeliveryError(f"Slack refused the post to channel {channel} ({code}).")


class SlackPoster:
    """ChatPoster for Slack: one `chat.postMessage` per call; returns the message `ts`."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(
        self,
        *,
        workspace: str,
        channel: str,
        message: Message,
        thread_ref: str | None = None,
    ) -> str:
        """Post `message` to `channel` (in the thread `thread_ref` when given).

        Raises:
            DeliveryError: `permanent=True` when retrying cannot help; `retry_after` on 429.
        """
        payload = render_message(message)
        try:
            resp = await self.client.chat_postMessage(
                channel=channel,
                text=payload["text"],
                blocks=payload["blocks"],
                thread_ts=thread_ref,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as e:
            err = delivery_error(e, channel=channel)
            log.warning(
                "slack post failed: workspace=%s channel=%s alert=%s: %s",
                workspace,
                channel,
                message.alert_id,
                err,
            )
            raise err from e
        except (TimeoutError, aiohttp.ClientError, OSError, SlackClientError) as e:
            log.warning(
                "slack post failed: workspace=%s channel=%s alert=%s: %s",
                workspace,
                channel,
                message.alert_id,
                type(e).__name__,
            )
            raise DeliveryError(f"Could not reach Slack to post to channel {channel}.") from e
        ts = resp.get("ts")
        if not isinstance(ts, str) or not ts:
            raise DeliveryError(f"Slack accepted the post to channel {channel} but sent no ts.")
        return ts


__all__ = ["SlackPoster", "api_error_code", "delivery_error", "retry_after_of"]
