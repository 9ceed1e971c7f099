"""Polling: N feeds of 20 items from 127.0.0.1, a first poll and an all-304 re-poll.

Ours is the bot's own poll round: `App.poller().poll_due()` (bot/services/polling.py) with
the httpx fetcher (bot/feeds/http.py), the feedparser-based parser and the pipeline storing
every new article into a SQLite file (bot/storage). No rule set is loaded, so the pipeline
stores and stops: the figure is fetch + parse + clean + store. The baseline is a sequential
loop of plain `feedparser.parse(url)` over the same URLs: fetch and parse only, nothing
stored, so the comparison leans in the baseline's favour.

The feeds are served by the test suite's aiohttp FeedServer (tests/fakes/feed_server.py;
ETag, Last-Modified, 304) running in a separate process, so it shares neither the event
loop nor the interpreter lock with what is measured.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import feedparser

from bench.common import Result, timer
from bench.dataset import generate_drafts
from bot.domain.models import ArticleDraft, SourceKind, SourceSpec

ITEMS = 20
FEEDS_FULL = 1000
FEEDS_QUICK = 25
SPEEDUP_TARGET = 5.0
RE_POLL_TARGET_S = 3.0
LAST_MODIFIED = "Mon, 01 Jul 2024 12:00:00 GMT"


def feed_path(i: int) -> str:
    return f"/feeds/{i:04d}.xml"


def etag(i: int) -> str:
    return f'"feed-{i:04d}-v1"'


def render_rss(i: int, drafts: list[ArticleDraft]) -> bytes:
    """An RSS 2.0 document for feed `i`: HTML descriptions, guids, RFC 822 dates."""
    items = []
    for d in drafts:
        paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in d.text.split(".") if s.strip())
        published = format_datetime(d.published or datetime(2024, 7, 1, tzinfo=UTC), usegmt=True)
        items.append(
            "<item>"
            f"<title>{escape(d.title)}</title>"
            f"<link>https://outlet-{i:04d}.example/{escape(d.guid or '')}</link>"
            f'<guid isPermaLink="false">{escape(d.guid or "")}</guid>'
            f"<pubDate>{published}</pubDate>"
            f"<description>{escape(paragraphs)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Outlet {i:04d}</title><link>https://outlet-{i:04d}.example/</link>"
        f"<description>Synthetic outlet {i:04d}</description>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def serve(feeds: int, items: int) -> None:
    """Child process: serve `feeds` feeds, print the port, stop when stdin closes."""
    from tests.fakes.feed_server import FeedServer

    drafts = list(generate_drafts(feeds * items, seed=7))

    async def main() -> None:
        server = await FeedServer().start()
        for i in range(feeds):
            body = render_rss(i, drafts[i * items : (i + 1) * items])
            server.feed(feed_path(i), body, etag=etag(i), last_modified=LAST_MODIFIED)
        print(server.port, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await server.stop()

    asyncio.run(main())


class _ServerProcess:
    """The feed server in its own interpreter; the port once it is listening."""

    def __init__(self, feeds: int, items: int) -> None:
        self._args = [
            sys.executable,
            "-c",
            f"from bench.poll import serve; serve({int(feeds)}, {int(items)})",
        ]
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> int:
        root = Path(__file__).resolve().parent.parent
        self._proc = subprocess.Popen(
            self._args, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.strip().isdigit():
            self._proc.kill()
            raise RuntimeError(f"the feed server did not start (exit {self._proc.wait()})")
        return int(line)

    def __exit__(self, *exc: object) -> None:
        if self._proc is None:
            return
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


class _Clock:
    """Real time, plus an offset the benchmark moves to make every source due again."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def _baseline(urls: list[str]) -> tuple[float, float, int, float, int]:
    """Sequential feedparser: seconds, CPU seconds and entries of a first pass, then
    seconds and 304s of a second pass sending the validators."""
    validators: list[tuple[str | None, str | None]] = []
    entries = 0
    cpu = time.process_time()
    with timer() as first:
        for url in urls:
            parsed = feedparser.parse(url)
            entries += len(parsed.entries)
            validators.append((parsed.get("etag"), parsed.get("modified")))
    cpu = time.process_time() - cpu
    not_modified = 0
    with timer() as again:
        for url, (tag, modified) in zip(urls, validators, strict=True):
            parsed = feedparser.parse(url, etag=tag, modified=modified)
            not_modified += parsed.get("status") == 304
    return first(), cpu, entries, again(), not_modified


async def _ours(port: int, feeds: int, db: Path) -> dict[str, Any]:
    from bot.app import App
    from bot.config import Settings

    clock = _Clock()
    settings = Settings(
        data_dir=db.parent,
        db_path=db,
        rules_dir=db.parent / "no-rules",
        sources_file=db.parent / "no-sources.yaml",
        allow_private_urls=True,
    )
    app = App(settings, clock=clock)
    try:
        for i in range(feeds):
            app.storage.sources.upsert(
                SourceSpec(
                    name=f"outlet-{i:04d}",
                    kind=SourceKind.FEED,
                    location=f"http://127.0.0.1:{port}{feed_path(i)}",
                    interval_s=900,
                )
            )
        poller = app.poller()
        cpu = time.process_time()
        with timer() as first:
            report1 = await poller.poll_due()
        cpu = time.process_time() - cpu
        stored = app.storage.articles.count()
        clock.offset = timedelta(seconds=901)
        with timer() as again:
            report2 = await poller.poll_due()
        return {
            "first_s": first(),
            "first_cpu_s": cpu,
            "first_polled": len(report1.polled),
            "first_failed": len(report1.failed),
            "drafts": report1.drafts,
            "stored": stored,
            "again_s": again(),
            "again_polled": len(report2.polled),
            "again_not_modified": len(report2.not_modified),
            "again_failed": len(report2.failed),
            "concurrency": settings.fetch_concurrency,
            "failures": dict(list({**report1.failed, **report2.failed}.items())[:3]),
        }
    finally:
        await app.close()


def run(quick: bool) -> list[Result]:
    feeds = FEEDS_QUICK if quick else FEEDS_FULL
    with _ServerProcess(feeds, ITEMS) as port, tempfile.TemporaryDirectory() as tmp:
        urls = [f"http://127.0.0.1:{port}{feed_path(i)}" for i in range(feeds)]
        base_s, base_cpu_s, base_entries, base_again_s, base_304 = _baseline(urls)
        ours = asyncio.run(_ours(port, feeds, Path(tmp) / "poll.db"))
    items = feeds * ITEMS
    complete = (
        ours["first_failed"] == 0
        and ours["stored"] == items
        and base_entries == items
        and ours["again_not_modified"] == feeds
    )
    speedup = base_s / ours["first_s"]
    workload = (
        f"{feeds:,} feeds × {ITEMS} items, 127.0.0.1; ours: poll_due() fetch+parse+store "
        f"{items:,} articles (SQLite); baseline: sequential feedparser.parse, parse only"
    )
    notes = {
        "ours_first_s": round(ours["first_s"], 3),
        "baseline_first_s": round(base_s, 3),
        # Both sides run in this one process: CPU close to wall time means CPU-bound.
        "ours_first_cpu_s": round(ours["first_cpu_s"], 3),
        "baseline_first_cpu_s": round(base_cpu_s, 3),
        "stored": ours["stored"],
        "drafts": ours["drafts"],
        "baseline_entries": base_entries,
        "concurrency": ours["concurrency"],
        "failed": ours["first_failed"],
        "articles_per_s": round(ours["stored"] / ours["first_s"], 1),
    }
    if ours["failures"]:
        notes["failures"] = ours["failures"]
    first = Result(
        name="poll_first_speedup",
        workload=workload,
        value=speedup,
        unit="×",
        baseline=1.0,
        ratio=speedup,
        target=f">= {SPEEDUP_TARGET:g}× faster than sequential feedparser",
        met=complete and speedup >= SPEEDUP_TARGET,
        notes=notes,
    )
    again = Result(
        name="poll_304_s",
        workload=(
            f"re-poll of the {feeds:,} feeds, all 304; "
            "baseline: sequential feedparser.parse(url, etag=, modified=)"
        ),
        value=ours["again_s"],
        unit="s",
        baseline=base_again_s,
        ratio=base_again_s / ours["again_s"],
        target=f"<= {RE_POLL_TARGET_S:g} s",
        met=ours["again_not_modified"] == feeds and ours["again_s"] <= RE_POLL_TARGET_S,
        notes={
            "polled": ours["again_polled"],
            "not_modified": ours["again_not_modified"],
            "failed": ours["again_failed"],
            "baseline_304": base_304,
        },
    )
    return [first, again]
