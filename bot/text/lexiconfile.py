"""Reading lexicon files: validation with file:line errors that name the lexicon and key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.domain.errors import RuleError
from bot.text.lexicon import Lexicon, LexiconEntry, Lexicons, norm_alias
from bot.text.scan import compile_bytes
from bot.text.yamlsource import KeyPath, line_of, load_yaml_with_lines

_TOP_KEYS = {"lexicon", "description", "word_forms", "kind", "exclude", "entries"}
_ENTRY_KEYS = {"name", "aliases", "tags", "attrs", "patterns"}
_KINDS = ("names", "cues")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


def load_directory(directory: Path) -> Lexicons:
    """Load every `*.yaml` lexicon file in `directory`.

    Raises:
        RuleError: a file is invalid; the message names file:line, the lexicon and the key.
    """
    if not directory.is_dir():
        raise RuleError("lexicon directory does not exist", file=str(directory))
    out: dict[str, Lexicon] = {}
    for path in sorted(directory.glob("*.y*ml")):
        lex = load_file(path)
        if lex.name in out:
            raise RuleError(
                f"lexicon '{lex.name}' is defined twice (also in {out[lex.name].file})",
                file=str(path),
                line=1,
                key="lexicon",
            )
        out[lex.name] = lex
    return Lexicons(out)


def load_file(path: Path) -> Lexicon:
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
                compile_bytes(pattern, case_sensitive=False)
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
                key = norm_alias(alias)
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
