"""The composition root: builds storage, the rule book, the pipeline, pollers and adapters."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.domain.models import Article, FetchResult, SourceKind, SourceState, utcnow
from bot.domain.ports import ChatAdapter, ChatPoster, Clock
from bot.domain.records import SelectorKind
from bot.runlock import RunLock
from bot.services.delivery import Deliverer
from bot.services.pipeline import Pipeline
from bot.services.polling import Poller
from bot.services.rulebook import RuleBook

log = logging.getLogger(__name__)


def _load_ruleset(directory: Path) -> Any:
    from bot.engine.loader import load_ruleset

    return load_ruleset(directory)


@dataclass
class App:
    """Everything a running Redline needs, wired once. Close it when done."""

    settings: Settings
    clock: Clock = utcnow
    on_article: Callable[[Article], None] | None = None
    storage: Any = field(init=False)
    rulebook: RuleBook = field(init=False)
    pipeline: Pipeline = field(init=False)
    posters: dict[str, ChatPoster] = field(init=False, default_factory=dict)
    adapters: list[ChatAdapter] = field(init=False, default_factory=list)
    _http: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        from bot.alerts.stories import StoryClusterer
        from bot.storage import Storage

        if str(self.settings.db_path) != ":memory:":
            Path(self.settings.db_path).parent.mkdir(parents=True, exist_ok=True)
        self.storage = Storage.open(self.settings.db_path)
        self.rulebook = RuleBook(self.settings.rules_dir, loader=_load_ruleset, clock=self.clock)
        self.clusterer = StoryClusterer(window_days=self.settings.story_window_days)
        self._seed_stories()
        self.pipeline = Pipeline(
            storage=self.storage,
            rulebook=self.rulebook,
            clusterer=self.clusterer,
            compose=None,
            clock=self.clock,
            on_article=self.on_article,
            story_window=timedelta(days=self.settings.story_window_days),
        )

    def _seed_stories(self) -> None:
        """Let new articles join stories that were stored before a restart."""
        from bot.alerts.fingerprint import StoryFingerprint

        since = self.clock() - timedelta(days=self.settings.story_window_days * 2)
        for story in self.storage.stories.recent(since):
            try:
                fp = StoryFingerprint.from_dict(story.fingerprint)
            except (KeyError, TypeError, ValueError):
                continue
            first = self.storage.articles.get(story.first_article_id)
            when = first.published if first is not None else None
            self.clusterer.add_existing(str(story.first_article_id), fp, when)

    # --- sources -------------------------------------------------------------------------
    def sync_sources(self) -> list[SourceState]:
        """Make the sources table match sources.yaml (scheduling state is kept)."""
        from bot.feeds.sources_file import load_sources

        specs = load_sources(self.settings.sources_file)
        declared = {s.name for s in specs}
        for spec in specs:
            self.storage.sources.upsert(spec)
        for state in self.storage.sources.list():
            if state.name not in declared:
                self.storage.sources.remove(state.name)
        return list(self.storage.sources.list())

    def http_client(self) -> Any:
        import httpx

        if self._http is None:
            self._http = httpx.AsyncClient(
                headers={"User-Agent": "Redline (+self-hosted news alerts)"},
                follow_redirects=False,
                limits=httpx.Limits(max_connections=self.settings.fetch_concurrency * 2),
            )
        return self._http

    async def fetch(self, state: SourceState) -> FetchResult:
        """Fetch one source by kind."""
        from bot.feeds.directory import fetch_directory
        from bot.feeds.http import fetch_feed

        if state.kind is SourceKind.DIRECTORY:
            return await fetch_directory(state)
        s = self.settings
        return await fetch_feed(
            self.http_client(),
            state,
            max_bytes=s.fetch_max_bytes,
            max_redirects=s.fetch_max_redirects,
            timeout=s.fetch_timeout_s,
            allow_private=s.allow_private_urls,
            allowlist=s.url_allowlist,
            clock=self.clock,
        )

    def poller(self) -> Poller:
        from bot.feeds.backoff import reschedule

        return Poller(
            sources=self.storage.sources,
            fetchers={SourceKind.FEED: self.fetch, SourceKind.DIRECTORY: self.fetch},
            reschedule=reschedule,
            process=self.pipeline.process,
            clock=self.clock,
            concurrency=self.settings.fetch_concurrency,
        )

    def deliverer(self) -> Deliverer:
        return Deliverer(
            storage=self.storage,
            posters=self.posters,
            clock=self.clock,
            burst_limit=self.settings.burst_limit,
        )

    # --- chat ----------------------------------------------------------------------------
    def add_console(self, poster: Any) -> None:
        """Route every alert to the terminal (the default with no chat token)."""
        from bot.adapters.console import CONSOLE_CHANNEL, CONSOLE_WORKSPACE

        self.posters["console"] = poster
        self.storage.subscriptions.subscribe(
            platform="console",
            workspace=CONSOLE_WORKSPACE,
            channel=CONSOLE_CHANNEL,
            selector_kind=SelectorKind.ALL,
            now=self.clock(),
            created_by="redline run",
        )

    async def close(self) -> None:
        for adapter in self.adapters:
            with contextlib.suppress(Exception):
                await adapter.stop()
        if self._http is not None:
            await self._http.aclose()
        self.storage.close()


async def start(app: App) -> RunLock:
    """Everything a run does before its first poll: rules, the run lock, sources, chat.

    Returns the held lock, for the caller to release after `app.close()`. On any failure
    the app is closed and the lock released before the error goes on.

    Raises:
        ConfigError: another bot runs on the database, or a chat token is rejected.
    """
    app.rulebook.reload()
    lock = RunLock(app.settings.db_path)
    try:
        lock.acquire()  # a second bot on the same database: one sentence, exit 1
        # Alone on the database: posts a killed process left half-done go out now, not
        # after the outbox lease.
        if released := app.storage.outbox.release_leases():
            log.info("%d delivery(ies) left unfinished by a previous run are due again", released)
        app.sync_sources()
        for adapter in app.adapters:
            await adapter.start()  # a rejected token is a ConfigError: one sentence, exit 1
            app.posters[adapter.platform] = adapter.poster
    except BaseException:
        await app.close()
        lock.release()
        raise
    return lock


async def run_forever(app: App, *, stop: asyncio.Event | None = None) -> None:
    """Start the scheduler, live rule reloading and chat adapters; run until stopped."""
    from bot.scheduler import Scheduler

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    lock = await start(app)
    poller = app.poller()
    deliverer = app.deliverer()
    scheduler = Scheduler()

    async def poll() -> None:
        await poller.poll_due()  # failures are logged by the fetchers and kept in status
        await deliverer.deliver_due()

    async def deliver() -> None:
        await deliverer.deliver_due()

    scheduler.every("poll", app.settings.poll_tick_s, poll)
    scheduler.every("deliver", 1.0, deliver)
    scheduler.start()
    watcher = asyncio.create_task(app.rulebook.watch(stop))
    try:
        await stop.wait()
    finally:
        scheduler.shutdown()
        await asyncio.sleep(0)
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watcher
        await app.close()
        lock.release()
