"""Lexicons: named entries with spelling variants, loaded from YAML and matched in text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from bot.domain.errors import RuleError
from bot.text.terms import literal_pattern, word_form_pattern
from bot.text.yamlsource import KeyPath, line_of, load_yaml_with_lines

_TOP_KEYS = {"lexicon", "description", "word_forms", "kind", "exclude", "entries"}
_ENTRY_KEYS = {"name", "aliases", "tags", "attrs", "patterns"}
_KINDS = ("names", "cues")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
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


def _norm(text: str) -> str:
    """A comparison key: case-folded, one space, straight apostrophes, plain hyphens."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return " ".join(text.casefold().split())


def _key(alias: str, caps: bool) -> str:
    """The lookup key of an alias; capitals-only aliases keep their case."""
    if not caps:
        return _norm(alias)
    text = unicodedata.normalize("NFKC", alias).replace("’", "'")
    return "\x01" + " ".join(text.split())


def _is_caps(alias: str) -> bool:
    """Acronyms written in capitals ("US", "U.S.", "NATO") only match in capitals."""
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _options(case_sensitive: bool) -> Any:
    opts = re2.Options()
    opts.longest_match = True
    opts.case_sensitive = case_sensitive
    opts.max_mem = 64 << 20
    return opts


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
        self._term_res: list[tuple[re.Pattern[str], str, str]] = []
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
                    self._term_res.append((re.compile(src, re.IGNORECASE), entry_name, alias))
                else:
                    src = literal_pattern(alias)
                    if alias[:1].isalnum():
                        src = r"\b" + src
                    if alias[-1:].isalnum():
                        src = src + r"\b"
                group = entry_name if per_entry else None
                terms_of.setdefault((group, caps), []).append(src)
        self._scanners: list[tuple[Any, str | None]] = [
            (re2.compile("|".join(srcs), _options(caps)), group)
            for (group, caps), srcs in terms_of.items()
        ]
        self._patterns: list[tuple[Any, str, str]] = [
            (re2.compile(p, _options(False)), entry.name, p)
            for entry in self.entries
            for p in entry.patterns
        ]
        self._seen: dict[str, list[tuple[str, str]]] = {}

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.entries)} entries)"

    def _identify(self, matched: str) -> list[tuple[str, str]]:
        """Which entries and aliases a matched piece of text belongs to (cached)."""
        hit = self._alias.get(_key(matched, True)) or self._alias.get(_key(matched, False))
        if hit is not None:
            return hit
        key = _norm(matched)
        if key in self._seen:
            return self._seen[key]
        found: list[tuple[str, str]] = []
        for rx, entry, alias in self._term_res:
            if rx.fullmatch(matched) and all(f[0] != entry for f in found):
                found.append((entry, alias))
        if len(self._seen) < 10_000:
            self._seen[key] = found
        return found

    def _raw(self, text: str) -> list[LexMatch]:
        """All hits of every alias and pattern, overlapping, sorted leftmost-longest first."""
        raw: list[LexMatch] = []
        for rx, group in self._scanners:
            for m in rx.finditer(text):
                start, end = m.start(), m.end()
                if start == end or not self._bounded(text, start, end):
                    continue
                for entry, alias in self._identify(text[start:end]):
                    if group is None or entry == group:
                        raw.append(LexMatch(start, end, entry, alias))
        for rx, entry, pattern in self._patterns:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    raw.append(LexMatch(m.start(), m.end(), entry, pattern))
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
        # RE2's \b only knows ASCII; check Unicode letters on both sides too.
        if start > 0 and _word_char(text[start]) and _word_char(text[start - 1]):
            return False
        return not (end < len(text) and _word_char(text[end - 1]) and _word_char(text[end]))

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
    if not directory.is_dir():
        raise RuleError("lexicon directory does not exist", file=str(directory))
    out: dict[str, Lexicon] = {}
    for path in sorted(directory.glob("*.y*ml")):
        lex = load_lexicon(path)
        if lex.name in out:
            raise RuleError(
                f"lexicon '{lex.name}' is defined twice (also in {out[lex.name].file})",
                file=str(path),
                line=1,
                key="lexicon",
            )
        out[lex.name] = lex
    return Lexicons(out)


def load_lexicon(path: Path) -> Lexicon:
    """Load and validate one lexicon file.

    Raises:
        RuleError: the file is invalid; the message names file:line, the lexicon and the key.
    """
    data, lines = load_yaml_with_lines(path)
    return _Builder(str(path), data, lines).build()


class _Builder:
    """Validates one parsed lexicon file, reporting the first error with its line."""

    def __init__(self, file: str, data: Any, lines: dict[KeyPath, int]) -> None:
        self.file = file
        self.data = data
        self.lines = lines
        self.lexicon = "?"

    def fail(self, message: str, path: KeyPath, entry: str = "") -> RuleError:
        where = f"lexicon '{self.lexicon}'" + (f", entry '{entry}'" if entry else "")
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return RuleError(
            f"{where}: {message}",
            file=self.file,
            line=line_of(self.lines, path) or 1,
            key=key or None,
        )

    def build(self) -> Lexicon:
        data = self.data
        if not isinstance(data, dict):
            raise self.fail("expected a mapping with 'lexicon', 'description' and 'entries'", ())
        name = data.get("lexicon")
        if isinstance(name, str):
            self.lexicon = name
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(
                    f"unknown key '{key}'; expected one of {', '.join(sorted(_TOP_KEYS))}",
                    (key,),
                )
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise self.fail("'lexicon' must be a lowercase name such as 'people'", ("lexicon",))
        stem = Path(self.file).stem
        if name != stem:
            raise self.fail(f"lexicon name must match its file name '{stem}'", ("lexicon",))
        description = data.get("description", "")
        if not isinstance(description, str):
            raise self.fail("'description' must be text", ("description",))
        word_forms = data.get("word_forms", False)
        if not isinstance(word_forms, bool):
            raise self.fail("'word_forms' must be true or false", ("word_forms",))
        kind = data.get("kind", "names")
        if kind not in _KINDS:
            raise self.fail(f"'kind' must be one of {', '.join(_KINDS)}", ("kind",))
        exclude = self.strings(data.get("exclude"), ("exclude",), "", "exclude")
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            raise self.fail("'entries' must be a non-empty list", ("entries",))
        entries = [self.entry(i, raw) for i, raw in enumerate(raw_entries)]
        self.check_unique(entries, kind)
        try:
            return Lexicon(
                name,
                description,
                entries,
                self.file,
                word_forms=word_forms,
                kind=kind,
                exclude=exclude,
            )
        except Exception as e:  # RE2 refuses an oversized combined pattern
            raise self.fail(f"cannot compile lexicon: {e}", ("entries",)) from e

    def strings(self, value: Any, path: KeyPath, entry: str, what: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(f"'{what}' must be a list of text", path, entry)
        for i, item in enumerate(value):
            if isinstance(item, bool):
                raise self.fail(
                    f"'{what}' items must be text; quote words YAML reads as true/false"
                    " ('no', 'yes', 'on', 'off')",
                    (*path, i),
                    entry,
                )
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"'{what}' items must be non-empty text", (*path, i), entry)
        return tuple(s.strip() for s in value)

    def entry(self, i: int, raw: Any) -> LexiconEntry:
        path: KeyPath = ("entries", i)
        if not isinstance(raw, dict):
            raise self.fail("an entry must be a mapping with at least 'name'", path)
        name = raw.get("name")
        label = name if isinstance(name, str) else f"#{i + 1}"
        for key in raw:
            if key not in _ENTRY_KEYS:
                raise self.fail(
                    f"unknown key '{key}'; expected one of {', '.join(sorted(_ENTRY_KEYS))}",
                    (*path, key),
                    label,
                )
        if not isinstance(name, str) or not name.strip():
            raise self.fail("'name' must be non-empty text", (*path, "name"), label)
        aliases = self.strings(raw.get("aliases"), (*path, "aliases"), label, "aliases")
        tags = self.strings(raw.get("tags"), (*path, "tags"), label, "tags")
        patterns = self.strings(raw.get("patterns"), (*path, "patterns"), label, "patterns")
        for j, pattern in enumerate(patterns):
            try:
                re2.compile(pattern, _options(False))
            except Exception as e:
                raise self.fail(
                    f"pattern is not a valid RE2 regular expression: {e}",
                    (*path, "patterns", j),
                    label,
                ) from e
        attrs_raw = raw.get("attrs") or {}
        if not isinstance(attrs_raw, dict):
            raise self.fail("'attrs' must be a mapping of text to text", (*path, "attrs"), label)
        attrs: dict[str, str] = {}
        for k, v in attrs_raw.items():
            if (
                not isinstance(k, str)
                or not isinstance(v, str | int | float)
                or isinstance(v, bool)
            ):
                raise self.fail("'attrs' values must be text", (*path, "attrs", k), label)
            attrs[k] = str(v)
        return LexiconEntry(name.strip(), aliases, tags, attrs, patterns)

    def check_unique(self, entries: list[LexiconEntry], kind: str) -> None:
        seen_names: set[str] = set()
        owner: dict[str, str] = {}
        for i, e in enumerate(entries):
            if e.name in seen_names:
                raise self.fail("duplicate entry name", ("entries", i, "name"), e.name)
            seen_names.add(e.name)
            terms = ([e.name] if kind == "names" else []) + list(e.aliases)
            for j, alias in enumerate(terms):
                key = _norm(alias)
                other = owner.get(key)
                if other is not None and other != e.name and kind == "names":
                    k = j - (kind == "names")
                    path: KeyPath = (
                        ("entries", i, "aliases", k) if k >= 0 else ("entries", i, "name")
                    )
                    raise self.fail(
                        f"alias '{alias}' also belongs to entry '{other}'; an alias must name"
                        " one entry",
                        path,
                        e.name,
                    )
                owner[key] = e.name
