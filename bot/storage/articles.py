"""Stored articles: de-duplicated on the way in, full-text searchable on the way out."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.domain.errors import QueryError
from bot.domain.models import Article, ArticleDraft
from bot.domain.records import SearchHit
from bot.storage.codec import dumps, from_ts, from_ts_or_none, ts, ts_or_none
from bot.storage.dedupe import content_hash, normalize_url
from bot.storage.fts_query import compile_query

log = logging.getLogger(__name__)

HIGHLIGHT_START = "«"
HIGHLIGHT_END = "»"
ELLIPSIS = "…"
TITLE_WEIGHT = 5.0  # a word in the title counts as much as five in the body
MAX_LIMIT = 10_000  # a guard against mistakes, far above any page a user sees
_PAGE = 500


def _article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        url=row["url"],
        published=from_ts_or_none(row["published"]),
        fetched=from_ts(row["fetched"]),
        content_hash=row["content_hash"],
        guid=row["guid"],
        path=row["path"],
    )


def _clamp(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


class SqliteArticleStore:
    """Articles, their de-duplication keys and their FTS5 index."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _duplicate_id(self, draft: ArticleDraft, norm_url: str | None, digest: str) -> int | None:
        rows = self._db.execute(
            """
            SELECT id FROM articles
            WHERE content_hash = :hash
               OR (:url IS NOT NULL AND normalized_url = :url)
               OR (:guid IS NOT NULL AND source = :source AND guid = :guid)
            ORDER BY id LIMIT 1
            """,
            {"hash": digest, "url": norm_url, "guid": draft.guid or None, "source": draft.source},
        ).fetchall()
        return int(rows[0][0]) if rows else None

    def duplicate_of(self, draft: ArticleDraft) -> Article | None:
        """The stored article `draft` would duplicate (same URL, content or guid), or None."""
        norm_url = normalize_url(draft.url) if draft.url else None
        found = self._duplicate_id(draft, norm_url, content_hash(draft.title, draft.text))
        return None if found is None else self.get(found)

    def add(self, draft: ArticleDraft, *, fetched: datetime) -> Article | None:
        """Store a new article; None when it duplicates one already stored.

        Duplicates share a normalised URL, a content hash (title and text, casefolded,
        whitespace collapsed) or the same guid from the same source.
        """
        norm_url = normalize_url(draft.url) if draft.url else None
        digest = content_hash(draft.title, draft.text)
        row = {
            "source": draft.source,
            "url": draft.url or None,
            "normalized_url": norm_url,
            "guid": draft.guid or None,
            "title": draft.title,
            "text": draft.text,
            "published": ts_or_none(draft.published),
            "fetched": ts(fetched),
            "at": ts(draft.published or fetched),
            "content_hash": digest,
            "path": draft.path,
        }
        with self._db.atomic():
            if self._duplicate_id(draft, norm_url, digest) is not None:
                return None
            try:
                cursor = self._db.execute(
                    f"INSERT INTO articles ({', '.join(row)}) VALUES"
                    f" ({', '.join(':' + k for k in row)})",
                    row,
                )
            except sqlite3.IntegrityError:
                # Another writer got there first; the unique keys keep the table clean.
                return None
            new_id = cursor.lastrowid
        assert new_id is not None
        return self.get(new_id)

    def get(self, article_id: int) -> Article | None:
        """The article with this id, or None."""
        rows = list(self._db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        return _article(rows[0]) if rows else None

    def by_ids(self, ids: Iterable[int]) -> list[Article]:
        """The articles with these ids, in the order given; unknown ids are skipped."""
        wanted = list(dict.fromkeys(int(i) for i in ids))
        if not wanted:
            return []
        rows = self._db.query(
            "SELECT * FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            [dumps(wanted)],
        )
        found = {r["id"]: _article(r) for r in rows}
        return [found[i] for i in wanted if i in found]

    def count(self, source: str | None = None) -> int:
        """How many articles are stored (from one source, if given)."""
        if source is None:
            row = self._db.execute("SELECT count(*) FROM articles").fetchone()
        else:
            row = self._db.execute(
                "SELECT count(*) FROM articles WHERE source = ?", [source]
            ).fetchone()
        return int(row[0])

    def recent(
        self, limit: int = 20, *, source: str | None = None, since: datetime | None = None
    ) -> list[Article]:
        """The newest articles first (by published date, else fetch time)."""
        where, params = self._filters(source=source, since=since)
        rows = self._db.query(
            f"SELECT * FROM articles a {where} ORDER BY a.at DESC, a.id DESC LIMIT ?",
            [*params, _clamp(limit)],
        )
        return [_article(r) for r in rows]

    def iter_all(
        self, since: datetime | None = None, *, page_size: int = _PAGE
    ) -> Iterator[Article]:
        """Every article oldest first, read page by page so callers may write meanwhile."""
        after_at, after_id = (ts(since), 0) if since else ("", 0)
        while True:
            rows = list(
                self._db.query(
                    "SELECT * FROM articles WHERE (at, id) > (?, ?) ORDER BY at, id LIMIT ?",
                    [after_at, after_id, max(1, page_size)],
                )
            )
            for row in rows:
                yield _article(row)
            if len(rows) < max(1, page_size):
                return
            after_at, after_id = rows[-1]["at"], rows[-1]["id"]

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        source: str | None = None,
        since: datetime | None = None,
        ids: Iterable[int] | None = None,
    ) -> list[SearchHit]:
        """Full-text search, best match first; the title weighs more than the body.

        Words match their other forms ("strike" finds "strikes"); a query with a prefix
        term (`khark*`) is matched word for word instead, so the prefix is taken as typed.

        Raises:
            QueryError: when the query has nothing to search for.
        """
        compiled = compile_query(query)
        id_list = None if ids is None else [int(i) for i in ids]
        if id_list is not None and not id_list:
            return []
        where, params = self._filters(source=source, since=since, ids=id_list)
        where = where.replace("WHERE", "AND", 1)
        fts = "articles_fts_exact" if compiled.has_prefix else "articles_fts"
        bm25 = f"bm25({fts}, {TITLE_WEIGHT}, 1.0)"
        # Two steps, so that a common word's thousands of matches are ranked from the index
        # alone: first the best ids (joining articles only when a filter needs it), then the
        # rows and snippets of those few.
        if where:
            rank_sql = f"""
                SELECT {fts}.rowid AS id, {bm25} AS r FROM {fts}
                JOIN articles a ON a.id = {fts}.rowid
                WHERE {fts} MATCH ? {where}
                ORDER BY r, a.at DESC LIMIT ?
            """
        else:
            rank_sql = f"""
                SELECT rowid AS id, {bm25} AS r FROM {fts}
                WHERE {fts} MATCH ? ORDER BY r, rowid DESC LIMIT ?
            """
        try:
            ranked = [
                (int(r["id"]), float(r["r"]))
                for r in self._db.query(rank_sql, [compiled.expression, *params, _clamp(limit)])
            ]
            if not ranked:
                return []
            marks = ",".join("?" * len(ranked))
            rows = {
                int(r["id"]): r
                for r in self._db.query(
                    f"""
                    SELECT a.*, snippet({fts}, -1, ?, ?, ?, 24) AS snip
                    FROM {fts} JOIN articles a ON a.id = {fts}.rowid
                    WHERE {fts} MATCH ? AND {fts}.rowid IN ({marks})
                    """,
                    [HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, compiled.expression]
                    + [i for i, _ in ranked],
                )
            }
        except sqlite3.OperationalError as e:
            # fts_query only emits quoted strings and its own operators; reaching this means
            # a case it does not know, which the user should see as one sentence.
            log.warning("search %r (match %r) failed: %s", query[:200], compiled.expression, e)
            raise QueryError("That search could not be run; try plain words.") from e
        return [SearchHit(_article(rows[i]), -r, rows[i]["snip"]) for i, r in ranked if i in rows]

    @staticmethod
    def _filters(
        *,
        source: str | None = None,
        since: datetime | None = None,
        ids: list[int] | None = None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if source is not None:
            clauses.append("a.source = ?")
            params.append(source)
        if since is not None:
            clauses.append("a.at >= ?")
            params.append(ts(since))
        if ids is not None:
            clauses.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(dumps(ids))
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
