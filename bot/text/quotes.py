"""Direct quotes in an article and who said them.

Attribution, most specific first: a trailing `"…," X said` / `said X`; a leading
`X said "…"` or a sentence whose subject is a named person; `according to X`; a pronoun
("He added") resolves to the last named speaker. A quote without attribution continues
the previous quote of its paragraph, the open quote of the previous paragraph, or the
speaker of the sentence just before it. Cue words come from the `speech` lexicon.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from bot.text.lexicon import Lexicon, LexMatch
from bot.text.types import Quote, Sentence

SPEECH_VERB = "speech_verb"
SPEECH_BY = "speech_by"
ANONYMOUS = "anonymous_source"
PRONOUN = "pronoun"
NAMING = "naming"
ASIDE = "aside"
CLAUSE_START = "clause_start"

_OPENERS = "“«„"
_CLOSERS = "”»"
_STRAIGHT = '"'
_MARKS = re.compile('["“”«»„]')
_REACH = 80  # how far (characters) a trailing attribution may sit from the quote
_NAME_AFTER_ROLE = 30  # "spokesman Matthew Miller": a role word right before a name


@dataclass(slots=True)
class _Span:
    """One pair of quote marks: `open` is the opening mark, [start, end) the words inside."""

    open: int
    start: int
    end: int
    close: int  # just past the closing mark (== end when the paragraph ends first)
    closed: bool
    paragraph: int
    prev_in_chain: int | None = None  # the open quote of the previous paragraph it continues


@dataclass(frozen=True, slots=True)
class _Who:
    """An attribution: a named person, an anonymous source, or a pronoun to resolve."""

    kind: str  # "person", "anonymous", "pronoun", "unknown" (someone unnamed), "none" (nobody)
    name: str | None
    written: str


# Said by someone the lexicons do not know ("a lawmaker, Leonid Slutsky, said").
_UNKNOWN = _Who("unknown", None, "")


@dataclass(frozen=True, slots=True)
class _Entity:
    start: int
    end: int
    who: _Who


def _aside_end(text: str, hit: LexMatch) -> int:
    """An aside runs to the next comma."""
    comma = text.find(",", hit.end)
    return len(text) if comma < 0 else comma + 1


def _looks_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _looks_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and not after.isspace()


def _paragraph_ranges(sentences: list[Sentence]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for s in sentences:
        if out and out[-1][2] == s.paragraph:
            out[-1] = (out[-1][0], s.end, s.paragraph)
        else:
            out.append((s.start, s.end, s.paragraph))
    return out


def _make_span(text: str, open_at: int, close_at: int, closed: bool, par: int) -> _Span | None:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    # The comma before an attribution ("…wouldn't," Biden said) is not part of the words.
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if end <= start:
        return None
    return _Span(open_at, start, end, close_at + 1 if closed else close_at, closed, par)


def find_quote_spans(text: str, sentences: list[Sentence]) -> list[_Span]:
    """Pairs of double quote marks, paragraph by paragraph (single quotes are not quotes)."""
    spans: list[_Span] = []
    for p_start, p_end, par in _paragraph_ranges(sentences):
        open_at: int | None = None
        first_in_par = len(spans)
        for mark in _MARKS.finditer(text, p_start, p_end):
            i = mark.start()
            ch = text[i]
            if ch in _OPENERS:
                kind = "open"
            elif ch in _CLOSERS:
                kind = "close"
            elif ch == _STRAIGHT:
                if open_at is None and i > 0 and text[i - 1].isdigit():
                    continue  # an inch mark: 12"
                kind = "close" if open_at is not None else "open"
            else:
                continue
            if kind == "open" and open_at is not None and _looks_closing(text, i):
                kind = "close"  # one glyph used for both marks
            if kind == "close" and open_at is None:
                if _looks_opening(text, i):
                    kind = "open"
                else:
                    continue
            if kind == "open":
                open_at = i
            elif open_at is not None:
                span = _make_span(text, open_at, i, True, par)
                if span:
                    spans.append(span)
                open_at = None
        if open_at is not None:
            span = _make_span(text, open_at, p_end, False, par)
            if span:
                spans.append(span)
        # A paragraph that opens with a quote continues the previous paragraph's open quote.
        if (
            len(spans) > first_in_par
            and first_in_par > 0
            and spans[first_in_par].open == p_start
            and not spans[first_in_par - 1].closed
            and spans[first_in_par - 1].paragraph == par - 1
        ):
            spans[first_in_par].prev_in_chain = first_in_par - 1
    return spans


class _Attributor:
    """Finds speakers for quote spans in one article."""

    def __init__(
        self,
        text: str,
        sentences: list[Sentence],
        spans: list[_Span],
        people: Lexicon,
        cues: Lexicon,
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.spans = spans
        inside = [(s.open, s.close) for s in spans]

        def outside(h: LexMatch) -> bool:
            return not any(a <= h.start < b for a, b in inside)

        cue_hits = [h for h in cues.find_each(text) if outside(h)]
        # Asides (", who met Scholz,") hide their names and verbs from the main clause.
        self.asides = [(h.start, _aside_end(text, h)) for h in cue_hits if h.entry == ASIDE]
        self.verbs = sorted(
            (h for h in cue_hits if h.entry in (SPEECH_VERB, SPEECH_BY)),
            key=lambda h: (h.start, h.entry == SPEECH_BY),
        )
        self.naming = [h for h in cue_hits if h.entry == NAMING]
        self.clause_starts = [h for h in cue_hits if h.entry == CLAUSE_START]
        entities = [
            _Entity(h.start, h.end, _Who("person", h.entry, text[h.start : h.end]))
            for h in people.find(text)
            if outside(h)
        ]
        for h in cue_hits:
            if h.entry == ANONYMOUS:
                written = text[h.start : h.end]
                entities.append(_Entity(h.start, h.end, _Who("anonymous", None, written)))
            elif h.entry == PRONOUN:
                entities.append(
                    _Entity(h.start, h.end, _Who("pronoun", None, text[h.start : h.end]))
                )
        entities.sort(key=lambda e: (e.start, -e.end))
        self.entities = entities
        # (position, name) of every "X said"-like event: the person nearest before a verb.
        self.events: list[tuple[int, str]] = []
        for verb in self.verbs:
            sent = self.sentence_of(verb.start)
            lo = sentences[sent].start if sent is not None else 0
            who = self.nearest_before(lo, verb.start)
            if who is not None and who.kind == "person" and who.name:
                self.events.append((verb.start, who.name))

    def sentence_of(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        return i if i >= 0 else None

    def in_range(self, lo: int, hi: int) -> list[_Entity]:
        return [e for e in self.entities if lo <= e.start and e.end <= hi]

    def _prefer_name(self, chosen: _Entity, hi: int) -> _Who:
        """A role word right before a name ("spokesman Matthew Miller") stands for the name."""
        if chosen.who.kind != "anonymous":
            return chosen.who
        for e in self.in_range(chosen.end, min(hi, chosen.end + _NAME_AFTER_ROLE)):
            gap = self.text[chosen.end : e.start]
            if e.who.kind == "person" and not any(c in gap for c in ",.;:()"):
                return e.who
        return chosen.who

    def nearest_before(self, lo: int, hi: int) -> _Who | None:
        found = self.in_range(lo, hi)
        return found[-1].who if found else None

    def first_after(self, lo: int, hi: int) -> _Who | None:
        """The speaker named right after a verb ("said X"), not one inside a reported clause
        ("adding that X disagreed")."""
        found = self.in_range(lo, hi)
        if not found:
            return None
        first = found[0]
        if any(lo <= c.start and c.end <= first.start for c in self.clause_starts):
            return None
        return self._prefer_name(first, hi)

    def verbs_in(self, lo: int, hi: int) -> list[LexMatch]:
        return [v for v in self.verbs if lo <= v.start and v.end <= hi]

    def from_tail(self, lo: int, hi: int) -> _Who | None:
        """`"…," X said` / `"…," said X` / `"…," according to X`."""
        verbs = self.verbs_in(lo, hi)
        if not verbs or verbs[0].start - lo > _REACH:
            return None
        verb = verbs[0]
        if verb.entry == SPEECH_BY:
            who = self.first_after(verb.end, min(hi, verb.end + _REACH))
        else:
            who = self.nearest_before(lo, verb.start) or self.first_after(
                verb.end, min(hi, verb.end + _REACH)
            )
        # Someone the lexicons do not know said it: not the previous speaker.
        return who or _UNKNOWN

    def from_lead(self, lo: int, hi: int) -> _Who | None:
        """`X said "…"`, `claims by X that "…"`, or a named subject before the quote.

        The speech verb nearest the quote governs it ("Asked about Zelensky's remarks, Kirby
        said: …"); its subject is the nearest name before it outside any aside.
        """
        if any(hi - 3 <= n.end <= hi for n in self.naming):
            return _Who("none", None, "")
        verbs = [v for v in self.verbs_in(lo, hi) if not self.in_aside(v.start, lo, hi)]
        for verb in reversed(verbs):
            if verb.entry == SPEECH_BY:
                who = self.first_after(verb.end, hi)
            else:
                found = [
                    e for e in self.in_range(lo, verb.start) if not self.in_aside(e.start, lo, hi)
                ]
                who = self._prefer_name(found[-1], verb.start) if found else None
            if who is not None:
                return who
        if verbs:
            return self.first_after(verbs[0].end, hi) or _UNKNOWN
        found = self.in_range(lo, hi)
        if found and found[0].who.kind == "person":
            return found[0].who
        return None

    def in_aside(self, offset: int, lo: int, hi: int) -> bool:
        """Whether `offset` lies in an aside that opens inside the window [lo, hi)."""
        return any(lo <= a <= offset < b <= hi for a, b in self.asides)

    def last_speaker(self, before: int, named: list[tuple[int, str]]) -> str | None:
        best: tuple[int, str] | None = None
        for pos, name in (*self.events, *named):
            if pos < before and (best is None or pos > best[0]):
                best = (pos, name)
        return best[1] if best else None

    def previous_sentence_speaker(self, sent: int, named: list[tuple[int, str]]) -> str | None:
        """The named speaker of the sentence before `sent` (an "X said …" or a quote of X)."""
        if sent <= 0:
            return None
        prev = self.sentences[sent - 1]
        if prev.paragraph != self.sentences[sent].paragraph and prev.paragraph != (
            self.sentences[sent].paragraph - 1
        ):
            return None
        hits = [(p, n) for p, n in (*self.events, *named) if prev.start <= p < prev.end]
        return max(hits)[1] if hits else None

    def run(self) -> list[Quote]:
        whos: list[_Who | None] = []
        named: list[tuple[int, str]] = []
        for k, span in enumerate(self.spans):
            who = self.attribute(k, span, whos, named)
            whos.append(who)
            if who is not None and who.kind == "person" and who.name:
                named.append((span.open, who.name))
        # A quote continued over paragraphs may be attributed only at its end.
        for k in range(len(self.spans) - 1, -1, -1):
            prev = self.spans[k].prev_in_chain
            if prev is not None and whos[prev] is None and whos[k] is not None:
                whos[prev] = whos[k]
        out: list[Quote] = []
        for span, who in zip(self.spans, whos, strict=True):
            sent = self.sentence_of(span.start)
            out.append(
                Quote(
                    text=self.text[span.start : span.end],
                    start=span.start,
                    end=span.end,
                    sentence_index=sent if sent is not None else 0,
                    speaker=who.name if who and who.kind == "person" else None,
                    speaker_text=who.written if who and who.written else None,
                    anonymous=bool(who and who.kind == "anonymous"),
                )
            )
        return out

    def attribute(
        self, k: int, span: _Span, whos: list[_Who | None], named: list[tuple[int, str]]
    ) -> _Who | None:
        s_open = self.sentence_of(span.open)
        s_close = self.sentence_of(max(span.open, span.close - 1))
        if s_open is None or s_close is None:
            return None
        tail_hi = self.sentences[s_close].end
        if k + 1 < len(self.spans):
            tail_hi = min(tail_hi, max(span.close, self.spans[k + 1].open))
        who = self.from_tail(span.close, tail_hi) if span.closed else None
        if who is None or who is _UNKNOWN:
            # "…," according to The Hill: the sentence may still name the speaker up front.
            who = self.from_lead(self.sentences[s_open].start, span.open) or who
        if who is not None and who.kind == "pronoun":
            name = self.last_speaker(span.open, named)
            return _Who("person", name, who.written) if name else _UNKNOWN
        if who is not None:
            return who
        return self.inherit(k, span, s_open, whos, named)

    def inherit(
        self,
        k: int,
        span: _Span,
        s_open: int,
        whos: list[_Who | None],
        named: list[tuple[int, str]],
    ) -> _Who | None:
        """An unattributed quote continues the speaker before it, if it opens its sentence."""
        if span.prev_in_chain is not None:
            return whos[span.prev_in_chain]
        if span.open != self.sentences[s_open].start:
            return None
        if k > 0 and self.spans[k - 1].paragraph == span.paragraph and whos[k - 1] is not None:
            return whos[k - 1]
        name = self.previous_sentence_speaker(s_open, named)
        return _Who("person", name, name) if name else None


def extract_quotes(
    text: str, sentences: list[Sentence], people: Lexicon, cues: Lexicon
) -> list[Quote]:
    """Every direct (double-quoted) quote in `text`, with its speaker resolved via `people`.

    `cues` is the speech lexicon (entries speech_verb, speech_by, anonymous_source, pronoun,
    naming). A quote by an unnamed source has speaker None and `anonymous=True`.
    """
    spans = find_quote_spans(text, sentences)
    if not spans:
        return []
    return _Attributor(text, sentences, spans, people, cues).run()
