"""One article as the evaluator sees it: positions, units of each scope, cached hits.

A position is a sentence index; the title is position -1. Offsets of a position are into
`Analysis.text` for sentences and into `Analysis.title` for the title.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from datetime import datetime
from typing import Any

from bot.engine.model import Scope, ScopeKind
from bot.text.factuality import classify
from bot.text.lexicon import Lexicon, Lexicons, LexMatch
from bot.text.types import Distance, Factuality, Quote, Sentence

TITLE = -1
Unit = tuple[int, ...]
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class ArticleContext:
    """Per-article caches shared by every rule evaluated on it."""

    def __init__(
        self,
        analysis: Any,
        lexicons: Lexicons,
        *,
        source: str | None = None,
        published: datetime | None = None,
    ) -> None:
        self.analysis = analysis
        self.lexicons = lexicons
        self.source = source
        self.published = published
        self.title: str = analysis.title or ""
        first = analysis.sentences[0].text if analysis.sentences else ""
        # A title that only repeats the first sentence would count every word twice.
        self.has_title = bool(self.title.strip()) and _norm(self.title) != _norm(first)
        body = [s.index for s in analysis.sentences]
        self.positions: list[int] = ([TITLE] if self.has_title else []) + body
        self.order = {p: i for i, p in enumerate(self.positions)}
        self.lead: Unit = tuple(([TITLE] if self.has_title else []) + list(analysis.lead))
        self._units: dict[Scope, list[Unit]] = {}
        self._regex: dict[int, dict[int, list[tuple[int, int]]]] = {}
        self._lex: dict[str, dict[int, list[LexMatch]]] = {}
        self._fact: dict[tuple[int, int, int], Factuality] = {}
        self._words: dict[int, list[int]] = {}
        self.node_cache: dict[int, Any] = {}  # evaluator's per-node results

    # --- text of a position -------------------------------------------------------------

    def sentence_text(self, pos: int) -> str:
        """The text of a position."""
        if pos == TITLE:
            return self.title
        return str(self.analysis.sentences[pos].text)

    def sentence_start(self, pos: int) -> int:
        """Where the position starts in its coordinate space."""
        return 0 if pos == TITLE else int(self.analysis.sentences[pos].start)

    def _pos_of(self, offset: int) -> int | None:
        sentence = self.analysis.sentence_at(offset)
        return None if sentence is None else int(sentence.index)

    # --- units ----------------------------------------------------------------------------

    def units(self, scope: Scope) -> list[Unit]:
        """Every unit of text of a scope, in document order."""
        cached = self._units.get(scope)
        if cached is not None:
            return cached
        pos = self.positions
        if scope.kind is ScopeKind.SENTENCE:
            out: list[Unit] = [(p,) for p in pos]
        elif scope.kind is ScopeKind.WINDOW:
            n = scope.size
            out = [tuple(pos[i : i + n]) for i in range(max(1, len(pos) - n + 1))] if pos else []
        elif scope.kind is ScopeKind.LEAD:
            out = [self.lead] if self.lead else []
        else:
            out = [tuple(pos)] if pos else []
        self._units[scope] = out
        return out

    def units_within(self, scope: Scope, parent: Scope, unit: Unit) -> list[Unit]:
        """The units of `scope` that a condition checks from inside `unit` of `parent`.

        A narrower scope looks at its units inside the parent unit; the lead and the
        article are one unit each, seen from anywhere; a wider window looks at the windows
        that overlap the parent unit.
        """
        units = self.units(scope)
        if scope.kind in (ScopeKind.LEAD, ScopeKind.ARTICLE) and scope.rank > parent.rank:
            return units
        members = set(unit)
        if scope.rank <= parent.rank:
            return [u for u in units if members.issuperset(u)]
        return [u for u in units if members.intersection(u)]

    # --- matches by position ----------------------------------------------------------------

    def pattern_hits(self, key: int, pattern: Any, finder: Any) -> dict[int, list[tuple[int, int]]]:
        """Spans of a compiled pattern by position (cached under `key`)."""
        hits = self._regex.get(key)
        if hits is None:
            hits = defaultdict(list)
            if self.has_title:
                hits[TITLE] = finder(pattern, self.title)
            for start, end in finder(pattern, self.analysis.text):
                p = self._pos_of(start)
                if p is not None:
                    hits[p].append((start, end))
            self._regex[key] = hits
        return hits

    def lexicon_hits(self, name: str) -> dict[int, list[LexMatch]]:
        """Mentions of a lexicon by position (the analysis's own cache for the body)."""
        hits = self._lex.get(name)
        if hits is None:
            lexicon = self.lexicon(name)
            body: list[LexMatch]
            own = self.analysis.lexicons
            if own is not None and name in own and own[name] is lexicon:
                body = self.analysis.mentions(name)
            else:
                body = lexicon.find(self.analysis.text)
            hits = defaultdict(list)
            if self.has_title:
                hits[TITLE] = lexicon.find(self.title)
            for m in body:
                p = self._pos_of(m.start)
                if p is not None:
                    hits[p].append(m)
            self._lex[name] = hits
        return hits

    def lexicon(self, name: str) -> Lexicon:
        """The rule set's lexicon called `name` (empty when absent)."""
        return self.lexicons.get_or_empty(name)

    def quotes(self) -> list[Quote]:
        """The article's quotes (computed on first use)."""
        return list(self.analysis.quotes)

    def distances(self) -> list[Distance]:
        """The article's distances (computed on first use)."""
        return list(self.analysis.distances)

    # --- per-span facts -------------------------------------------------------------------

    def factuality(self, pos: int, start: int, end: int) -> Factuality:
        """How the clause around [start, end) of a position reports it."""
        key = (pos, start, end)
        got = self._fact.get(key)
        if got is None:
            if pos == TITLE:
                sentence = Sentence(TITLE, 0, len(self.title), self.title, -1)
                got = classify(self.title, sentence, (start, end), self.lexicon("factuality"))
            else:
                got = self.analysis.factuality(pos, (start, end))
            self._fact[key] = got
        return got

    def words_between(self, pos: int, start: int, end: int) -> int:
        """How many words of the position begin inside [start, end)."""
        starts = self._words.get(pos)
        if starts is None:
            base = self.sentence_start(pos)
            starts = [base + m.start() for m in _WORD.finditer(self.sentence_text(pos))]
            self._words[pos] = starts
        if end <= start:
            return 0
        return bisect_left(starts, end) - bisect_left(starts, start)
