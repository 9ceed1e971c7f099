"""The direction of imports: pure layers import no chat SDK, feedparser or sqlite."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "bot"
PURE = ("domain", "text", "engine", "alerts")
FORBIDDEN = (
    "discord",
    "slack_bolt",
    "slack_sdk",
    "feedparser",
    "sqlite3",
    "sqlite_utils",
    "aiohttp",
    "httpx",
    "bot.storage",
    "bot.adapters",
    "bot.feeds",
    "bot.services",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_import_no_sdk_feedparser_or_sqlite(layer: str) -> None:
    offenders = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT.parent)} imports {name}")
    assert offenders == []


def test_sql_lives_only_in_storage() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if "storage" in path.relative_to(ROOT).parts:
            continue
        if {"sqlite3", "sqlite_utils"} & {n.split(".")[0] for n in _imports(path)}:
            offenders.append(str(path.relative_to(ROOT.parent)))
    assert offenders == []


def test_the_layer_walk_sees_files() -> None:
    # Guards the tests above against passing on an empty tree.
    assert len(list((ROOT / "domain").rglob("*.py"))) >= 4
