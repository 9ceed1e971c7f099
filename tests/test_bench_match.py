"""The matching benchmark runs at its quick size and reports every figure it promises."""

from __future__ import annotations

import math

from bench.corpus import make_corpus, seed_sentences
from bench.match import run

NAMES = {"match_shipped_aps", "match_10k_over_10", "match_10k_speedup", "match_peak_rss_mb"}


def test_quick_run_reports_positive_finite_figures() -> None:
    results = run(quick=True)
    assert {r.name for r in results} == NAMES
    for r in results:
        assert math.isfinite(r.value) and r.value > 0, r
        if r.baseline is not None:
            assert math.isfinite(r.baseline) and r.baseline > 0, r
        if r.ratio is not None:
            assert math.isfinite(r.ratio) and r.ratio > 0, r
        assert r.workload and r.unit and r.target
    speedup = next(r for r in results if r.name == "match_10k_speedup")
    assert speedup.notes["same_matches"] is True


def test_corpus_is_deterministic_with_a_tenth_relevant() -> None:
    first, again = make_corpus(200), make_corpus(200)
    assert first == again
    assert sum(a.relevant for a in first) == 20
    seeds = set(seed_sentences())
    for a in first:
        has_seed_text = any(s in a.text for s in seeds)
        assert has_seed_text == a.relevant, a.ref
