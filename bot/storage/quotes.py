"""Direct quotes per article, so "what did this official say" is one indexed query."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from bot.domain.records import QuoteHit, QuoteRecord
from bot.storage.codec import from_ts_or_none

MAX_LIMIT = 10_000  # a guard against mistakes, far above any page a user sees


class SqliteQuoteStore:
    """Quotes extracted from stored articles, keyed by canonical speaker name."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def replace_for_article(self, article_id: int, quotes: Iterable[QuoteRecord]) -> int:
        """Replace an article's quotes with `quotes` (a re-analysis); returns how many.

        The article's date is copied so quotes sort without a join.
        """
        rows = [(q.speaker, q.text, q.sentence) for q in quotes]
        with self._db.atomic():
            self._db.execute("DELETE FROM quotes WHERE article_id = ?", [article_id])
            for speaker, text, sentence in rows:
                self._db.execute(
                    "INSERT INTO quotes (article_id, speaker, text, sentence, published)"
                    " SELECT id, ?, ?, ?, at FROM articles WHERE id = ?",
                    [speaker, text, sentence, article_id],
                )
        return len(rows)

    def by_speaker(self, canonical: str, limit: int = 20) -> list[QuoteHit]:
        """A speaker's quotes, newest first, with the article each came from."""
        rows = self._db.query(
            """
            SELECT q.article_id, q.speaker, q.text, q.sentence, q.published,
                a.source, a.title, a.url
            FROM quotes q JOIN articles a ON a.id = q.article_id
            WHERE q.speaker = ?
            ORDER BY q.published DESC, q.id
            LIMIT ?
            """,
            [canonical, max(1, min(int(limit), MAX_LIMIT))],
        )
        return [
            QuoteHit(
                article_id=r["article_id"],
                speaker=r["speaker"],
                text=r["text"],
                sentence=r["sentence"],
                published=from_ts_or_none(r["published"]),
                source=r["source"],
                title=r["title"],
                url=r["url"],
            )
            for r in rows
        ]

    def speakers(self, prefix: str = "", limit: int = 25) -> list[tuple[str, int]]:
        """Named speakers and how many quotes each has, most quoted first (autocompletion)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.execute(
            "SELECT speaker, count(*) AS n FROM quotes"
            " WHERE speaker IS NOT NULL AND speaker LIKE ? ESCAPE '\\'"
            " GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?",
            [escaped + "%", max(1, min(int(limit), MAX_LIMIT))],
        ).fetchall()
        return [(str(s), int(n)) for s, n in rows]
