"""Stories: the same event reported by several outlets, one row per story."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.domain.errors import NotFoundError
from bot.domain.models import Article
from bot.domain.records import Story
from bot.storage.articles import SqliteArticleStore
from bot.storage.codec import dumps, from_ts, loads, ts

_SELECT = """
    SELECT s.*, (SELECT json_group_array(article_id) FROM
                   (SELECT article_id FROM story_articles WHERE story_id = s.id
                    ORDER BY article_id)) AS ids
    FROM stories s
"""


def _story(row: dict[str, Any]) -> Story:
    return Story(
        id=row["id"],
        first_article_id=row["first_article_id"],
        created=from_ts(row["created"]),
        updated=from_ts(row["updated"]),
        fingerprint=loads(row["fingerprint"]),
        article_ids=tuple(loads(row["ids"]) or ()),
    )


class SqliteStoryStore:
    """Stories and which articles belong to them (an article belongs to one story)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, first_article_id: int, fingerprint: dict[str, Any], *, at: datetime) -> Story:
        """Start a story with its first article.

        Raises:
            NotFoundError: when the article does not exist or already has a story.
        """
        with self._db.atomic():
            try:
                cursor = self._db.execute(
                    "INSERT INTO stories (first_article_id, created, updated, fingerprint)"
                    " VALUES (?, ?, ?, ?)",
                    [first_article_id, ts(at), ts(at), dumps(fingerprint)],
                )
                story_id = cursor.lastrowid
                self._db.execute(
                    "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                    [story_id, first_article_id],
                )
            except sqlite3.IntegrityError as e:
                raise NotFoundError(
                    f"Article {first_article_id} does not exist or already belongs to a story."
                ) from e
        assert story_id is not None
        story = self.get(story_id)
        assert story is not None
        return story

    def add_article(self, story_id: int, article_id: int, *, at: datetime) -> bool:
        """Attach an article to a story; False when it already belongs to one.

        Raises:
            NotFoundError: when the story or the article does not exist.
        """
        with self._db.atomic():
            try:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO story_articles (story_id, article_id) VALUES (?, ?)",
                    [story_id, article_id],
                )
            except sqlite3.IntegrityError as e:
                raise NotFoundError(
                    f"Story {story_id} or article {article_id} does not exist."
                ) from e
            if cursor.rowcount == 0:
                return False
            self._db.execute(
                "UPDATE stories SET updated = max(updated, ?) WHERE id = ?", [ts(at), story_id]
            )
        return True

    def set_fingerprint(self, story_id: int, fingerprint: dict[str, Any]) -> None:
        """Replace a story's fingerprint (it grows as outlets join)."""
        self._db.execute(
            "UPDATE stories SET fingerprint = ? WHERE id = ?", [dumps(fingerprint), story_id]
        )

    def get(self, story_id: int) -> Story | None:
        """The story with this id, or None."""
        rows = list(self._db.query(_SELECT + " WHERE s.id = ?", [story_id]))
        return _story(rows[0]) if rows else None

    def story_of(self, article_id: int) -> Story | None:
        """The story an article belongs to, or None."""
        rows = list(
            self._db.query(
                _SELECT
                + " WHERE s.id = (SELECT story_id FROM story_articles WHERE article_id = ?)",
                [article_id],
            )
        )
        return _story(rows[0]) if rows else None

    def recent(self, since: datetime) -> list[Story]:
        """Stories that gained an article at or after `since`, most recently active first."""
        rows = self._db.query(
            _SELECT + " WHERE s.updated >= ? ORDER BY s.updated DESC, s.id DESC", [ts(since)]
        )
        return [_story(r) for r in rows]

    def articles_of(self, story_id: int) -> list[Article]:
        """The story's articles, oldest first."""
        ids = [
            r[0]
            for r in self._db.execute(
                "SELECT sa.article_id FROM story_articles sa JOIN articles a"
                " ON a.id = sa.article_id WHERE sa.story_id = ? ORDER BY a.at, a.id",
                [story_id],
            ).fetchall()
        ]
        return SqliteArticleStore(self._db).by_ids(ids)
