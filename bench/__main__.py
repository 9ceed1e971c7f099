"""`make bench`: run the benchmarks, print a table, write bench/results.json.

    python -m bench                 # all of them, full sizes
    python -m bench match lookup    # only some
    python -m bench --quick         # small sizes: checks the benchmarks still run

Each benchmark module has `run(quick: bool) -> list[Result]`.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from bench.common import Result

BENCHMARKS = ("match", "stories", "poll", "lookup", "latency", "memory")
RESULTS = Path(__file__).with_name("results.json")


def machine() -> str:
    cpus = os.cpu_count() or 0
    return f"{platform.node()} · {platform.machine()} · {cpus} cores · Python {platform.python_version()}"


def _fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "—"
    text = f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"
    return f"{text} {unit}".strip()


def table(results: list[Result]) -> Table:
    t = Table(title="Redline benchmarks", show_lines=False)
    for col in ("name", "workload", "ours", "baseline", "ratio", "target", "met"):
        t.add_column(col, overflow="fold")
    for r in results:
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        t.add_row(
            r.name,
            r.workload,
            _fmt(r.value, r.unit),
            _fmt(r.baseline, r.unit if r.ratio is None else ""),
            "—" if r.ratio is None else f"{r.ratio:.3g}×",
            r.target,
            met,
        )
    return t


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1, type=click.Choice(BENCHMARKS))
@click.option("--quick", is_flag=True, help="Small sizes: checks that the benchmarks run.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=RESULTS,
    show_default=True,
    help="Where to write the results.",
)
def main(names: tuple[str, ...], quick: bool, out: Path) -> None:
    """Run Redline's benchmarks; every figure is a ratio against a same-run baseline."""
    # A file or pipe gets a table wide enough to read, not the 80-column default.
    console = Console(width=None if sys.stdout.isatty() else 150)
    chosen = names or BENCHMARKS
    results: list[Result] = []
    failed: list[str] = []
    started = time.perf_counter()
    for name in chosen:
        console.rule(f"[bold]{name}")
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            got = module.run(quick=quick)
        except Exception:  # one broken benchmark must not hide the others' figures
            console.print(f"[red]benchmark {name} failed:[/red]")
            console.print(traceback.format_exc())
            failed.append(name)
            continue
        results.extend(got)
        console.print(f"{name}: {time.perf_counter() - t0:.1f} s")
    console.print(table(results))
    total = time.perf_counter() - started
    payload = {
        "machine": machine(),
        "quick": quick,
        "seconds": round(total, 1),
        "benchmarks": [r.as_json() for r in results],
    }
    out.write_text(json.dumps(payload, indent=2) + "\n")
    console.print(f"wrote {out} in {total:.0f} s")
    if failed:
        console.print(f"[red]failed: {', '.join(failed)}[/red]")
        sys.exit(1)


if __name__ == "__main__":
    main()
