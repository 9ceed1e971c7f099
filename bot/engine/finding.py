"""Evaluate one rule on one article: the units where it holds, its facts and evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.domain.models import Evidence, Span
from bot.engine.context import TITLE, ArticleContext, Unit
from bot.engine.evaluate import Evaluator, Hit
from bot.engine.facts import doc_order, extract_facts, is_empty
from bot.engine.model import Rule

MAX_EVIDENCE = 5


@dataclass(slots=True)
class Finding:
    """A rule that holds on an article (before state decides whether it is news)."""

    rule: Rule
    facts: dict[str, Any]
    hits: list[Hit]
    units: list[Unit]
    evidence: tuple[Evidence, ...]
    why: str
    extra: dict[str, Any] = field(default_factory=dict)


def held_units(rule: Rule, ctx: ArticleContext) -> list[tuple[Unit, list[Hit]]]:
    """Every unit of the rule's scope where its condition holds, with the hits."""
    evaluator = Evaluator(ctx)
    out: list[tuple[Unit, list[Hit]]] = []
    for unit in ctx.units(rule.scope):
        ok, hits = evaluator.eval(rule.match, unit, rule.scope)
        if ok:
            out.append((unit, hits))
    return out


def missing_required(rule: Rule, facts: dict[str, Any]) -> list[str]:
    """The `require`d facts that were not found."""
    return [name for name in rule.require if is_empty(facts.get(name))]


def evaluate_rule(rule: Rule, ctx: ArticleContext) -> Finding | None:
    """The rule's finding on the article, or None when it does not hold."""
    held = held_units(rule, ctx)
    if rule.require:
        # Each unit must yield the required facts by itself, so an actor in one sentence
        # and a trigger in another do not combine.
        held = [(u, h) for u, h in held if not missing_required(rule, extract_facts(rule, ctx, h))]
    if not held:
        return None
    hits = doc_order(ctx, [h for _u, hs in held for h in hs])
    facts = extract_facts(rule, ctx, hits)
    units = [u for u, _h in held]
    # Words found outside the units (by a condition with a wider scope) are context that
    # allowed the match, not evidence of it.
    inside = {p for u in units for p in u}
    shown = [h for h in hits if h.pos in inside]
    if any(h.names for h in shown):
        # Conditions named with `as:` are the point of the rule; the rest is context.
        shown = [h for h in shown if h.names]
    return Finding(
        rule=rule,
        facts=facts,
        hits=hits,
        units=units,
        evidence=build_evidence(ctx, shown, units),
        why=describe(ctx, rule, shown, units),
    )


def build_evidence(ctx: ArticleContext, hits: list[Hit], units: list[Unit]) -> tuple[Evidence, ...]:
    """The sentences that made the rule hold, with the matched words marked."""
    by_pos: dict[int, list[Hit]] = {}
    for h in hits:
        by_pos.setdefault(h.pos, []).append(h)
    if not by_pos and units:
        by_pos = {units[0][0]: []}
    out: list[Evidence] = []
    seen: set[str] = set()
    for pos in sorted(by_pos, key=lambda p: ctx.order.get(p, 0)):
        text = ctx.sentence_text(pos)
        if text in seen:
            continue
        seen.add(text)
        if len(out) == MAX_EVIDENCE:
            break
        base = ctx.sentence_start(pos)
        marks = sorted(
            {
                Span(max(0, h.start - base), min(len(text), h.end - base))
                for h in by_pos[pos]
                if h.end - base > 0 and h.start - base < len(text)
            },
            key=lambda s: (s.start, s.end),
        )
        out.append(
            Evidence(
                sentence=text,
                marks=tuple(marks),
                sentence_index=None if pos == TITLE else pos,
            )
        )
    return tuple(out)


def position_name(pos: int) -> str:
    """'title' or 'sentence N' (1-based, as a reader counts)."""
    return "title" if pos == TITLE else f"sentence {pos + 1}"


def describe(ctx: ArticleContext, rule: Rule, hits: list[Hit], units: list[Unit]) -> str:
    """One line: which conditions held, and where."""
    labels = list(dict.fromkeys(h.label for h in hits if h.label))
    places = list(dict.fromkeys(position_name(h.pos) for h in hits))
    if not places and units and units[0]:
        places = [position_name(units[0][0])]
    where = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
    held = (
        "; ".join(labels[:4]) + ("; …" if len(labels) > 4 else "") if labels else rule.match.label
    )
    return f"{held} — in {where or 'the article'} ({rule.scope} scope)"
