"""A chat command as every platform hands it to the services: who, where, what."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A channel on a platform: ("slack", team id, channel id), ("discord", guild, channel)."""

    platform: str
    workspace: str
    channel: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.channel}"


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """`/redline <name> <args>` from a user in a channel.

    `args` is the raw argument text after the subcommand name (Slack gives one string);
    `options` carries already-structured options (Discord gives typed options). The
    adapter decides `can_manage` from the platform's permissions (Slack admin/owner or an
    allowed user group; Discord Manage Channels).
    """

    name: str
    args: str = ""
    options: dict[str, str] = field(default_factory=dict)
    channel: ChannelRef | None = None
    user: str = ""
    can_manage: bool = False
    tz: str = "UTC"
