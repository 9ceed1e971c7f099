"""A process that dies between two writes of one article loses nothing once it restarts.

The death is simulated by a BaseException escaping at the worst moment (the store's own
exception handling cannot swallow it); the restart is a new App on the same database file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.config import Settings
from bot.domain.records import SelectorKind
from bot.feeds.directory import read_articles
from tests.services.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


class Died(BaseException):
    """The process was killed here."""


def _app(tmp_path: Path, clock: FakeClock) -> App:
    app = App(Settings(db_path=tmp_path / "r.db", rules_dir=ROOT / "rules"), clock=clock)
    assert app.rulebook.reload(), app.rulebook.health.errors
    for channel in ("C1", "C2"):
        app.storage.subscriptions.subscribe(
            platform="chat",
            workspace="W",
            channel=channel,
            selector_kind=SelectorKind.ALL,
            now=clock(),
        )
    return app


def _die_on_call(target: Any, name: str, after: int = 0) -> None:
    real = getattr(target, name)
    calls = {"n": 0}

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > after:
            raise Died
        return real(*args, **kwargs)

    setattr(target, name, dying)


@pytest.mark.parametrize(
    ("store", "method", "after"),
    [
        ("alerts", "add", 0),  # the article is stored, its alert is not
        ("outbox", "enqueue", 1),  # the alert and one channel's delivery are stored
    ],
)
def test_a_death_mid_article_leaves_it_to_be_processed_again(
    tmp_path: Path, clock: FakeClock, store: str, method: str, after: int
) -> None:
    draft = next(
        d
        for d in read_articles(ROOT / "seeds", source="seeds")
        if d.path.endswith("004_c8a401f571122ff9.txt")
    )
    app = _app(tmp_path, clock)
    _die_on_call(getattr(app.storage, store), method, after)
    with pytest.raises(Died):
        app.pipeline.process_one(draft)
    # SIGKILL: nothing is closed or committed; the next process opens the same file.
    again = _app(tmp_path, clock)
    try:
        done = again.pipeline.process_one(draft)
        assert done.article is not None, "the article was kept without its alerts"
        assert done.alerts
        keys = {
            (d.channel)
            for a in done.alerts
            for d in [again.storage.outbox.by_key(f"{a}:chat:W:{c}") for c in ("C1", "C2")]
            if d is not None
        }
        assert keys == {"C1", "C2"}
    finally:
        again.storage.close()
        app.storage.close()


@pytest.mark.asyncio
async def test_a_death_before_the_drafts_are_handled_keeps_the_old_validators(
    tmp_path: Path, clock: FakeClock
) -> None:
    from bot.domain.models import FetchResult, FetchStatus, SourceKind, SourceSpec, SourceState
    from bot.feeds.backoff import reschedule
    from bot.services.polling import Poller
    from bot.storage import Storage

    drafts = tuple(read_articles(ROOT / "seeds", source="feed"))[:1]
    storage = Storage.open(tmp_path / "r.db")
    try:
        storage.sources.upsert(SourceSpec("feed", SourceKind.FEED, "https://example.org/f", 60))
        storage.sources.save_state(
            SourceState("feed", SourceKind.FEED, "https://example.org/f", 60, etag='"v1"')
        )

        async def fetch(state: SourceState) -> FetchResult:
            return FetchResult(FetchStatus.OK, drafts=drafts, etag='"v2"')

        async def process(batch: Any) -> None:
            raise Died

        poller = Poller(
            sources=storage.sources,
            fetchers={SourceKind.FEED: fetch},
            reschedule=reschedule,
            process=process,
            clock=clock,
        )
        with pytest.raises(Died):
            await poller.poll_due()
        state = storage.sources.get("feed")
        assert state is not None and state.etag == '"v1"'
    finally:
        storage.close()


@pytest.mark.asyncio
async def test_an_article_whose_rules_fail_is_still_stored_and_the_batch_goes_on(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    drafts = [
        d
        for d in read_articles(ROOT / "seeds", source="seeds")
        if d.path.endswith(("004_c8a401f571122ff9.txt", "002_fb25c39db1756503.txt"))
    ]
    app = _app(tmp_path, clock)
    try:
        real = app.pipeline.analyse
        failing = drafts[0].title

        def analyse(article: Any, lexicons: Any) -> Any:
            if article.title == failing:
                raise ValueError("a bug in the analysis")
            return real(article, lexicons)

        app.pipeline.analyse = analyse  # type: ignore[method-assign]
        done = await app.pipeline.process(drafts)
        by_title = {p.article.title: p for p in done if p.article is not None}
        assert set(by_title) == {d.title for d in drafts}
        assert by_title[failing].alerts == []  # kept, without alerts
        assert any(p.alerts for t, p in by_title.items() if t != failing)  # the other went on
        assert app.storage.articles.count() == 2
        assert "stored without alerts" in caplog.text
        again = await app.pipeline.process(drafts)  # and kept once
        assert [p.article for p in again] == [None, None]
        assert app.storage.articles.count() == 2
    finally:
        app.storage.close()
