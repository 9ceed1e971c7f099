"""Slack adapter: slack-bolt listeners, Block Kit rendering and the alert poster."""

from __future__ import annotations

from bot.adapters.slack.app import SlackAdapter, SlackUnreachableError
from bot.adapters.slack.blocks import render_message, render_reply
from bot.adapters.slack.poster import SlackPoster

__all__ = ["SlackAdapter", "SlackPoster", "SlackUnreachableError", "render_message", "render_reply"]
