"""Turn whatever a user types into a safe FTS5 MATCH expression.

Supported: plain words (all must occur), "quoted phrases", a trailing `*` for a prefix,
`-word` or `NOT word` to exclude, `OR` (upper case, as in FTS5) between terms. Everything else (parentheses, NEAR,
column filters, stray quotes, control characters) is treated as plain text. The expression
is built only from double-quoted FTS5 strings and the operators AND, OR, NOT and
parentheses that this module writes itself, so user text can never reach the FTS5 parser
as syntax.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.domain.errors import QueryError

MAX_QUERY_CHARS = 1000  # beyond this a query is not a search any more
MAX_TERMS = 32

# Characters that end a bare word. Parentheses and colons would be FTS5 syntax; here they
# only separate words.
_SEPARATORS = frozenset("()[]{}:;,")
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


@dataclass(frozen=True, slots=True)
class Term:
    """One searchable unit: a word or phrase, possibly a prefix, possibly excluded."""

    text: str
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        """This term as an FTS5 string (quotes doubled), with `*` for a prefix."""
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + " *" if self.prefix else quoted


def _clean(raw: str) -> str:
    """Drop control, format and unpaired surrogate characters; cap the length."""
    text = raw[: MAX_QUERY_CHARS * 2]
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in _DROP_CATEGORIES:
            kept.append(ch)
    return "".join(kept)[:MAX_QUERY_CHARS]


def _searchable(text: str) -> bool:
    # The unicode61 tokenizer keeps letters and digits only; a word without any of them
    # would be an empty phrase.
    return any(ch.isalnum() for ch in text)


def _lex(text: str) -> list[tuple[str, str]]:
    """Split into tokens: ("phrase", words), ("word", word) and ("op", OR|NOT|AND)."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or ch in _SEPARATORS:
            i += 1
            continue
        negate = False
        if ch == "-" and i + 1 < n and text[i + 1] == '"':
            negate, i = True, i + 1
            ch = '"'
        if ch == '"':
            close = text.find('"', i + 1)
            if close == -1:
                # An unbalanced quote is a typo, not a phrase: read the rest as words.
                i += 1
                continue
            body = text[i + 1 : close]
            i = close + 1
            star = i < n and text[i] == "*"
            if star:
                i += 1
            tokens.append(("-phrase" if negate else "phrase", body + ("*" if star else "")))
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in _SEPARATORS and text[i] != '"':
            i += 1
        word = text[start:i]
        if word in ("OR", "NOT", "AND"):
            tokens.append(("op", word))
        else:
            tokens.append(("word", word))
    return tokens


def _term(kind: str, value: str, negated: bool) -> Term | None:
    prefix = value.endswith("*")
    body = value.rstrip("*")
    if kind == "word" and body.startswith("-"):
        negated = True
        body = body.lstrip("-")
    body = " ".join(body.replace("*", " ").split())
    if not _searchable(body):
        return None
    return Term(body, prefix=prefix, negated=negated)


def parse(raw: str) -> tuple[list[list[Term]], list[Term]]:
    """Groups of alternatives (AND of ORs) and the excluded terms of a user query."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_not = False
    pending_or = False
    count = 0
    for kind, value in _lex(_clean(raw)):
        if kind == "op":
            if value == "NOT":
                pending_not = True
            elif value == "OR":
                pending_or = bool(groups)
            continue
        term = _term(kind.lstrip("-"), value, negated=pending_not or kind.startswith("-"))
        pending_not = False
        if term is None:
            continue
        if count >= MAX_TERMS:
            break
        count += 1
        if term.negated:
            excluded.append(term)
            pending_or = False
        elif pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    return groups, excluded


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A MATCH expression, and whether it holds a prefix term.

    Prefix terms must run against the unstemmed index: the stemmer would rewrite the
    prefix itself ("zelensky*" would look for "zelenski*" and miss "Zelenskyy").
    """

    expression: str
    has_prefix: bool


def compile_query(raw: str) -> CompiledQuery:
    """A safe FTS5 MATCH expression for the user's query.

    Raises:
        QueryError: when nothing searchable is left, or only excluded words.
    """
    groups, excluded = parse(raw)
    if not groups:
        if excluded:
            raise QueryError("A search cannot only exclude words; add a word to look for.")
        raise QueryError("The search has no words to look for; type one or more words.")
    positive = " AND ".join("(" + " OR ".join(t.fts() for t in group) + ")" for group in groups)
    has_prefix = any(t.prefix for g in groups for t in g) or any(t.prefix for t in excluded)
    if not excluded:
        return CompiledQuery(positive, has_prefix)
    negative = " OR ".join(t.fts() for t in excluded)
    return CompiledQuery(f"({positive}) NOT ({negative})", has_prefix)


def to_match(raw: str) -> str:
    """The MATCH expression alone (see `compile_query`).

    Raises:
        QueryError: when nothing searchable is left, or only excluded words.
    """
    return compile_query(raw).expression
