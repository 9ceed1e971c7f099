"""Validators for the small values rule files are made of: words, references, scopes, dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.engine import schema
from bot.engine.issues import Issues
from bot.engine.model import ARTICLE, LEAD, SENTENCE, FactualityGate, LexRef, Scope, ScopeKind
from bot.text.lexicon import Lexicons
from bot.text.types import Factuality
from bot.text.yamlsource import KeyPath

_DURATION = re.compile(r"^\s*(?:\d+\s*[smhdw]\s*)+$")
_DURATION_PART = re.compile(r"(\d+)\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_WINDOW = 20


def words(value: Any, path: KeyPath, issues: Issues, what: str) -> tuple[str, ...] | None:
    """A word or a list of non-empty words."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        issues.add(f"'{what}' expects a word or a non-empty list of words", path)
        return None
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, bool):
            issues.add(
                f"'{what}' items must be text; quote words YAML reads as true/false"
                " ('no', 'yes', 'on', 'off')",
                (*path, i),
            )
        elif isinstance(item, int | float):
            out.append(str(item))
        elif not isinstance(item, str) or not item.strip():
            issues.add(f"'{what}' items must be non-empty text", (*path, i))
        else:
            out.append(item.strip())
    return tuple(out) if len(out) == len(value) else None


def lexref(value: Any, path: KeyPath, issues: Issues, lexicons: Lexicons) -> LexRef | None:
    """A lexicon reference: 'people', 'policy.loosen', 'people#watchlist' or 'places#!capital'."""
    if not isinstance(value, str) or not value.strip():
        issues.add(
            "expected a lexicon reference such as 'people', 'policy.loosen' or 'people#watchlist'",
            path,
        )
        return None
    text = value.strip()
    entry = tag = None
    without_tag = False
    if "#" in text:
        name, tag = (p.strip() for p in text.split("#", 1))
        if tag.startswith("!"):
            without_tag, tag = True, tag[1:].strip()
    elif "." in text:
        name, entry = (p.strip() for p in text.split(".", 1))
    else:
        name = text
    if name not in lexicons:
        known = sorted(lexicons.keys())
        hint = schema.did_you_mean(name, known)
        issues.add(
            f"unknown lexicon '{name}'{hint or '; known: ' + (', '.join(known) or 'none')}",
            path,
        )
        return None
    lexicon = lexicons[name]
    if entry is not None and not lexicon.has(entry):
        names = [e.name for e in lexicon.entries]
        hint = schema.did_you_mean(entry, names)
        issues.add(f"lexicon '{name}' has no entry '{entry}'{hint}", path)
        return None
    if tag is not None:
        tags = {t for e in lexicon.entries for t in e.tags}
        if tag not in tags:
            hint = schema.did_you_mean(tag, tags)
            issues.add(f"no entry of lexicon '{name}' has the tag '{tag}'{hint}", path)
            return None
    return LexRef(name, entry or None, tag or None, without_tag)


def lexrefs(
    value: Any, path: KeyPath, issues: Issues, lexicons: Lexicons
) -> tuple[LexRef, ...] | None:
    """One lexicon reference or a non-empty list of them."""
    items = value if isinstance(value, list) else [value]
    if not items:
        issues.add("expected a lexicon reference or a non-empty list of them", path)
        return None
    refs = [
        lexref(item, (*path, i) if isinstance(value, list) else path, issues, lexicons)
        for i, item in enumerate(items)
    ]
    if any(r is None for r in refs):
        return None
    return tuple(r for r in refs if r is not None)


def factuality(value: Any, path: KeyPath, issues: Issues) -> FactualityGate | None:
    """`[asserted]`, `asserted` or `{not: [negated, ...]}`."""
    names = [f.value for f in Factuality]
    excluded = False
    if isinstance(value, dict):
        extra = [k for k in value if k != "not"]
        if extra or "not" not in value:
            issues.add(
                "factuality expects a list of values or a mapping {not: [values]}",
                (*path, extra[0]) if extra else path,
            )
            return None
        value, path, excluded = value["not"], (*path, "not"), True
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        issues.add(f"factuality expects values among {', '.join(names)}", path)
        return None
    chosen: set[Factuality] = set()
    for i, item in enumerate(value):
        if item not in names:
            hint = schema.did_you_mean(str(item), names)
            issues.add(
                f"'{item}' is not a factuality value"
                + (hint or "; expected one of " + ", ".join(names)),
                (*path, i),
            )
            return None
        chosen.add(Factuality(item))
    allowed = frozenset(Factuality) - chosen if excluded else frozenset(chosen)
    if not allowed:
        issues.add("factuality excludes every value, so nothing could match", path)
        return None
    return FactualityGate(allowed)


def scope(value: Any, path: KeyPath, issues: Issues) -> Scope | None:
    """`sentence`, `lead`, `article` or `{window: N}`."""
    named = {"sentence": SENTENCE, "lead": LEAD, "article": ARTICLE}
    if isinstance(value, str) and value in named:
        return named[value]
    if isinstance(value, dict):
        extra = [k for k in value if k != "window"]
        size = value.get("window")
        if extra:
            issues.add(schema.unknown_key(str(extra[0]), schema.SCOPE_KEYS), (*path, extra[0]))
            return None
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_WINDOW:
            issues.add(f"window expects a number of sentences from 1 to {MAX_WINDOW}", path)
            return None
        return SENTENCE if size == 1 else Scope(ScopeKind.WINDOW, size)
    hint = schema.did_you_mean(str(value), schema.SCOPE_NAMES)
    issues.add(f"scope expects sentence, lead, article or {{window: N}}{hint}", path)
    return None


def boolean(value: Any, path: KeyPath, issues: Issues, what: str) -> bool | None:
    """true or false."""
    if not isinstance(value, bool):
        issues.add(f"'{what}' expects true or false", path)
        return None
    return value


def text(value: Any, path: KeyPath, issues: Issues, what: str) -> str | None:
    """A non-empty piece of text."""
    if not isinstance(value, str) or not value.strip():
        issues.add(f"'{what}' expects non-empty text", path)
        return None
    return value


def number(value: Any, path: KeyPath, issues: Issues, what: str) -> float | None:
    """An int or float (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        issues.add(f"'{what}' expects a number", path)
        return None
    return float(value)


def moment(value: Any, path: KeyPath, issues: Issues, what: str, *, end: bool) -> datetime | None:
    """A date or timestamp as a UTC datetime; a bare date `end`s at the next midnight."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            issues.add(f"'{what}' expects a date such as 2024-07-11 or a timestamp", path)
            return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        day = datetime.combine(value, time(0), tzinfo=UTC)
        return day + timedelta(days=1) if end else day
    issues.add(f"'{what}' expects a date such as 2024-07-11 or a timestamp", path)
    return None


def duration(value: Any, path: KeyPath, issues: Issues, what: str) -> timedelta | None:
    """'90s', '30m', '6h', '2d', '1w' or combinations such as '1d12h'."""
    if isinstance(value, str) and _DURATION.match(value):
        seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(value))
        if seconds > 0:
            return timedelta(seconds=seconds)
    issues.add(f"'{what}' expects a duration such as '6h', '2d' or '1d12h'", path)
    return None
