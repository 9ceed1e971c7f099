"""What a later article of a story adds to the alerts the story already had for a rule.

Generic over fact names: a list adds the items no earlier alert had, a number adds itself
when it is larger than every earlier one, a short string (an actor, a direction, a status)
when no earlier alert had it, and a long string (a quote) only when it says something the
earlier ones did not. An empty result means the article only repeats the story: it is
attached as "also reported by".
"""

from __future__ import annotations

from typing import Any

from bot.alerts.fingerprint import normalise_words

PROSE_WORDS = 5  # strings longer than this are prose (quotes), compared by their words
PROSE_OVERLAP = 0.5  # share of a prose value's words already said for it to be a repeat


def _key(value: Any) -> Any:
    """A comparison key: strings case- and space-insensitive, everything else as is."""
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_key(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), repr(_key(v))) for k, v in value.items()))
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_prose(value: str) -> bool:
    return len(value.split()) > PROSE_WORDS


def _prose_is_new(value: str, earlier: list[Any]) -> bool:
    words = set(normalise_words(value))
    if not words:
        return False
    for old in earlier:
        if isinstance(old, str):
            seen = set(normalise_words(old))
            if len(words & seen) / len(words) >= PROSE_OVERLAP:
                return False
    return True


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, list | tuple | set | frozenset):
            out.extend(v)
        else:
            out.append(v)
    return out


def _added(value: Any, earlier: list[Any]) -> Any:
    """What `value` adds to the `earlier` values of the same fact, or None for nothing."""
    if value is None or value in ("", [], ()):
        return None
    if isinstance(value, dict):
        nested = new_evidence("", [e for e in earlier if isinstance(e, dict)], value)
        return nested or None
    if isinstance(value, list | tuple | set | frozenset):
        seen = _flatten(earlier)
        seen_keys = {_key(s) for s in seen}
        fresh: list[Any] = []
        for v in value:
            if _key(v) in seen_keys or (
                isinstance(v, str) and _is_prose(v) and not _prose_is_new(v, seen)
            ):
                continue
            seen_keys.add(_key(v))
            fresh.append(v)
        return fresh or None
    if _is_number(value):
        numbers = [e for e in _flatten(earlier) if _is_number(e)]
        return value if not numbers or value > max(numbers) else None
    if isinstance(value, str) and _is_prose(value):
        return value if _prose_is_new(value, _flatten(earlier)) else None
    seen_keys = {_key(e) for e in _flatten(earlier)}
    return value if _key(value) not in seen_keys else None


def new_evidence(
    rule_id: str, earlier_facts: list[dict[str, Any]], facts: dict[str, Any]
) -> dict[str, Any]:
    """The facts of a later article of a story that the story's earlier alerts lacked.

    `earlier_facts` are the facts of the story's earlier alerts for rule `rule_id`; with
    none, everything is new. Returns {} when the article adds nothing.
    """
    if not earlier_facts:
        return {k: v for k, v in facts.items() if v not in (None, "", [], ())}
    out: dict[str, Any] = {}
    for name, value in facts.items():
        earlier = [f[name] for f in earlier_facts if name in f and f[name] is not None]
        added = _added(value, earlier)
        if added is not None:
            out[name] = added
    return out
