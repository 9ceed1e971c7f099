"""`/redline` on Slack: payload -> CommandRequest -> CommandHandler -> Reply -> respond().

Acknowledges first, always: Slack shows "operation_timeout" if it has no answer within
3 s, and a lookup or a rules test can take longer than that. The answer then goes to the
command's `response_url`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.adapters.slack.blocks import render_reply
from bot.adapters.slack.directory import SlackUserDirectory
from bot.domain.commands import ChannelRef, CommandRequest
from bot.domain.errors import RedlineError
from bot.domain.message import Reply
from bot.domain.ports import CommandHandler

log = logging.getLogger(__name__)

COMMAND = "/redline"
SUBCOMMANDS = (
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "mute",
    "lookup",
    "quotes",
    "tracked",
    "rules",
    "why",
    "status",
    "help",
)

Ack = Callable[..., Awaitable[Any]]
Respond = Callable[..., Awaitable[Any]]


# Slack may still wrap a typed link as <https://…|label>; the service wants the bare URL.
_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")


def _unescape(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    # Slack escapes these three in slash-command text; `&amp;` last so "&amp;lt;" stays "&lt;".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_text(text: str) -> tuple[str, str]:
    """`subscribe policy-change high` -> ("subscribe", "policy-change high"); "" -> help.

    Unknown names pass through: the command service owns the "no such command" answer,
    so every platform says the same thing.
    """
    words = _unescape(text or "").strip().split(None, 1)
    if not words:
        return "help", ""
    return words[0].lower(), words[1].strip() if len(words) > 1 else ""


def build_request(payload: Mapping[str, Any], *, can_manage: bool, tz: str) -> CommandRequest:
    """A CommandRequest from a slash-command payload (HTTP form or Socket Mode envelope)."""
    name, args = parse_text(str(payload.get("text") or ""))
    workspace = str(payload.get("team_id") or payload.get("enterprise_id") or "")
    return CommandRequest(
        name=name,
        args=args,
        channel=ChannelRef("slack", workspace, str(payload.get("channel_id") or "")),
        user=str(payload.get("user_id") or ""),
        can_manage=can_manage,
        tz=tz,
    )


def failure_reply(name: str) -> Reply:
    """What the user reads when the service raised something unexpected."""
    return Reply(
        text=f"Sorry, `/redline {name}` failed on the server; the error was logged.",
        error=True,
    )


class SlashCommand:
    """The `/redline` listener: thin translation around the platform-neutral handler."""

    def __init__(self, handler: CommandHandler, directory: SlackUserDirectory) -> None:
        self.handler = handler
        self.directory = directory
        self.inflight: set[asyncio.Task[Any]] = set()

    async def __call__(self, ack: Ack, command: Mapping[str, Any], respond: Respond) -> None:
        """Ack at once, then answer through `respond()` with the rendered Reply."""
        await ack()
        task = asyncio.current_task()
        if task is not None:
            self.inflight.add(task)
        try:
            await self._answer(command, respond)
        finally:
            if task is not None:
                self.inflight.discard(task)

    async def _answer(self, command: Mapping[str, Any], respond: Respond) -> None:
        user = await self.directory.lookup(str(command.get("user_id") or ""))
        request = build_request(command, can_manage=user.can_manage, tz=user.tz)
        context = (
            f"/redline {request.name}: team={request.channel.workspace if request.channel else ''}"
            f" channel={request.channel.channel if request.channel else ''} user={request.user}"
        )
        reply: Reply
        try:
            result = await self.handler.handle(request)
            if not isinstance(result, Reply):
                raise TypeError(f"handler returned {type(result).__name__}, not Reply")
            reply = result
        except RedlineError as e:
            # Raised on purpose: its message is already one sentence for the user.
            log.info("%s refused: %s", context, e)
            reply = Reply(text=str(e), error=True)
        except Exception:
            log.exception("%s failed", context)
            reply = failure_reply(request.name)
        payload = render_reply(reply)
        try:
            await respond(
                text=payload["text"],
                blocks=payload["blocks"],
                response_type=payload["response_type"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception:
            log.exception("%s: could not send the answer to Slack's response_url", context)

    async def drain(self, timeout_s: float) -> None:
        """Let commands in progress finish (up to `timeout_s`), then cancel the rest."""
        pending = set(self.inflight)
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=timeout_s)
        for task in late:
            task.cancel()
