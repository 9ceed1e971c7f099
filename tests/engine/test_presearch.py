"""The presearcher: sound literals, the same results as evaluating every rule, sublinear cost."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from bot.engine.batch import read_article_file
from bot.engine.literals import term_literals
from bot.engine.loader import load_ruleset
from bot.engine.patterns import compile_terms, find_terms
from bot.engine.ruleset import RuleSet
from bot.engine.state import MemoryStateStore
from bot.text import terms as term_rules
from bot.text.analysis import Analysis, analyse
from bot.text.lexicon import Lexicons
from tests.engine.conftest import RULES, SEEDS, T0, build_rule


def _surface_forms(word: str) -> set[str]:
    """Plausible inflections of a word, a superset of what the term regex accepts."""
    w = word.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + w[-1] + "ed"}
    forms |= {w + w[-1] + "ing", w[:-1] + "ing", w[:-1] + "ies", w[:-1] + "ied", w[:-1]}
    forms |= {w.replace("ize", "ise"), w.replace("ize", "ised"), w.replace("ize", "ising")}
    forms |= set(getattr(term_rules, "_IRREGULAR", {}).get(w, ()))
    return forms


def _shipped_words(lexicons: Lexicons) -> list[tuple[str, bool]]:
    words: list[tuple[str, bool]] = []
    for lexicon in lexicons.values():
        for entry in lexicon.entries:
            names = [entry.name, *entry.aliases] if lexicon.kind == "names" else entry.aliases
            words += [(alias, lexicon.word_forms) for alias in names]
    return words


def test_every_match_of_a_term_contains_one_of_its_literals(lexicons: Lexicons) -> None:
    extra = ["say", "carry", "ban", "authorize", "agree", "lift", "strike", "policies", "OK'd"]
    checked = 0
    for term, forms in [*_shipped_words(lexicons), *((w, True) for w in extra)]:
        literals = term_literals(term, forms)
        pattern = compile_terms((term,), forms)
        words = term.split()
        for form in _surface_forms(words[-1]):
            text = " ".join([*words[:-1], form])
            for start, end in find_terms(pattern, text):
                if (start, end) == (0, len(text)):
                    checked += 1
                    assert any(lit in text.casefold() for lit in literals), (term, text, literals)
    assert checked > 500


def _corpus(lexicons: Lexicons, ruleset: RuleSet) -> list[Analysis]:
    texts = [
        analyse(a.title, a.text, lexicons)
        for a in map(read_article_file, sorted(SEEDS.glob("*.txt")))
    ]
    for rule in ruleset.rules:
        for ex in (*rule.fires, *rule.silent):
            texts.append(analyse(ex.title, ex.text, lexicons))
    texts.append(analyse("", "", lexicons))
    texts.append(analyse("Ceasefire", "Nothing at all happened today.", lexicons))
    return texts


def _random_rules(lexicons: Lexicons, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["ceasefire", "strike", "lift", "Moscow", "weapons", "restriction", "talks", "drone"]
    refs = ["people#watchlist", "policy.loosen", "policy.restriction", "governments", "places"]

    def leaf() -> str:
        kind = rng.choice(["terms", "lexicon", "regex", "quote", "distance"])
        if kind == "terms":
            return f"{{terms: [{rng.choice(words)}, {rng.choice(words)}]}}"
        if kind == "lexicon":
            return f"{{lexicon: {rng.choice(refs)}}}"
        if kind == "regex":
            return "{regex: 'w[a-z]+s'}"
        if kind == "quote":
            return "{quote: {speaker: people#watchlist}}"
        return "{distance: {status: permitted}}"

    def node(depth: int) -> str:
        if depth > 2 or rng.random() < 0.4:
            return leaf()
        op = rng.choice(["all", "any", "not", "near"])
        if op == "not":
            return f"{{not: {node(depth + 1)}}}"
        if op == "near":
            return f"{{near: [{{terms: [{rng.choice(words)}]}}, {{lexicon: {rng.choice(refs)}}}]}}"
        kids = ", ".join(node(depth + 1) for _ in range(rng.randint(1, 3)))
        return f"{{{op}: [{kids}]}}"

    scopes = ["sentence", "lead", "article", "{window: 2}"]
    return [
        f"id: r{i}\ntitle: R{i}\nscope: {rng.choice(scopes)}\nmatch: {node(0)}\n" for i in range(n)
    ]


def test_presearch_gives_the_same_matches_as_evaluating_every_rule(lexicons: Lexicons) -> None:
    shipped = load_ruleset(RULES)
    generated = [
        build_rule(t, lexicons, f"g{i}.yaml") for i, t in enumerate(_random_rules(lexicons, 150, 7))
    ]
    ruleset = RuleSet([*shipped.rules, *generated], lexicons)
    skipped = 0
    for a in _corpus(lexicons, shipped):
        fast = ruleset.match(a, ref="x", state=MemoryStateStore(), now=T0)
        slow = ruleset.evaluate_naive(a, ref="x", state=MemoryStateStore(), now=T0)
        assert [(m.rule_id, m.facts, m.new, m.evidence) for m in fast] == [
            (m.rule_id, m.facts, m.new, m.evidence) for m in slow
        ]
        skipped += len(ruleset.active) - len(ruleset.candidates(a))
    assert skipped > 0  # the presearcher did skip rules, so the comparison means something


def test_cost_per_article_grows_far_slower_than_the_rule_count(lexicons: Lexicons) -> None:
    shipped = load_ruleset(RULES)
    rare = [
        build_rule(f"id: rare{i}\ntitle: R\nmatch: {{terms: [zqx{i}word]}}\n", lexicons, "r.yaml")
        for i in range(3000)
    ]
    small = shipped
    large = RuleSet([*shipped.rules, *rare], lexicons)
    articles = _corpus(lexicons, shipped)

    def run(ruleset: RuleSet) -> float:
        start = time.perf_counter()
        for a in articles:
            ruleset.match(a, ref="x", state=MemoryStateStore(), now=T0)
        return time.perf_counter() - start

    run(small), run(large)  # warm caches (lexicon and pattern compilation)
    for a in articles:
        assert len(large.candidates(a)) <= len(shipped.rules)
    # 1000x the rules costs far less than 1000x the time (here: a small constant factor).
    assert run(large) < run(small) * 20 + 0.5


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_presearch_keeps_the_shipped_rules_on_the_seeds(lexicons: Lexicons, name: str) -> None:
    ruleset = load_ruleset(RULES)
    a = read_article_file(Path(SEEDS / name))
    analysis = analyse(a.title, a.text, ruleset.lexicons)
    fired = {f.rule.id for f in ruleset.evaluate(analysis, presearch=False)}
    assert fired <= {r.id for r in ruleset.candidates(analysis)}


class _Spy:
    """An analysis that counts how often quotes and distances are asked for."""

    def __init__(self, inner: Analysis) -> None:
        self._inner = inner
        self.asked: list[str] = []

    def __getattr__(self, name: str) -> object:
        if name in ("quotes", "distances"):
            self.asked.append(name)
        return getattr(self._inner, name)


def test_quotes_and_distances_are_computed_only_for_candidate_rules(lexicons: Lexicons) -> None:
    ruleset = load_ruleset(RULES)
    # Quote marks and a watched name are missing, and no strike words: nothing costly runs.
    quiet = _Spy(analyse("", "The council met on Tuesday to discuss the budget.", lexicons))
    ruleset.match(quiet, ref="q", state=MemoryStateStore(), now=T0)
    assert quiet.asked == []
    busy = _Spy(analyse("", '"We stand firm," Chancellor Olaf Scholz said.', lexicons))
    ruleset.match(busy, ref="b", state=MemoryStateStore(), now=T0)
    assert "quotes" in busy.asked
