"""Story assignment: a new article against thousands already in the story window.

Ours is `StoryClusterer`, which judges a new article only against the articles that share
a distinctive quote, numbers or near-duplicate text with it. The baseline judges it
against every article in the window, as the clusterer once did. Where no quote or number
is commonplace both give the same stories (a test in tests/alerts holds them to it).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from bench.common import Result
from bench.corpus import make_corpus
from bench.match import RULES
from bot.alerts.fingerprint import StoryFingerprint, fingerprint
from bot.alerts.stories import StoryClusterer, _apart, _judge
from bot.text.analysis import analyse
from bot.text.lexicon import load_lexicons

T0 = datetime(2024, 6, 1, tzinfo=UTC)
STEP = timedelta(seconds=20)  # a busy desk: 180 articles an hour, all inside a 3-day window


def _judge_all(
    window: list[tuple[StoryFingerprint, datetime]], fp: StoryFingerprint, when: datetime
) -> int:
    """The baseline: judge the new article against every remembered one."""
    ties = 0
    for other, other_when in window:
        if _apart(when, other_when, timedelta(days=3)):
            continue
        strength, _ = _judge(fp, other)
        ties += strength > 0
    return ties


def run(quick: bool = False) -> list[Result]:
    n = 600 if quick else 5000
    measured = 100 if quick else 300
    lexicons = load_lexicons(RULES / "lexicons")
    corpus = make_corpus(n, seed=11)
    prints = [fingerprint(analyse(a.title, a.text, lexicons)) for a in corpus]
    whens = [T0 + i * STEP for i in range(n)]

    clusterer = StoryClusterer(window_days=3.0)
    per_article: dict[int, float] = {}
    small = n // 10
    for i, (fp, when) in enumerate(zip(prints, whens, strict=True)):
        t = time.process_time()
        clusterer.assign_fingerprint(f"a{i}", fp, when)
        per_article[i] = time.process_time() - t
    ours_small = sum(per_article[i] for i in range(small - measured // 3, small)) / (measured // 3)
    tail = range(n - measured, n)
    ours = sum(per_article[i] for i in tail) / measured

    window = list(zip(prints, whens, strict=True))
    t = time.process_time()
    for i in tail:
        _judge_all(window[:i], prints[i], whens[i])
    baseline = (time.process_time() - t) / measured

    stories = len(clusterer.stories())
    workload = (
        f"{n:,} corpus articles arriving 20 s apart (all in one 3-day window); "
        f"per-article CPU time of the last {measured} assignments; baseline judges every "
        f"article in the window"
    )
    return [
        Result(
            name="stories_assign_ms",
            workload=workload,
            value=ours * 1000,
            unit="ms/article",
            baseline=baseline * 1000,
            ratio=baseline / ours if ours else None,
            target=">= 10x faster than judging every article",
            met=bool(ours) and baseline / ours >= 10,
            notes={"stories": stories, "articles": n},
        ),
        Result(
            name="stories_growth",
            workload=(
                f"per-article assignment time with {n:,} articles in the window over {small:,}"
            ),
            value=ours / ours_small if ours_small else float("nan"),
            unit="x",
            target="<= 3 (grows with the story, not the window)",
            met=bool(ours_small) and ours / ours_small <= 3,
            notes={"ms_at_small": ours_small * 1000, "ms_at_full": ours * 1000},
        ),
    ]
