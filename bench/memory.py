"""Memory: peak and growth of the resident set of `redline run` under a large configuration.

The real command runs as a subprocess (`python -m bot run`, console output, no chat token)
against:

* a database prefilled with 100,000 articles (`bench.dataset.build_articles_db`; the built
  file is kept in the system temp folder, keyed by the dataset and schema code, and copied
  for each run, so a second run does not spend a minute rebuilding it);
* 1,000 feed sources in sources.yaml, all on a local feed server run by this process (a
  thread with its own event loop). Every feed lists three items with an ETag and answers
  304 while it is unchanged. At first the items are articles the database already holds
  (a restarted bot), then each feed gains a new article (bench/corpus.py text, a tenth of
  them relevant) every so often, about two new articles a second over all feeds;
* a rules folder with the shipped rules and lexicons plus 10,000 generated keyword rules
  (`bench.match.generated_rule`), some of which the new articles fire.

Sources are polled every 30 s, so a three-minute run has several rounds. RSS is read from
/proc/<pid>/status every two seconds; the peak is the kernel's high-water mark (VmHWM)
read just before the bot is stopped.

The run lasts REDLINE_BENCH_MEMORY_MINUTES (default 3; the target speaks of 10) and about
15 s with --quick. Growth is the mean RSS of the last quarter of the run minus that of the
second quarter (their centres are half the run apart).

Baseline, measured at the same time: the same `redline run` with an empty database, no
sources and the shipped rules only. ratio = baseline peak / our peak (bigger is leaner).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench.common import Result
from bench.dataset import cached_articles_db

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
TARGET_PEAK_MB = 300.0
GROWTH_SHARE = 0.05  # growth within 5 % of the mid-run RSS ...
GROWTH_FLOOR_MB = 5.0  # ... or within 5 MB counts as flat
ITEMS_PER_FEED = 3
RULE_SEED = 4321


@dataclass(frozen=True)
class Size:
    sources: int
    articles: int
    rules: int
    seconds: float
    interval_s: int  # each source's poll interval
    poll_tick_s: float
    sample_s: float
    new_every_s: float  # a feed gains an item every new_every_s * stride seconds...
    stride: int  # ... one feed in `stride` at a time


def size(quick: bool) -> Size:
    if quick:
        return Size(50, 2_000, 200, 15.0, 5, 1.0, 0.5, 1.0, 10)
    minutes = float(os.environ.get("REDLINE_BENCH_MEMORY_MINUTES", "3"))
    return Size(1_000, 100_000, 10_000, minutes * 60, 30, 5.0, 2.0, 10.0, 50)


# --- fixtures -------------------------------------------------------------------------------


def known_urls(db: Path, n: int) -> list[str]:
    """URLs of `n` stored articles, newest first: what the feeds list before any news."""
    from bot.storage import Storage

    storage = Storage.open(db)
    try:
        return [a.url for a in storage.articles.recent(n) if a.url]
    finally:
        storage.close()


def rules_dir(target: Path, n: int) -> Path:
    """The shipped rules plus `n` generated keyword rules, some about the feeds' articles."""
    from bench.corpus import make_corpus
    from bench.match import corpus_words, generated_rule, write_rules_dir

    rng = random.Random(RULE_SEED)
    topical, common = corpus_words(make_corpus(400, seed=RULE_SEED), rng, 200)
    used: set[str] = set()
    texts = [generated_rule(i, rng, used, topical, common) for i in range(n)]
    return write_rules_dir(target, texts, rules=RULES)


def sources_yaml(path: Path, base_url: str, n: int, interval_s: int) -> None:
    lines = ["sources:"]
    for i in range(n):
        lines += [
            f"  - name: feed-{i:04d}",
            "    kind: feed",
            f"    url: {base_url}/feed/{i}.xml",
            f"    interval: {interval_s}s",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the feed server ------------------------------------------------------------------------


@dataclass
class Feeds:
    """1,000 feeds of three items each; feed i gains an item at the ticks where
    (tick + i) % stride == 0, one tick every `every_s` seconds after `start()`."""

    count: int
    known: list[str]
    every_s: float
    stride: int
    t0: float = 0.0
    requests: int = 0
    not_modified: int = 0
    first_request: float | None = None
    _cache: dict[int, tuple[int, bytes]] = field(default_factory=dict)

    def start(self) -> None:
        self.t0 = time.monotonic()

    def version(self, i: int) -> int:
        """How many new items feed i has had so far."""
        if not self.t0:
            return 0
        tick = int((time.monotonic() - self.t0) / self.every_s)
        first = (-i) % self.stride  # the first tick at which (tick + i) % stride == 0
        return 0 if tick < first else (tick - first) // self.stride + 1

    def body(self, i: int, version: int) -> bytes:
        hit = self._cache.get(i)
        if hit is not None and hit[0] == version:
            return hit[1]
        from bench.corpus import make_article

        now = datetime.now(UTC)
        entries = []
        for v in range(version, version - ITEMS_PER_FEED, -1):
            if v > 0:
                rng = random.Random(i * 1_000_003 + v)
                a = make_article(rng, v, relevant=rng.random() < 0.1)
                url, title, text = f"https://feed-{i}.example/news/{v}", a.title, a.text
            else:
                # Before any news: articles the database already holds, as after a restart.
                url = self.known[(i * ITEMS_PER_FEED - v) % len(self.known)]
                title, text = f"Earlier item {-v} of feed {i}", "Stored before the restart."
            entries.append(
                f"<item><title>{escape(title)}</title><link>{escape(url)}</link>"
                f"<guid>{escape(url)}</guid><pubDate>{format_datetime(now)}</pubDate>"
                f"<description>{escape(text)}</description></item>"
            )
        body = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Feed {i}</title><link>https://feed-{i}.example/</link>"
            "<description>memory benchmark</description>" + "".join(entries) + "</channel></rss>"
        ).encode()
        self._cache[i] = (version, body)
        return body


class FeedThread:
    """Serves `Feeds` on 127.0.0.1 from a thread with its own event loop."""

    def __init__(self, feeds: Feeds) -> None:
        self.feeds = feeds
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: Any = None

    async def _handle(self, request: Any) -> Any:
        from aiohttp import web

        feeds = self.feeds
        feeds.requests += 1
        if feeds.first_request is None:
            feeds.first_request = time.perf_counter()
        m = re.fullmatch(r"/feed/(\d+)\.xml", request.path)
        if m is None or int(m.group(1)) >= feeds.count:
            return web.Response(status=404, text="no such feed")
        i = int(m.group(1))
        version = feeds.version(i)
        etag = f'"{i}-{version}"'
        if request.headers.get("If-None-Match") == etag:
            feeds.not_modified += 1
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=feeds.body(i, version),
            headers={"ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"},
        )

    def start(self) -> FeedThread:
        from aiohttp import web

        ready = threading.Event()

        async def serve() -> None:
            app = web.Application()
            app.router.add_get("/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = int(self._runner.addresses[0][1])

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            loop.run_until_complete(serve())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="bench-feeds", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the benchmark feed server did not start")
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


# --- the bot --------------------------------------------------------------------------------


def _status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process in MB ({} once it is gone)."""
    out: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


@dataclass
class Bot:
    """One `redline run` subprocess in its own folder."""

    name: str
    folder: Path
    db: Path
    rules: Path
    sources: Path
    poll_tick_s: float
    proc: subprocess.Popen[bytes] | None = None
    samples: list[tuple[float, float]] = field(default_factory=list)  # (perf_counter, MB)
    hwm_mb: float = float("nan")

    def start(self) -> None:
        from tests.fakes.slack import ENV_TO_CLEAR

        drop = set(ENV_TO_CLEAR) | {"DISCORD_TOKEN", "DISCORD_API_BASE", "DISCORD_GATEWAY_URL"}
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(
            REDLINE_DATA_DIR=str(self.folder),
            REDLINE_DB=str(self.db),
            REDLINE_RULES_DIR=str(self.rules),
            REDLINE_SOURCES_FILE=str(self.sources),
            REDLINE_POLL_TICK=str(self.poll_tick_s),
            REDLINE_ALLOW_PRIVATE_URLS="true",
            REDLINE_CONSOLE="true",
            REDLINE_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            COLUMNS="160",
        )
        with (
            open(self.folder / "stdout.txt", "wb") as out,
            open(self.folder / "stderr.txt", "wb") as err,
        ):
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.folder,
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )

    def sample(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} `redline run` exited early:\n{self.tail()}")
        got = _status(self.proc.pid)
        if "VmRSS" in got:
            self.samples.append((time.perf_counter(), got["VmRSS"]))

    def stop(self) -> None:
        if self.proc is None:
            return
        got = _status(self.proc.pid)
        self.hwm_mb = got.get("VmHWM", float("nan"))
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def tail(self, n: int = 15) -> str:
        text = (self.folder / "stderr.txt").read_text(errors="replace")
        return "\n".join(text.splitlines()[-n:])


def _stored(db: Path, before: int) -> tuple[int, int]:
    """(articles added during the run, alerts recorded) in the bot's database."""
    from bot.storage import Storage

    storage = Storage.open(db)
    try:
        return storage.articles.count() - before, storage.alerts.count()
    finally:
        storage.close()


def _mean(
    samples: list[tuple[float, float]], t0: float, span: float, lo: float, hi: float
) -> float:
    picked = [mb for t, mb in samples if lo <= (t - t0) / span < hi]
    return statistics.fmean(picked) if picked else float("nan")


def run(quick: bool = False) -> list[Result]:
    s = size(quick)
    with tempfile.TemporaryDirectory(prefix="redline-memory-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "base").mkdir()
        (tmp / "ours").mkdir()
        empty_sources = tmp / "base" / "sources.yaml"
        empty_sources.write_text("sources: []\n", encoding="utf-8")
        base = Bot(
            "baseline",
            tmp / "base",
            tmp / "base" / "redline.db",
            RULES,
            empty_sources,
            s.poll_tick_s,
        )
        base.start()  # it idles while the large fixtures are built
        feeds_thread: FeedThread | None = None
        ours: Bot | None = None
        try:
            db = tmp / "ours" / "redline.db"
            build_s, cached = cached_articles_db(db, s.articles)
            t = time.perf_counter()
            rules = rules_dir(tmp / "ours" / "rules", s.rules)
            rules_s = time.perf_counter() - t
            feeds = Feeds(
                s.sources, known_urls(db, s.sources * ITEMS_PER_FEED), s.new_every_s, s.stride
            )
            feeds_thread = FeedThread(feeds).start()
            sources = tmp / "ours" / "sources.yaml"
            sources_yaml(sources, feeds_thread.base_url, s.sources, s.interval_s)
            ours = Bot("measured", tmp / "ours", db, rules, sources, s.poll_tick_s)
            ours.start()
            feeds.start()
            t0 = time.perf_counter()
            while (now := time.perf_counter()) - t0 < s.seconds:
                ours.sample()
                base.sample()
                time.sleep(min(s.sample_s, max(0.0, s.seconds - (now - t0))))
            ours.sample()
            base.sample()
            span = time.perf_counter() - t0
        finally:
            if ours is not None:
                ours.stop()
            base.stop()
            if feeds_thread is not None:
                feeds_thread.stop()
        assert ours is not None
        ingested, alerts = _stored(db, s.articles)
        rounds_seen = feeds.requests / s.sources if s.sources else 0
        startup = (feeds.first_request - t0) if feeds.first_request else float("nan")

    peak = max(ours.hwm_mb, max((mb for _, mb in ours.samples), default=float("nan")))
    base_peak = max(base.hwm_mb, max((mb for _, mb in base.samples), default=float("nan")))
    mid = _mean(ours.samples, t0, span, 0.25, 0.5)
    last = _mean(ours.samples, t0, span, 0.75, 1.01)
    growth = last - mid
    allowed = max(GROWTH_FLOOR_MB, GROWTH_SHARE * mid)
    minutes = span / 60
    workload = (
        f"redline run {minutes:.1f} min (target: 10), {s.sources:,} feeds/{s.interval_s}s, "
        f"{s.articles:,} articles, {s.rules:,}+3 rules"
    )
    notes: dict[str, Any] = {
        "duration_s": round(span, 1),
        "duration_note": "shorter than the 10 minutes of the target so `make bench` fits "
        "in 10 minutes; set REDLINE_BENCH_MEMORY_MINUTES for longer",
        "baseline": "the same `redline run`, empty database, no sources, shipped rules only, "
        "running at the same time; ratio = baseline peak / our peak",
        "baseline_mean_rss_mb": round(statistics.fmean(mb for _, mb in base.samples), 1)
        if base.samples
        else None,
        "rss_mid_quarter_mb": round(mid, 1),
        "rss_last_quarter_mb": round(last, 1),
        "samples": len(ours.samples),
        "rss_by_tenth_mb": [
            round(_mean(ours.samples, t0, span, k / 10, (k + 1) / 10 + 0.01 * (k == 9)), 1)
            for k in range(10)
        ],
        "startup_to_first_poll_s": round(startup, 1),
        "feed_requests": feeds.requests,
        "feed_304s": feeds.not_modified,
        "poll_rounds_per_source": round(rounds_seen, 1),
        "articles_ingested": ingested,
        "alerts": alerts,
        "dataset_s": round(build_s, 1),
        "dataset_cached": cached,
        "rules_written_s": round(rules_s, 1),
    }
    return [
        Result(
            name="run_peak_rss_mb",
            workload=workload,
            value=peak,
            unit="MB",
            baseline=base_peak,
            ratio=base_peak / peak if peak else None,
            target=f"<= {TARGET_PEAK_MB:g} MB peak",
            met=peak <= TARGET_PEAK_MB,
            notes=notes,
        ),
        Result(
            name="run_rss_growth_mb",
            workload=workload,
            value=growth,
            unit="MB",
            baseline=None,
            ratio=None,
            target=f"flat: last-quarter mean - second-quarter mean <= {allowed:.1f} MB "
            f"(max of {GROWTH_FLOOR_MB:g} MB and {GROWTH_SHARE:.0%})",
            met=growth <= allowed,
            notes={
                "rss_mid_quarter_mb": round(mid, 1),
                "rss_last_quarter_mb": round(last, 1),
                "duration_s": round(span, 1),
            },
        ),
    ]
