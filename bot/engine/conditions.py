"""Validate and compile the condition tree of a rule (`match:`)."""

from __future__ import annotations

import re
from typing import Any

from bot.engine import fields, schema
from bot.engine.issues import Issues, key_text
from bot.engine.model import (
    AllNode,
    AnyNode,
    Bounds,
    DateNode,
    DistanceNode,
    LexiconNode,
    NearNode,
    Node,
    NotNode,
    QuoteNode,
    RegexNode,
    SourceNode,
    TermsNode,
)
from bot.engine.patterns import PatternError, compile_re2, compile_terms
from bot.text.lexicon import Lexicons
from bot.text.types import DistanceStatus
from bot.text.yamlsource import KeyPath

MAX_DEPTH = 12
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
_RESERVED_NAMES = frozenset(schema.FACT_IN)
MAX_NEAR_WITHIN = 50
_UNITS = ("km", "mi")


class ConditionParser:
    """Builds Nodes from YAML data, recording every problem in `issues`."""

    def __init__(self, issues: Issues, lexicons: Lexicons) -> None:
        self.issues = issues
        self.lexicons = lexicons
        self.names: set[str] = set()  # every `as:` name in the tree

    def parse(self, value: Any, path: KeyPath, depth: int = 0) -> Node | None:
        """A condition node, or None when it is invalid (the error is recorded)."""
        issues = self.issues
        if depth > MAX_DEPTH:
            issues.add(f"conditions nest deeper than {MAX_DEPTH} levels", path)
            return None
        if not isinstance(value, dict) or not value:
            issues.add(
                "a condition must be a mapping with one of: " + ", ".join(schema.CONDITION_KINDS),
                path,
            )
            return None
        known = [*schema.CONDITION_KINDS, *schema.CONDITION_MODIFIERS]
        bad = False
        for key in value:
            if key not in known:
                issues.add(schema.unknown_key(str(key), known), (*path, key))
                bad = True
        kinds = [k for k in value if k in schema.CONDITION_KINDS]
        if len(kinds) != 1:
            what = "none" if not kinds else ", ".join(kinds)
            issues.add(
                f"a condition needs exactly one of {', '.join(schema.CONDITION_KINDS)}"
                f" (found {what}); combine several with 'all' or 'any'",
                path,
            )
            return None
        kind = kinds[0]
        for key in value:
            allowed = schema.CONDITION_MODIFIERS.get(key)
            if allowed is not None and kind not in allowed:
                issues.add(
                    f"'{key}' does not go with '{kind}' (only with {', '.join(allowed)})",
                    (*path, key),
                )
                bad = True
        scope = None
        if "scope" in value:
            scope = fields.scope(value["scope"], (*path, "scope"), issues)
            bad = bad or scope is None
        name = None
        if "as" in value:
            name = value["as"]
            if not isinstance(name, str) or not _NAME.match(name):
                issues.add("'as' expects a lowercase name such as 'trigger'", (*path, "as"))
                bad = True
            elif name in _RESERVED_NAMES:
                issues.add(f"'{name}' is reserved; choose another name for 'as'", (*path, "as"))
                bad = True
            else:
                self.names.add(name)
        node = getattr(self, "_" + kind)(value, path, depth)
        if node is None or bad:
            return None
        node.scope = scope
        node.name = name
        return node  # type: ignore[no-any-return]

    def _base(self, path: KeyPath) -> dict[str, Any]:
        return {"line": self.issues.line(path), "path": key_text(path)}

    def _children(self, value: Any, path: KeyPath, depth: int, kind: str) -> list[Node] | None:
        if not isinstance(value, list) or not value:
            self.issues.add(f"'{kind}' expects a non-empty list of conditions", path)
            return None
        nodes = [self.parse(item, (*path, i), depth + 1) for i, item in enumerate(value)]
        if any(n is None for n in nodes):
            return None
        return [n for n in nodes if n is not None]

    def _all(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        kids = self._children(value["all"], (*path, "all"), depth, "all")
        return None if kids is None else AllNode(children=tuple(kids), **self._base(path))

    def _any(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        kids = self._children(value["any"], (*path, "any"), depth, "any")
        return None if kids is None else AnyNode(children=tuple(kids), **self._base(path))

    def _not(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        child = self.parse(value["not"], (*path, "not"), depth + 1)
        return None if child is None else NotNode(child=child, **self._base(path))

    def _gate(self, value: dict[str, Any], path: KeyPath) -> tuple[bool, Any]:
        if "factuality" not in value:
            return True, None
        gate = fields.factuality(value["factuality"], (*path, "factuality"), self.issues)
        return gate is not None, gate

    def _terms(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        terms = fields.words(value["terms"], (*path, "terms"), self.issues, "terms")
        forms: bool | None = True
        if "word_forms" in value:
            forms = fields.boolean(
                value["word_forms"], (*path, "word_forms"), self.issues, "word_forms"
            )
        ok, gate = self._gate(value, path)
        if terms is None or forms is None or not ok:
            return None
        try:
            compiled = compile_terms(terms, forms)
        except PatternError as e:
            self.issues.add(f"terms cannot be compiled: {e}", (*path, "terms"))
            return None
        return TermsNode(
            terms=terms, word_forms=forms, compiled=compiled, factuality=gate, **self._base(path)
        )

    def _lexicon(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        refs = fields.lexrefs(value["lexicon"], (*path, "lexicon"), self.issues, self.lexicons)
        ok, gate = self._gate(value, path)
        if refs is None or not ok:
            return None
        return LexiconNode(refs=refs, factuality=gate, **self._base(path))

    def _regex(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        pattern = fields.text(value["regex"], (*path, "regex"), self.issues, "regex")
        case: bool | None = False
        if "case_sensitive" in value:
            case = fields.boolean(
                value["case_sensitive"], (*path, "case_sensitive"), self.issues, "case_sensitive"
            )
        ok, gate = self._gate(value, path)
        if pattern is None or case is None or not ok:
            return None
        return self._compile_regex(pattern, case, gate, (*path, "regex"), path)

    def _compile_regex(
        self, pattern: str, case: bool, gate: Any, at: KeyPath, path: KeyPath
    ) -> RegexNode | None:
        try:
            compiled = compile_re2(pattern, case)
        except PatternError as e:
            self.issues.add(f"not a valid RE2 regular expression: {e}", at)
            return None
        return RegexNode(
            pattern=pattern,
            compiled=compiled,
            case_sensitive=case,
            factuality=gate,
            **self._base(path),
        )

    def _near(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        within = 5
        ok = True
        if "within" in value:
            w = value["within"]
            if isinstance(w, bool) or not isinstance(w, int) or not 0 <= w <= MAX_NEAR_WITHIN:
                self.issues.add(
                    f"'within' expects a number of words from 0 to {MAX_NEAR_WITHIN}",
                    (*path, "within"),
                )
                ok = False
            else:
                within = w
        raw = value["near"]
        at = (*path, "near")
        if not isinstance(raw, list) or len(raw) < 2:
            self.issues.add("'near' expects a list of at least two word conditions", at)
            return None
        for i, item in enumerate(raw):
            if isinstance(item, dict):
                kind = next((k for k in item if k in schema.CONDITION_KINDS), None)
                if kind is not None and kind not in schema.NEAR_CHILD_KINDS:
                    self.issues.add(
                        f"'near' takes only {', '.join(schema.NEAR_CHILD_KINDS)} conditions,"
                        f" not '{kind}'",
                        (*at, i),
                    )
                    ok = False
                if "scope" in item:
                    self.issues.add(
                        "conditions inside 'near' share its sentence; drop 'scope'",
                        (*at, i, "scope"),
                    )
                    ok = False
        kids = self._children(raw, at, depth, "near")
        if kids is None or not ok:
            return None
        return NearNode(children=tuple(kids), within=within, **self._base(path))

    def _quote(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        raw = value["quote"]
        at = (*path, "quote")
        if isinstance(raw, str):
            raw = {"speaker": raw}
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.issues.add("'quote' expects a mapping with speaker, anonymous, terms or regex", at)
            return None
        ok = True
        for key in raw:
            if key not in schema.QUOTE_KEYS:
                self.issues.add(schema.unknown_key(str(key), schema.QUOTE_KEYS), (*at, key))
                ok = False
        speakers: tuple[Any, ...] | None = ()
        if "speaker" in raw:
            speakers = fields.lexrefs(raw["speaker"], (*at, "speaker"), self.issues, self.lexicons)
        anonymous = None
        if "anonymous" in raw:
            anonymous = fields.boolean(
                raw["anonymous"], (*at, "anonymous"), self.issues, "anonymous"
            )
            ok = ok and anonymous is not None
        if speakers and anonymous:
            self.issues.add(
                "a quote cannot have a named speaker and be anonymous", (*at, "anonymous")
            )
            ok = False
        terms = regex = None
        if "terms" in raw:
            terms = self._terms({"terms": raw["terms"]}, at, depth)
            ok = ok and terms is not None
        if "regex" in raw:
            pattern = fields.text(raw["regex"], (*at, "regex"), self.issues, "regex")
            regex = (
                None
                if pattern is None
                else self._compile_regex(pattern, False, None, (*at, "regex"), at)
            )
            ok = ok and regex is not None
        if speakers is None or not ok:
            return None
        return QuoteNode(
            speakers=speakers,
            anonymous=anonymous,
            terms=terms if isinstance(terms, TermsNode) else None,
            regex=regex,
            **self._base(path),
        )

    def _distance(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        raw = value["distance"]
        at = (*path, "distance")
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.issues.add("'distance' expects a mapping with status, km or unit", at)
            return None
        ok = True
        for key in raw:
            if key not in schema.DISTANCE_KEYS:
                self.issues.add(schema.unknown_key(str(key), schema.DISTANCE_KEYS), (*at, key))
                ok = False
        statuses: set[DistanceStatus] = set()
        if "status" in raw:
            names = [s.value for s in DistanceStatus]
            got = fields.words(raw["status"], (*at, "status"), self.issues, "status") or ()
            for word in got:
                if word not in names:
                    hint = schema.did_you_mean(word, names)
                    self.issues.add(
                        f"'{word}' is not a distance status"
                        + (hint or "; expected one of " + ", ".join(names)),
                        (*at, "status"),
                    )
                    ok = False
                else:
                    statuses.add(DistanceStatus(word))
            ok = ok and bool(got)
        units: set[str] = set()
        if "unit" in raw:
            got = fields.words(raw["unit"], (*at, "unit"), self.issues, "unit") or ()
            for word in got:
                if word not in _UNITS:
                    self.issues.add(f"'{word}' is not a unit; expected km or mi", (*at, "unit"))
                    ok = False
                units.add(word)
            ok = ok and bool(got)
        km = None
        if "km" in raw:
            km = self._bounds(raw["km"], (*at, "km"))
            ok = ok and km is not None
        good, gate = self._gate(value, path)
        if not ok or not good:
            return None
        return DistanceNode(
            statuses=frozenset(statuses),
            km=km,
            units=frozenset(units),
            factuality=gate,
            **self._base(path),
        )

    def _bounds(self, raw: Any, at: KeyPath) -> Bounds | None:
        if not isinstance(raw, dict) or not raw:
            self.issues.add("'km' expects a mapping of gt, gte, lt, lte to numbers", at)
            return None
        values: dict[str, float] = {}
        for key, v in raw.items():
            if key not in schema.COMPARISON_KEYS:
                self.issues.add(schema.unknown_key(str(key), schema.COMPARISON_KEYS), (*at, key))
                return None
            n = fields.number(v, (*at, key), self.issues, str(key))
            if n is None:
                return None
            values[str(key)] = n
        return Bounds(**values)

    def _source(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        names = fields.words(value["source"], (*path, "source"), self.issues, "source")
        return None if names is None else SourceNode(patterns=names, **self._base(path))

    def _date(self, value: dict[str, Any], path: KeyPath, depth: int) -> Node | None:
        raw = value["date"]
        at = (*path, "date")
        if not isinstance(raw, dict) or not raw:
            self.issues.add("'date' expects a mapping with since and/or until", at)
            return None
        for key in raw:
            if key not in schema.DATE_KEYS:
                self.issues.add(schema.unknown_key(str(key), schema.DATE_KEYS), (*at, key))
                return None
        since = until = None
        if "since" in raw:
            since = fields.moment(raw["since"], (*at, "since"), self.issues, "since", end=False)
            if since is None:
                return None
        if "until" in raw:
            until = fields.moment(raw["until"], (*at, "until"), self.issues, "until", end=True)
            if until is None:
                return None
        if since is not None and until is not None and until <= since:
            self.issues.add("'until' comes before 'since'", at)
            return None
        return DateNode(since=since, until=until, **self._base(path))
