"""The alert-latency benchmark still runs end to end at its small size and names its figures."""

from __future__ import annotations

import math

from bench.latency import run


def test_quick_latency_benchmark_reports_both_figures() -> None:
    results = {r.name: r for r in run(quick=True)}
    assert set(results) == {"alert_latency_p95_s", "alert_latency_p50_s"}
    for r in results.values():
        assert r.unit == "s"
        assert math.isfinite(r.value) and r.value > 0
        assert r.baseline is not None and math.isfinite(r.baseline) and r.baseline > 0
    notes = results["alert_latency_p95_s"].notes
    assert notes["items_missing"] == 0  # every item reached the fake Slack
    assert notes["items_reached_slack"] == 20
