"""The shipped rules on the seeds, end to end through stories and composition."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("bot.text.analysis")

from bot.alerts.compose import EVIDENCE_MAX, ArticleMeta, compose_alert
from bot.alerts.stories import StoryClusterer
from bot.alerts.titles import TITLE_MAX
from bot.domain.message import Message
from bot.engine import batch, loader, state
from tests.alerts.seeds import ROOT, SEEDS, expected

NOW = datetime(2024, 9, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def alerts() -> dict[tuple[str, str], tuple[Message, str]]:
    """(file, rule) -> (composed alert, story id) for every seed match of the shipped rules."""
    ruleset = loader.load_ruleset(ROOT / "rules")
    articles = batch.read_article_files(sorted(Path(SEEDS).glob("*.txt")))
    clusterer = StoryClusterer()
    results = batch.run_batch(
        ruleset, articles, state=state.MemoryStateStore(), now=NOW, story_of=clusterer.assign
    )
    out = {}
    for r in results:
        meta = ArticleMeta(r.article.ref, r.article.title, "seeds", None, r.article.published)
        for m in r.matches:
            out[(r.article.ref, m.rule_id)] = (compose_alert(m, meta, r.analysis), r.story)
    return out


def test_every_seed_alert_is_well_formed(
    alerts: dict[tuple[str, str], tuple[Message, str]],
) -> None:
    assert alerts
    for (name, rule), (msg, _story) in alerts.items():
        assert 0 < len(msg.title) <= TITLE_MAX, (name, rule)
        assert 0 < len(msg.summary) <= 600, (name, rule)
        assert len(msg.evidence_text) <= EVIDENCE_MAX, (name, rule)
        assert any(r.mark for r in msg.evidence), (name, rule)
        assert len(msg.quotes) <= 3
        assert msg.title in msg.fallback


def test_seed_stories_through_the_engine_batch(
    alerts: dict[tuple[str, str], tuple[Message, str]],
) -> None:
    story_of = {name: story for (name, _rule), (_m, story) in alerts.items()}
    for group in expected()["stories"]:
        present = [story_of[n] for n in group if n in story_of]
        assert len(set(present)) <= 1, group
    others = {story_of[n] for g in expected()["stories"] for n in g[:1] if n in story_of}
    assert len(others) == len([g for g in expected()["stories"] if g[0] in story_of])


def test_policy_change_title_names_the_scope(
    alerts: dict[tuple[str, str], tuple[Message, str]],
) -> None:
    for name, facts in expected()["rules"]["restriction-policy-change"]["must"].items():
        msg, _ = alerts[(name, "restriction-policy-change")]
        assert facts["actor"] in msg.title
        assert facts["scope_mentions"] in msg.title


def test_range_title_says_nothing_was_recorded_before(
    alerts: dict[tuple[str, str], tuple[Message, str]],
) -> None:
    for name in expected()["rules"]["strike-range"]["must"]:
        msg, _ = alerts[(name, "strike-range")]
        assert msg.title.endswith("(was: none recorded)")
