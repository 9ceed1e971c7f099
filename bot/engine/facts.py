"""Read a rule's facts (actor, direction, speakers, km …) from the hits that made it hold."""

from __future__ import annotations

from enum import Enum
from typing import Any

from bot.engine.context import ArticleContext
from bot.engine.evaluate import Hit
from bot.engine.model import FactSpec, LexRef, Rule
from bot.engine.templates import render


def is_empty(value: Any) -> bool:
    """Whether a fact counts as not found."""
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def doc_order(ctx: ArticleContext, hits: list[Hit]) -> list[Hit]:
    """Hits without duplicates, in reading order."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (ctx.order.get(h.pos, 0), h.start, h.end)):
        key = (h.pos, h.start, h.end, h.kind, h.lexicon, h.entry)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def extract_facts(rule: Rule, ctx: ArticleContext, hits: list[Hit]) -> dict[str, Any]:
    """Every fact the rule extracts, from hits in reading order (templates last)."""
    ordered = doc_order(ctx, hits)
    facts: dict[str, Any] = {}
    for spec in rule.extract:
        if spec.kind != "template":
            facts[spec.name] = _fact(spec, ctx, ordered)
    for spec in rule.extract:
        if spec.kind == "template":
            values = {"rule": rule.id, "title": rule.title, "source": ctx.source, **facts}
            facts[spec.name] = render(spec.template, values)
    for spec in rule.extract:
        if is_empty(facts.get(spec.name)) and spec.default is not None:
            facts[spec.name] = spec.default
    return facts


def _fact(spec: FactSpec, ctx: ArticleContext, hits: list[Hit]) -> Any:
    if spec.kind == "value":
        return spec.value
    if spec.kind == "mention":
        for place in spec.where:
            found = _mention(spec, ctx, _positions(place, ctx, hits))
            if not is_empty(found):
                return found
        return None
    if spec.kind == "cue":
        for place in spec.where:
            found = _cue(spec, ctx, _hits_in(place, ctx, hits))
            if found is not None:
                return found
        return None
    if spec.kind == "quote":
        quotes = [h.quote for h in hits if h.quote is not None]
        values = [getattr(q, spec.field) for q in quotes]
        return _first_or_all(spec, values)
    if spec.kind == "distance":
        found_d = [h.distance for h in hits if h.distance is not None]
        if spec.pick == "max":
            found_d.sort(key=lambda d: -d.km)
        elif spec.pick == "min":
            found_d.sort(key=lambda d: d.km)
        values = [getattr(d, spec.field) for d in found_d]
        values = [v.value if isinstance(v, Enum) else v for v in values]
        return _first_or_all(spec, values)
    return None


def _first_or_all(spec: FactSpec, values: list[Any]) -> Any:
    values = [v for v in values if not is_empty(v)]
    if spec.all:
        return list(dict.fromkeys(values))
    return values[0] if values else None


def _hits_in(place: str, ctx: ArticleContext, hits: list[Hit]) -> list[Hit]:
    if place in ("evidence", "article"):
        return hits
    if place == "lead":
        lead = set(ctx.lead)
        return [h for h in hits if h.pos in lead]
    return [h for h in hits if place in h.names]


def _positions(place: str, ctx: ArticleContext, hits: list[Hit]) -> list[int]:
    if place == "lead":
        return list(ctx.lead)
    if place == "article":
        return list(ctx.positions)
    return list(dict.fromkeys(h.pos for h in _hits_in(place, ctx, hits)))


def _cue(spec: FactSpec, ctx: ArticleContext, hits: list[Hit]) -> Any:
    """The value of the first cue among the hits; a word that is also another entry of its
    lexicon ("ban": a verb that tightens and a noun for a restriction) counts only when no
    unambiguous cue is there."""
    fallback = None
    for h in hits:
        named = next((v for key, v in spec.cues if isinstance(key, str) and key in h.names), None)
        if named is not None:
            return named
        if h.kind != "lexicon" or h.lexicon is None or h.entry is None:
            continue
        lexicon = ctx.lexicon(h.lexicon)
        value = next(
            (
                v
                for ref, v in spec.cues
                if isinstance(ref, LexRef) and ref.accepts(lexicon, h.entry)
            ),
            None,
        )
        if value is None:
            continue
        same_span = {
            m.entry
            for m in ctx.lexicon_hits(h.lexicon).get(h.pos, ())
            if (m.start, m.end) == (h.start, h.end)
        }
        if len(same_span) <= 1:
            return value
        if fallback is None:
            fallback = value
    return fallback


def _mention(spec: FactSpec, ctx: ArticleContext, positions: list[int]) -> Any:
    assert spec.ref is not None
    target = ctx.lexicon(spec.ref.lexicon)
    found: list[tuple[int, int, str]] = []  # (order, offset, entry name)
    for pos in positions:
        rank = ctx.order.get(pos, 0)
        for m in ctx.lexicon_hits(target.name).get(pos, ()):
            if spec.ref.accepts(target, m.entry):
                found.append((rank, m.start, m.entry))
        for lex_name, attr in spec.through:
            other = ctx.lexicon(lex_name)
            for m in ctx.lexicon_hits(lex_name).get(pos, ()):
                if not other.has(m.entry):
                    continue
                pointed = other.entry(m.entry).attrs.get(attr)
                name = pointed if pointed and target.has(pointed) else target.resolve(pointed or "")
                if name is not None and spec.ref.accepts(target, name):
                    found.append((rank, m.start, name))
    found.sort()
    names = [name for _rank, _offset, name in found]
    if spec.attr is not None:
        names = [target.entry(n).attrs.get(spec.attr, "") for n in names]
    return _first_or_all(spec, names)
