"""`make bench`: run the benchmarks, print a table, write bench/results.json."""

from __future__ import annotations

import json
import platform
from pathlib import Path


def main() -> None:
    results: dict[str, object] = {
        "machine": f"{platform.node()} {platform.machine()} {platform.python_version()}",
        "benchmarks": [],
    }
    out = Path(__file__).with_name("results.json")
    out.write_text(json.dumps(results, indent=2) + "\n")
    print("No benchmarks are defined yet; wrote an empty", out)


if __name__ == "__main__":
    main()
