"""One article analysed: sentences, lead, lexicon mentions, quotes, distances, factuality."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from bot.domain.errors import RuleError
from bot.text.distances import extract_distances
from bot.text.factuality import classify_hits
from bot.text.lexicon import Lexicon, Lexicons, LexMatch
from bot.text.quotes import extract_quotes
from bot.text.sentences import split_sentences
from bot.text.types import Distance, DistanceStatus, Factuality, Quote, Sentence

# The lexicons analysis itself reads (rules may use any other by name).
PEOPLE = "people"
SPEECH = "speech"
DISTANCE = "distance"
FACTUALITY = "factuality"

_FORMAT = 1
_LEAD_SIZE = 2


def _is_heading(s: Sentence) -> bool:
    """A short line without closing punctuation: a heading or page furniture, not the lead."""
    return s.text[-1:] not in ".!?\"”’')…" and len(s.text.split()) < 5


class Analysis:
    """The analysed form of one article; quotes, distances and mentions are computed lazily."""

    def __init__(
        self,
        title: str,
        text: str,
        sentences: list[Sentence],
        lexicons: Lexicons | None = None,
        *,
        quotes: list[Quote] | None = None,
        distances: list[Distance] | None = None,
    ) -> None:
        self.title = title
        self.text = text
        self.sentences = sentences
        self.lexicons = lexicons
        self._starts = [s.start for s in sentences]
        self._quotes = quotes
        self._distances = distances
        self._mentions: dict[str, list[LexMatch]] = {}
        self._sentence_hits: dict[int, list[LexMatch]] = {}
        self._fact_hits: list[LexMatch] | None = None
        self._fact_starts: list[int] = []
        self.lead: list[int] = [s.index for s in sentences if not _is_heading(s)][:_LEAD_SIZE]

    def __repr__(self) -> str:
        return f"Analysis({self.title!r}, {len(self.sentences)} sentences)"

    def _lexicon(self, name: str) -> Lexicon:
        if self.lexicons is None:
            raise RuleError(f"this analysis was restored without lexicons; '{name}' is unknown")
        return self.lexicons.get_or_empty(name)

    @property
    def quotes(self) -> list[Quote]:
        """Direct quotes with speakers (computed once)."""
        if self._quotes is None:
            self._quotes = extract_quotes(
                self.text, self.sentences, self._lexicon(PEOPLE), self._lexicon(SPEECH)
            )
        return self._quotes

    @property
    def distances(self) -> list[Distance]:
        """Distances with units, in km, classified (computed once)."""
        if self._distances is None:
            self._distances = extract_distances(
                self.text, self.sentences, self._lexicon(DISTANCE), self._lexicon(FACTUALITY)
            )
        return self._distances

    def mentions(self, lexicon_name: str) -> list[LexMatch]:
        """Hits of the named lexicon in the body text (offsets into `text`).

        Raises:
            RuleError: no lexicon has that name.
        """
        hits = self._mentions.get(lexicon_name)
        if hits is None:
            if self.lexicons is None:
                raise RuleError("this analysis was restored without lexicons")
            hits = self.lexicons.get(lexicon_name).find(self.text)
            self._mentions[lexicon_name] = hits
        return hits

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing the text offset, or None between sentences."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def factuality(self, sentence_index: int, span: tuple[int, int]) -> Factuality:
        """How the sentence reports the span (offsets into `text`): asserted, negated, …"""
        sentence = self.sentences[sentence_index]
        hits = self._sentence_hits.get(sentence_index)
        if hits is None:
            hits = self._factuality_hits_in(sentence)
            self._sentence_hits[sentence_index] = hits
        return classify_hits(self.text, sentence, span, hits)

    def _factuality_hits_in(self, sentence: Sentence) -> list[LexMatch]:
        """The factuality cues of one sentence, relative to it (the text is scanned once)."""
        if self._fact_hits is None:
            self._fact_hits = self._lexicon(FACTUALITY).find_each(self.text)
            self._fact_starts = [h.start for h in self._fact_hits]
        lo = bisect_left(self._fact_starts, sentence.start)
        out: list[LexMatch] = []
        for hit in self._fact_hits[lo:]:
            if hit.start >= sentence.end:
                break
            if hit.end <= sentence.end:
                out.append(
                    LexMatch(
                        hit.start - sentence.start, hit.end - sentence.start, hit.entry, hit.alias
                    )
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (computes quotes and distances first) for caching."""
        return {
            "format": _FORMAT,
            "title": self.title,
            "text": self.text,
            "sentences": [[s.start, s.end, s.paragraph] for s in self.sentences],
            "quotes": [
                {
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "sentence_index": q.sentence_index,
                    "speaker": q.speaker,
                    "speaker_text": q.speaker_text,
                    "anonymous": q.anonymous,
                }
                for q in self.quotes
            ],
            "distances": [
                {
                    "value": d.value,
                    "unit": d.unit,
                    "km": d.km,
                    "status": d.status.value,
                    "sentence_index": d.sentence_index,
                    "start": d.start,
                    "end": d.end,
                    "value_max": d.value_max,
                    "approximate": d.approximate,
                    "text": d.text,
                }
                for d in self.distances
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], lexicons: Lexicons | None = None) -> Analysis:
        """Rebuild an analysis saved by `to_dict`; pass lexicons to use `mentions()`.

        Raises:
            ValueError: the data is not a saved analysis of this format.
        """
        if data.get("format") != _FORMAT:
            raise ValueError("not a saved analysis of a known format")
        text = str(data["text"])
        sentences = [
            Sentence(i, int(start), int(end), text[int(start) : int(end)], int(par))
            for i, (start, end, par) in enumerate(data["sentences"])
        ]
        quotes = [Quote(**q) for q in data["quotes"]]
        distances = [
            Distance(**{**d, "status": DistanceStatus(d["status"])}) for d in data["distances"]
        ]
        return cls(
            str(data["title"]), text, sentences, lexicons, quotes=quotes, distances=distances
        )


def analyse(title: str, text: str, lexicons: Lexicons) -> Analysis:
    """Analyse one cleaned article body; the expensive parts run when first asked for."""
    return Analysis(title, text, split_sentences(text), lexicons)
