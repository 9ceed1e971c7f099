"""Distances in an article (numbers with length units), normalised to km and classified.

The `distance` lexicon holds the cues (entries permitted, denied, technical, weapon,
geographic, area, approximate). Among the cues in the number's clause, the nearest one
before the number decides; the weak `weapon` cue only when nothing else does; without a
cue before, the nearest cue after decides ("12 miles from the border"). A permission cue
in a negated clause makes the distance denied, in a requested or hypothetical one other.
"""

from __future__ import annotations

import re

from bot.text.factuality import classify_hits, clause_of
from bot.text.lexicon import Lexicon, LexMatch
from bot.text.types import Distance, DistanceStatus, Factuality, Sentence

KM_PER_MILE = 1.609344

_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORDS = {**_SMALL, **_TENS, "a": 1}
_WORD_RE = "|".join(sorted((w for w in _WORDS if w != "a"), key=len, reverse=True))
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    rf"|(?:(?:{_WORD_RE}|a)\s+(?:hundred|thousand))|(?:{_WORD_RE}))"
)
_UNIT = r"(?:kilomet(?:er|re)s?|kms?|miles?|(?-i:mi))"
_DISTANCE = re.compile(
    rf"(?<![\w.,])(?P<between>between\s+)?(?P<num>{_NUM})"
    rf"(?:\s*(?:-|–|to)\s*(?P<num2>{_NUM})|(?(between)\s+and\s+(?P<num3>{_NUM})))?"
    rf"(?:\s*-\s*|\s*)(?P<square>(?:square|sq\.?)\s+)?(?P<unit>{_UNIT})(?![\w])"
    # A speed is not a distance: "800 km/h", "500 miles per hour".
    r"(?!\s*/|\s+(?:per|an|a)\s+(?:hour|h)\b)",
    re.IGNORECASE,
)

_UNIT_WORD = re.compile(rf"{_UNIT}", re.IGNORECASE)  # a cheap first look

_CUE_CATEGORIES = {
    "permitted": DistanceStatus.PERMITTED,
    "denied": DistanceStatus.DENIED,
    "technical": DistanceStatus.TECHNICAL,
    "geographic": DistanceStatus.GEOGRAPHIC,
    "area": DistanceStatus.AREA,
}
WEAPON = "weapon"
APPROXIMATE = "approximate"


def parse_number(words: str) -> float | None:
    """A number written in digits ("1,000", "2.5") or words ("ten", "two hundred")."""
    w = words.strip().lower().replace(",", "")
    try:
        return float(w)
    except ValueError:
        pass
    parts = w.split()
    if not parts or parts[0] not in _WORDS:
        return None
    value = float(_WORDS[parts[0]])
    for part in parts[1:]:
        if part == "hundred":
            value *= 100
        elif part == "thousand":
            value *= 1000
        else:
            return None
    return value


def _unit(word: str) -> str:
    return "mi" if word.lower().startswith("mi") else "km"


def _status(
    text: str,
    sentence: Sentence,
    num_start: int,
    num_end: int,
    square: bool,
    cue_hits: list[LexMatch],
    fact_hits: list[LexMatch],
) -> DistanceStatus:
    """The status of the distance at [num_start, num_end) (sentence offsets)."""
    if square:
        return DistanceStatus.AREA
    clause = clause_of(sentence.text, fact_hits, num_start, num_end)
    in_clause = [h for h in cue_hits if clause.contains(h.start, h.end) and h.entry != APPROXIMATE]
    after = [h for h in in_clause if h.start >= num_end]
    # "of territory" right after the number makes it an extent, whatever came before.
    if after and after[0].entry == "area" and after[0].start - num_end <= 3:
        return DistanceStatus.AREA
    before = [h for h in in_clause if h.end <= num_start]
    strong = [h for h in before if h.entry in _CUE_CATEGORIES]
    if strong:
        cue = strong[-1]
        status = _CUE_CATEGORIES[cue.entry]
        if status is DistanceStatus.PERMITTED:
            if any(h.entry == WEAPON and h.end <= cue.start for h in in_clause):
                return DistanceStatus.TECHNICAL  # "rockets can hit targets 80 km away"
            span = (sentence.start + cue.start, sentence.start + cue.end)
            fact = classify_hits(text, sentence, span, fact_hits)
            if fact is Factuality.NEGATED:
                return DistanceStatus.DENIED
            if fact in (Factuality.REQUESTED, Factuality.HYPOTHETICAL):
                return DistanceStatus.OTHER
        return status
    if any(h.entry == WEAPON for h in before):
        # A weapon word before, "from the border" right after: the place's distance, not a
        # range ("shells fell on a town 5 km from the border").
        first_after = _CUE_CATEGORIES.get(after[0].entry) if after else None
        if first_after is DistanceStatus.GEOGRAPHIC and after[0].start - num_end <= 3:
            return DistanceStatus.GEOGRAPHIC
        return DistanceStatus.TECHNICAL
    for hit in after:
        if hit.entry in _CUE_CATEGORIES:
            return _CUE_CATEGORIES[hit.entry]
        if hit.entry == WEAPON:
            return DistanceStatus.TECHNICAL
    return DistanceStatus.OTHER


def extract_distances(
    text: str, sentences: list[Sentence], cues: Lexicon, factuality_cues: Lexicon
) -> list[Distance]:
    """Every number with a length unit in `text`, converted to km and classified."""
    out: list[Distance] = []
    if not _UNIT_WORD.search(text):
        return out
    for sentence in sentences:
        if not _UNIT_WORD.search(sentence.text):
            continue
        matches = list(_DISTANCE.finditer(sentence.text))
        if not matches:
            continue
        cue_hits = cues.find(sentence.text)
        fact_hits = factuality_cues.find_each(sentence.text)
        for m in matches:
            value = parse_number(m.group("num"))
            if value is None:
                continue
            upper = m.group("num2") or m.group("num3")
            value_max = parse_number(upper) if upper else None
            unit = _unit(m.group("unit"))
            km = round(value * (KM_PER_MILE if unit == "mi" else 1.0), 1)
            start = m.start()
            approx = [
                h
                for h in cue_hits
                if h.entry == APPROXIMATE
                and h.end <= start
                and not sentence.text[h.end : start].strip()
            ]
            if approx:
                start = approx[-1].start
            status = _status(
                text, sentence, m.start(), m.end(), bool(m.group("square")), cue_hits, fact_hits
            )
            out.append(
                Distance(
                    value=value,
                    unit=unit,
                    km=km,
                    status=status,
                    sentence_index=sentence.index,
                    start=sentence.start + start,
                    end=sentence.start + m.end(),
                    value_max=value_max,
                    approximate=bool(approx),
                    text=sentence.text[start : m.end()],
                )
            )
    return out
