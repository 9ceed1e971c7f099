"""A thin APScheduler (3.x) wrapper: it only triggers "do the due work now".

All scheduling state (next poll, ETag, failures) lives in SQLite; the scheduler keeps no
state worth persisting, so a MemoryJobStore rebuilt at start-up with stable ids is enough.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

Job = Callable[[], Awaitable[object]]


class Scheduler:
    """Interval jobs that never overlap (max_instances=1) and coalesce missed runs."""

    def __init__(self) -> None:
        self._sched = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )

    def every(self, job_id: str, seconds: float, job: Job, *, run_now: bool = True) -> None:
        """Run `job` every `seconds`, first right away when `run_now`."""
        self._sched.add_job(
            job,
            "interval",
            seconds=seconds,
            id=job_id,
            replace_existing=True,
            next_run_time=datetime.now(UTC) if run_now else None,
        )

    def run_now(self, job_id: str) -> None:
        """Trigger a job immediately; its schedule continues from there."""
        self._sched.modify_job(job_id, next_run_time=datetime.now(UTC))

    def job_ids(self) -> list[str]:
        return [j.id for j in self._sched.get_jobs()]

    def start(self) -> None:
        """Start inside the running event loop."""
        self._sched.start()

    def shutdown(self) -> None:
        if self._sched.running:
            self._sched.shutdown(wait=False)
