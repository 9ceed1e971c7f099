"""RE2 compilation for rule terms and user regular expressions, cached and linear-time."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

from bot.text.terms import literal_pattern, word_form_pattern

# RE2 refuses a program above this size instead of using unbounded memory.
MAX_MEM = 32 << 20


class PatternError(ValueError):
    """RE2 cannot compile a pattern; the message says why."""


def _options(case_sensitive: bool, longest: bool) -> Any:
    opts = re2.Options()
    opts.case_sensitive = case_sensitive
    opts.longest_match = longest
    opts.log_errors = False  # the loader reports the error itself, once, with file:line
    opts.max_mem = MAX_MEM
    return opts


@lru_cache(maxsize=4096)
def compile_re2(pattern: str, case_sensitive: bool = False, longest: bool = False) -> Any:
    """Compile `pattern` with RE2 (linear time, no backtracking); `longest` picks the
    leftmost-longest match instead of the first alternative that matches.

    Raises:
        PatternError: RE2 rejects the pattern (syntax, lookaround, backreference, size).
    """
    try:
        return re2.compile(pattern, _options(case_sensitive, longest))
    except Exception as e:  # re2 raises its own error type from a C extension
        detail = e.args[0] if e.args else e
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        hint = ""
        if "(?<" in pattern or "(?=" in pattern or "(?!" in pattern or "\\1" in pattern:
            hint = " (RE2 has no lookaround and no backreferences)"
        raise PatternError(f"{detail}{hint}") from e


def term_source(term: str, word_forms: bool) -> str:
    """The regex source for one term, without the ASCII-only \\b edges (checked later)."""
    src = word_form_pattern(term) if word_forms else literal_pattern(term)
    # RE2's \b only knows ASCII letters; boundaries are checked in Python instead, so a
    # term such as "Élysée" still matches.
    if src.startswith("\\b"):
        src = src[2:]
    if src.endswith("\\b") and not src.endswith("\\\\b"):
        src = src[:-2]
    return src


def compile_terms(terms: tuple[str, ...], word_forms: bool) -> Any:
    """One case-insensitive RE2 pattern matching any of `terms`, the longest match at a place.

    Leftmost-longest matters: "missile" must match all of "missiles", or the word-boundary
    check would refuse the shorter "missile" and lose the word.
    """
    return compile_re2("|".join(f"(?:{term_source(t, word_forms)})" for t in terms), False, True)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def bounded(text: str, start: int, end: int) -> bool:
    """Whether [start, end) starts and ends at word boundaries (Unicode-aware)."""
    if start >= end:
        return False
    if start > 0 and _word_char(text[start]) and _word_char(text[start - 1]):
        return False
    return not (end < len(text) and _word_char(text[end - 1]) and _word_char(text[end]))


def find_terms(pattern: Any, text: str) -> list[tuple[int, int]]:
    """Spans of whole-word matches of a compiled terms pattern in `text`."""
    return [
        (m.start(), m.end()) for m in pattern.finditer(text) if bounded(text, m.start(), m.end())
    ]


def find_regex(pattern: Any, text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty matches of a compiled user regex in `text`."""
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
