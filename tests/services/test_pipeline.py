"""The seeds through the whole pipeline, as `make run` handles them: stories, alerts, routing.

Expectations come from seeds/expected.yaml: which rules must and must not fire per article,
and which articles form one story.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
import yaml

from bot.app import App
from bot.config import Settings
from bot.domain.message import MessageKind
from bot.feeds.directory import read_articles
from tests.services.conftest import FakeClock, RecordingPoster

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = yaml.safe_load((ROOT / "seeds" / "expected.yaml").read_text())


@pytest_asyncio.fixture
async def processed(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    settings = Settings(db_path=tmp_path / "r.db", rules_dir=ROOT / "rules")
    app = App(settings, clock=clock)
    poster = RecordingPoster(platform="console")
    app.add_console(poster)
    assert app.rulebook.reload(), app.rulebook.health.errors
    drafts = read_articles(ROOT / "seeds", source="seeds")
    results = await app.pipeline.process(drafts)
    await app.deliverer().deliver_due()
    clock.advance(seconds=30)
    await app.deliverer().deliver_due()
    yield app, results, poster
    await app.close()


def _file(app: App, article_id: int) -> str:
    article = app.storage.articles.get(article_id)
    assert article is not None and article.path is not None
    return Path(article.path).name


@pytest.mark.asyncio
async def test_alerts_follow_the_seed_expectations(processed) -> None:  # type: ignore[no-untyped-def]
    app, results, _ = processed
    fired: dict[str, set[str]] = {}
    for r in results:
        assert r.article is not None
        for m in r.matches:
            fired.setdefault(m.rule_id, set()).add(_file(app, r.article.id))
    for rule_id, spec in EXPECTED["rules"].items():
        for name in spec.get("must", {}) or {}:
            assert name in fired.get(rule_id, set()), (rule_id, name)
        for name in spec.get("must_not", []) or []:
            assert name not in fired.get(rule_id, set()), (rule_id, name)


@pytest.mark.asyncio
async def test_one_policy_alert_and_one_range_alert(processed) -> None:  # type: ignore[no-untyped-def]
    _app, _, poster = processed
    by_rule: dict[str, list] = {}
    for _, _, msg, _ in poster.posts:
        by_rule.setdefault(msg.rule_id, []).append(msg)
    policy = [m for m in by_rule["restriction-policy-change"] if m.kind is MessageKind.ALERT]
    assert len(policy) == 1
    assert "US" in policy[0].title and "Kharkiv" in policy[0].title
    ranges = [m for m in by_rule["strike-range"] if m.kind is MessageKind.ALERT]
    assert len(ranges) == 1
    assert "100 km" in ranges[0].title


@pytest.mark.asyncio
async def test_stories_match_expected_and_later_article_threads(processed) -> None:  # type: ignore[no-untyped-def]
    app, results, poster = processed
    story_of = {_file(app, r.article.id): r.story_id for r in results if r.article}
    for group in EXPECTED["stories"]:
        ids = {story_of[name] for name in group}
        assert len(ids) == 1, group
    assert len({story_of[g[0]] for g in EXPECTED["stories"]}) == len(EXPECTED["stories"])
    # 000 and 001 are one story: 001's statement alert is a follow-up in 000's thread that
    # announces only the speakers it adds.
    statements = [m for _, _, m, _ in poster.posts if m.rule_id == "official-statement"]
    followups = [(m, ref) for _, _, m, ref in poster.posts if m.kind is MessageKind.FOLLOWUP]
    assert len(followups) == 1
    msg, thread = followups[0]
    assert thread is not None  # posted in the first alert's thread
    assert "Putin" in msg.title and "Biden" not in msg.title
    assert len(statements) == 5  # 000, 002, 003, 004 alerts + 001's follow-up


@pytest.mark.asyncio
async def test_reprocessing_adds_nothing(processed) -> None:  # type: ignore[no-untyped-def]
    app, _, poster = processed
    before = len(poster.posts)
    again = await app.pipeline.process(read_articles(ROOT / "seeds", source="seeds"))
    await app.deliverer().deliver_due()
    assert all(r.article is None for r in again)
    assert len(poster.posts) == before
