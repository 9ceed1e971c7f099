"""`redline run` as `make run` starts it: seeds appear within seconds, SIGINT stops cleanly."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path


def _read_until(proc: subprocess.Popen[str], predicate: object, timeout: float) -> str:
    assert proc.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            seen += line
            if predicate(seen):  # type: ignore[operator]
                return seen
    return seen


def test_run_ingests_seeds_and_stops_on_sigint(workdir: Path) -> None:
    env = {**os.environ, "COLUMNS": "200", "REDLINE_POLL_TICK": "0.2", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        out = _read_until(proc, lambda s: s.count("ingested") >= 5, timeout=20)
        assert out.count("ingested") == 5, out
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        rest = proc.stdout.read() if proc.stdout else ""
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out + rest
    assert "Traceback" not in out + rest
    assert "stopped" in rest


def test_a_second_bot_on_the_same_database_stops_with_one_sentence(workdir: Path) -> None:
    from bot.runlock import RunLock

    env = {**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}
    with RunLock(workdir / "var" / "redline.db"):  # a running bot holds it
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Another Redline (pid " in done.stderr
    assert "is already running on var/redline.db" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    # Once the first one is gone, the next starts.
    again = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--once"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stdout + again.stderr
