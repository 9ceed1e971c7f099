"""The presearcher: one Aho-Corasick pass over an article picks the rules worth evaluating.

Every literal of every rule goes into one automaton. Each rule is filed under one anchor
clause (its most selective); an article makes a rule a candidate only when a literal of
its anchor occurs, and then only when every other clause is satisfied too. The cost per
article is one pass over the text plus work for the rules whose anchors occur, so it
grows far slower than the number of rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from bot.engine.literals import Clause, Requirement, requirement
from bot.engine.model import Rule
from bot.text.lexicon import Lexicons


@dataclass(frozen=True, slots=True)
class _Entry:
    """A rule and its clauses as sets of literal ids."""

    index: int
    clauses: tuple[frozenset[int], ...]


def _selectivity(clause: Clause) -> tuple[int, int]:
    # Fewer and longer literals occur in fewer articles.
    return (len(clause), -min(map(len, clause)))


class Presearcher:
    """Finds the candidate rules for a text in one pass."""

    def __init__(self, rules: Sequence[Rule], lexicons: Lexicons) -> None:
        self.rules = list(rules)
        self.requirements: list[Requirement] = [requirement(r.match, lexicons) for r in rules]
        ids: dict[str, int] = {}
        self._always: list[int] = []
        self._anchored: dict[int, list[_Entry]] = {}
        for i, req in enumerate(self.requirements):
            clauses = tuple(frozenset(ids.setdefault(lit, len(ids)) for lit in c) for c in req)
            if not clauses:
                self._always.append(i)
                continue
            anchor = min(range(len(req)), key=lambda k: _selectivity(req[k]))
            entry = _Entry(i, clauses[:anchor] + clauses[anchor + 1 :])
            for lit in clauses[anchor]:
                self._anchored.setdefault(lit, []).append(entry)
        self.literals = ids
        self._automaton = ahocorasick.Automaton()
        for literal, lit_id in ids.items():
            self._automaton.add_word(literal, lit_id)
        if ids:
            self._automaton.make_automaton()

    @staticmethod
    def normalise(text: str) -> str:
        """The form literals are searched in: lower case."""
        return text.casefold()

    def found(self, *texts: str) -> set[int]:
        """Ids of the literals that occur in any of `texts`."""
        if not self.literals:
            return set()
        out: set[int] = set()
        for text in texts:
            for _end, lit_id in self._automaton.iter(self.normalise(text)):
                out.add(lit_id)
        return out

    def candidates(self, *texts: str) -> list[int]:
        """Indexes (into `rules`) of the rules whose required literals all occur."""
        found = self.found(*texts)
        chosen = set(self._always)
        for lit_id in found:
            for entry in self._anchored.get(lit_id, ()):
                if entry.index not in chosen and all(c & found for c in entry.clauses):
                    chosen.add(entry.index)
        return sorted(chosen)

    def missing(self, index: int, *texts: str) -> list[Clause]:
        """The clauses of rule `index` that no literal of `texts` satisfies (for explain)."""
        found = self.found(*texts)
        return [
            clause
            for clause in self.requirements[index]
            if not any(self.literals[lit] in found for lit in clause)
        ]
