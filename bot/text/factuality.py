"""Classify how a clause reports a span: asserted, negated, requested, hypothetical, background."""

from __future__ import annotations

from bot.text.lexicon import Lexicon, LexMatch
from bot.text.types import Factuality, Sentence

PRECEDENCE = (
    Factuality.NEGATED,
    Factuality.REQUESTED,
    Factuality.HYPOTHETICAL,
    Factuality.BACKGROUND,
)


def cue_hits(
    text: str,
    sentence: Sentence,
    span: tuple[int, int],
    cues: Lexicon,
    hits: list[LexMatch] | None = None,
) -> set[Factuality]:
    """Every factuality category with a cue in the clause around `span` (text offsets)."""
    found = hits if hits is not None else cues.find(sentence.text)
    out: set[Factuality] = set()
    for hit in found:
        try:
            out.add(Factuality(hit.entry))
        except ValueError:
            continue
    return out


def classify(text: str, sentence: Sentence, span: tuple[int, int], cues: Lexicon) -> Factuality:
    """The factuality of `span` (offsets into `text`) inside `sentence`, by cue precedence."""
    return classify_hits(text, sentence, span, cues.find(sentence.text))


def classify_hits(
    text: str, sentence: Sentence, span: tuple[int, int], hits: list[LexMatch]
) -> Factuality:
    """`classify` with the cue hits of the sentence already found (offsets in the sentence)."""
    found = cue_hits(text, sentence, span, Lexicon("factuality", "", ()), hits)
    for category in PRECEDENCE:
        if category in found:
            return category
    return Factuality.ASSERTED
