"""Required literals: the lowercase strings an article must contain for a rule to hold.

A requirement is a conjunction of clauses; each clause is a set of literals of which at
least one must occur. `all` joins its children's clauses, `any` keeps one clause per child
merged into one, `not`, `source` and `date` require nothing. A word with inflections is
reduced to the stem every inflected form contains ("authorize" -> "authori", matching
"authorised" and "authorizing"); irregular forms are added as alternatives.
"""

from __future__ import annotations

import re

from bot.engine.model import (
    AllNode,
    AnyNode,
    DistanceNode,
    LexiconNode,
    LexRef,
    NearNode,
    Node,
    QuoteNode,
    TermsNode,
)
from bot.text import terms as term_rules
from bot.text.lexicon import Lexicon, Lexicons

Clause = frozenset[str]
Requirement = tuple[Clause, ...]

_SEGMENT = re.compile(r"[^\W_]+")
_VOWELS = "aeiou"
# Every quote mark the quote extractor knows; a quote condition needs one of them.
QUOTE_MARKS: Clause = frozenset({'"', "“", "”", "«", "»", "„"})
# A distance needs a unit: km, kilometre/kilometer, mile, mi.
UNIT_LITERALS: Clause = frozenset({"km", "kilomet", "mi"})


def _irregular(word: str) -> tuple[str, ...]:
    table: dict[str, tuple[str, ...]] = getattr(term_rules, "_IRREGULAR", {})
    return table.get(word, ())


def _fixed(word: str) -> bool:
    fixed: frozenset[str] = getattr(term_rules, "_FIXED_WORDS", frozenset())
    return word in fixed


def word_stem(word: str) -> frozenset[str]:
    """Strings of which every inflected form of `word` contains one."""
    w = word.casefold()
    if len(w) <= 2 or _fixed(w) or not w.isalpha() or not w.isascii():
        return frozenset({w})
    if len(w) >= 5 and w.endswith("ies"):
        return word_stem(w[:-3] + "y") | frozenset({w})
    if len(w) >= 5 and w.endswith("s") and w[-2] not in "sui'" and not _fixed(w[:-1]):
        return word_stem(w[:-1]) | frozenset({w})
    if w.endswith("ee"):
        stem = w
    elif len(w) > 4 and w[-3:] in ("ize", "ise"):
        stem = w[:-3] + "i"
    elif w.endswith("e") or (w.endswith("y") and w[-2] not in _VOWELS):
        stem = w[:-1]
    else:
        stem = w
    return frozenset({stem, *_irregular(w)})


def term_literals(term: str, word_forms: bool) -> Clause:
    """The literals of which every match of `term` contains at least one."""
    best: Clause | None = None
    for word in term.split():
        segments = _SEGMENT.findall(word)
        for i, segment in enumerate(segments):
            inflected = word_forms and i == len(segments) - 1
            options = word_stem(segment) if inflected else frozenset({segment.casefold()})
            options = _minimal(options)
            if best is None or _better(options, best):
                best = options
    return best if best is not None else frozenset({term.casefold()})


def _minimal(options: frozenset[str]) -> frozenset[str]:
    """Drop options that contain another option (the shorter one already covers them)."""
    return frozenset(o for o in options if not any(p != o and p in o for p in options))


def _better(a: Clause, b: Clause) -> bool:
    """Prefer fewer alternatives, then longer shortest literals (rarer in text)."""
    return (len(a), -min(map(len, a))) < (len(b), -min(map(len, b)))


def lexicon_literals(lexicon: Lexicon, ref: LexRef) -> Clause | None:
    """Literals of the entries `ref` names, or None when a regex pattern could match."""
    out: set[str] = set()
    for entry in lexicon.entries:
        if not ref.accepts(lexicon, entry.name):
            continue
        if entry.patterns:
            return None
        names = [entry.name, *entry.aliases] if lexicon.kind == "names" else list(entry.aliases)
        for alias in names:
            out |= term_literals(alias, lexicon.word_forms)
    return _minimal(frozenset(out))


def requirement(node: Node, lexicons: Lexicons) -> Requirement:
    """The clauses an article must satisfy for `node` to hold anywhere in it."""
    if isinstance(node, TermsNode):
        return (
            _minimal(frozenset().union(*(term_literals(t, node.word_forms) for t in node.terms))),
        )
    if isinstance(node, LexiconNode):
        clause: set[str] = set()
        for ref in node.refs:
            if ref.lexicon not in lexicons:
                return ()
            got = lexicon_literals(lexicons[ref.lexicon], ref)
            if got is None:
                return ()
            clause |= got
        return (_minimal(frozenset(clause)),) if clause else ()
    if isinstance(node, AllNode | NearNode):
        return tuple(c for child in node.children for c in requirement(child, lexicons))
    if isinstance(node, AnyNode):
        picked: set[str] = set()
        for child in node.children:
            clauses = requirement(child, lexicons)
            if not clauses:
                return ()
            picked |= min(clauses, key=lambda c: (len(c), -min(map(len, c))))
        return (_minimal(frozenset(picked)),)
    if isinstance(node, QuoteNode):
        out: list[Clause] = [QUOTE_MARKS]
        for ref in node.speakers:
            if ref.lexicon not in lexicons:
                return tuple(out)
        if node.speakers:
            speaker: set[str] = set()
            for ref in node.speakers:
                got = lexicon_literals(lexicons[ref.lexicon], ref)
                if got is None:
                    speaker = set()
                    break
                speaker |= got
            if speaker:
                out.append(_minimal(frozenset(speaker)))
        if node.terms is not None:
            out.extend(requirement(node.terms, lexicons))
        return tuple(out)
    if isinstance(node, DistanceNode):
        return (UNIT_LITERALS,)
    return ()
