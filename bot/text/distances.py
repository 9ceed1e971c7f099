"""Distances in an article (numbers with length units), normalised to km and classified."""

from __future__ import annotations

from bot.text.lexicon import Lexicon
from bot.text.types import Distance, Sentence


def extract_distances(
    text: str, sentences: list[Sentence], cues: Lexicon, factuality_cues: Lexicon
) -> list[Distance]:
    """Every distance in `text`, converted to km and classified by the cues around it."""
    return []
