"""What an article says about its event, reduced to values two outlets' copies can share.

A fingerprint keeps the word 5-grams of the article's own direct quotes (not quotes it
recalls as background), the canonical names of the people, places and governments it
mentions, its numbers with units, and a MinHash of its body's word shingles. It is
JSON-able so storage can keep it as a blob and a restart can rebuild the clusterer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.domain.errors import RuleError
from bot.text.analysis import Analysis
from bot.text.factuality import cue_hits
from bot.text.types import DistanceStatus, Factuality, Quote

FORMAT = 1
QUOTE_SHINGLE = 5  # words per quote shingle
BODY_SHINGLE = 4  # words per body shingle for the near-duplicate MinHash
NUM_PERM = 128
MINHASH_SEED = 1  # fixed: stored hash values are only comparable under the same seed
MINHASH_SCHEME = "affine32"  # ... and the same hashing scheme (datasketch's, named)
# Lexicons whose entries are the entities a story is about.
ENTITY_LEXICONS = ("people", "places", "governments")
FACTUALITY_LEXICON = "factuality"
# Distances that describe a weapon or a map rather than the event.
_GENERIC_DISTANCES = frozenset({DistanceStatus.TECHNICAL, DistanceStatus.GEOGRAPHIC})

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# A number written in digits and the word right after it ("150 people", "100km", "2.3 billion").
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(%|[^\W\d_]+)")
# Words after a number that say nothing about what it counts ("5 to 7", "12 on Monday").
_NOT_UNITS = frozenset(
    "a an and are as at be but by for from if in into is it of on or per than that the "
    "then to was were with".split()
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def normalise_words(text: str) -> list[str]:
    """Case-folded words with straight apostrophes; punctuation and brackets dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _WORD.findall(text)


def shingles(words: list[str], size: int) -> list[str]:
    """Overlapping word n-grams joined by spaces; a shorter text is one shingle."""
    if not words:
        return []
    if len(words) < size:
        return [" ".join(words)]
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


@dataclass(frozen=True, slots=True)
class StoryFingerprint:
    """The comparable features of one article (or, after `union`, of a whole story)."""

    quote_shingles: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # "lexicon:Canonical Name"
    numbers: tuple[str, ...] = ()  # "100 km", "150 people"
    generic_numbers: tuple[str, ...] = ()  # weapon ranges, map distances: "300 km"
    minhash: tuple[int, ...] = ()  # MinHash hash values; empty for an empty body

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for storage."""
        return {
            "format": FORMAT,
            "quote_shingles": list(self.quote_shingles),
            "entities": list(self.entities),
            "numbers": list(self.numbers),
            "generic_numbers": list(self.generic_numbers),
            "minhash": list(self.minhash),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryFingerprint:
        """Rebuild a fingerprint saved by `to_dict`.

        Raises:
            ValueError: the data is not a fingerprint of this format.
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a saved story fingerprint of a known format")
        minhash = tuple(int(v) for v in data.get("minhash", ()))
        if minhash and len(minhash) != NUM_PERM:
            raise ValueError("the saved story fingerprint has a MinHash of another size")
        return cls(
            quote_shingles=tuple(str(s) for s in data.get("quote_shingles", ())),
            entities=tuple(str(s) for s in data.get("entities", ())),
            numbers=tuple(str(s) for s in data.get("numbers", ())),
            generic_numbers=tuple(str(s) for s in data.get("generic_numbers", ())),
            minhash=minhash,
        )

    def union(self, other: StoryFingerprint) -> StoryFingerprint:
        """One fingerprint for two articles of a story (the MinHash of the union of texts)."""
        if not self.minhash or not other.minhash:
            minhash = self.minhash or other.minhash
        else:
            minhash = tuple(min(a, b) for a, b in zip(self.minhash, other.minhash, strict=True))
        return StoryFingerprint(
            quote_shingles=_merged(self.quote_shingles, other.quote_shingles),
            entities=_merged(self.entities, other.entities),
            numbers=_merged(self.numbers, other.numbers),
            generic_numbers=_merged(self.generic_numbers, other.generic_numbers),
            minhash=minhash,
        )


def _merged(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(a) | set(b)))


def minhash_values(words: list[str]) -> tuple[int, ...]:
    """The MinHash of the text's word shingles, as plain ints; () for an empty text."""
    grams = shingles(words, BODY_SHINGLE)
    if not grams:
        return ()
    # Imported here: datasketch's package import pulls in scipy, seconds that only
    # story assignment should pay.
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return tuple(int(v) for v in mh.hashvalues)


def minhash_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of two MinHashes; 0.0 when either is empty."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def is_background_quote(analysis: Analysis, quote: Quote) -> bool:
    """Whether the words around the quote place it in the past ("said at the time …").

    Such a quote is recalled from an earlier event, so sharing it says nothing about
    whether two articles report the same one.
    """
    if analysis.lexicons is None:
        return False
    cues = analysis.lexicons.get_or_empty(FACTUALITY_LEXICON)
    for sentence in analysis.sentences:
        if sentence.end <= quote.start - 1 or sentence.start >= quote.end + 1:
            continue
        # The attribution is whatever of the sentence lies outside the quote marks.
        outside = [(sentence.start, quote.start - 1), (quote.end + 1, sentence.end)]
        for start, end in outside:
            lo, hi = max(start, sentence.start), min(end, sentence.end)
            if hi - lo < 2:
                continue
            if Factuality.BACKGROUND in cue_hits(analysis.text, sentence, (lo, hi), cues):
                return True
    return False


def _quote_shingles(analysis: Analysis) -> set[str]:
    out: set[str] = set()
    for quote in analysis.quotes:
        words = normalise_words(quote.text)
        if len(words) < QUOTE_SHINGLE or is_background_quote(analysis, quote):
            continue
        out.update(shingles(words, QUOTE_SHINGLE))
    return out


def _entities(analysis: Analysis) -> set[str]:
    out: set[str] = set()
    for name in ENTITY_LEXICONS:
        try:
            hits = analysis.mentions(name)
        except RuleError:
            continue  # a deployment without this lexicon simply has fewer entities
        out.update(f"{name}:{hit.entry}" for hit in hits)
    return out


def _number_key(whole: str, fraction: str | None, unit: str) -> str:
    value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
    unit = unit.casefold()
    if len(unit) > 3 and unit.endswith("s"):
        unit = unit[:-1]  # "miles" and "mile" are one unit
    return f"{value:g} {unit}"


def _numbers(analysis: Analysis) -> tuple[set[str], set[str]]:
    """(event numbers, generic numbers): distances that describe a weapon or a map are
    repeated in every article on a subject, so they tell events apart only weakly."""
    event: set[str] = set()
    generic: set[str] = set()
    try:
        distances = analysis.distances
    except RuleError:
        distances = []
    taken: list[tuple[int, int]] = []
    for d in distances:
        taken.append((d.start, d.end))
        (generic if d.status in _GENERIC_DISTANCES else event).add(f"{round(d.km):d} km")
    for m in _NUMBER.finditer(analysis.text):
        if any(a <= m.start() < b for a, b in taken) or m.group(3).casefold() in _NOT_UNITS:
            continue
        event.add(_number_key(m.group(1), m.group(2), m.group(3)))
    return event, generic - event


def fingerprint(analysis: Analysis) -> StoryFingerprint:
    """The story fingerprint of an analysed article (body only: headlines get rewritten)."""
    event, generic = _numbers(analysis)
    return StoryFingerprint(
        quote_shingles=tuple(sorted(_quote_shingles(analysis))),
        entities=tuple(sorted(_entities(analysis))),
        numbers=tuple(sorted(event)),
        generic_numbers=tuple(sorted(generic)),
        minhash=minhash_values(normalise_words(analysis.text)),
    )
