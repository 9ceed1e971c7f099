"""Alert titles that carry the key fact: the rule's message, what it was before, a quote.

The rule's rendered `message` is the title; list facts it leaves out (a place, a scope)
follow a dash, the tracked value's previous state is added as "(was: …)" and, when a named
speaker is the point, a few opening words of the quote. A rule
without a message gets a title from the shape of its facts, never from its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TITLE_MAX = 150  # Slack header blocks stop at 150 characters; Discord's embed titles at 256
SNIPPET_WORDS = 7
NONE_RECORDED = "none recorded"
ELLIPSIS = "…"
# Fact names that, when numeric, are themselves the unit ("km": 100 reads "100 km").
_UNIT_FACTS = ("km", "mi")
_QUOTE_FACTS = ("quote", "quotes", "quote_text")


def format_value(value: Any, *, unit: str | None = None) -> str:
    """A fact value as people read it: numbers without trailing zeros, lists joined."""
    if value is None or value == "" or value == [] or value == ():
        return NONE_RECORDED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        text = f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
        return f"{text} {unit}" if unit else text
    if isinstance(value, dict):
        for name in _UNIT_FACTS:
            if isinstance(value.get(name), int | float):
                return format_value(value[name], unit=name)
        return "; ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def numeric_unit(facts: dict[str, Any]) -> str | None:
    """The unit of the rule's numeric value: a fact named after a unit, else a `unit` fact.

    A rule that extracts `km` tracks the normalised value, whatever unit the article wrote.
    """
    for name in _UNIT_FACTS:
        if isinstance(facts.get(name), int | float):
            return name
    unit = facts.get("unit")
    return unit if isinstance(unit, str) and unit else None


def cut(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters at a word boundary, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: max(1, limit - len(ELLIPSIS))]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:—–-") + ELLIPSIS


def snippet(quote: str, words: int = SNIPPET_WORDS) -> str:
    """The first few words of a quote, with an ellipsis when there is more."""
    parts = quote.strip().strip("\"“”'‘’").split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:—–-.") + ELLIPSIS


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def quote_fact(facts: dict[str, Any]) -> str | None:
    """The first quoted text among the facts, if the rule extracted one."""
    for name in _QUOTE_FACTS:
        for text in _strings(facts.get(name)):
            if text.strip():
                return text
    return None


def title_from_facts(rule_title: str, facts: dict[str, Any]) -> str:
    """A title for a rule without a message: its title and its simplest facts."""
    shown = [
        f"{name.replace('_', ' ')} {format_value(value, unit=name if name in _UNIT_FACTS else None)}"
        for name, value in facts.items()
        if value not in (None, "", [], ())
        and not isinstance(value, dict)
        and name not in _QUOTE_FACTS
    ][:3]
    return f"{rule_title}: {', '.join(shown)}" if shown else rule_title


def _named_in(item: str, message: str) -> bool:
    """Whether the message names the item: all of it, or one of its proper names
    ("Biden" names "Joe Biden", "Kharkiv" names "Kharkiv region")."""
    if item.casefold() in message.casefold():
        return True
    words = set(re.findall(r"[^\W\d_][\w'’-]*", message))
    return any(w[:1].isupper() and len(w) > 2 and w in words for w in item.split())


def left_out(message: str, facts: dict[str, Any]) -> list[str]:
    """Items of list facts (places, scopes) that the message does not already name."""
    out: list[str] = []
    for name, value in facts.items():
        if name in _QUOTE_FACTS or not isinstance(value, list | tuple):
            continue
        out.extend(
            v
            for v in value
            if isinstance(v, str) and v.strip() and not _named_in(v, message) and v not in out
        )
    return out


def alert_title(
    message: str,
    *,
    rule_title: str,
    facts: dict[str, Any],
    tracked: bool,
    previous: Any = None,
    quote: str | None = None,
) -> str:
    """The alert's title: message (or facts), "(was: …)" for tracked values, a quote snippet."""
    base = " ".join(message.split()) or title_from_facts(rule_title, facts)
    detail = left_out(base, facts)
    if detail:
        base = f"{base} — {', '.join(detail)}"
    was = ""
    if tracked and "(was:" not in base:
        was = f" (was: {format_value(previous, unit=numeric_unit(facts))})"
    text = quote or quote_fact(facts)
    tail = ""
    if text and not any(mark in base for mark in '“"‘'):
        tail = f": “{snippet(text)}”"
    room = TITLE_MAX - len(was)
    head = cut(base, room)
    if len(head) + len(tail) > room:
        tail = ""  # the fact outranks the quote when the title is full
    return f"{head}{tail}{was}"
