"""One running bot per database: an exclusive lock on a file beside it.

Two `redline run` on one database would poll every source twice; the lock makes the second
one stop with a sentence instead. It also tells the running bot that rows a previous
process left half-posted are orphans it may retry at once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from bot.domain.errors import ConfigError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, the outbox lease still holds
    fcntl = None  # type: ignore[assignment]


class RunLock:
    """`with RunLock(db_path):` holds the lock; ConfigError when another bot holds it."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock.

        Raises:
            ConfigError: another Redline is running on the same database.
        """
        if fcntl is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            pid = fh.read().strip() or "unknown"
            fh.close()
            raise ConfigError(
                f"Another Redline (pid {pid}) is already running on {self.path.with_suffix('')}"
                "; stop it first or set REDLINE_DB to another database."
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()  # closing the file drops the lock
            self._fh = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
