"""Direct quotes in an article and who said them."""

from __future__ import annotations

from bot.text.lexicon import Lexicon
from bot.text.types import Quote, Sentence


def extract_quotes(
    text: str, sentences: list[Sentence], people: Lexicon, cues: Lexicon
) -> list[Quote]:
    """Every direct quote in `text` with its speaker resolved through `people`."""
    return []
