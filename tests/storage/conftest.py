"""Fixtures for the storage tests: an in-memory Storage, a fixed clock, article drafts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.models import Article, ArticleDraft
from bot.storage import Storage

T0 = datetime(2024, 7, 11, 12, 0, tzinfo=UTC)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def storage() -> Iterator[Storage]:
    store = Storage.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def file_storage(tmp_path: Path) -> Iterator[Storage]:
    store = Storage.open(tmp_path / "redline.db")
    yield store
    store.close()


def draft(
    n: int,
    *,
    source: str = "wire",
    title: str | None = None,
    text: str | None = None,
    url: str | None = None,
    guid: str | None = None,
    published: datetime | None = None,
) -> ArticleDraft:
    """A distinct draft numbered `n` (distinct title, text and URL unless overridden)."""
    return ArticleDraft(
        source=source,
        title=title if title is not None else f"Headline number {n}",
        text=text if text is not None else f"Body of article {n} about item{n}.",
        url=url if url is not None else f"https://news.example/articles/{n}",
        guid=guid,
        published=published if published is not None else T0 + timedelta(hours=n),
    )


def add(storage: Storage, d: ArticleDraft, *, fetched: datetime = T0) -> Article:
    """Store a draft that must be new."""
    article = storage.articles.add(d, fetched=fetched)
    assert article is not None
    return article
