"""Values produced by article analysis (the contract between bot/text and bot/engine).

Offsets are character offsets into `Analysis.text` (the cleaned article body); the title is
analysed separately as sentence index -1 is never used: the title is `Analysis.title` and
the lead is title + the first two sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Factuality(StrEnum):
    """How a clause reports its content."""

    ASSERTED = "asserted"
    NEGATED = "negated"  # "not authorizing", "refused", "rejected calls to"
    REQUESTED = "requested"  # "urged", "calls to", "preparing to ask", "pleas"
    HYPOTHETICAL = "hypothetical"  # "could", "would", "if"
    BACKGROUND = "background"  # "in May", "previously", "at the time", "after he authorized"


class DistanceStatus(StrEnum):
    """What a distance in an article means."""

    PERMITTED = "permitted"  # a range Ukraine is allowed to strike
    DENIED = "denied"  # a range explicitly not allowed
    TECHNICAL = "technical"  # a weapon's range
    GEOGRAPHIC = "geographic"  # a place's distance from something
    AREA = "area"  # an extent of territory ("hundreds of miles of territory")
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote. `speaker` is the canonical name from the people lexicon, or None."""

    text: str
    start: int  # offsets of the quoted text (inside the quote marks)
    end: int
    sentence_index: int
    speaker: str | None
    speaker_text: str | None = None  # the words that named the speaker, as written
    anonymous: bool = False  # attributed to an unnamed source ("a US official")


@dataclass(frozen=True, slots=True)
class Distance:
    value: float  # as written (the lower bound of a range "60 to 80 km")
    unit: str  # "km" or "mi" (normalised unit symbol)
    km: float  # value converted to km (1 mi = 1.609344 km), rounded to 0.1
    status: DistanceStatus
    sentence_index: int
    start: int
    end: int
    value_max: float | None = None  # upper bound of a range, if any
    approximate: bool = False  # "some", "about", "around", "up to"
    text: str = ""  # the matched words, e.g. "some 100km"
