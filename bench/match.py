"""Matching: how fast analysed articles go through the rules, and how that scales with rules.

Workload: `bench.corpus` articles (about a tenth carry seed sentences) against the shipped
rules, and against the shipped rules plus generated keyword rules, written as real rule
files next to a copy of `rules/` and loaded with `bot.engine.loader.load_ruleset`.

What is timed:

* end to end: `analyse()` of the article (sentence split; quotes, distances and lexicon
  mentions are computed lazily when a rule asks for them) plus `RuleSet.match()` with an
  in-memory state store, as the pipeline does for every new article;
* rules only: `RuleSet.match()` on a freshly analysed article (the split is done before the
  clock starts; the lazy analysis the rules trigger is counted, because matching causes it).
  Every timed pass gets fresh analyses, so no pass profits from another's cached work.

Figures are CPU seconds of the process pinned to one core (`pin_one_core`), so other work
on a shared machine does not inflate them; wall-clock figures are kept in the notes.

The baseline is the same rules without the presearcher (`RuleSet.evaluate_naive`: every
rule on every article). At 10,000 rules it costs ~0.4 s per article, too slow for the whole
corpus, so both are timed on the same fixed random sample of 120 articles and compared per
article.
"""

from __future__ import annotations

import gc
import random
import shutil
import statistics
import string
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Result, peak_rss_mb, pin_one_core, rss_mb, timer, unpin
from bench.corpus import CorpusArticle, make_corpus
from bot.domain.models import RuleMatch
from bot.engine.loader import load_ruleset
from bot.engine.ruleset import RuleSet
from bot.engine.state import MemoryStateStore
from bot.text.analysis import analyse

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
RULE_SEED = 1234
SAMPLE_SEED = 99

# Everyday words for generated keywords; the filler in bench.corpus never uses them.
_WORDS = (
    "turbine vaccine tariff pipeline semiconductor drought merger lawsuit subsidy pension "
    "insulin satellite refinery vineyard dairy fishery orchard hospital warehouse chipmaker "
    "broadband helicopter locomotive shipyard brewery bakery cannabis casino stadium lottery "
    "mortgage pharmacy quarry reactor scaffold smelter spacecraft telescope tobacco trawler "
    "tunnel vaccination wildfire windfarm zoning antitrust audit bankruptcy bondholder "
    "ceasefire census cholera cyberattack dividend embargo epidemic eviction extradition "
    "fraud heatstroke impeachment indictment inflation kidnapping landslide layoffs measles "
    "monsoon outage overdose plagiarism recall referendum ransomware sanctions scandal "
    "shortage smuggling strikebreaker takeover typhoon walkout whistleblower algorithm "
    "biometrics blockchain chatbot copyright datacenter drone encryption firmware hydrogen "
    "microchip nuclear robotics spyware startup superconductor tokamak uranium vaping "
    "avalanche earthquake flooding glacier hurricane tornado tsunami volcano"
).split()
_ONSETS = "b br c d dr f g gr k kl l m n p r s st t tr v z zh sk pr h j".split()
_VOWELS = "a e i o u ae ia ou y".split()
_CODAS = ["", "", "", *"n r l s x nd rt sk m".split()]


def _token(rng: random.Random) -> str:
    """A made-up name that reads like one: Velorix, Drantusk, Kossamer (6+ letters, so it is
    seldom a real word by chance)."""
    while True:
        syllables = [
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
            for _ in range(rng.randint(2, 3))
        ]
        token = "".join(syllables)
        if len(token) >= 6:
            return token.capitalize()


def _keyword(rng: random.Random, used: set[str]) -> str:
    """A keyword that is almost surely absent from the corpus: a name, or a word and a name."""
    while True:
        kind = rng.random()
        if kind < 0.4:
            word = _token(rng)
        elif kind < 0.8:
            word = f"{_token(rng)} {rng.choice(_WORDS)}"
        else:
            word = f"{rng.choice(_WORDS)} {_token(rng)}"
        if word.casefold() not in used:
            used.add(word.casefold())
            return word


def _quoted(words: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{w}"' for w in words) + "]"


def _words_of(text: str) -> set[str]:
    out: set[str] = set()
    for raw in text.split():
        w = raw.strip(string.punctuation + "“”‘’«»")
        if len(w) >= 6 and w.isalpha() and w.isascii():
            out.add(w.casefold())
    return out


def corpus_words(
    articles: Sequence[CorpusArticle], rng: random.Random, n: int
) -> tuple[list[str], list[str]]:
    """Up to `n` distinct words of 6+ letters that occur only in the relevant articles (the
    news the rules are about), and up to `n` that occur in neutral ones (everyday words)."""
    topical: set[str] = set()
    common: set[str] = set()
    for a in articles:
        (topical if a.relevant else common).update(_words_of(a.text))
    only_topical = sorted(topical - common)
    everyday = sorted(common)
    return (
        rng.sample(only_topical, min(n, len(only_topical))),
        rng.sample(everyday, min(n, len(everyday))),
    )


def generated_rule(
    i: int,
    rng: random.Random,
    used: set[str],
    topical: Sequence[str] = (),
    common: Sequence[str] = (),
) -> str:
    """The YAML of generated keyword rule `i`.

    Most rules look for made-up names and phrases (any of 1–4); a quarter also need a
    second group of keywords nearby; some need a government near the keyword in the lead.
    One rule in 200 includes (among absent ones) a word of the relevant articles, and one
    in 2,000 needs an everyday word of the neutral articles near such a word, so the
    presearcher has real candidates to find and to reject, and the evaluator real rules to
    run.
    """
    keywords = [_keyword(rng, used) for _ in range(rng.randint(1, 4))]
    others = [_keyword(rng, used) for _ in range(rng.randint(1, 3))]
    shape = rng.random()
    if common and topical and i % 2000 == 1000:
        keywords, others[0], shape = [rng.choice(common)], rng.choice(topical), 0.8
    elif topical and i % 200 == 100:
        keywords[rng.randrange(len(keywords))] = rng.choice(topical)
    lines = [
        f"id: gen-{i:05d}",
        f"title: Watch {i}",
        f"severity: {rng.choice(('info', 'low', 'medium', 'high'))}",
        f"tags: [generated, {rng.choice(_WORDS)}]",
        f'message: "Watch {i} in {{source}}"',
    ]
    if shape < 0.65:
        lines += ["match:", f"  terms: {_quoted(keywords)}"]
    elif shape < 0.9:
        lines += [
            "scope: {window: 3}",
            "match:",
            "  all:",
            f"    - terms: {_quoted(keywords)}",
            f"    - terms: {_quoted(others)}",
            "    - not:",
            "        terms: [opinion, satire]",
        ]
    else:
        lines += [
            "scope: lead",
            "match:",
            "  near:",
            f"    - terms: {_quoted(keywords)}",
            "    - lexicon: governments",
            "  within: 6",
        ]
    return "\n".join(lines) + "\n"


def write_rules_dir(target: Path, generated: Sequence[str], *, rules: Path = RULES) -> Path:
    """A copy of the shipped rules (and lexicons) plus `generated` rule files, in `target`."""
    shutil.copytree(rules, target)
    for i, text in enumerate(generated):
        (target / f"gen-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return target


@dataclass(frozen=True, slots=True)
class Timing:
    """CPU and wall seconds of one timed pass, the matches it found, and the CPU seconds of
    the sentence split done before the clock started (rules-only passes)."""

    cpu: float
    wall: float
    found: int
    split: float = 0.0


def _match_fn(ruleset: RuleSet, naive: bool) -> Callable[..., list[RuleMatch]]:
    return ruleset.evaluate_naive if naive else ruleset.match


def time_rules(
    ruleset: RuleSet, articles: Sequence[CorpusArticle], *, naive: bool = False
) -> Timing:
    """Match freshly analysed articles (rules only): the split is done before the clock."""
    lexicons = ruleset.lexicons
    cpu0 = time.process_time()
    analyses = [analyse(a.title, a.text, lexicons) for a in articles]
    split = time.process_time() - cpu0
    state = MemoryStateStore()
    fn = _match_fn(ruleset, naive)
    found = 0
    gc.collect()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for a, an in zip(articles, analyses, strict=True):
        found += len(
            fn(an, ref=a.ref, source=a.source, published=a.published, state=state, now=NOW)
        )
    return Timing(time.process_time() - cpu0, time.perf_counter() - wall0, found, split)


def time_end_to_end(
    ruleset: RuleSet, articles: Sequence[CorpusArticle], *, naive: bool = False
) -> Timing:
    """Analyse and match every article, as the pipeline does for each new one."""
    lexicons = ruleset.lexicons
    state = MemoryStateStore()
    fn = _match_fn(ruleset, naive)
    found = 0
    gc.collect()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for a in articles:
        an = analyse(a.title, a.text, lexicons)
        found += len(
            fn(an, ref=a.ref, source=a.source, published=a.published, state=state, now=NOW)
        )
    return Timing(time.process_time() - cpu0, time.perf_counter() - wall0, found)


def mean_candidates(ruleset: RuleSet, articles: Sequence[CorpusArticle]) -> float:
    """How many rules the presearcher hands to the evaluator per article, on average."""
    lexicons = ruleset.lexicons
    return statistics.fmean(
        len(ruleset.candidates(analyse(a.title, a.text, lexicons))) for a in articles
    )


def _aps(n: int, t: Timing) -> float:
    return n / t.cpu


def run(quick: bool = False) -> list[Result]:
    n_articles = 300 if quick else 10_000
    sizes = (7, 100, 1_000) if quick else (7, 1_000, 10_000)
    n_sample = 40 if quick else 120
    small, mid, big = sizes

    rss_start = rss_mb()
    articles = make_corpus(n_articles)
    sample = random.Random(SAMPLE_SEED).sample(articles, n_sample)
    relevant = sum(a.relevant for a in articles)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    corpus_text = (
        f"{n_articles:,} bench.corpus articles (~{words:.0f} words, {relevant:,} relevant)"
    )

    rng = random.Random(RULE_SEED)
    used: set[str] = set()
    topical, common = corpus_words(articles, rng, 400)
    generated = [generated_rule(i, rng, used, topical, common) for i in range(big)]

    shipped = load_ruleset(RULES)
    total = {n: n + len(shipped) for n in sizes}
    rulesets: dict[int, RuleSet] = {}
    load_seconds: dict[int, float] = {}
    rss_before_rules = rss_mb()
    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        for n in sizes:
            directory = write_rules_dir(Path(tmp) / f"rules-{n}", generated[:n])
            with timer() as elapsed:
                rulesets[n] = load_ruleset(directory)
            load_seconds[n] = elapsed()
    rss_with_rules = rss_mb()

    pin_one_core()
    try:
        # Warm up (regex and lexicon caches) so the first timed pass is not charged for it.
        time_end_to_end(shipped, articles[:100])
        time_rules(rulesets[big], articles[:100])
        # (a) the shipped rules, end to end, and rules only; baseline: no presearcher.
        e2e = time_end_to_end(shipped, articles)
        e2e_naive = time_end_to_end(shipped, articles, naive=True)
        rules_only = time_rules(shipped, articles)
        # (b) the time per corpus as the rules grow, rules only, whole corpus.
        scaled = {n: time_rules(rulesets[n], articles) for n in sizes}
        # (c) against every rule on every article, per article on the same sample.
        ours_sample = {n: time_rules(rulesets[n], sample) for n in (small, mid, big)}
        naive_sample = {n: time_rules(rulesets[n], sample, naive=True) for n in (small, mid, big)}
    finally:
        unpin()
    candidates = {n: mean_candidates(rulesets[n], sample) for n in sizes}

    results: list[Result] = []
    aps, aps_naive = _aps(n_articles, e2e), _aps(n_articles, e2e_naive)
    results.append(
        Result(
            name="match_shipped_aps",
            workload=(
                f"{corpus_text}, {len(shipped)} shipped rules, one core (CPU time); end to "
                "end: analyse + RuleSet.match per article; baseline: analyse + "
                "RuleSet.evaluate_naive"
            ),
            value=aps,
            unit="articles/s",
            baseline=aps_naive,
            ratio=aps / aps_naive,
            target=">= 1,000 articles/s on one core",
            met=aps >= 1_000,
            notes={
                "rules_only_aps": round(_aps(n_articles, rules_only), 1),
                "wall_aps": round(n_articles / e2e.wall, 1),
                "matches": e2e.found,
                "same_matches_as_naive": e2e.found == e2e_naive.found,
            },
        )
    )

    ratio = scaled[big].cpu / scaled[small].cpu
    naive_ratio = naive_sample[big].cpu / naive_sample[small].cpu
    split = scaled[big].split
    e2e_ratio = (split + scaled[big].cpu) / (scaled[small].split + scaled[small].cpu)
    results.append(
        Result(
            name="match_10k_over_10",
            workload=(
                f"{corpus_text}, rules only (RuleSet.match on fresh analyses), one core (CPU "
                f"time): {total[big]:,} rules (shipped + {big:,} generated keyword rules) vs "
                f"{total[small]} (shipped + {small}); baseline: the same ratio for "
                f"evaluate_naive on a fixed {n_sample}-article sample"
            ),
            value=ratio,
            unit="×",
            baseline=naive_ratio,
            ratio=naive_ratio / ratio,
            target=f"time with {total[big]:,} rules <= 3 × time with {total[small]}",
            met=ratio <= 3,
            notes={
                "cpu_seconds_rules_only": {total[n]: round(scaled[n].cpu, 3) for n in sizes},
                "wall_seconds_rules_only": {total[n]: round(scaled[n].wall, 3) for n in sizes},
                "cpu_seconds_sentence_split": round(split, 3),
                "ratio_with_split": round(e2e_ratio, 3),
                "matches": {total[n]: scaled[n].found for n in sizes},
                "mean_candidates_per_article": {
                    total[n]: round(c, 2) for n, c in candidates.items()
                },
                "load_seconds": {total[n]: round(s, 2) for n, s in load_seconds.items()},
            },
        )
    )

    ms_ours = ours_sample[big].cpu / n_sample * 1000
    ms_naive = naive_sample[big].cpu / n_sample * 1000
    results.append(
        Result(
            name="match_10k_speedup",
            workload=(
                f"{total[big]:,} rules, rules only, one core (CPU time), ms per article on the "
                f"same fixed random {n_sample}-article sample: RuleSet.match (presearch) vs "
                "RuleSet.evaluate_naive (every rule on every article)"
            ),
            value=ms_ours,
            unit="ms/article",
            baseline=ms_naive,
            ratio=ms_naive / ms_ours,
            target=">= 20× faster than evaluate_naive",
            met=ms_naive / ms_ours >= 20,
            notes={
                "same_matches": all(
                    ours_sample[n].found == naive_sample[n].found for n in ours_sample
                ),
                "matches": ours_sample[big].found,
                "speedup": {
                    total[n]: round(naive_sample[n].cpu / ours_sample[n].cpu, 1)
                    for n in ours_sample
                },
            },
        )
    )

    results.append(
        Result(
            name="match_peak_rss_mb",
            workload=(
                f"peak RSS of the benchmark process: {corpus_text} and rule sets of "
                f"{', '.join(f'{total[n]:,}' for n in sizes)} rules loaded at once; "
                "baseline: RSS when the benchmark started"
            ),
            value=peak_rss_mb(),
            unit="MB",
            baseline=rss_start,
            target="report only",
            notes={
                "rule_sets_mb": round(rss_with_rules - rss_before_rules, 1),
                "rss_before_rules_mb": round(rss_before_rules, 1),
            },
        )
    )
    return results
