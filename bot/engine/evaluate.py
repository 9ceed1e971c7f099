"""Evaluate a rule's condition tree on one article: hits per condition, per unit of text."""

from __future__ import annotations

import fnmatch
import itertools
from dataclasses import dataclass, field, replace

from bot.engine.context import ArticleContext, Unit
from bot.engine.model import (
    AllNode,
    AnyNode,
    DateNode,
    DistanceNode,
    FactualityGate,
    LexiconNode,
    NearNode,
    Node,
    NotNode,
    QuoteNode,
    RegexNode,
    Scope,
    SourceNode,
    TermsNode,
)
from bot.engine.patterns import find_regex, find_terms
from bot.text.types import Distance, Factuality, Quote

MAX_COMBINATIONS = 4096  # near: hit combinations tried per sentence


@dataclass(frozen=True, slots=True)
class Hit:
    """Words that satisfied a condition: a position (sentence, -1 = title) and a span."""

    pos: int
    start: int
    end: int
    kind: str  # terms | lexicon | regex | quote | distance
    label: str = ""  # the condition that produced it
    lexicon: str | None = None
    entry: str | None = None
    quote: Quote | None = None
    distance: Distance | None = None
    factuality: Factuality | None = None
    names: frozenset[str] = frozenset()  # the `as:` names of the conditions it satisfied


@dataclass(slots=True)
class LeafResult:
    """A leaf condition's hits over the whole article, and those a gate refused."""

    kept: dict[int, list[Hit]] = field(default_factory=dict)
    dropped: list[tuple[Hit, str]] = field(default_factory=list)


Outcome = tuple[bool, list[Hit]]

_COST = {
    SourceNode: 0,
    DateNode: 0,
    TermsNode: 1,
    LexiconNode: 1,
    RegexNode: 1,
    NearNode: 2,
    NotNode: 3,
    AllNode: 3,
    AnyNode: 3,
    QuoteNode: 4,
    DistanceNode: 4,
}


def _cost(node: Node) -> int:
    return _COST.get(type(node), 3)


class Evaluator:
    """Evaluates nodes against one ArticleContext, caching leaf results on it."""

    def __init__(self, ctx: ArticleContext) -> None:
        self.ctx = ctx

    # --- tree ---------------------------------------------------------------------------

    def eval(self, node: Node, unit: Unit, unit_scope: Scope) -> Outcome:
        """Whether `node` holds in `unit` (of `unit_scope`), with the hits that made it hold."""
        held, hits = self._scoped(node, unit, unit_scope)
        if node.name is not None and hits:
            name = frozenset({node.name})
            hits = [replace(h, names=h.names | name) for h in hits]
        return held, hits

    def _scoped(self, node: Node, unit: Unit, unit_scope: Scope) -> Outcome:
        if node.scope is None or node.scope == unit_scope:
            return self._inner(node, unit, unit_scope)
        subs = self.ctx.units_within(node.scope, unit_scope, unit)
        if isinstance(node, NotNode) and node.child is not None:
            # "not X in <scope>": X holds in none of the scope's units.
            held = any(self.eval(node.child, sub, node.scope)[0] for sub in subs)
            return (not held), []
        any_held = False
        hits: list[Hit] = []
        for sub in subs:
            ok, got = self._inner(node, sub, node.scope)
            if ok:
                any_held = True
                hits.extend(got)
        return any_held, hits

    def _inner(self, node: Node, unit: Unit, scope: Scope) -> Outcome:
        if isinstance(node, AllNode):
            hits: list[Hit] = []
            for child in sorted(node.children, key=_cost):
                ok, got = self.eval(child, unit, scope)
                if not ok:
                    return False, []
                hits.extend(got)
            return True, hits
        if isinstance(node, AnyNode):
            held = False
            hits = []
            for child in node.children:
                ok, got = self.eval(child, unit, scope)
                if ok:
                    held = True
                    hits.extend(got)
            return held, hits
        if isinstance(node, NotNode):
            assert node.child is not None
            return (not self.eval(node.child, unit, scope)[0]), []
        if isinstance(node, NearNode):
            return self._near(node, unit)
        if isinstance(node, SourceNode):
            return self._source(node), []
        if isinstance(node, DateNode):
            return self._date(node), []
        kept = self.leaf(node).kept
        hits = [h for p in unit for h in kept.get(p, ())]
        return bool(hits), hits

    # --- leaves ---------------------------------------------------------------------------

    def leaf(self, node: Node) -> LeafResult:
        """All hits of a leaf condition in the article (cached per article)."""
        cached = self.ctx.node_cache.get(id(node))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        if isinstance(node, TermsNode):
            result = self._spans(node, node.compiled, "terms", find_terms, node.factuality)
        elif isinstance(node, RegexNode):
            result = self._spans(node, node.compiled, "regex", find_regex, node.factuality)
        elif isinstance(node, LexiconNode):
            result = self._lexicon(node)
        elif isinstance(node, QuoteNode):
            result = self._quote(node)
        elif isinstance(node, DistanceNode):
            result = self._distance(node)
        else:
            raise TypeError(f"not a leaf condition: {node.label}")
        self.ctx.node_cache[id(node)] = result
        return result

    def _gate(self, result: LeafResult, hit: Hit, gate: FactualityGate | None) -> None:
        if gate is not None:
            fact = self.ctx.factuality(hit.pos, hit.start, hit.end)
            hit = replace(hit, factuality=fact)
            if fact not in gate.allowed:
                result.dropped.append((hit, f"factuality {fact.value}, not {gate}"))
                return
        result.kept.setdefault(hit.pos, []).append(hit)

    def _spans(
        self, node: Node, pattern: object, kind: str, finder: object, gate: FactualityGate | None
    ) -> LeafResult:
        result = LeafResult()
        spans = self.ctx.pattern_hits(id(pattern), pattern, finder)
        for pos in self.ctx.positions:
            for start, end in spans.get(pos, ()):
                self._gate(result, Hit(pos, start, end, kind, node.label), gate)
        return result

    def _lexicon(self, node: LexiconNode) -> LeafResult:
        result = LeafResult()
        for name in dict.fromkeys(r.lexicon for r in node.refs):
            lexicon = self.ctx.lexicon(name)
            refs = [r for r in node.refs if r.lexicon == name]
            by_pos = self.ctx.lexicon_hits(name)
            for pos in self.ctx.positions:
                for m in by_pos.get(pos, ()):
                    if any(r.accepts(lexicon, m.entry) for r in refs):
                        hit = Hit(pos, m.start, m.end, "lexicon", node.label, name, m.entry)
                        self._gate(result, hit, node.factuality)
        return result

    def _quote(self, node: QuoteNode) -> LeafResult:
        result = LeafResult()
        for q in self.ctx.quotes():
            hit = Hit(q.sentence_index, q.start, q.end, "quote", node.label, quote=q)
            reason = self._quote_refusal(node, q)
            if reason:
                result.dropped.append((hit, reason))
            else:
                result.kept.setdefault(hit.pos, []).append(hit)
        return result

    def _quote_refusal(self, node: QuoteNode, q: Quote) -> str:
        named = q.speaker is not None and not q.anonymous
        if node.anonymous is True and not q.anonymous:
            return "not an anonymous source"
        if node.anonymous is False and not named:
            return "no named speaker"
        if node.speakers:
            if not named or q.speaker is None:
                return "no named speaker"
            if not any(r.accepts(self.ctx.lexicon(r.lexicon), q.speaker) for r in node.speakers):
                return f"speaker {q.speaker} is not {', '.join(map(str, node.speakers))}"
        if node.terms is not None and not find_terms(node.terms.compiled, q.text):
            return f"quoted text lacks {node.terms.label}"
        if node.regex is not None and not find_regex(node.regex.compiled, q.text):
            return f"quoted text does not match {node.regex.label}"
        return ""

    def _distance(self, node: DistanceNode) -> LeafResult:
        result = LeafResult()
        for d in self.ctx.distances():
            hit = Hit(d.sentence_index, d.start, d.end, "distance", node.label, distance=d)
            if node.statuses and d.status not in node.statuses:
                result.dropped.append((hit, f"status {d.status.value}"))
            elif node.units and d.unit not in node.units:
                result.dropped.append((hit, f"unit {d.unit}"))
            elif node.km is not None and not node.km.holds(d.km):
                result.dropped.append((hit, f"{d.km:g} km is outside {node.km}"))
            else:
                self._gate(result, hit, node.factuality)
        return result

    # --- composite leaves -------------------------------------------------------------------

    def _near(self, node: NearNode, unit: Unit) -> Outcome:
        hits: list[Hit] = []
        for pos in unit:
            lists = [self.leaf(child).kept.get(pos, []) for child in node.children]
            if not all(lists):
                continue
            best = self._closest(pos, lists, node.within)
            if best is not None:
                hits.extend(best)
        return bool(hits), hits

    def _closest(self, pos: int, lists: list[list[Hit]], within: int) -> list[Hit] | None:
        best: tuple[int, list[Hit]] | None = None
        for combo in itertools.islice(itertools.product(*lists), MAX_COMBINATIONS):
            ordered = sorted(combo, key=lambda h: (h.start, h.end))
            if any(b.start < a.end for a, b in itertools.pairwise(ordered)):
                continue  # one word cannot satisfy two conditions
            gap = self.ctx.words_between(pos, ordered[0].end, ordered[-1].start)
            if gap <= within and (best is None or gap < best[0]):
                best = (gap, list(combo))
        return None if best is None else best[1]

    def _source(self, node: SourceNode) -> bool:
        source = (self.ctx.source or "").casefold()
        return bool(source) and any(
            fnmatch.fnmatchcase(source, p.casefold()) for p in node.patterns
        )

    def _date(self, node: DateNode) -> bool:
        when = self.ctx.published
        if when is None:
            return False  # an undated article cannot be shown to fall in the range
        if node.since is not None and when < node.since:
            return False
        return not (node.until is not None and when >= node.until)
