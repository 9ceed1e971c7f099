"""The `/redline` app-command group: typed Discord options -> CommandRequest -> the service.

Each subcommand only gathers its options. `CommandRequest.options` carries them by the
option names below; `CommandRequest.args` carries the same words in the shared text
grammar (bot/services/parsing.py), so a service can read either. Permission checks are the
service's: `can_manage` says whether the member has Manage Channels in the channel.
"""

from __future__ import annotations

import shlex
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.adapters.discord.runner import CommandRunner
from bot.domain.models import Severity

SEVERITY_CHOICES = [Choice(name=s.value, value=s.value) for s in Severity]
DIGEST_CHOICES = [Choice(name=v, value=v) for v in ("none", "hourly", "daily")]
RULES_ACTIONS = [Choice(name=v, value=v) for v in ("list", "show", "test")]


def join_args(*words: str | None) -> str:
    """Words in the shared grammar; a word with spaces is quoted so it stays one word."""
    return " ".join(shlex.quote(w) if any(c.isspace() for c in w) else w for w in words if w)


def subscribe_args(
    selector: str, min_severity: str | None, digest: str | None, at: str | None
) -> str:
    """`<selector> [severity] [digest hourly|daily HH:MM]`, as parse_subscribe reads it."""
    words: list[str | None] = [selector, min_severity]
    if digest == "hourly":
        words += ["digest", "hourly"]
    elif digest == "daily":
        words += ["digest", "daily", at]
    return join_args(*words)


def _value(choice: Choice[str] | None) -> str | None:
    return choice.value if choice is not None else None


def _options(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


class RedlineCommands(
    app_commands.Group,
    name="redline",
    description="News alerts: subscriptions, lookups and watch rules.",
    guild_only=True,
):
    """`/redline <subcommand>`; every subcommand hands its options to the CommandRunner."""

    def __init__(self, runner: CommandRunner) -> None:
        super().__init__()
        self.runner = runner

    # Discord ignores default_permissions on subcommands (it only hides whole top-level
    # commands); it is kept as a statement of intent, and the service enforces can_manage.
    @app_commands.command(description="Post alerts from a rule, a tag or all rules here.")
    @app_commands.describe(
        selector="A rule id, a tag, or all",
        min_severity="Only alerts at or above this severity",
        digest="Collect alerts into a digest instead of posting each one",
        at="Time of the daily digest, HH:MM",
    )
    @app_commands.choices(min_severity=SEVERITY_CHOICES, digest=DIGEST_CHOICES)
    @app_commands.default_permissions(manage_channels=True)
    async def subscribe(
        self,
        interaction: discord.Interaction[Any],
        selector: str,
        min_severity: Choice[str] | None = None,
        digest: Choice[str] | None = None,
        at: str | None = None,
    ) -> None:
        """Subscribe this channel."""
        severity, schedule = _value(min_severity), _value(digest)
        options = _options(selector=selector, min_severity=severity, digest=schedule, at=at)
        args = subscribe_args(selector, severity, schedule, at)
        await self.runner.run(interaction, "subscribe", options, args)

    @app_commands.command(description="Stop posting alerts from a rule, a tag or all here.")
    @app_commands.describe(selector="A rule id, a tag, or all")
    @app_commands.default_permissions(manage_channels=True)
    async def unsubscribe(self, interaction: discord.Interaction[Any], selector: str) -> None:
        """Unsubscribe this channel."""
        await self.runner.run(interaction, "unsubscribe", _options(selector=selector), selector)

    @app_commands.command(description="List this channel's subscriptions.")
    async def subscriptions(self, interaction: discord.Interaction[Any]) -> None:
        """List subscriptions."""
        await self.runner.run(interaction, "subscriptions", {}, "")

    @app_commands.command(description="Silence a rule in this channel for a while.")
    @app_commands.describe(rule="The rule id", duration="How long, like 30m, 2h or 1d")
    @app_commands.default_permissions(manage_channels=True)
    async def mute(self, interaction: discord.Interaction[Any], rule: str, duration: str) -> None:
        """Mute a rule."""
        options = _options(rule=rule, duration=duration)
        await self.runner.run(interaction, "mute", options, join_args(rule, duration))

    @app_commands.command(description="Search the stored articles.")
    @app_commands.describe(query="Words to look for; quote a phrase")
    async def lookup(self, interaction: discord.Interaction[Any], query: str) -> None:
        """Full-text search."""
        await self.runner.run(interaction, "lookup", _options(query=query), query)

    @app_commands.command(description="Recent quotes by an official.")
    @app_commands.describe(official="The official's name")
    async def quotes(self, interaction: discord.Interaction[Any], official: str) -> None:
        """Quotes by official."""
        await self.runner.run(interaction, "quotes", _options(official=official), official)

    @app_commands.command(description="Current tracked values and their history.")
    @app_commands.describe(key="One tracked key; all of them when left out")
    async def tracked(self, interaction: discord.Interaction[Any], key: str | None = None) -> None:
        """Tracked values."""
        await self.runner.run(interaction, "tracked", _options(key=key), key or "")

    @app_commands.command(description="List, show or test the watch rules.")
    @app_commands.describe(action="What to do", rule="The rule id, for show and test")
    @app_commands.choices(action=RULES_ACTIONS)
    async def rules(
        self,
        interaction: discord.Interaction[Any],
        action: Choice[str] | None = None,
        rule: str | None = None,
    ) -> None:
        """Rules admin."""
        verb = _value(action) or "list"
        options = _options(action=verb, rule=rule)
        await self.runner.run(interaction, "rules", options, join_args(verb, rule))

    @app_commands.command(description="Explain why an article did or did not fire a rule.")
    @app_commands.describe(article="The article's URL or id", rule="Only this rule")
    async def why(
        self, interaction: discord.Interaction[Any], article: str, rule: str | None = None
    ) -> None:
        """Explain a match."""
        options = _options(article=article, rule=rule)
        await self.runner.run(interaction, "why", options, join_args(article, rule))

    @app_commands.command(description="Sources, failures and delivery lag.")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """Status."""
        await self.runner.run(interaction, "status", {}, "")

    @app_commands.command(description="How to use /redline.")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        """Help."""
        await self.runner.run(interaction, "help", {}, "")

    @subscribe.autocomplete("selector")
    @unsubscribe.autocomplete("selector")
    async def _complete_selector(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.runner.complete("selector", current)

    @mute.autocomplete("rule")
    @rules.autocomplete("rule")
    @why.autocomplete("rule")
    async def _complete_rule(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.runner.complete("rule", current)

    @quotes.autocomplete("official")
    async def _complete_official(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.runner.complete("official", current)
