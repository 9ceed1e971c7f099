"""Split article text into sentences with offsets, paragraph by paragraph."""

from __future__ import annotations

import re

from bot.text.types import Sentence

# Abbreviations that always precede a name or a word, never end a sentence.
_TITLES = frozenset(
    "mr mrs ms mx dr gen lt col sgt capt maj adm gov sen rep rev prof st jr sr pres sec amb "
    "cmdr brig fr hon messrs mt ft gens reps sens cpl pvt insp supt vs v cf approx est dept".split()
)
# Abbreviations followed by a number: "No. 2", "Jan. 5", "p. 12".
_BEFORE_NUMBER = frozenset(
    "no nos art vol p pp fig ch sec para jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Words that open a sentence; only these end a sentence after "U.S." or "Inc.".
_STARTERS = frozenset(
    "a an and as at but by during for he her his however i if in it its meanwhile my no on "
    "our she since so that the their there these they this those though thus to we what "
    "when where while who why yet you".split()
)
# Company and place abbreviations that may or may not end a sentence.
_MAYBE_END = frozenset("inc corp ltd co bros etc al".split())

_CANDIDATE = re.compile(r"(?:[.!?]+|…+|\.\.\.+)[\"”’'»)\]]*(?=\s|$)")
_PARAGRAPH = re.compile(r"[^\n]+")
_TOKEN_BEFORE = re.compile(r"([^\s\"“”‘’'(\[«]*)$")


def _is_boundary(para: str, m: re.Match[str]) -> bool:
    """Whether the punctuation matched by `m` ends a sentence."""
    mark = m.group()
    punct = mark.rstrip("\"”’'»)]")
    closers = mark[len(punct) :]
    rest = para[m.end() :].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if nxt.islower():
        return False
    if not (nxt.isalnum() or nxt in "\"“‘'«([¿¡"):
        return False
    if punct.startswith("…") or punct.startswith(".."):
        # An ellipsis marks omitted words; it ends a sentence only at a closing quote.
        return bool(closers)
    if punct != "." or closers:
        return True
    token = _TOKEN_BEFORE.search(para, 0, m.start())
    word = token.group(1) if token else ""
    low = word.lower()
    next_word = re.match(r"[\w’']+", rest)
    nw = next_word.group().lower() if next_word else ""
    if low in _TITLES:
        return False
    if low in _BEFORE_NUMBER and nxt.isdigit():
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: "John F. Kennedy"
    if "." in word and re.fullmatch(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}", word):
        return nw in _STARTERS  # "U.S.", "D.C.", "a.m."
    if low in _MAYBE_END:
        return nw in _STARTERS
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; each line (paragraph) is split on its own.

    Offsets index into `text`; leading and trailing whitespace is left out of each sentence.
    """
    out: list[Sentence] = []
    paragraph = -1
    for pm in _PARAGRAPH.finditer(text):
        para = pm.group()
        if not para.strip():
            continue
        paragraph += 1
        base = pm.start()
        cut = 0
        for m in _CANDIDATE.finditer(para):
            if _is_boundary(para, m):
                _emit(text, base + cut, base + m.end(), paragraph, out)
                cut = m.end()
        if cut < len(para):
            _emit(text, base + cut, base + len(para), paragraph, out)
    return out


def _emit(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))
