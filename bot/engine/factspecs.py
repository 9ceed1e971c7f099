"""Validate the fact specs under `extract:` (mention, cue, quote, distance, value, template)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.engine import fields, schema
from bot.engine.issues import Issues
from bot.engine.model import FactSpec, LexRef
from bot.text.lexicon import Lexicons
from bot.text.yamlsource import KeyPath

_INVALID = object()


def _plain(value: Any) -> Any:
    """A JSON-ready fact value (YAML dates become ISO text), or _INVALID."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return _INVALID if any(i is _INVALID or isinstance(i, list) for i in items) else items
    return _INVALID


class FactParser:
    """Validates one entry of `extract`."""

    def __init__(self, issues: Issues, lexicons: Lexicons, names: set[str]) -> None:
        self.issues = issues
        self.lexicons = lexicons
        self.names = names  # the `as:` names of the rule's conditions

    def parse(self, name: str, raw: Any, path: KeyPath) -> FactSpec | None:
        """A FactSpec, or None when invalid (the error is recorded)."""
        issues = self.issues
        if isinstance(raw, str):
            raw = {"template": raw} if "{" in raw else {"value": raw}
        if not isinstance(raw, dict) or not raw:
            issues.add(
                "a fact spec is a mapping with one of: " + ", ".join(schema.FACT_KINDS), path
            )
            return None
        known = [*schema.FACT_KINDS, *schema.FACT_MODIFIERS]
        ok = True
        for key in raw:
            if key not in known:
                issues.add(schema.unknown_key(str(key), known), (*path, key))
                ok = False
        kinds = [k for k in raw if k in schema.FACT_KINDS]
        if len(kinds) != 1:
            issues.add(
                f"a fact spec needs exactly one of {', '.join(schema.FACT_KINDS)}"
                f" (found {', '.join(kinds) or 'none'})",
                path,
            )
            return None
        kind = kinds[0]
        for key in raw:
            allowed = schema.FACT_MODIFIERS.get(key)
            if allowed is not None and kind not in allowed:
                issues.add(
                    f"'{key}' does not go with '{kind}' (only with {', '.join(allowed)})",
                    (*path, key),
                )
                ok = False
        every = False
        if "all" in raw:
            every = bool(fields.boolean(raw["all"], (*path, "all"), issues, "all"))
        spec = getattr(self, "_" + kind)(name, raw, path, every)
        if spec is None or not ok:
            return None
        if "default" in raw:
            default = _plain(raw["default"])
            if default is _INVALID:
                issues.add(
                    "'default' expects text, a number, true/false or a list of them",
                    (*path, "default"),
                )
                return None
            spec = replace(spec, default=default)
        return spec  # type: ignore[no-any-return]

    def _mention(
        self, name: str, raw: dict[str, Any], path: KeyPath, every: bool
    ) -> FactSpec | None:
        issues = self.issues
        ref = fields.lexref(raw["mention"], (*path, "mention"), issues, self.lexicons)
        through: list[tuple[str, str]] = []
        tr = raw.get("through", {})
        if not isinstance(tr, dict):
            issues.add(
                "'through' expects a mapping of lexicon name to attribute", (*path, "through")
            )
            return None
        for lex, attr in tr.items():
            if lex not in self.lexicons:
                hint = schema.did_you_mean(str(lex), self.lexicons.keys())
                issues.add(f"unknown lexicon '{lex}'{hint}", (*path, "through", lex))
                return None
            if not isinstance(attr, str) or not any(
                attr in e.attrs for e in self.lexicons[lex].entries
            ):
                issues.add(
                    f"no entry of lexicon '{lex}' has the attribute '{attr}'",
                    (*path, "through", lex),
                )
                return None
            through.append((str(lex), attr))
        attr = raw.get("attr")
        if attr is not None and ref is not None:
            entries = self.lexicons[ref.lexicon].entries
            if not isinstance(attr, str) or not any(attr in e.attrs for e in entries):
                issues.add(
                    f"no entry of lexicon '{ref.lexicon}' has the attribute '{attr}'",
                    (*path, "attr"),
                )
                return None
        where = self._where(raw, path)
        if ref is None or where is None:
            return None
        return FactSpec(
            name=name,
            kind="mention",
            ref=ref,
            through=tuple(through),
            attr=attr,
            where=where,
            all=every,
            default=raw.get("default"),
        )

    def _where(self, raw: dict[str, Any], path: KeyPath) -> tuple[str, ...] | None:
        """`in`: where to look, or a list of places tried in order until one has the fact."""
        value = raw.get("in", "evidence")
        items = value if isinstance(value, list) else [value]
        choices = [*schema.FACT_IN, *sorted(self.names)]
        for item in items:
            if item not in choices:
                hint = schema.did_you_mean(str(item), choices)
                self.issues.add(
                    f"'in' names '{item}', which is neither {', '.join(schema.FACT_IN)} nor an"
                    f" 'as' name of a condition{hint}",
                    (*path, "in"),
                )
                return None
        return tuple(str(i) for i in items) or ("evidence",)

    def _cue(self, name: str, raw: dict[str, Any], path: KeyPath, every: bool) -> FactSpec | None:
        table = raw["cue"]
        if not isinstance(table, dict) or not table:
            self.issues.add(
                "'cue' expects a mapping of lexicon reference (or 'as' name) to value, e.g."
                " {policy.loosen: loosened}",
                (*path, "cue"),
            )
            return None
        cues: list[tuple[LexRef | str, str]] = []
        for key, value in table.items():
            if isinstance(key, str) and key in self.names:
                cues.append((key, str(value)))  # the words of a condition named with `as`
                continue
            ref = fields.lexref(key, (*path, "cue", key), self.issues, self.lexicons)
            if ref is None:
                return None
            cues.append((ref, str(value)))
        where = self._where(raw, path)
        if where is None:
            return None
        return FactSpec(
            name=name, kind="cue", cues=tuple(cues), where=where, default=raw.get("default")
        )

    def _quote(self, name: str, raw: dict[str, Any], path: KeyPath, every: bool) -> FactSpec | None:
        field = raw["quote"]
        if field not in schema.QUOTE_FIELDS:
            self.issues.add(
                f"'quote' must be one of {', '.join(schema.QUOTE_FIELDS)}", (*path, "quote")
            )
            return None
        return FactSpec(name=name, kind="quote", field=field, all=every, default=raw.get("default"))

    def _distance(
        self, name: str, raw: dict[str, Any], path: KeyPath, every: bool
    ) -> FactSpec | None:
        field = raw["distance"]
        if field not in schema.DISTANCE_FIELDS:
            self.issues.add(
                f"'distance' must be one of {', '.join(schema.DISTANCE_FIELDS)}",
                (*path, "distance"),
            )
            return None
        pick = raw.get("pick", "first")
        if pick not in schema.PICKS:
            self.issues.add(f"'pick' must be one of {', '.join(schema.PICKS)}", (*path, "pick"))
            return None
        return FactSpec(
            name=name,
            kind="distance",
            field=field,
            pick=pick,
            all=every,
            default=raw.get("default"),
        )

    def _value(self, name: str, raw: dict[str, Any], path: KeyPath, every: bool) -> FactSpec | None:
        value = _plain(raw["value"])
        if value is _INVALID or isinstance(value, list):
            self.issues.add("'value' expects a single text, number or true/false", (*path, "value"))
            return None
        return FactSpec(name=name, kind="value", value=value)

    def _template(
        self, name: str, raw: dict[str, Any], path: KeyPath, every: bool
    ) -> FactSpec | None:
        template = fields.text(raw["template"], (*path, "template"), self.issues, "template")
        if template is None:
            return None
        return FactSpec(name=name, kind="template", template=template, default=raw.get("default"))
