"""Lookup: full-text search over N stored articles, p50/p95 of 200 mixed queries.

Ours is `run_lookup` (bot/services/lookup.py), the service behind `/redline lookup` and
`redline lookup`, with the chat command's limit of 5: filters parsed there, the query
compiled by bot/storage/fts_query.py, FTS5 with bm25 ranking and a snippet in
bot/storage/articles.py. The database is built by bench/dataset.py through the article
store (both FTS indexes maintained by the bot's own triggers).

The mix: single words from three frequency bands (news words in 6-16 % of articles,
names in 0.5-5 %, rare names in fewer), two-word AND, phrases taken from stored articles,
prefixes, OR, exclusions, and words with a `source:` or `since:` filter.

The baseline answers the same parsed queries with a plain scan: every term becomes
`(title LIKE '%term%' OR text LIKE '%term%')`, the same filters apply, newest 5 first
(the best a LIKE search can do without a ranking). It is timed on a subsample when the
table is large; the ratio compares both on that same subsample.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Result, percentile, timer
from bench.dataset import (
    COMMON,
    NEWS,
    SOURCES,
    cached_articles_db,
    source_name,
    vocabulary,
)
from bot.services.lookup import parse_filters, run_lookup
from bot.storage import Storage
from bot.storage.fts_query import Term, parse

ARTICLES_FULL = 100_000
ARTICLES_QUICK = 3_000
QUERIES = 200
LIMIT = 5  # what /redline lookup shows
LIKE_EVERY = 4  # the baseline is timed on every 4th query
TARGET_P95_MS = 20.0
SEED = 4242

# Query kinds and how many of each (sums to QUERIES).
MIX = {
    "word": 45,
    "two_words": 30,
    "phrase": 30,  # two or three words in a row from a stored article
    "prefix": 15,
    "or": 20,
    "exclude": 20,
    "source": 20,
    "since": 20,
}


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str


class _Words:
    """Query words by frequency band, from the generator's own vocabulary."""

    def __init__(self) -> None:
        words = vocabulary().words
        made_up = len(dict.fromkeys([*COMMON, *NEWS]))  # where the made-up names start
        self.frequent = [w for w in words[:made_up] if w in set(NEWS)]
        self.names = list(words[made_up : made_up + 500])
        self.rare = list(words[made_up + 500 :])

    def any(self, rng: random.Random) -> str:
        band = rng.choice((self.frequent, self.names, self.rare))
        return rng.choice(band)


_WORD = re.compile(r"[a-z]+")


def make_queries(storage: Storage, n_articles: int, rng: random.Random) -> list[Query]:
    """The QUERIES queries of MIX, deterministic for a given database and rng."""
    words = _Words()
    function_words = set(COMMON)
    out: list[Query] = []

    def phrase() -> str:
        while True:
            article = storage.articles.get(rng.randint(1, n_articles))
            tokens = _WORD.findall(article.text.lower()) if article else []
            size = rng.choice((2, 2, 3))
            if len(tokens) > size:
                start = rng.randrange(len(tokens) - size)
                chosen = tokens[start : start + size]
                if not set(chosen) <= function_words:  # what people quote has a content word
                    return '"' + " ".join(chosen) + '"'

    makers: dict[str, Callable[[], str]] = {
        "word": lambda: words.any(rng),
        "two_words": lambda: f"{words.any(rng)} {words.any(rng)}",
        "phrase": phrase,
        "prefix": lambda: rng.choice(words.names + words.rare)[:5] + "*",
        "or": lambda: f"{words.any(rng)} OR {words.any(rng)}",
        "exclude": lambda: f"{words.any(rng)} -{words.any(rng)}",
        "source": lambda: f"{words.any(rng)} source:{source_name(rng.randrange(SOURCES))}",
        "since": lambda: f"{words.any(rng)} since:2024-{rng.randint(1, 12):02d}-01",
    }
    for kind, count in MIX.items():
        out.extend(Query(kind, makers[kind]()) for _ in range(count))
    rng.shuffle(out)
    return out


def _like(term: Term) -> tuple[str, list[str]]:
    pattern = f"%{term.text}%"
    return "(title LIKE ? OR text LIKE ?)", [pattern, pattern]


def like_sql(query: str, limit: int = LIMIT) -> tuple[str, list[Any]]:
    """The baseline's SQL for a user query: LIKE per term, same filters, newest first."""
    text, filters = parse_filters(query)
    groups, excluded = parse(text)
    clauses: list[str] = []
    params: list[Any] = []
    for group in groups:
        parts = [_like(t) for t in group]
        clauses.append("(" + " OR ".join(sql for sql, _ in parts) + ")")
        params.extend(p for _, ps in parts for p in ps)
    for term in excluded:
        sql, ps = _like(term)
        clauses.append(f"NOT {sql}")
        params.extend(ps)
    if "source" in filters:
        clauses.append("source = ?")
        params.append(filters["source"])
    if "since" in filters:
        clauses.append("at >= ?")
        params.append(filters["since"])
    where = " AND ".join(clauses) or "1"
    sql = f"SELECT id, title FROM articles WHERE {where} ORDER BY at DESC, id DESC LIMIT ?"
    return sql, [*params, limit]


def _time_ours(storage: Storage, queries: list[Query]) -> tuple[list[float], list[int]]:
    times, hits = [], []
    for q in queries:
        start = time.perf_counter()
        found = run_lookup(storage, q.text, limit=LIMIT)
        times.append((time.perf_counter() - start) * 1000)
        hits.append(len(found))
    return times, hits


def _time_like(storage: Storage, queries: list[Query]) -> list[float]:
    times = []
    for q in queries:
        sql, params = like_sql(q.text)
        start = time.perf_counter()
        storage.db.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return times


def run(quick: bool) -> list[Result]:
    n = ARTICLES_QUICK if quick else ARTICLES_FULL
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lookup.db"
        with timer() as build:
            cached_articles_db(path, n)
        size_mb = path.stat().st_size / 1e6
        storage = Storage.open(path)
        try:
            stored = storage.articles.count()
            queries = make_queries(storage, stored, random.Random(SEED))
            _time_ours(storage, queries[:10])  # warm the page cache and the statement cache
            ours, hits = _time_ours(storage, queries)
            sample = queries[::LIKE_EVERY]
            like = _time_like(storage, sample)
        finally:
            storage.close()

    ours_sample = ours[::LIKE_EVERY]
    by_kind: dict[str, list[float]] = {}
    for q, ms in zip(queries, ours, strict=True):
        by_kind.setdefault(q.kind, []).append(ms)
    workload = (
        f"{len(queries)} mixed queries (words, phrases, prefix, OR, NOT, source:, since:) "
        f"over {stored:,} articles via run_lookup, limit {LIMIT}; baseline: LIKE '%term%' "
        f"scan, {len(sample)}-query subsample"
    )
    notes: dict[str, Any] = {
        "articles": stored,
        "build_s": round(build(), 1),
        "db_mb": round(size_mb, 1),
        "queries_with_hits": sum(1 for h in hits if h),
        "p95_ms_by_kind": {k: round(percentile(v, 95), 2) for k, v in by_kind.items()},
        "max_ms": round(max(ours), 2),
        "like_subsample": len(sample),
        "ours_p95_ms_on_subsample": round(percentile(ours_sample, 95), 2),
        "ours_p50_ms_on_subsample": round(percentile(ours_sample, 50), 2),
    }
    p95, p50 = percentile(ours, 95), percentile(ours, 50)
    like95, like50 = percentile(like, 95), percentile(like, 50)
    return [
        Result(
            name="lookup_p95_ms",
            workload=workload,
            value=p95,
            unit="ms",
            baseline=like95,
            ratio=like95 / percentile(ours_sample, 95),
            target=f"p95 <= {TARGET_P95_MS:g} ms",
            met=p95 <= TARGET_P95_MS,
            notes=notes,
        ),
        Result(
            name="lookup_p50_ms",
            workload=workload,
            value=p50,
            unit="ms",
            baseline=like50,
            ratio=like50 / percentile(ours_sample, 50),
            target="— (reported with p95)",
            met=None,
            notes={"like_subsample": len(sample)},
        ),
    ]
