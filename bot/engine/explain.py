"""Explain why a rule does or does not hold on an article, condition by condition."""

from __future__ import annotations

from bot.engine.context import ArticleContext, Unit
from bot.engine.evaluate import Evaluator, Hit
from bot.engine.facts import extract_facts
from bot.engine.finding import evaluate_rule, held_units, missing_required, position_name
from bot.engine.literals import Clause
from bot.engine.model import LEAF_TYPES, AllNode, AnyNode, NearNode, Node, NotNode, Rule, Scope
from bot.engine.templates import format_value

MAX_LISTED = 6
SNIPPET = 110


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def _words(ctx: ArticleContext, hit: Hit) -> str:
    base = ctx.sentence_start(hit.pos)
    return " ".join(ctx.sentence_text(hit.pos)[hit.start - base : hit.end - base].split())


def _describe_hit(ctx: ArticleContext, hit: Hit) -> str:
    if hit.quote is not None:
        who = hit.quote.speaker or ("anonymous source" if hit.quote.anonymous else "unattributed")
        return f"{position_name(hit.pos)}: quote by {who}: “{_snippet(hit.quote.text)}”"
    if hit.distance is not None:
        d = hit.distance
        return f"{position_name(hit.pos)}: {d.text or d.value} = {d.km:g} km, {d.status.value}"
    words = _words(ctx, hit)
    fact = f", {hit.factuality.value}" if hit.factuality is not None else ""
    entry = (
        f" ({hit.lexicon}.{hit.entry}{fact})" if hit.entry else (f" ({fact[2:]})" if fact else "")
    )
    return f"{position_name(hit.pos)}: “{words}”{entry}"


def _child_contexts(
    ctx: ArticleContext, node: Node, contexts: list[tuple[Unit, Scope]]
) -> list[tuple[Unit, Scope]]:
    if node.scope is None:
        return contexts
    out: list[tuple[Unit, Scope]] = []
    for unit, scope in contexts:
        if node.scope == scope:
            out.append((unit, scope))
        else:
            out.extend((sub, node.scope) for sub in ctx.units_within(node.scope, scope, unit))
    return list(dict.fromkeys(out))


def _node_lines(
    ctx: ArticleContext,
    ev: Evaluator,
    node: Node,
    contexts: list[tuple[Unit, Scope]],
    depth: int,
    out: list[str],
) -> None:
    pad = "  " * depth
    held_hits: list[Hit] = []
    held_units: list[Unit] = []
    for unit, scope in contexts:
        ok, hits = ev.eval(node, unit, scope)
        if ok:
            held_units.append(unit)
            held_hits.extend(hits)
    mark = "✓" if held_units else "✗"
    scope_note = f" [scope {node.scope}]" if node.scope is not None else ""
    if held_hits:
        where = ", ".join(dict.fromkeys(position_name(h.pos) for h in held_hits))
        state = f"holds in {where}"
    elif held_units:
        state = "holds"
    else:
        state = "holds nowhere"
    out.append(f"{pad}{mark} {node.label}{scope_note}: {state}")
    inner = _child_contexts(ctx, node, contexts)
    if isinstance(node, AllNode | AnyNode | NearNode):
        for child in node.children:
            _node_lines(ctx, ev, child, inner, depth + 1, out)
    elif isinstance(node, NotNode) and node.child is not None:
        _node_lines(ctx, ev, node.child, inner, depth + 1, out)
    elif isinstance(node, LEAF_TYPES):
        result = ev.leaf(node)
        members = {p for unit, _scope in inner for p in unit}
        kept = [h for p in ctx.positions if p in members for h in result.kept.get(p, ())]
        dropped = [(h, why) for h, why in result.dropped if h.pos in members]
        for h in kept[:MAX_LISTED]:
            out.append(f"{pad}    + {_describe_hit(ctx, h)}")
        if len(kept) > MAX_LISTED:
            out.append(f"{pad}    + … {len(kept) - MAX_LISTED} more")
        for h, why in dropped[:MAX_LISTED]:
            out.append(f"{pad}    - {_describe_hit(ctx, h)} — refused: {why}")
        if len(dropped) > MAX_LISTED:
            out.append(f"{pad}    - … {len(dropped) - MAX_LISTED} more refused")


def explain_rule(
    rule: Rule, ctx: ArticleContext, *, missing: list[Clause], enabled: bool = True
) -> list[str]:
    """Lines saying which conditions held, which failed, and where (with sentences)."""
    finding = evaluate_rule(rule, ctx)
    verdict = "HOLDS" if finding is not None else "does not hold"
    out = [f"rule {rule.id}: {verdict}" + ("" if enabled else " (the rule is disabled)")]
    if missing:
        for clause in missing:
            words = " | ".join(sorted(clause)[:10]) + (" | …" if len(clause) > 10 else "")
            out.append(f"presearch: would skip it, none of these occur: {words}")
    else:
        out.append("presearch: candidate (its required words occur)")
    units = ctx.units(rule.scope)
    out.append(f"scope: {rule.scope} ({len(units)} unit{'s' if len(units) != 1 else ''})")
    ev = Evaluator(ctx)
    _node_lines(ctx, ev, rule.match, [(u, rule.scope) for u in units], 1, out)
    if rule.require:
        held = held_units(rule, ctx)
        for unit, hits in held:
            lacking = missing_required(rule, extract_facts(rule, ctx, hits))
            where = ", ".join(position_name(p) for p in unit[:3]) + ("…" if len(unit) > 3 else "")
            if lacking:
                out.append(f"require: {where}: no {', '.join(lacking)} found")
            else:
                out.append(f"require: {where}: {', '.join(rule.require)} found")
    if finding is not None:
        facts = ", ".join(f"{k}={format_value(v)}" for k, v in finding.facts.items())
        out.append(f"facts: {facts or 'none'}")
        for e in finding.evidence:
            where = "title" if e.sentence_index is None else f"sentence {e.sentence_index + 1}"
            out.append(f"evidence ({where}): {_snippet(e.sentence)}")
    return out
