"""Article cleaning: HTML to text, page furniture removal, and the seed-file format.

Every rule here is generic page structure (language switchers, repeated titles, photo
credits, related-link blocks), never the wording of one article. The furniture labels are
English defaults in `Furniture`; pass another instance for sources in other languages.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from bot.text.sentences import split_sentences

# Elements whose text is never article text.
# Not <form>: some sites wrap the whole page in one.
_DROP = frozenset(
    "script style nav noscript template head svg iframe button select textarea canvas "
    "object embed aside footer figcaption".split()
)
# Elements that start and end a paragraph.
_BLOCK = frozenset(
    "address article blockquote body caption dd details dialog div dl dt fieldset figure h1 "
    "h2 h3 h4 h5 h6 header hr li main ol p pre section summary table tbody tfoot thead tr ul "
    "center".split()
)
_LINE = frozenset({"br"})
_CELL = frozenset({"td", "th"})
_TAG_LIKE = re.compile(r"<[A-Za-z!/]")
# Invisible characters that scraped text carries around.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = re.compile(r"[.!?…:;,][\"”’'»)\]]*$")
_LANG_TOKEN = re.compile(r"[^\W\d_]{2}")
_LANG_SPLIT = re.compile(r"[\s|/·•,]+")
# A photo/copyright credit in parentheses at the end of a line: "(Photo: X)", "(Phoro: X)",
# "(Photo by X)". The label is any one or two words, so typos in it still match.
_CREDIT = re.compile(r"\(\s*[^\W\d_][\w-]*(?:\s[\w-]+)?\s*(?::|\s+by\b)[^()]{1,120}\)\s*$")
_WORD = re.compile(r"[\w’'-]+")
_DATE_PREFIX = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|\n|$)")


@dataclass(frozen=True, slots=True)
class Furniture:
    """Labels of page furniture, compared case-insensitively without trailing punctuation."""

    # A line with one of these introduces a link to another story (dropped with it).
    related: tuple[str, ...] = (
        "read more",
        "related",
        "also read",
        "read also",
        "see also",
        "more on this",
        "more on this story",
        "related articles",
        "related stories",
        "related coverage",
        "related content",
        "related news",
        "recommended",
        "read next",
        "you may also like",
        "further reading",
    )
    # A line opening with one of these and then only names is a byline ("By Jane Doe").
    byline: tuple[str, ...] = ("by",)
    # A short line opening with one of these and holding a number is a timestamp.
    timestamp: tuple[str, ...] = ("updated", "published", "last updated", "posted")
    # Lines dropped on their own.
    noise: tuple[str, ...] = (
        "advertisement",
        "continue reading",
        "share",
        "share this article",
        "skip to content",
        "story continues below",
        "story continues below advertisement",
    )


DEFAULT_FURNITURE = Furniture()


class _TextExtractor(HTMLParser):
    """Collects text with paragraph ("\\n\\n") and line ("\\n") breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip = 0  # HTML may leave <head> (or a stray <nav>) unclosed before <body>
        if tag in _DROP:
            self._skip += 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)  # a self-closed <svg/> or <nav/> holds nothing to skip

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP and self._skip:
            self._skip -= 1
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))

    def _break(self, tag: str) -> None:
        if tag in _BLOCK or tag in _DROP:
            self.parts.append("\n\n")
        elif tag in _LINE:
            self.parts.append("\n")
        elif tag in _CELL:
            self.parts.append(" ")


def _normalise_line(line: str) -> str:
    return _SPACES.sub(" ", line.translate(_INVISIBLE)).strip()


def _normalise_block(text: str) -> str:
    """Collapse spaces per line, drop blank lines, separate paragraphs with one blank line."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln for ln in (_normalise_line(x) for x in block.split("\n")) if ln]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def html_to_text(markup: str) -> str:
    """HTML (or plain text with entities) to text: paragraphs separated by a blank line."""
    if not _TAG_LIKE.search(markup):
        return _normalise_block(html.unescape(markup))
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return _normalise_block("".join(parser.parts))


def _label(line: str) -> str:
    """A line reduced to compare with furniture labels: lowercase, no trailing marks."""
    return re.sub(r"[\s:.…»›>→|-]+$", "", line.lower()).strip()


def _words(line: str) -> list[str]:
    return [w.strip("'’-").lower() for w in _WORD.findall(line.replace("’", "'"))]


def looks_like_heading(line: str, *, max_words: int = 25) -> bool:
    """A headline or section heading: no terminal sentence punctuation, a few words."""
    line = line.strip()
    if not line or _TERMINAL.search(line) or not any(c.isalpha() for c in line):
        return False
    return len(line.split()) <= max_words


def _is_language_switcher(line: str) -> bool:
    tokens = [t for t in _LANG_SPLIT.split(line) if t]
    if not 2 <= len(tokens) <= 16 or not all(_LANG_TOKEN.fullmatch(t) for t in tokens):
        return False
    # "ua en ru" or "EN | RU", but not a two-word phrase such as "Go on".
    return all(t.islower() for t in tokens) or all(t.isupper() for t in tokens)


def _is_byline(line: str, furniture: Furniture) -> bool:
    words = line.replace("|", " ").split()
    if not 2 <= len(words) <= 10 or words[0].lower() not in furniture.byline:
        return False
    if line.rstrip()[-1:] in ".!?":
        return False
    names = [w.strip(",;") for w in words[1:] if w.strip(",;")]
    return all(w[0].isupper() or w.lower() in ("and", "&") for w in names)


def _is_timestamp(line: str, furniture: Furniture) -> bool:
    label = line.lower()
    return (
        len(line.split()) <= 12
        and any(label.startswith(t) for t in furniture.timestamp)
        and any(c.isdigit() for c in line)
    )


def _starts_with_title(line: str, title_words: list[str]) -> bool:
    words = _words(line)
    n = len(title_words)
    if n == 0 or len(words) < n:
        return False
    mismatches = sum(a != b for a, b in zip(words[:n], title_words, strict=False))
    return mismatches <= n // 8  # tolerate a typo or two in a long title


def _is_title_repeat(line: str, title_words: list[str]) -> bool:
    """The title again, maybe followed by a photo caption and a credit in parentheses."""
    if not _starts_with_title(line, title_words):
        return False
    credit = _CREDIT.search(line)
    rest = line[: credit.start()].rstrip() if credit else line
    if _TERMINAL.search(rest):
        return False  # a sentence that happens to start like the title
    extra = len(_words(rest)) - len(title_words)
    return extra == 0 or credit is not None or extra <= 12


def _related_label(line: str, furniture: Furniture) -> tuple[bool, bool]:
    """(is a related-link line, the headline is on the same line after a colon)."""
    if _label(line) in furniture.related:
        return True, False
    head, sep, rest = line.partition(":")
    if sep and _label(head) in furniture.related and len(rest.split()) <= 25:
        return True, True
    return False, False


def _inline_related(furniture: Furniture) -> re.Pattern[str]:
    labels = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in furniture.related)
    inner = r"[^()\[\]]*(?:\([^()]*\)[^()\[\]]*)*"
    return re.compile(rf"\s*[(\[]\s*(?:{labels})\s*:{inner}[)\]]", re.I)


_INLINE_DEFAULT = _inline_related(DEFAULT_FURNITURE)


def _clean_lines(
    lines: list[str], title: str | None, furniture: Furniture = DEFAULT_FURNITURE
) -> list[str]:
    inline = _INLINE_DEFAULT if furniture is DEFAULT_FURNITURE else _inline_related(furniture)
    title_words = _words(title) if title else []
    prepared = [_normalise_line(inline.sub("", x)) for x in lines]
    kept: list[str] = []
    skip_headline = False
    for line in (x for x in prepared if x):
        if skip_headline:
            skip_headline = False
            if looks_like_heading(line.rstrip("?!"), max_words=25):
                continue  # the related story's headline
        label = _label(line)
        if label in furniture.noise or _is_language_switcher(line):
            continue
        if _CREDIT.fullmatch(line) or _is_byline(line, furniture):
            continue  # a credit or byline on its own line
        if _is_timestamp(line, furniture):
            continue
        related, same_line = _related_label(line, furniture)
        if related:
            skip_headline = not same_line
            continue
        if title_words and _is_title_repeat(line, title_words):
            continue
        kept.append(line)
    return kept


def clean_article(
    text: str, *, title: str | None = None, furniture: Furniture = DEFAULT_FURNITURE
) -> str:
    """Drop page furniture from article text; one paragraph per line, blank-line separated.

    Section headings stay as paragraphs of their own, so sentence splitting never glues them
    to the next sentence. Cleaning an already-clean text changes nothing.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n\n".join(_clean_lines(lines, title, furniture))


def first_sentence(text: str) -> str:
    """The first sentence of `text` (abbreviations and initials do not end it)."""
    sentences = split_sentences(text)
    return sentences[0].text if sentences else text.strip()


def split_seed_file(raw: str) -> tuple[str, str, date | None]:
    """Split a seed-style article file into (title, cleaned body, published date or None).

    The first line may start with ` date YYYY-MM-DD `. A first line that reads like a
    headline is the title and leaves the body; otherwise the title is the first sentence,
    which the body keeps.
    """
    text = raw.lstrip("\ufeff")
    published: date | None = None
    m = _DATE_PREFIX.match(text)
    if m:
        try:
            published = date.fromisoformat(m.group(1))
        except ValueError:
            published = None  # a malformed date is no date, the text is still the article
        text = text[m.end() :]
    lines = _clean_lines(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), None)
    if not lines:
        return "", "", published
    if looks_like_heading(lines[0]):
        title, body = lines[0], lines[1:]
    else:
        title, body = first_sentence(lines[0]), lines
    return title, "\n\n".join(_clean_lines(body, title)), published


def normalise_text(text: str) -> str:
    """Plain text with its line structure kept: spaces collapsed, paragraphs blank-line apart."""
    return _normalise_block(text)
