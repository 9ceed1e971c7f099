"""The story-assignment benchmark still runs at its small size and names its figures."""

from __future__ import annotations

import math

from bench.stories import run


def test_quick_stories_benchmark_reports_its_figures() -> None:
    results = {r.name: r for r in run(quick=True)}
    assert set(results) == {"stories_assign_ms", "stories_growth"}
    assign = results["stories_assign_ms"]
    assert math.isfinite(assign.value) and assign.value > 0
    assert assign.baseline is not None and assign.baseline > 0
    assert 0 < assign.notes["stories"] <= assign.notes["articles"] == 600
    assert math.isfinite(results["stories_growth"].value)
