"""The OAuth2 URL that adds Redline to a Discord server with only the permissions it uses."""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")


def required_permissions() -> discord.Permissions:
    """What Redline needs in a channel: read it, post embeds, and follow up in threads."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        create_public_threads=True,
        send_messages_in_threads=True,
        read_message_history=True,
    )


def invite_url(application_id: int | str, *, guild_id: int | None = None) -> str:
    """The invite URL for `redline discord invite` (scopes bot + applications.commands).

    With `guild_id`, Discord preselects that server in the dialog.
    """
    guild = discord.Object(id=guild_id) if guild_id is not None else discord.utils.MISSING
    return discord.utils.oauth_url(
        int(application_id),
        permissions=required_permissions(),
        guild=guild,
        scopes=SCOPES,
    )
