"""The rule file schema as data: every key the loader accepts, with what it expects.

The loader validates against these tables, error messages quote them, and a test checks
that docs/rules.md documents every key listed here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Top-level keys of a rule file.
RULE_KEYS: dict[str, str] = {
    "id": "a lowercase identifier such as 'strike-range'",
    "title": "a short human title",
    "severity": "one of info, low, medium, high, critical",
    "tags": "a list of words",
    "description": "text",
    "message": "a template such as '{actor} {direction} limits'",
    "enabled": "true or false",
    "scope": "sentence, lead, article or {window: N}",
    "match": "a condition",
    "require": "a list of fact names that must be found",
    "extract": "a mapping of fact name to fact spec",
    "track": "a mapping with key, value and change",
    "realert": "a duration such as '6h' or '2d'",
    "examples": "a mapping with fires and silent lists",
}
REQUIRED_RULE_KEYS = ("id", "title", "match")

# Keys that say what a condition is; a condition has exactly one of them.
CONDITION_KINDS: dict[str, str] = {
    "all": "a list of conditions that must all hold",
    "any": "a list of conditions of which one must hold",
    "not": "a condition that must not hold",
    "terms": "a word or a list of words",
    "lexicon": "a lexicon reference such as 'people#watchlist' or a list of them",
    "regex": "an RE2 regular expression",
    "near": "a list of word conditions (terms, lexicon, regex)",
    "quote": "a mapping with speaker, anonymous, terms or regex",
    "distance": "a mapping with status, km or unit",
    "source": "a source name or a list of names (shell wildcards allowed)",
    "date": "a mapping with since and/or until",
}
# Keys that modify a condition, and the kinds each one may go with.
CONDITION_MODIFIERS: dict[str, tuple[str, ...]] = {
    "scope": ("all", "any", "not", "terms", "lexicon", "regex", "near", "quote", "distance"),
    "factuality": ("terms", "lexicon", "regex", "distance"),
    "word_forms": ("terms",),
    "case_sensitive": ("regex",),
    "within": ("near",),
    "as": tuple(CONDITION_KINDS),
}
NEAR_CHILD_KINDS = ("terms", "lexicon", "regex")

QUOTE_KEYS: dict[str, str] = {
    "speaker": "a lexicon reference such as 'people#watchlist' or a list of them",
    "anonymous": "true (only unnamed sources) or false (only named speakers)",
    "terms": "words the quoted text must contain",
    "regex": "an RE2 regular expression the quoted text must match",
}
DISTANCE_KEYS: dict[str, str] = {
    "status": "permitted, denied, technical, geographic, area or other (or a list)",
    "km": "a mapping of gt, gte, lt, lte to numbers",
    "unit": "km or mi (or a list)",
}
COMPARISON_KEYS: dict[str, str] = {
    "gt": "a number the value must exceed",
    "gte": "a number the value must reach",
    "lt": "a number the value must stay below",
    "lte": "a number the value must not exceed",
}
DATE_KEYS: dict[str, str] = {
    "since": "a date (YYYY-MM-DD) or timestamp; published on or after it",
    "until": "a date (YYYY-MM-DD) or timestamp; published on or before it",
}
SCOPE_KEYS: dict[str, str] = {"window": "a number of consecutive sentences (2-20)"}
SCOPE_NAMES = ("sentence", "lead", "article")
FACTUALITY_KEYS: dict[str, str] = {"not": "a list of factuality values to exclude"}

# Keys of one fact spec under `extract`; a spec has exactly one kind key.
FACT_KINDS: dict[str, str] = {
    "mention": "a lexicon reference: the first (or every) mention of its entries",
    "cue": "a mapping of lexicon reference to value, read from the matched words",
    "quote": "speaker, text or speaker_text of the matched quotes",
    "distance": "km, value, unit, status, text or value_max of the matched distances",
    "value": "a constant",
    "template": "a template over other facts",
}
FACT_MODIFIERS: dict[str, tuple[str, ...]] = {
    "through": ("mention",),
    "attr": ("mention",),
    "in": ("mention", "cue"),
    "all": ("mention", "quote", "distance"),
    "pick": ("distance",),
    "default": ("mention", "cue", "quote", "distance", "template"),
}
FACT_IN = ("evidence", "lead", "article")
QUOTE_FIELDS = ("speaker", "text", "speaker_text")
DISTANCE_FIELDS = ("km", "value", "unit", "status", "text", "value_max")
PICKS = ("first", "max", "min")

TRACK_KEYS: dict[str, str] = {
    "key": "a template naming what is tracked, e.g. '{actor}'",
    "value": "the fact whose value is tracked",
    "change": "any, increase, decrease or new",
}
CHANGES = ("any", "increase", "decrease", "new")

EXAMPLES_KEYS: dict[str, str] = {
    "fires": "texts the rule must report",
    "silent": "texts the rule must not report",
}
EXAMPLE_KEYS: dict[str, str] = {
    "text": "the article text",
    "title": "the article title",
    "facts": "a mapping of fact name to the value it must have",
    "source": "the source name the article comes from",
    "date": "the publication date",
}

# Names every message and track key template may use besides the rule's facts.
TEMPLATE_BUILTINS = ("rule", "title", "ref", "source", "story", "severity")

SECTIONS: dict[str, Iterable[str]] = {
    "rule": RULE_KEYS,
    "condition": [*CONDITION_KINDS, *CONDITION_MODIFIERS],
    "quote": QUOTE_KEYS,
    "distance": DISTANCE_KEYS,
    "km": COMPARISON_KEYS,
    "date": DATE_KEYS,
    "scope": SCOPE_KEYS,
    "factuality": FACTUALITY_KEYS,
    "fact": [*FACT_KINDS, *FACT_MODIFIERS],
    "track": TRACK_KEYS,
    "examples": EXAMPLES_KEYS,
    "example": EXAMPLE_KEYS,
}


def all_keys() -> set[str]:
    """Every key any section of a rule file accepts."""
    return {key for keys in SECTIONS.values() for key in keys}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' Did you mean 'x'?' when a close choice exists, else ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def unknown_key(word: str, choices: Iterable[str]) -> str:
    """The message for a key that is not accepted here."""
    options = sorted(choices)
    hint = did_you_mean(word, options)
    if hint:
        return f"unknown key '{word}'{hint}"
    return f"unknown key '{word}'; expected one of {', '.join(options)}"
