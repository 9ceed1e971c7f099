"""Runs one `/redline` interaction: CommandRequest in, handler, Reply out as embeds.

Discord wants an answer within 3 s. The handler gets `defer_after` seconds (2 s) to finish;
if it has not, the interaction is deferred ("thinking…", ephemeral) and the reply replaces
that placeholder when it is ready.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.embeds import no_mentions, render_reply
from bot.adapters.discord.text import clip
from bot.domain.commands import ChannelRef, CommandRequest
from bot.domain.errors import RedlineError
from bot.domain.message import Reply
from bot.domain.ports import CommandHandler

log = logging.getLogger(__name__)

DEFER_AFTER_S = 2.0
CHOICES_MAX = 25  # Discord shows at most 25 autocompletion choices
CHOICE_MAX = 100  # characters in a choice's name and value
PUBLIC_NOTE = "Posted in the channel."


class NotInServerError(RedlineError):
    """A `/redline` command arrived outside a server channel."""


def can_manage(interaction: discord.Interaction[Any]) -> bool:
    """Whether the member has Manage Channels in this channel (overwrites included)."""
    perms = interaction.permissions
    return bool(perms.administrator or perms.manage_channels)


def build_request(
    interaction: discord.Interaction[Any], name: str, options: dict[str, str], args: str
) -> CommandRequest:
    """The platform-neutral request for a `/redline <name>` interaction.

    Raises:
        NotInServerError: the interaction came from a direct message.
    """
    if interaction.guild_id is None or interaction.channel_id is None:
        raise NotInServerError("Use /redline in a server channel, not in a direct message.")
    return CommandRequest(
        name=name,
        args=args,
        options=options,
        channel=ChannelRef("discord", str(interaction.guild_id), str(interaction.channel_id)),
        user=str(interaction.user.id),
        can_manage=can_manage(interaction),
    )


class CommandRunner:
    """Calls the CommandHandler for interactions and answers them."""

    def __init__(self, handler: CommandHandler, *, defer_after: float = DEFER_AFTER_S) -> None:
        self.handler = handler
        self.defer_after = defer_after

    async def run(
        self,
        interaction: discord.Interaction[Any],
        name: str,
        options: dict[str, str],
        args: str,
    ) -> None:
        """Handle one command; exceptions go on to the tree's on_error."""
        request = build_request(interaction, name, options, args)
        task: asyncio.Task[Any] = asyncio.create_task(self.handler.handle(request))
        try:
            done, _ = await asyncio.wait({task}, timeout=self.defer_after)
            if not done:
                await interaction.response.defer(ephemeral=True, thinking=True)
            reply = await task
        finally:
            if not task.done():
                task.cancel()
        if not isinstance(reply, Reply):
            raise TypeError(f"the command handler returned {type(reply).__name__}, not a Reply")
        await send_reply(interaction, reply)

    async def complete(self, kind: str, current: str) -> list[app_commands.Choice[str]]:
        """Autocompletion choices from the handler; an empty list when it fails."""
        try:
            values = self.handler.complete(kind, current or "", limit=CHOICES_MAX)
        except Exception:
            log.exception("autocompletion of %s for %r failed", kind, current)
            return []
        choices: list[app_commands.Choice[str]] = []
        for value in values:
            # A value Discord cannot hold would come back cut short and match nothing.
            if value and len(value) <= CHOICE_MAX:
                choices.append(app_commands.Choice(name=clip(value, CHOICE_MAX), value=value))
            if len(choices) == CHOICES_MAX:
                break
        return choices


async def send_reply(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """Answer the interaction with `reply`, ephemeral unless the reply says otherwise."""
    embeds = render_reply(reply)
    if not interaction.response.is_done():
        await interaction.response.send_message(
            embeds=embeds, ephemeral=reply.ephemeral, allowed_mentions=no_mentions()
        )
    elif reply.ephemeral:
        await interaction.edit_original_response(embeds=embeds, allowed_mentions=no_mentions())
    else:
        # The deferral was ephemeral, so a public answer must be a new message.
        await interaction.edit_original_response(content=PUBLIC_NOTE, embeds=[])
        await interaction.followup.send(
            embeds=embeds, ephemeral=False, allowed_mentions=no_mentions()
        )


async def send_error(interaction: discord.Interaction[Any], sentence: str) -> None:
    """Tell only the user, in one sentence, that their command failed."""
    embeds = render_reply(Reply(text=sentence, error=True))
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                embeds=embeds, ephemeral=True, allowed_mentions=no_mentions()
            )
        else:
            await interaction.response.send_message(
                embeds=embeds, ephemeral=True, allowed_mentions=no_mentions()
            )
    except discord.HTTPException as exc:
        log.warning(
            "could not report an error to user %s (interaction %s): %s %s",
            interaction.user.id,
            interaction.id,
            exc.status,
            exc.code,
        )
