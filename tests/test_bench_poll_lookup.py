"""The polling and lookup benchmarks still run end to end at their small size."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench import lookup, poll
from bench.common import Result
from bench.dataset import build_articles_db, generate_drafts
from bot.storage import Storage

pytestmark = pytest.mark.slow


def _positive(x: float | None) -> bool:
    return x is not None and math.isfinite(x) and x > 0


def _check(results: list[Result], names: set[str]) -> dict[str, Result]:
    by_name = {r.name: r for r in results}
    assert set(by_name) == names
    for r in results:
        assert _positive(r.value), r
        assert _positive(r.baseline), r
        assert _positive(r.ratio), r
        assert r.target
    return by_name


def test_quick_poll_benchmark_stores_every_item_and_sees_only_304s() -> None:
    results = _check(poll.run(quick=True), {"poll_first_speedup", "poll_304_s"})
    first = results["poll_first_speedup"].notes
    feeds = poll.FEEDS_QUICK
    assert first["failed"] == 0
    assert first["stored"] == first["baseline_entries"] == feeds * poll.ITEMS
    again = results["poll_304_s"].notes
    assert again["not_modified"] == again["baseline_304"] == feeds


def test_quick_lookup_benchmark_reports_both_percentiles() -> None:
    results = _check(lookup.run(quick=True), {"lookup_p95_ms", "lookup_p50_ms"})
    notes = results["lookup_p95_ms"].notes
    assert notes["articles"] == lookup.ARTICLES_QUICK
    assert notes["queries_with_hits"] > lookup.QUERIES // 2


def test_dataset_stores_n_distinct_articles(tmp_path: Path) -> None:
    path = tmp_path / "articles.db"
    build_articles_db(path, 250)
    storage = Storage.open(path)
    try:
        assert storage.articles.count() == 250
        assert storage.articles.search("missile OR government OR ministry", limit=5)
    finally:
        storage.close()
    assert list(generate_drafts(5)) == list(generate_drafts(5))


def test_like_baseline_answers_the_same_parsed_query() -> None:
    sql, params = lookup.like_sql('"defence ministry" drone -radar source:wire-01')
    assert sql.count("LIKE") == 6 and "NOT" in sql and "source = ?" in sql
    assert params[:2] == ["%defence ministry%", "%defence ministry%"]
    assert params[-2:] == ["wire-01", lookup.LIMIT]
