"""Fast RE2 scanning of one text by many patterns, with offsets as Python str indexes.

RE2 works on UTF-8 bytes. Encoding the text once and mapping byte offsets back to
character offsets is several times faster than handing `str` to every pattern, which
re-encodes the whole text on each call.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

import re2

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_UNANCHORED = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)


def options(*, case_sensitive: bool) -> Any:
    """RE2 options for lexicon scanning: leftmost-longest matches."""
    opts = re2.Options()
    opts.longest_match = True
    opts.case_sensitive = case_sensitive
    opts.max_mem = 64 << 20
    return opts


def compile_bytes(source: str, *, case_sensitive: bool) -> Any:
    """Compile a pattern source for scanning UTF-8 bytes.

    Raises:
        re2.error: the source is not valid RE2 syntax.
    """
    return re2.compile(source.encode("utf-8"), options(case_sensitive=case_sensitive))


_last: list[EncodedText] = []


def encoded(text: str) -> EncodedText:
    """The encoding of `text`, reused while the same text is scanned by many lexicons."""
    current = _last[0] if _last else None  # one read: other threads may replace it
    if current is not None and current.text is text:
        return current
    enc = EncodedText(text)
    _last[:] = [enc]
    return enc


class EncodedText:
    """A text with its UTF-8 bytes and a byte-to-character offset map."""

    __slots__ = ("_after", "_extra", "data", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self._after: list[int] = []  # byte offset just past each non-ASCII character
        self._extra: list[int] = []  # extra bytes used by non-ASCII characters so far
        if len(self.data) != len(text):
            extra = 0
            for m in _NON_ASCII.finditer(text):
                width = len(m.group().encode("utf-8", "surrogatepass")) - 1
                extra += width
                self._after.append(m.end() + extra)
                self._extra.append(extra)

    def char(self, byte_offset: int) -> int:
        """The character offset of a byte offset (on a character boundary)."""
        if not self._after:
            return byte_offset
        i = bisect_right(self._after, byte_offset)
        return byte_offset - (self._extra[i - 1] if i else 0)

    def spans(self, regex: Any) -> Iterator[tuple[int, int]]:
        """Non-empty, non-overlapping match spans of `regex` as character offsets."""
        for start, end in _byte_spans(regex, self.data):
            if end > start:
                yield self.char(start), self.char(end)


def _byte_spans(regex: Any, data: bytes) -> Iterator[tuple[int, int]]:
    raw = getattr(regex, "_regexp", None)
    if raw is None or _UNANCHORED is None:
        for m in regex.finditer(data):  # the public, slower path
            yield m.span()
        return
    # The wrapper's own loop builds a match object per hit; only the spans are needed.
    pos, end = 0, len(data)
    while pos <= end:
        span = raw.Match(_UNANCHORED, data, pos, end)[0]
        if span[0] < 0:
            return
        yield span
        pos = span[1] if span[1] > span[0] else span[1] + 1
