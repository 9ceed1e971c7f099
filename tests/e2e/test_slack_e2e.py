"""Seeds -> rules -> alerts -> outbox -> the real Slack adapter -> a fake Slack Web API.

The fake records what Slack would show; expectations come from seeds/expected.yaml and the
alert rules (one post per new alert, follow-ups in the first alert's thread).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.slack import SlackAdapter
from bot.app import App
from bot.config import Secret, Settings
from bot.domain.records import SelectorKind
from bot.feeds.directory import read_articles
from bot.services.commands import CommandService
from tests.fakes.slack import ENV_TO_CLEAR, TEAM_ID, FakeSlack
from tests.services.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = "C0DESK"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    for var in ENV_TO_CLEAR:
        monkeypatch.delenv(var, raising=False)
    with FakeSlack() as fake:
        yield fake


async def _run_seeds(tmp_path: Path, slack: FakeSlack, clock: FakeClock, *, rounds: int) -> App:
    settings = Settings(
        db_path=tmp_path / "r.db",
        rules_dir=ROOT / "rules",
        slack_bot_token=Secret(slack.bot_token),
        slack_app_token=Secret(slack.app_token),
        slack_api_base_url=slack.base_url,
    )
    app = App(settings, clock=clock)
    adapter = SlackAdapter(settings, CommandService(app))
    app.adapters.append(adapter)
    await adapter.start()
    app.posters["slack"] = adapter.poster
    assert app.rulebook.reload()
    app.storage.subscriptions.subscribe(
        platform="slack",
        workspace=TEAM_ID,
        channel=CHANNEL,
        selector_kind=SelectorKind.ALL,
        now=clock(),
    )
    await app.pipeline.process(read_articles(ROOT / "seeds", source="seeds"))
    deliverer = app.deliverer()
    for _ in range(rounds):
        await deliverer.deliver_due()
        clock.advance(minutes=5)  # past any backoff or Retry-After
    return app


@pytest.mark.asyncio
async def test_seed_alerts_reach_slack_once_with_threads(
    tmp_path: Path, slack: FakeSlack, clock: FakeClock
) -> None:
    app = await _run_seeds(tmp_path, slack, clock, rounds=3)
    try:
        posts = slack.posted()
        alerts = app.storage.alerts.count()
        assert len(posts) == alerts == 7  # 4 statements + 1 follow-up + 1 policy + 1 range
        assert {p["channel"] for p in posts} == {CHANNEL}
        threaded = [p for p in posts if p.get("thread_ts")]
        assert len(threaded) == 1  # 001's follow-up under 000's statement alert
        parent_ts = {
            (c.response or {}).get("ts")
            for c in slack.calls_to("chat.postMessage")
            if c.status == 200
        }
        assert threaded[0]["thread_ts"] in parent_ts
        for p in posts:
            assert p["blocks"][0]["type"] == "header"
            assert p["text"]  # notification fallback
            assert p.get("unfurl_links") is False
        assert app.storage.outbox.depth() == 0
    finally:
        await app.close()


@pytest.mark.asyncio
async def test_every_alert_arrives_once_under_injected_failures(
    tmp_path: Path, slack: FakeSlack, clock: FakeClock
) -> None:
    slack.fail_rate(0.3, seed=7, outcome=500)
    slack.fail_next("chat.postMessage", 429, retry_after=0)
    app = await _run_seeds(tmp_path, slack, clock, rounds=12)
    try:
        posts = slack.posted()
        failed = [c for c in slack.calls_to("chat.postMessage") if c.status != 200]
        assert failed, "the fault injection did not happen"
        titles = [p["blocks"][0]["text"]["text"] for p in posts]
        assert len(posts) == app.storage.alerts.count() == 7
        assert len(set(titles)) == len(titles)  # nothing posted twice
        assert app.storage.outbox.depth() == 0
    finally:
        await app.close()


def test_run_with_a_rejected_token_exits_with_one_sentence(
    tmp_path: Path, slack: FakeSlack
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ENV_TO_CLEAR}
    env.update(
        SLACK_BOT_TOKEN="xoxb-wrong",
        SLACK_APP_TOKEN=slack.app_token,
        SLACK_API_BASE_URL=slack.base_url,
        REDLINE_DATA_DIR=str(tmp_path / "var"),
        REDLINE_RULES_DIR=str(ROOT / "rules"),
        REDLINE_SOURCES_FILE=str(tmp_path / "none.yaml"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "SLACK_BOT_TOKEN" in last
    assert "xoxb-wrong" not in proc.stderr + proc.stdout
