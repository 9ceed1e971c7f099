"""Who is asking: whether a Slack user may manage a channel's subscriptions, and their time zone.

Managers are workspace admins and owners (`users.info`) and members of the optional
SLACK_ADMIN_GROUP user group (`usergroups.users.list`). Answers are cached briefly so a
burst of commands costs one lookup; a failed lookup is never cached and counts as "not a
manager", because refusing a change is safer than allowing it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlackUser:
    """What the command service needs to know about the person running a command."""

    user_id: str
    can_manage: bool
    tz: str = "UTC"


class SlackUserDirectory:
    """Looks users up with the Web API and remembers the answer for `ttl_s` seconds."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        admin_group: str | None = None,
        ttl_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.admin_group = admin_group
        self.ttl_s = ttl_s
        self._clock = clock
        self._users: dict[str, tuple[float, SlackUser]] = {}
        self._group: tuple[float, frozenset[str]] | None = None

    async def lookup(self, user_id: str) -> SlackUser:
        """The user's manager status and time zone (cached)."""
        now = self._clock()
        hit = self._users.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        try:
            resp = await self.client.users_info(user=user_id)
        except Exception as e:  # any failure: fail closed, do not cache
            log.warning("slack users.info failed for user=%s: %s", user_id, _why(e))
            return SlackUser(user_id, can_manage=False)
        data = resp.get("user") or {}
        admin = bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner"))
        tz = str(data.get("tz") or "UTC")
        if not admin and self.admin_group:
            admin = user_id in await self._group_members(self.admin_group, now)
        user = SlackUser(user_id, can_manage=admin, tz=tz)
        self._users[user_id] = (now + self.ttl_s, user)
        return user

    async def _group_members(self, group: str, now: float) -> frozenset[str]:
        if self._group is not None and self._group[0] > now:
            return self._group[1]
        try:
            resp = await self.client.usergroups_users_list(usergroup=group)
        except Exception as e:
            log.warning("slack usergroups.users.list failed for group=%s: %s", group, _why(e))
            return frozenset()
        members = frozenset(str(u) for u in resp.get("users") or ())
        self._group = (now + self.ttl_s, members)
        return members

    def forget(self) -> None:
        """Drop every cached answer (after a permission change, or in tests)."""
        self._users.clear()
        self._group = None


def _why(err: Exception) -> str:
    """A short reason for the log; a Slack error code when there is one, never a token."""
    if isinstance(err, SlackClientError):
        data = getattr(getattr(err, "response", None), "data", None)
        if isinstance(data, dict) and data.get("error"):
            return str(data["error"])
    return type(err).__name__
