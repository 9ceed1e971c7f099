"""Validate one parsed rule file and build a Rule, collecting every error with its line."""

from __future__ import annotations

import re
from typing import Any

from bot.domain.models import Severity
from bot.engine import fields, schema
from bot.engine.conditions import ConditionParser
from bot.engine.factspecs import FactParser
from bot.engine.issues import Issues
from bot.engine.model import SENTENCE, Example, FactSpec, Rule, Track
from bot.engine.templates import TemplateError, template_fields
from bot.text.lexicon import Lexicons
from bot.text.yamlsource import KeyPath

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_FACT = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")


class RuleParser:
    """Turns the data of one rule file into a Rule; problems go to `issues`."""

    def __init__(self, data: Any, issues: Issues, lexicons: Lexicons) -> None:
        self.data = data
        self.issues = issues
        self.lexicons = lexicons
        self.conditions = ConditionParser(issues, lexicons)

    def build(self) -> Rule | None:
        """The Rule, or None when any error was recorded."""
        data, issues = self.data, self.issues
        if not isinstance(data, dict):
            issues.add("a rule file must be a mapping with at least id, title and match", ())
            return None
        rule_id = data.get("id")
        if isinstance(rule_id, str) and _ID.match(rule_id):
            issues.rule = rule_id
        for key in data:
            if key not in schema.RULE_KEYS:
                issues.add(schema.unknown_key(str(key), schema.RULE_KEYS), (key,))
        for key in schema.REQUIRED_RULE_KEYS:
            if key not in data:
                issues.add(f"missing required key '{key}' ({schema.RULE_KEYS[key]})", ())
        if "id" in data and issues.rule is None:
            issues.add("'id' expects a lowercase identifier: letters, digits, '-' or '_'", ("id",))
        title = fields.text(data["title"], ("title",), issues, "title") if "title" in data else ""
        severity = self._severity(data)
        tags = self._tags(data)
        description = data.get("description", "")
        if not isinstance(description, str):
            issues.add("'description' expects text", ("description",))
        enabled = True
        if "enabled" in data:
            enabled = bool(fields.boolean(data["enabled"], ("enabled",), issues, "enabled"))
        scope = SENTENCE
        if "scope" in data:
            scope = fields.scope(data["scope"], ("scope",), issues) or SENTENCE
        match = self.conditions.parse(data["match"], ("match",)) if "match" in data else None
        extract = self._extract(data.get("extract"), self.conditions.names)
        names = {f.name for f in extract}
        require = self._require(data.get("require"), names)
        message = title or ""
        if "message" in data:
            message = fields.text(data["message"], ("message",), issues, "message") or ""
            self._check_template(message, names, ("message",))
        track = self._track(data["track"], names) if "track" in data else None
        realert = None
        if "realert" in data:
            realert = fields.duration(data["realert"], ("realert",), issues, "realert")
        fires, silent = self._examples(data.get("examples"), names)
        if issues or match is None or issues.rule is None:
            return None
        return Rule(
            id=issues.rule,
            title=title or issues.rule,
            match=match,
            file=issues.file,
            line=issues.line(("id",)),
            severity=severity,
            tags=tags,
            description=description if isinstance(description, str) else "",
            message=message,
            enabled=enabled,
            scope=scope,
            require=require,
            extract=tuple(extract),
            track=track,
            realert=realert,
            fires=fires,
            silent=silent,
        )

    def _severity(self, data: dict[str, Any]) -> Severity:
        raw = data.get("severity", Severity.MEDIUM.value)
        names = [s.value for s in Severity]
        if raw not in names:
            hint = schema.did_you_mean(str(raw), names)
            self.issues.add(f"severity must be one of {', '.join(names)}{hint}", ("severity",))
            return Severity.MEDIUM
        return Severity(raw)

    def _tags(self, data: dict[str, Any]) -> tuple[str, ...]:
        if "tags" not in data:
            return ()
        return fields.words(data["tags"], ("tags",), self.issues, "tags") or ()

    def _check_template(self, template: str, names: set[str], path: KeyPath) -> None:
        try:
            used = template_fields(template)
        except TemplateError as e:
            self.issues.add(str(e), path)
            return
        known = names | set(schema.TEMPLATE_BUILTINS)
        for name in used:
            if name not in known:
                hint = schema.did_you_mean(name, known)
                self.issues.add(
                    f"template uses '{{{name}}}', which is neither an extracted fact nor one of"
                    f" {', '.join(schema.TEMPLATE_BUILTINS)}{hint}",
                    path,
                )

    def _require(self, raw: Any, names: set[str]) -> tuple[str, ...]:
        if raw is None:
            return ()
        got = fields.words(raw, ("require",), self.issues, "require") or ()
        for i, name in enumerate(got):
            if name not in names:
                hint = schema.did_you_mean(name, names)
                self.issues.add(
                    f"'require' names '{name}', which 'extract' does not define{hint}",
                    ("require", i),
                )
        return got

    def _extract(self, raw: Any, as_names: set[str]) -> list[FactSpec]:
        if raw is None:
            return []
        if not isinstance(raw, dict):
            self.issues.add("'extract' expects a mapping of fact name to fact spec", ("extract",))
            return []
        specs: list[FactSpec] = []
        for name, spec in raw.items():
            path: KeyPath = ("extract", name)
            if not isinstance(name, str) or not _FACT.match(name):
                self.issues.add("a fact name must be a lowercase identifier such as 'actor'", path)
                continue
            if name in schema.TEMPLATE_BUILTINS:
                self.issues.add(f"'{name}' is a reserved name; choose another fact name", path)
                continue
            built = FactParser(self.issues, self.lexicons, as_names).parse(name, spec, path)
            if built is not None:
                specs.append(built)
        names = {s.name for s in specs}
        for s in specs:
            if s.kind == "template":
                self._check_template(s.template, names - {s.name}, ("extract", s.name, "template"))
        return specs

    def _track(self, raw: Any, names: set[str]) -> Track | None:
        issues = self.issues
        if not isinstance(raw, dict):
            issues.add("'track' expects a mapping with key, value and change", ("track",))
            return None
        for key in raw:
            if key not in schema.TRACK_KEYS:
                issues.add(schema.unknown_key(str(key), schema.TRACK_KEYS), ("track", key))
        key = raw.get("key")
        if not isinstance(key, str) or not key.strip():
            issues.add("'track' needs 'key': a template such as '{actor}'", ("track", "key"))
            return None
        self._check_template(key, names, ("track", "key"))
        value = raw.get("value")
        if value is not None and value not in names:
            hint = schema.did_you_mean(str(value), names)
            issues.add(
                f"'track.value' names '{value}', which 'extract' does not define{hint}",
                ("track", "value"),
            )
        change = raw.get("change", "any" if value is not None else "new")
        if change not in schema.CHANGES:
            hint = schema.did_you_mean(str(change), schema.CHANGES)
            issues.add(
                f"'change' must be one of {', '.join(schema.CHANGES)}{hint}", ("track", "change")
            )
        elif change in ("increase", "decrease") and value is None:
            issues.add(f"change '{change}' needs a 'value' fact to compare", ("track", "change"))
        return Track(key=key, value=value if isinstance(value, str) else None, change=str(change))

    def _examples(
        self, raw: Any, names: set[str]
    ) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        if raw is None:
            return (), ()
        if not isinstance(raw, dict):
            self.issues.add(
                "'examples' expects a mapping with fires and silent lists", ("examples",)
            )
            return (), ()
        for key in raw:
            if key not in schema.EXAMPLES_KEYS:
                self.issues.add(
                    schema.unknown_key(str(key), schema.EXAMPLES_KEYS), ("examples", key)
                )
        return (
            self._example_list(raw.get("fires"), ("examples", "fires"), names),
            self._example_list(raw.get("silent"), ("examples", "silent"), names),
        )

    def _example_list(self, raw: Any, path: KeyPath, names: set[str]) -> tuple[Example, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.issues.add("expected a list of texts or {text: ...} mappings", path)
            return ()
        out: list[Example] = []
        for i, item in enumerate(raw):
            at = (*path, i)
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict):
                self.issues.add("an example is a text or a mapping with 'text'", at)
                continue
            for key in item:
                if key not in schema.EXAMPLE_KEYS:
                    self.issues.add(schema.unknown_key(str(key), schema.EXAMPLE_KEYS), (*at, key))
            text = fields.text(item.get("text"), (*at, "text"), self.issues, "text")
            title = item.get("title", "")
            if not isinstance(title, str):
                self.issues.add("'title' expects text", (*at, "title"))
                title = ""
            facts = item.get("facts") or {}
            if not isinstance(facts, dict):
                self.issues.add("'facts' expects a mapping of fact name to value", (*at, "facts"))
                facts = {}
            for name in facts:
                if name not in names:
                    hint = schema.did_you_mean(str(name), names)
                    self.issues.add(
                        f"the rule extracts no fact '{name}'{hint}", (*at, "facts", name)
                    )
            source = item.get("source")
            if source is not None and not isinstance(source, str):
                self.issues.add("'source' expects text", (*at, "source"))
                source = None
            published = None
            if "date" in item:
                published = fields.moment(
                    item["date"], (*at, "date"), self.issues, "date", end=False
                )
            if text is not None:
                out.append(
                    Example(
                        text=text,
                        title=title,
                        facts=dict(facts),
                        source=source,
                        published=published,
                        line=self.issues.line(at),
                    )
                )
        return tuple(out)
