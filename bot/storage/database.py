"""Opening the database: one connection, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from bot.domain.errors import StorageError
from bot.storage.schema import migrations

log = logging.getLogger(__name__)

MEMORY = ":memory:"
BUSY_TIMEOUT_MS = 5000


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the database at `path`, or ":memory:", and migrate it.

    Stores are called from the asyncio loop thread, and read-only lookups also from
    `asyncio.to_thread` workers; one connection opened with `check_same_thread=False` serves
    both (SQLite serialises calls on a connection).

    Raises:
        StorageError: when the file cannot be opened or is not a Redline database.
    """
    where = str(path)
    in_memory = where == MEMORY
    try:
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            MEMORY if in_memory else Path(path),
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        db = Database(conn)
    except (OSError, sqlite3.Error) as e:
        raise StorageError(f"Could not open the database at {where}: {e}.") from e
    try:
        _configure(db, in_memory=in_memory)
        migrations.apply(db)
    except sqlite3.Error as e:
        db.close()
        raise StorageError(f"Could not prepare the database at {where}: {e}.") from e
    log.debug("database %s ready", where)
    return db


def _configure(db: Database, *, in_memory: bool) -> None:
    # busy_timeout first: the journal-mode switch itself may wait on another process.
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if not in_memory:
        db.enable_wal()
        # WAL makes NORMAL durable against application crashes, and much faster than FULL.
        db.execute("PRAGMA synchronous = NORMAL")


def journal_mode(db: Database) -> str:
    """The connection's journal mode ("wal" for file databases)."""
    row = db.execute("PRAGMA journal_mode").fetchone()
    return str(row[0]).lower()
