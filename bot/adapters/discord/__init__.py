"""Discord adapter: `/redline` app commands and alert embeds over discord.py."""

from __future__ import annotations

from bot.adapters.discord.client import DiscordAdapter, DiscordStartError
from bot.adapters.discord.embeds import render_message, render_reply
from bot.adapters.discord.invite import invite_url
from bot.adapters.discord.poster import DiscordPoster

__all__ = [
    "DiscordAdapter",
    "DiscordPoster",
    "DiscordStartError",
    "invite_url",
    "render_message",
    "render_reply",
]
