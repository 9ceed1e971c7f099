"""Classify how a clause reports a span: asserted, negated, requested, hypothetical, background.

Cues come from the `factuality` lexicon (entries named after the categories, plus `boundary`
for words that open a new clause and `aside` for comma-delimited asides such as ", who …,"
or ", however,"). Negation, request and hypothesis cues count only when they come before
the end of the span; background cues, and those of the entries named `<category>_anywhere`
("… is possible", "… is off the table"), count anywhere in the clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.text.lexicon import Lexicon, LexMatch
from bot.text.types import Factuality, Sentence

PRECEDENCE = (
    Factuality.NEGATED,
    Factuality.REQUESTED,
    Factuality.HYPOTHETICAL,
    Factuality.BACKGROUND,
)
BOUNDARY = "boundary"
ASIDE = "aside"
_BEFORE_ONLY = frozenset({Factuality.NEGATED, Factuality.REQUESTED, Factuality.HYPOTHETICAL})
_CATEGORIES = {f.value: f for f in PRECEDENCE}
_ANYWHERE = {f"{f.value}_anywhere": f for f in PRECEDENCE}


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause as offsets in its sentence, minus the asides inside it."""

    start: int
    end: int
    holes: tuple[tuple[int, int], ...] = ()

    def contains(self, start: int, end: int) -> bool:
        """Whether [start, end) lies in the clause and outside its asides."""
        if start < self.start or end > self.end:
            return False
        return not any(a <= start < b or a < end <= b for a, b in self.holes)


def _aside_end(text: str, hit: LexMatch) -> int:
    """An aside runs to the next comma (or the end of the sentence); ", however," is whole."""
    if text[hit.start : hit.end].rstrip().endswith(","):
        return hit.end
    comma = text.find(",", hit.end)
    return len(text) if comma < 0 else comma + 1


def clause_of(text: str, hits: list[LexMatch], start: int, end: int) -> Clause:
    """The clause of `text` (a sentence) around the span [start, end) (sentence offsets)."""
    lo, hi = 0, len(text)
    holes: list[tuple[int, int]] = []
    for hit in hits:
        if hit.entry == ASIDE:
            a, b = hit.start, _aside_end(text, hit)
            if a <= start and end <= b:
                return Clause(a, b)  # the span is inside the aside: that is its clause
            holes.append((a, b))
    for hit in hits:
        if hit.entry != BOUNDARY or any(a <= hit.start < b for a, b in holes):
            continue
        # A boundary word belongs to the clause it opens ("but", "even after …").
        if hit.start <= start and hit.end <= end:
            lo = max(lo, hit.start)
        elif hit.start >= end:
            hi = min(hi, hit.start)
    return Clause(lo, hi, tuple(h for h in holes if lo <= h[0] < hi))


def cue_hits(
    text: str,
    sentence: Sentence,
    span: tuple[int, int],
    cues: Lexicon,
    hits: list[LexMatch] | None = None,
) -> set[Factuality]:
    """Every factuality category with a cue that applies to `span` (offsets into `text`).

    `hits` are the cue lexicon's `find_each` hits in the sentence, if already known.
    """
    found = hits if hits is not None else cues.find_each(sentence.text)
    start = max(0, min(span[0] - sentence.start, len(sentence.text)))
    end = max(start, min(span[1] - sentence.start, len(sentence.text)))
    clause = clause_of(sentence.text, found, start, end)
    out: set[Factuality] = set()
    for hit in found:
        category = _CATEGORIES.get(hit.entry)
        anywhere = category is None
        if anywhere:
            category = _ANYWHERE.get(hit.entry)
        if category is None or category in out or not clause.contains(hit.start, hit.end):
            continue
        if not anywhere and category in _BEFORE_ONLY and hit.start >= max(end, start + 1):
            continue
        out.add(category)
    return out


def classify(text: str, sentence: Sentence, span: tuple[int, int], cues: Lexicon) -> Factuality:
    """The factuality of `span` (offsets into `text`) inside `sentence`, by cue precedence."""
    return classify_hits(text, sentence, span, cues.find_each(sentence.text))


def classify_hits(
    text: str, sentence: Sentence, span: tuple[int, int], hits: list[LexMatch]
) -> Factuality:
    """`classify` with the sentence's cue hits (from `Lexicon.find_each`) already found."""
    found = cue_hits(text, sentence, span, _EMPTY, hits)
    for category in PRECEDENCE:
        if category in found:
            return category
    return Factuality.ASSERTED


_EMPTY = Lexicon("factuality", "", ())
