"""What every benchmark shares: the result record, timers, memory readings, the table.

A figure is never judged on its own: each benchmark measures a baseline in the same run
and reports ours, the baseline and their ratio, plus the target it is held to.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """One line of the table and one entry of bench/results.json.

    `value` is ours in `unit`; `baseline` is the reference measured in the same run
    (None when the figure is absolute, like a latency); `ratio` says how many times
    better ours is (always oriented so that bigger is better, or documented in `target`);
    `target` is the goal in words, e.g. ">= 1000 articles/s"; `met` whether it holds.
    """

    name: str
    workload: str
    value: float
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["value"] = _round(self.value)
        out["baseline"] = None if self.baseline is None else _round(self.baseline)
        out["ratio"] = None if self.ratio is None else _round(self.ratio)
        return out


def _round(x: float) -> float:
    return float(f"{x:.4g}")


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """`with timer() as elapsed: ...` then `elapsed()` gives seconds (monotonic clock)."""
    start = time.perf_counter()
    end: list[float] = []
    try:
        yield lambda: (end[0] if end else time.perf_counter()) - start
    finally:
        end.append(time.perf_counter())


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by nearest rank on sorted values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return peak / 1024


def rss_mb(pid: int | None = None) -> float:
    """Current resident set size of a process (default: this one), in MB, from /proc."""
    path = f"/proc/{pid or os.getpid()}/status"
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pin_one_core() -> None:
    """Run this process on one CPU, so 'one core' figures mean one core."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
    except (AttributeError, OSError):
        pass


def unpin() -> None:
    with suppress(AttributeError, OSError):
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
