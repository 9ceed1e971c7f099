"""Fixtures shared across the test folders."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    """A bare FTS5 table with the articles' tokenizer, to run expressions without any guard."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, text,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO t VALUES ('Kremlin warns', 'a b c moscow long-range strikes')")
    yield conn
    conn.close()
