"""Delivery: drains the outbox to the chat platforms, at least once, never twice by key.

Each due row is claimed (`sending`, an attempt counted) before the post and marked `sent`
with the platform's reference after it. Retryable failures wait with exponential backoff
(at least the platform's Retry-After); permanent ones (channel gone, bot removed) stop and
show in `status`. Follow-ups wait for their parent's post so they can thread under it.
Digests collect until their time; bursts beyond the per-minute limit fold into "+N more".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.domain.errors import DeliveryError
from bot.domain.message import Message, MessageKind
from bot.domain.ports import ChatPoster, Clock
from bot.domain.records import Delivery, DeliveryKind, DeliveryState
from bot.services.serialize import message_from_jsonable

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
BASE_BACKOFF_S = 2.0
MAX_BACKOFF_S = 3600.0
PARENT_WAIT_S = 5.0


def backoff_s(attempts: int, retry_after: float | None) -> float:
    """Exponential backoff after `attempts` failures, never sooner than Retry-After."""
    delay = min(MAX_BACKOFF_S, BASE_BACKOFF_S * 2.0 ** max(0, attempts - 1))
    return float(max(delay, retry_after or 0.0))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    folded: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


class Deliverer:
    """Posts due outbox rows through the poster of each platform."""

    def __init__(
        self,
        *,
        storage: Any,
        posters: dict[str, ChatPoster],
        clock: Clock,
        burst_limit: int = 10,
        batch: int = 100,
    ) -> None:
        self.storage = storage
        self.posters = posters
        self.clock = clock
        self.burst_limit = burst_limit
        self.batch = batch

    async def deliver_due(self) -> DeliveryReport:
        """Post everything that is due now; returns what happened."""
        report = DeliveryReport()
        now = self.clock()
        due = [d for d in self.storage.outbox.due(now, self.batch) if d.platform in self.posters]
        by_channel: dict[tuple[str, str, str], list[Delivery]] = defaultdict(list)
        for d in due:
            by_channel[(d.platform, d.workspace, d.channel)].append(d)
        for channel, rows in by_channel.items():
            digests = [d for d in rows if d.kind is DeliveryKind.DIGEST]
            singles = [d for d in rows if d.kind is not DeliveryKind.DIGEST]
            if digests:
                await self._post_group(channel, digests, MessageKind.DIGEST, report)
            if singles:
                await self._post_singles(channel, singles, report)
        return report

    async def _post_singles(
        self, channel: tuple[str, str, str], rows: list[Delivery], report: DeliveryReport
    ) -> None:
        platform, workspace, chan = channel
        since = self.clock() - timedelta(minutes=1)
        recent = self._sent_since(platform, workspace, chan, since)
        room = max(0, self.burst_limit - recent)
        # Follow-ups count too: one story picked up by thirty outlets is a flood as well.
        foldable = (DeliveryKind.IMMEDIATE, DeliveryKind.FOLLOWUP)
        fold = [d for d in rows if d.kind in foldable][room:] if room < len(rows) else []
        fold_ids = {d.id for d in fold}
        for d in rows:
            if d.id in fold_ids:
                continue
            await self._post_one(d, report)
        if len(fold) > 0:
            await self._post_group(channel, fold, MessageKind.BURST, report)

    def _sent_since(self, platform: str, workspace: str, channel: str, since: Any) -> int:
        rows = self.storage.outbox.sent_since(platform, workspace, channel, since)
        return int(rows)

    async def _post_one(self, d: Delivery, report: DeliveryReport) -> None:
        outbox = self.storage.outbox
        now = self.clock()
        message = self._message(d.alert_id)
        if message is None:
            outbox.mark_dead(d.id, error="the alert this post belongs to no longer exists")
            report.dead += 1
            return
        thread_ref = d.thread_ref
        if d.kind is DeliveryKind.FOLLOWUP and thread_ref is None:
            parent = self._parent_of(d.alert_id)
            if parent is not None:
                thread_ref = outbox.remote_ref_of(parent, d.platform, d.workspace, d.channel)
                if thread_ref is None and self._parent_pending(parent, d):
                    # Thread under the parent once it is posted; try again shortly.
                    outbox.mark_retry(
                        d.id,
                        next_attempt=now + timedelta(seconds=PARENT_WAIT_S),
                        error="waiting for the first alert of the story to be posted",
                    )
                    report.waiting += 1
                    return
        if not outbox.mark_sending(d.id, now=now):
            return  # someone else claimed it
        await self._send(d, message, thread_ref, report, attempts=d.attempts + 1)

    async def _send(
        self,
        d: Delivery,
        message: Message,
        thread_ref: str | None,
        report: DeliveryReport,
        *,
        attempts: int,
        also: list[Delivery] | None = None,
    ) -> None:
        outbox = self.storage.outbox
        poster = self.posters[d.platform]
        rows = [d, *(also or [])]
        try:
            ref = await poster.post(
                workspace=d.workspace, channel=d.channel, message=message, thread_ref=thread_ref
            )
        except DeliveryError as e:
            now = self.clock()
            if e.permanent or attempts >= MAX_ATTEMPTS:
                for r in rows:
                    outbox.mark_dead(r.id, error=str(e))
                report.dead += len(rows)
                log.warning("delivery %s to %s is given up: %s", d.key, d.platform, e)
            else:
                delay = backoff_s(attempts, e.retry_after)
                for r in rows:
                    outbox.mark_retry(
                        r.id, next_attempt=now + timedelta(seconds=delay), error=str(e)
                    )
                report.retried += len(rows)
            report.errors.append(str(e))
            return
        except Exception as e:  # an adapter bug: keep the row, retry later, log it
            log.exception("posting %s to %s failed unexpectedly", d.key, d.platform)
            delay = backoff_s(attempts, None)
            for r in rows:
                outbox.mark_retry(
                    r.id, next_attempt=self.clock() + timedelta(seconds=delay), error=str(e)
                )
            report.retried += len(rows)
            return
        for r in rows:
            outbox.mark_sent(r.id, remote_ref=ref, now=self.clock())
        report.sent += 1

    async def _post_group(
        self,
        channel: tuple[str, str, str],
        rows: list[Delivery],
        kind: MessageKind,
        report: DeliveryReport,
    ) -> None:
        from bot.alerts.compose import compose_burst, compose_digest

        now = self.clock()
        claimed = [d for d in rows if self.storage.outbox.mark_sending(d.id, now=now)]
        messages = [m for m in (self._message(d.alert_id) for d in claimed) if m is not None]
        if not claimed or not messages:
            return
        if kind is MessageKind.DIGEST:
            group = compose_digest(messages, period=f"until {now:%d %B %H:%M} UTC")
        else:
            group = compose_burst(messages)
            report.folded += len(claimed)
        attempts = max(d.attempts for d in claimed) + 1
        await self._send(claimed[0], group, None, report, attempts=attempts, also=claimed[1:])

    def _message(self, alert_id: int | None) -> Message | None:
        if alert_id is None:
            return None
        alert = self.storage.alerts.get(alert_id)
        if alert is None:
            return None
        msg = message_from_jsonable(alert.message)
        return msg

    def _parent_of(self, alert_id: int | None) -> int | None:
        if alert_id is None:
            return None
        alert = self.storage.alerts.get(alert_id)
        return None if alert is None else alert.parent_alert_id

    def _parent_pending(self, parent_id: int, d: Delivery) -> bool:
        key = f"{parent_id}:{d.platform}:{d.workspace}:{d.channel}"
        parent = self.storage.outbox.by_key(key)
        return parent is not None and parent.state in (
            DeliveryState.PENDING,
            DeliveryState.SENDING,
            DeliveryState.FAILED,
        )
