"""Seed articles as the analysis sees them (cleaned when `bot.text.clean` is available)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
LEXICONS = ROOT / "rules" / "lexicons"
_DATE_PREFIX = re.compile(r"^\s*date \d{4}-\d{2}-\d{2} ")


def seed_names() -> list[str]:
    """The seed file names, sorted."""
    return sorted(p.name for p in SEEDS.glob("*.txt"))


def raw_body(name: str) -> str:
    """A seed file's text minus its first-line ` date YYYY-MM-DD ` prefix (no cleaning)."""
    return _DATE_PREFIX.sub("", (SEEDS / name).read_text(encoding="utf-8"), count=1)


def seed_article(name: str) -> tuple[str, str]:
    """(title, text) of a seed: through the cleaner when it exists, else the raw body."""
    raw = (SEEDS / name).read_text(encoding="utf-8")
    try:
        clean: Any = importlib.import_module("bot.text.clean")
    except ImportError:
        clean = None
    if clean is not None and hasattr(clean, "split_seed_file"):
        title, text, _date = clean.split_seed_file(raw)
        if hasattr(clean, "clean_article"):
            text = clean.clean_article(text, title=title)
        return str(title), str(text)
    return "", raw_body(name)


def expected() -> dict[str, Any]:
    """The ground truth in seeds/expected.yaml."""
    with (SEEDS / "expected.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data
