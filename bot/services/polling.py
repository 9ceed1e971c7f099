"""Polling: fetch every due source (concurrently, bounded), hand new drafts to the pipeline.

One bad source never stops the others: each poll is isolated, and its outcome only updates
that source's scheduling state (next poll, backoff, failure count) in storage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.domain.models import ArticleDraft, FetchResult, FetchStatus, SourceKind, SourceState
from bot.domain.ports import Clock

log = logging.getLogger(__name__)


class SourceStates(Protocol):
    def due(self, now: datetime) -> list[SourceState]: ...
    def save_state(self, state: SourceState) -> None: ...


Fetch = Callable[[SourceState], Awaitable[FetchResult]]
Reschedule = Callable[[SourceState, FetchResult, datetime], SourceState]
Process = Callable[[Sequence[ArticleDraft]], Awaitable[Any]]


@dataclass
class PollReport:
    """What one tick did, for logs, the CLI and tests."""

    polled: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    not_modified: list[str] = field(default_factory=list)
    drafts: int = 0


class Poller:
    """Polls the sources that are due; fetchers are injected per source kind."""

    def __init__(
        self,
        *,
        sources: SourceStates,
        fetchers: dict[SourceKind, Fetch],
        reschedule: Reschedule,
        process: Process,
        clock: Clock,
        concurrency: int = 20,
    ) -> None:
        self._sources = sources
        self._fetchers = fetchers
        self._reschedule = reschedule
        self._process = process
        self._clock = clock
        self._sem = asyncio.Semaphore(max(1, concurrency))

    async def poll_due(self) -> PollReport:
        """Poll every source whose next poll time has come."""
        report = PollReport()
        due = self._sources.due(self._clock())
        results = await asyncio.gather(*(self._poll_one(s) for s in due), return_exceptions=True)
        for state, res in zip(due, results, strict=True):
            if isinstance(res, BaseException):
                # A bug in a fetcher must not stop the scheduler; count it as a failure.
                log.exception("polling source %s failed unexpectedly", state.name, exc_info=res)
                res = FetchResult(FetchStatus.ERROR, error=f"internal error: {res}")
            report.polled.append(state.name)
            if res.status is FetchStatus.ERROR:
                report.failed[state.name] = res.error or "failed"
            elif res.status is FetchStatus.NOT_MODIFIED:
                report.not_modified.append(state.name)
            new_state = self._reschedule(state, res, self._clock())
            if res.drafts:
                report.drafts += len(res.drafts)
                await self._process(res.drafts)
            # Saved once the drafts are handled: a process killed in between keeps the old
            # validators, so the next poll fetches the body again instead of a 304.
            self._sources.save_state(new_state)
        return report

    async def _poll_one(self, state: SourceState) -> FetchResult:
        fetch = self._fetchers.get(state.kind)
        if fetch is None:
            return FetchResult(FetchStatus.ERROR, error=f"no reader for {state.kind} sources")
        async with self._sem:
            return await fetch(state)
