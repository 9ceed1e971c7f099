"""A 2–3 sentence summary from an article's opening, without headings, bylines or quote shards.

News copy puts the event in its first sentences, so the summary is the first few sentences
that read as reporting prose: headings and page furniture (no closing punctuation, or
wholly in brackets), bylines, and sentences that are mostly, or a piece of, a direct quote
are passed over. Datelines ("KYIV, Ukraine (AP) — ") are cut from the front of a sentence.
"""

from __future__ import annotations

import re

from bot.domain.errors import RuleError
from bot.text.analysis import Analysis
from bot.text.types import Quote, Sentence

MAX_CHARS = 600
MAX_SENTENCES = 3
MIN_SENTENCES = 2
QUOTED_SHARE = 0.5  # a sentence this much inside quote marks is the speaker's, not the report
ELLIPSIS = "…"

_CLOSERS = "\"”’'»)]"
_TERMINAL = ".!?…"
# "By Jane Doe", "By Jane Doe and John Roe, Reuters": two or more capitalised words after "By".
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+\s*(?:$|[,|•·—–-]|and\b)")
# "WASHINGTON —", "KYIV, Ukraine (AP) — ", "LONDON (Reuters) -": a capitalised place and a dash.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.'’ -]{1,30})?\s*(?:\([^()]{1,40}\)\s*)?[—–-]{1,2}\s+"
)


def _ends_like_prose(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _TERMINAL


def _is_furniture(text: str) -> bool:
    """Headings, labels, bracketed asides and bylines: page structure, not reporting."""
    if not _ends_like_prose(text):
        return True
    if text[:1] in "([" and text[-1:] in ")]":
        return True
    return bool(_BYLINE.match(text))


def _quotes(analysis: Analysis) -> list[Quote]:
    try:
        return analysis.quotes
    except RuleError:
        return []  # a restored analysis without lexicons: judge by quote marks alone


def _is_quote_shard(sentence: Sentence, quotes: list[Quote]) -> bool:
    """A sentence that starts or ends inside a quote, or is mostly quoted words."""
    inside = 0
    for q in quotes:
        lo, hi = max(q.start, sentence.start), min(q.end, sentence.end)
        if hi <= lo:
            continue
        if q.start < sentence.start or q.end > sentence.end:
            return True  # the quote began before this sentence or runs on past it
        inside += hi - lo
    return inside >= QUOTED_SHARE * max(1, len(sentence.text))


def _strip_dateline(text: str) -> str:
    m = _DATELINE.match(text)
    return text[m.end() :] if m and len(text) - m.end() > 20 else text


def _cut(text: str, max_chars: int) -> str:
    """`text` shortened to at most `max_chars` at a word boundary, with an ellipsis."""
    if len(text) <= max_chars:
        return text
    head = text[: max(1, max_chars - len(ELLIPSIS))]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:—–-") + ELLIPSIS


def _candidates(analysis: Analysis, *, allow_quotes: bool) -> list[str]:
    quotes = [] if allow_quotes else _quotes(analysis)
    out: list[str] = []
    for sentence in analysis.sentences:
        text = " ".join(sentence.text.split())
        if not text or _is_furniture(text):
            continue
        if not allow_quotes and _is_quote_shard(sentence, quotes):
            continue
        out.append(_strip_dateline(text))
    return out


def _pick(candidates: list[str], max_chars: int) -> list[str]:
    chosen: list[str] = []
    size = 0
    for text in candidates:
        extra = len(text) + (1 if chosen else 0)
        if size + extra <= max_chars:
            chosen.append(text)
            size += extra
        elif len(chosen) >= MIN_SENTENCES or not chosen:
            break  # keep to the opening: a later short sentence only fills a gap of one
        if len(chosen) >= MAX_SENTENCES:
            break
    return chosen


def summarise(analysis: Analysis, *, max_chars: int = MAX_CHARS) -> str:
    """Two or three opening sentences of reporting prose, at most `max_chars` characters."""
    candidates = _candidates(analysis, allow_quotes=False)
    if len(candidates) < MIN_SENTENCES:
        # An article that is mostly quotes: its quoted sentences are better than nothing.
        candidates = _candidates(analysis, allow_quotes=True)
    if not candidates:
        return _cut(" ".join(analysis.text.split()), max_chars)
    chosen = _pick(candidates, max_chars)
    if not chosen:
        return _cut(candidates[0], max_chars)
    return " ".join(chosen)
