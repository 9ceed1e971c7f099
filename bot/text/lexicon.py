"""Lexicons: named entries with spelling variants, loaded from YAML and matched in text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.errors import RuleError
from bot.text.scan import compile_bytes, encoded
from bot.text.terms import literal_pattern, word_form_pattern

# The entry of phrases that contain an alias but are not a mention ("Washington Post").
_EXCLUDED = "\x00exclude"


@dataclass(frozen=True, slots=True)
class LexMatch:
    """A lexicon hit: [start, end) in the searched text, the entry, and the alias that hit."""

    start: int
    end: int
    entry: str
    alias: str


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One named thing (a person, a place) or one cue category ("negated")."""

    name: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)
    patterns: tuple[str, ...] = ()


def norm_alias(text: str) -> str:
    """A comparison key: case-folded, one space, straight apostrophes, plain hyphens."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return " ".join(text.casefold().split())


def _key(alias: str, caps: bool) -> str:
    """The lookup key of an alias; capitals-only aliases keep their case."""
    if not caps:
        return norm_alias(alias)
    text = unicodedata.normalize("NFKC", alias).replace("’", "'")
    return "\x01" + " ".join(text.split())


def _is_caps(alias: str) -> bool:
    """Acronyms written in capitals ("US", "U.S.", "NATO") only match in capitals."""
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Lexicon:
    """A set of entries matched case-insensitively at word bounds, longest match first."""

    def __init__(
        self,
        name: str,
        description: str,
        entries: tuple[LexiconEntry, ...] | list[LexiconEntry],
        file: str | None = None,
        *,
        word_forms: bool = False,
        kind: str = "names",
        exclude: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.description = description
        self.entries: tuple[LexiconEntry, ...] = tuple(entries)
        self.file = file
        self.word_forms = word_forms
        self.kind = kind
        self.exclude = tuple(exclude)
        self._by_name = {e.name: e for e in self.entries}
        # alias key -> [(entry name, alias as written)]; several entries only in cue lexicons
        self._alias: dict[str, list[tuple[str, str]]] = {}
        # Word-form sources, compiled only when a hit needs telling which alias it was.
        self._term_srcs: list[tuple[str, str, str]] = []
        self._term_res_cache: list[tuple[re.Pattern[str], str, str]] | None = None
        groups: list[tuple[str, list[str]]] = [
            (e.name, [e.name, *e.aliases] if kind == "names" else list(e.aliases))
            for e in self.entries
        ]
        groups.append((_EXCLUDED, list(self.exclude)))
        # Names never overlap, so one automaton serves all entries; cue categories may
        # overlap ("even after" / "after he"), so each gets its own.
        per_entry = kind == "cues"
        terms_of: dict[tuple[str | None, bool], list[str]] = {}
        for entry_name, terms in groups:
            for alias in terms:
                caps = _is_caps(alias)
                owners = self._alias.setdefault(_key(alias, caps), [])
                if all(o[0] != entry_name for o in owners):
                    owners.append((entry_name, alias))
                if word_forms and not caps and entry_name != _EXCLUDED:
                    src = word_form_pattern(alias)
                    self._term_srcs.append((src, entry_name, alias))
                else:
                    src = literal_pattern(alias)
                    if alias[:1].isalnum():
                        src = r"\b" + src
                    if alias[-1:].isalnum():
                        src = src + r"\b"
                group = entry_name if per_entry else None
                terms_of.setdefault((group, caps), []).append(src)
        patterns_apart: list[tuple[str, str]] = []
        for entry in self.entries:
            for pattern in entry.patterns:
                if per_entry:
                    terms_of.setdefault((entry.name, False), []).append(pattern)
                else:
                    patterns_apart.append((entry.name, pattern))
        self._scanners: list[tuple[Any, str | None]] = [
            (compile_bytes("|".join(srcs), case_sensitive=caps), group)
            for (group, caps), srcs in terms_of.items()
        ]
        self._scanners += [
            (compile_bytes(p, case_sensitive=False), name) for name, p in patterns_apart
        ]
        self._seen: dict[tuple[str | None, str], list[tuple[str, str]]] = {}

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.entries)} entries)"

    def _term_res(self) -> list[tuple[re.Pattern[str], str, str]]:
        if self._term_res_cache is None:
            self._term_res_cache = [
                (re.compile(src, re.IGNORECASE), entry, alias)
                for src, entry, alias in self._term_srcs
            ]
        return self._term_res_cache

    def _identify(self, matched: str, group: str | None) -> list[tuple[str, str]]:
        """Which entries and aliases a matched piece of text belongs to (cached).

        A scanner of one entry (`group`) that matched no alias matched one of its patterns;
        the matched text then stands as the alias.
        """
        cache_key = (group, matched)
        known = self._seen.get(cache_key)
        if known is not None:
            return known
        found = self._alias.get(_key(matched, True)) or self._alias.get(_key(matched, False))
        if found is None:
            found = []
            for rx, entry, alias in self._term_res():
                wanted = group is None or entry == group
                if wanted and all(f[0] != entry for f in found) and rx.fullmatch(matched):
                    found.append((entry, alias))
        if group is not None:
            found = [f for f in found if f[0] == group] or [(group, matched)]
        if len(self._seen) < 20_000:
            self._seen[cache_key] = found
        return found

    def _raw(self, text: str) -> list[LexMatch]:
        """All hits of every alias and pattern, overlapping, sorted leftmost-longest first."""
        raw: list[LexMatch] = []
        enc = encoded(text)
        for rx, group in self._scanners:
            for start, end in enc.spans(rx):
                if not self._bounded(text, start, end):
                    continue
                for entry, alias in self._identify(text[start:end], group):
                    raw.append(LexMatch(start, end, entry, alias))
        raw.sort(key=lambda h: (h.start, h.start - h.end))
        return raw

    def find(self, text: str) -> list[LexMatch]:
        """Every non-overlapping hit in `text`, leftmost first, the longest at each place.

        In a cue lexicon one span may belong to several categories ("ban" is both a verb
        that tightens and a noun for a restriction); it is then reported once per category.
        """
        out: list[LexMatch] = []
        last = (-1, -1)
        for hit in self._raw(text):
            if hit.start >= last[1]:
                out.append(hit)
                last = (hit.start, hit.end)
            elif (hit.start, hit.end) == last and all(
                o.entry != hit.entry for o in out if (o.start, o.end) == last
            ):
                out.append(hit)
        return [h for h in out if h.entry != _EXCLUDED]

    def find_each(self, text: str) -> list[LexMatch]:
        """Like `find`, but each entry's hits are resolved on their own, so categories overlap.

        "even after he" can then be both a clause boundary and a background cue.
        """
        last_end: dict[str, int] = {}
        out: list[LexMatch] = []
        excluded: list[LexMatch] = []
        for hit in self._raw(text):
            if hit.start >= last_end.get(hit.entry, -1):
                (excluded if hit.entry == _EXCLUDED else out).append(hit)
                last_end[hit.entry] = hit.end
        if excluded:
            out = [
                h for h in out if not any(x.start <= h.start and h.end <= x.end for x in excluded)
            ]
        return out

    @staticmethod
    def _bounded(text: str, start: int, end: int) -> bool:
        # RE2's \b only knows ASCII letters; a neighbouring non-ASCII letter ("Kievé") must
        # also keep a hit from starting or ending inside a word.
        before = text[start - 1] if start > 0 else " "
        if before > "\x7f" and _word_char(before) and _word_char(text[start]):
            return False
        if end < len(text) and text[end] > "\x7f" and _word_char(text[end]):
            return not _word_char(text[end - 1])
        return True

    def resolve(self, name_text: str) -> str | None:
        """The canonical entry for a written name ("Mr. Zelenskiy" -> "Volodymyr Zelensky")."""
        owners = self._alias.get(_key(name_text, True)) or self._alias.get(
            _key(name_text, False), []
        )
        if len(owners) == 1 and owners[0][0] != _EXCLUDED:
            return owners[0][0]
        names = {m.entry for m in self.find(name_text)}
        return names.pop() if len(names) == 1 else None

    def entry(self, name: str) -> LexiconEntry:
        """The entry called `name`.

        Raises:
            RuleError: no such entry.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise RuleError(
                f"lexicon '{self.name}' has no entry '{name}'", file=self.file
            ) from None

    def has(self, name: str) -> bool:
        """Whether an entry called `name` exists."""
        return name in self._by_name

    def with_tag(self, tag: str) -> set[str]:
        """Names of the entries carrying `tag`."""
        return {e.name for e in self.entries if tag in e.tags}


class Lexicons:
    """All loaded lexicons by name (a read-only mapping)."""

    def __init__(self, lexicons: dict[str, Lexicon] | None = None) -> None:
        self._items: dict[str, Lexicon] = dict(lexicons or {})

    def __getitem__(self, name: str) -> Lexicon:
        return self._items[name]

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        """Lexicon names."""
        return list(self._items)

    def values(self) -> list[Lexicon]:
        """The lexicons."""
        return list(self._items.values())

    def items(self) -> list[tuple[str, Lexicon]]:
        """(name, lexicon) pairs."""
        return list(self._items.items())

    def get(self, name: str) -> Lexicon:
        """The lexicon called `name`.

        Raises:
            RuleError: no lexicon has that name.
        """
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none loaded"
            raise RuleError(f"unknown lexicon '{name}' (known: {known})") from None

    def get_or_empty(self, name: str) -> Lexicon:
        """The lexicon called `name`, or an empty one when it is not loaded."""
        return self._items.get(name) or Lexicon(name, "", ())


def load_lexicons(directory: Path) -> Lexicons:
    """Load every `*.yaml` lexicon file in `directory`.

    Raises:
        RuleError: a file is invalid; the message names file:line, the lexicon and the key.
    """
    from bot.text.lexiconfile import load_directory

    return load_directory(directory)


def load_lexicon(path: Path) -> Lexicon:
    """Load and validate one lexicon file.

    Raises:
        RuleError: the file is invalid; the message names file:line, the lexicon and the key.
    """
    from bot.text.lexiconfile import load_file

    return load_file(path)
