"""The seed articles analysed as the pipeline sees them, for the alerts tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.text.analysis import Analysis, analyse
from bot.text.clean import split_seed_file
from bot.text.lexicon import Lexicons, load_lexicons

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
LEXICONS = ROOT / "rules" / "lexicons"


@dataclass(frozen=True)
class Seed:
    """One seed article: its file name, title, date (or None) and analysis."""

    name: str
    title: str
    when: datetime | None
    analysis: Analysis


@cache
def lexicons() -> Lexicons:
    """The lexicons shipped in rules/lexicons, loaded once."""
    return load_lexicons(LEXICONS)


def seed_names() -> list[str]:
    """The seed file names, sorted."""
    return sorted(p.name for p in SEEDS.glob("*.txt"))


def raw_body(name: str) -> str:
    """A seed's text as stored, minus the ` date YYYY-MM-DD ` prefix: no cleaning at all."""
    text = (SEEDS / name).read_text(encoding="utf-8").lstrip()
    if text.startswith("date "):
        text = text.split(" ", 2)[2]
    return text


@cache
def load_seed(name: str) -> Seed:
    """A seed split and cleaned by `bot.text.clean`, then analysed with the shipped lexicons."""
    title, text, published = split_seed_file((SEEDS / name).read_text(encoding="utf-8"))
    when = (
        datetime(published.year, published.month, published.day, tzinfo=UTC) if published else None
    )
    return Seed(name, title, when, analyse(title, text, lexicons()))


def expected() -> dict[str, Any]:
    """The ground truth in seeds/expected.yaml."""
    with (SEEDS / "expected.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def analysed(text: str, title: str = "") -> Analysis:
    """A hand-written article analysed with the shipped lexicons."""
    return analyse(title, text, lexicons())
