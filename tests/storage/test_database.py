"""open_database: migrations from empty and again, WAL, pragmas, reopening a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.domain.errors import StorageError
from bot.storage import SqliteArticleStore, Storage, open_database
from bot.storage.database import journal_mode
from bot.storage.schema import migrations
from tests.storage.conftest import T0, add, draft

TABLES = {
    "sources",
    "articles",
    "articles_fts",
    "articles_fts_exact",
    "analyses",
    "rule_state",
    "rule_state_history",
    "realert",
    "stories",
    "story_articles",
    "alerts",
    "subscriptions",
    "mutes",
    "deliveries",
    "quotes",
    "meta",
}


def test_migrations_create_every_table_from_empty() -> None:
    db = open_database(":memory:")
    assert set(db.table_names()) >= TABLES
    assert migrations.pending(db) == []
    db.close()


def test_rerunning_migrations_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = open_database(path)
    applied = [m.name for m in migrations.applied(db)]
    db.close()
    db = open_database(path)
    assert [m.name for m in migrations.applied(db)] == applied
    migrations.apply(db)
    assert [m.name for m in migrations.applied(db)] == applied
    db.close()


def test_upgrading_from_the_first_schema_indexes_existing_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_exact_fts")
    assert "articles_fts_exact" not in old.table_names()
    SqliteArticleStore(old).add(draft(1, title="Zelenskyy speaks"), fetched=T0)
    old.close()
    db = open_database(path)
    assert migrations.pending(db) == []
    hits = SqliteArticleStore(db).search("zelensky*")
    assert [h.article.title for h in hits] == ["Zelenskyy speaks"]
    db.close()


def test_file_database_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = open_database(tmp_path / "r.db")
    assert journal_mode(db) == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    db.close()


def test_missing_parent_directories_are_created(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a" / "b" / "r.db")
    assert (tmp_path / "a" / "b" / "r.db").exists()
    db.close()


def test_reopened_file_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    first = Storage.open(path)
    article = add(first, draft(1))
    first.meta.set("rules.health", {"ok": True})
    first.close()
    again = Storage.open(path)
    assert again.articles.get(article.id) == article
    assert again.meta.get("rules.health") == {"ok": True}
    assert [h.article.id for h in again.articles.search("item1")] == [article.id]
    again.close()


def test_a_file_that_is_not_a_database_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StorageError, match="database at"):
        open_database(path)


def test_storage_bundle_shares_one_connection(storage: Storage) -> None:
    add(storage, draft(1, source="a"))
    assert storage.sources.article_counts() == {"a": 1}
    assert storage.articles.count() == 1
    assert T0.tzinfo is not None
