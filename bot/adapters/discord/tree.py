"""The app-command tree with the one place where command errors are handled."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.runner import send_error
from bot.domain.errors import RedlineError

log = logging.getLogger(__name__)

UNKNOWN_INTERACTION = 10062  # the 3 s window passed before the first answer
GENERIC_FAILURE = "Something went wrong running this command; the details are in the bot's log."


def user_sentence(error: BaseException) -> tuple[str, bool]:
    """(one sentence for the user, whether the failure was expected) for a command error."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, RedlineError):
        return str(error), True
    if isinstance(error, app_commands.NoPrivateMessage):
        return "Use /redline in a server channel, not in a direct message.", True
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        who = (
            "The bot needs" if isinstance(error, app_commands.BotMissingPermissions) else "You need"
        )
        perms = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"{who} the {perms} permission in this channel to do that.", True
    if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
        return "This command changed since Discord last loaded it; try again in a minute.", True
    if isinstance(error, app_commands.TransformerError):
        return f"'{error.value}' is not a valid value for that option.", True
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here.", True
    return GENERIC_FAILURE, False


class RedlineTree(app_commands.CommandTree[Any]):
    """CommandTree whose on_error answers the user once and logs with context."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        """Report a failed command: one sentence to the user, details to the log."""
        cause: BaseException = error
        if isinstance(error, app_commands.CommandInvokeError):
            cause = error.original
        sentence, expected = user_sentence(error)
        command = interaction.command.qualified_name if interaction.command else "?"
        context = (
            command,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            interaction.id,
        )
        if expected:
            log.info(
                "/%s refused (guild %s, channel %s, user %s, interaction %s): %s",
                *context,
                sentence,
            )
        else:
            log.error(
                "/%s failed (guild %s, channel %s, user %s, interaction %s)",
                *context,
                exc_info=cause,
            )
        if isinstance(cause, discord.NotFound) and cause.code == UNKNOWN_INTERACTION:
            return  # nothing left to answer: Discord already told the user it failed
        await send_error(interaction, sentence)
