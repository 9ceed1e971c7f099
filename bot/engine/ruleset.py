"""A compiled rule set: presearch, evaluation, tracked state and explanations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.domain.errors import NotFoundError
from bot.domain.models import RuleMatch
from bot.domain.ports import StateStore
from bot.engine import schema
from bot.engine.context import ArticleContext
from bot.engine.explain import explain_rule
from bot.engine.finding import Finding, evaluate_rule
from bot.engine.model import Rule
from bot.engine.presearch import Presearcher
from bot.engine.state import decide
from bot.engine.templates import render
from bot.text.lexicon import Lexicons


class RuleSet:
    """Rules compiled together: one presearch automaton over all of their literals."""

    def __init__(
        self, rules: Sequence[Rule], lexicons: Lexicons, *, directory: Path | None = None
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(sorted(rules, key=lambda r: r.id))
        self.lexicons = lexicons
        self.directory = directory
        self._by_id = {r.id: r for r in self.rules}
        self.active: tuple[Rule, ...] = tuple(r for r in self.rules if r.enabled)
        self.presearcher = Presearcher(self.active, lexicons)

    def __len__(self) -> int:
        return len(self.rules)

    def __repr__(self) -> str:
        return f"RuleSet({len(self.rules)} rules, {len(self.lexicons)} lexicons)"

    def get(self, rule_id: str) -> Rule:
        """The rule called `rule_id`.

        Raises:
            NotFoundError: no rule has that id.
        """
        try:
            return self._by_id[rule_id]
        except KeyError:
            hint = schema.did_you_mean(rule_id, self._by_id)
            raise NotFoundError(f"There is no rule '{rule_id}'{hint}.") from None

    def context(
        self, analysis: Any, *, source: str | None = None, published: datetime | None = None
    ) -> ArticleContext:
        """A fresh per-article evaluation context."""
        return ArticleContext(analysis, self.lexicons, source=source, published=published)

    def candidates(self, analysis: Any) -> list[Rule]:
        """The enabled rules whose required words occur in the article (one pass)."""
        picked = self.presearcher.candidates(analysis.title or "", analysis.text)
        return [self.active[i] for i in picked]

    def evaluate(
        self,
        analysis: Any,
        *,
        source: str | None = None,
        published: datetime | None = None,
        presearch: bool = True,
    ) -> list[Finding]:
        """Every enabled rule that holds on the article, without touching any state."""
        ctx = self.context(analysis, source=source, published=published)
        rules = self.candidates(analysis) if presearch else list(self.active)
        return [f for f in (evaluate_rule(r, ctx) for r in rules) if f is not None]

    def match(
        self,
        analysis: Any,
        *,
        ref: str,
        article_id: int | None = None,
        source: str | None = None,
        published: datetime | None = None,
        state: StateStore,
        now: datetime,
        story: str | None = None,
    ) -> list[RuleMatch]:
        """The rules that hold on the article, with `new` decided by tracked state."""
        findings = self.evaluate(analysis, source=source, published=published)
        return self._decide(findings, ref, article_id, source, published, state, now, story)

    def evaluate_naive(
        self,
        analysis: Any,
        *,
        ref: str,
        article_id: int | None = None,
        source: str | None = None,
        published: datetime | None = None,
        state: StateStore,
        now: datetime,
        story: str | None = None,
    ) -> list[RuleMatch]:
        """`match` without the presearcher: every rule on the article (a baseline)."""
        findings = self.evaluate(analysis, source=source, published=published, presearch=False)
        return self._decide(findings, ref, article_id, source, published, state, now, story)

    def _decide(
        self,
        findings: list[Finding],
        ref: str,
        article_id: int | None,
        source: str | None,
        published: datetime | None,
        state: StateStore,
        now: datetime,
        story: str | None,
    ) -> list[RuleMatch]:
        at = published or now
        out: list[RuleMatch] = []
        for f in findings:
            rule = f.rule
            values = {
                "rule": rule.id,
                "title": rule.title,
                "ref": ref,
                "source": source,
                "story": story or ref,
                "severity": rule.severity.value,
                **f.facts,
            }
            decision = decide(rule, f.facts, values, state, at=at, ref=ref)
            out.append(
                RuleMatch(
                    rule_id=rule.id,
                    rule_title=rule.title,
                    severity=rule.severity,
                    tags=rule.tags,
                    facts=dict(f.facts),
                    evidence=f.evidence,
                    message=render(rule.message, values),
                    why=f.why,
                    key=decision.key,
                    new=decision.new,
                    previous=decision.previous,
                    article_id=article_id,
                    article_ref=ref,
                    extra={"story": story or ref, "suppressed": decision.suppressed},
                )
            )
        return out

    def explain(
        self,
        rule_id: str,
        analysis: Any,
        *,
        source: str | None = None,
        published: datetime | None = None,
    ) -> list[str]:
        """Why the rule does or does not hold on the article, one line per condition.

        Raises:
            NotFoundError: no rule has that id.
        """
        rule = self.get(rule_id)
        ctx = self.context(analysis, source=source, published=published)
        index = next((i for i, r in enumerate(self.active) if r is rule), None)
        missing = (
            self.presearcher.missing(index, analysis.title or "", analysis.text)
            if index is not None
            else []
        )
        return explain_rule(rule, ctx, missing=missing, enabled=rule.enabled)
