"""Chat platform helpers: `redline discord invite`."""

from __future__ import annotations

import base64
import binascii

import click

from bot.cli import main
from bot.domain.errors import ConfigError


def application_id_from_token(token: str) -> int:
    """A Discord bot token starts with the bot's id in base64; for bots it is the app id.

    Raises:
        ConfigError: the token does not look like a Discord bot token.
    """
    head = token.split(".", 1)[0]
    try:
        raw = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode("ascii")
        return int(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ConfigError(
            "DISCORD_TOKEN does not look like a bot token; pass --application-id instead."
        ) from None


@main.group()
def discord() -> None:
    """Discord helpers."""


@discord.command()
@click.option(
    "--application-id", type=int, help="The application id (default: read from DISCORD_TOKEN)."
)
def invite(application_id: int | None) -> None:
    """Print the URL that adds Redline to a server with the permissions it needs."""
    from bot.adapters.discord.invite import invite_url
    from bot.config import load_settings

    settings = load_settings()
    if application_id is None:
        if settings.discord_token is None:
            raise ConfigError("Set DISCORD_TOKEN in .env or pass --application-id.")
        application_id = application_id_from_token(settings.discord_token.value)
    click.echo(invite_url(application_id, guild_id=settings.discord_guild_id))
