"""Lookups shared by chat and the CLI: full-text search with filters, quotes, tracked values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import QueryError
from bot.domain.records import SearchHit
from bot.services.parsing import split_args, valid_text

FILTERS = ("rule", "speaker", "source", "since")
MAX_QUERY_CHARS = 1000
_MAX_IDS = 1000


def parse_filters(query: str) -> tuple[str, dict[str, str]]:
    """Split `rule:ID speaker:NAME source:NAME since:DATE` filters from the search words."""
    words, filters = [], {}
    for token in split_args(query[:MAX_QUERY_CHARS]):
        key, sep, value = token.partition(":")
        if sep and key.lower() in FILTERS and value:
            filters[key.lower()] = value
        else:
            words.append(f'"{token}"' if " " in token else token)
    return " ".join(words), filters


def _since(value: str) -> datetime:
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"since:{value} is not a date; use since:YYYY-MM-DD.") from None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def run_lookup(
    storage: Any,
    query: str,
    *,
    limit: int = 10,
    source: str | None = None,
    resolve_speaker: Callable[[str], str | None] | None = None,
) -> list[SearchHit]:
    """Search stored articles, best first.

    Raises:
        QueryError: a filter value is invalid or nothing is left to search for.
    """
    query = valid_text(query)
    text, filters = parse_filters(query)
    source = filters.get("source", source)
    since = _since(filters["since"]) if "since" in filters else None
    ids: set[int] | None = None
    if "rule" in filters:
        alerts = storage.alerts.recent(_MAX_IDS, rule=filters["rule"])
        ids = {a.article_id for a in alerts}
    if "speaker" in filters:
        name = filters["speaker"]
        canonical = (resolve_speaker(name) if resolve_speaker else None) or name
        quoted = {q.article_id for q in storage.quotes.by_speaker(canonical, _MAX_IDS)}
        ids = quoted if ids is None else ids & quoted
    if not text.strip():
        if not filters:
            raise QueryError('Say what to look for: words, a "phrase", or a filter like rule:ID.')
        articles = storage.articles.recent(_MAX_IDS, source=source, since=since)
        picked = [a for a in articles if ids is None or a.id in ids][:limit]
        return [SearchHit(article=a, rank=0.0, snippet=a.text[:200]) for a in picked]
    return list(storage.articles.search(text, limit=limit, source=source, since=since, ids=ids))


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """Snippet text -> (part, highlighted) pieces, from the « » markers storage puts in."""
    out: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find("«")
        if start < 0:
            out.append((rest, False))
            break
        end = rest.find("»", start)
        if end < 0:
            out.append((rest, False))
            break
        if start:
            out.append((rest[:start], False))
        out.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return out
