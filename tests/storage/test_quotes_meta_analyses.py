"""Quotes by speaker, the analysis cache and the meta key/value table."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.records import QuoteRecord
from bot.storage import Storage
from tests.storage.conftest import T0, add, draft


def test_quotes_by_speaker_newest_first(storage: Storage) -> None:
    old = add(storage, draft(1, source="wire", published=T0))
    new = add(storage, draft(2, source="blog", published=T0 + timedelta(days=1)))
    storage.quotes.replace_for_article(
        old.id, [QuoteRecord("Joe Biden", "It wouldn't", 'He said "It wouldn\'t".')]
    )
    n = storage.quotes.replace_for_article(
        new.id,
        [
            QuoteRecord("Joe Biden", "No changes", "Biden: No changes."),
            QuoteRecord("John Kirby", "Nothing new", "Kirby said nothing new."),
            QuoteRecord(None, "Anonymous words", "An official said so."),
        ],
    )
    assert n == 3
    hits = storage.quotes.by_speaker("Joe Biden")
    assert [(h.article_id, h.text, h.source, h.published) for h in hits] == [
        (new.id, "No changes", "blog", T0 + timedelta(days=1)),
        (old.id, "It wouldn't", "wire", T0),
    ]
    assert hits[1].sentence == 'He said "It wouldn\'t".'
    assert (hits[0].title, hits[0].url) == (new.title, new.url)
    assert len(storage.quotes.by_speaker("Joe Biden", limit=1)) == 1
    assert storage.quotes.by_speaker("Nobody") == []


def test_replacing_an_articles_quotes_drops_the_old_ones(storage: Storage) -> None:
    article = add(storage, draft(1))
    storage.quotes.replace_for_article(article.id, [QuoteRecord("A B", "one", "one.")])
    storage.quotes.replace_for_article(article.id, [QuoteRecord("C D", "two", "two.")])
    assert storage.quotes.by_speaker("A B") == []
    assert [h.text for h in storage.quotes.by_speaker("C D")] == ["two"]
    storage.quotes.replace_for_article(article.id, [])
    assert storage.quotes.by_speaker("C D") == []


def test_speakers_for_autocompletion(storage: Storage) -> None:
    article = add(storage, draft(1))
    storage.quotes.replace_for_article(
        article.id,
        [
            QuoteRecord("John Kirby", "a", "a"),
            QuoteRecord("Joe Biden", "b", "b"),
            QuoteRecord("Joe Biden", "c", "c"),
            QuoteRecord("J_x%", "d", "d"),
            QuoteRecord(None, "e", "e"),
        ],
    )
    assert storage.quotes.speakers() == [("Joe Biden", 2), ("J_x%", 1), ("John Kirby", 1)]
    assert storage.quotes.speakers("Jo") == [("Joe Biden", 2), ("John Kirby", 1)]
    assert storage.quotes.speakers("J_") == [("J_x%", 1)]  # LIKE wildcards are literal
    assert storage.quotes.speakers(limit=1) == [("Joe Biden", 2)]


def test_analysis_cache_is_versioned(storage: Storage) -> None:
    article = add(storage, draft(1))
    assert storage.analyses.get(article.id, "v1") is None
    storage.analyses.put(article.id, "v1", {"sentences": ["a", "b"]})
    assert storage.analyses.get(article.id, "v1") == {"sentences": ["a", "b"]}
    assert storage.analyses.get(article.id, "v2") is None
    storage.analyses.put(article.id, "v2", {"sentences": []})
    assert storage.analyses.get(article.id, "v1") is None
    assert storage.analyses.get(article.id, "v2") == {"sentences": []}
    assert storage.analyses.invalidate("v3") == 1
    assert storage.analyses.get(article.id, "v2") is None


def test_meta_values(storage: Storage) -> None:
    assert storage.meta.get("rules.last_error") is None
    assert storage.meta.get("rules.last_error", "none") == "none"
    storage.meta.set("rules.last_error", "rules/x.yaml:3: bad key")
    storage.meta.set("rules.health", {"ok": 5, "failed": 0})
    assert storage.meta.get("rules.last_error") == "rules/x.yaml:3: bad key"
    assert storage.meta.get("rules.health") == {"ok": 5, "failed": 0}
    assert storage.meta.delete("rules.health")
    assert not storage.meta.delete("rules.health")
