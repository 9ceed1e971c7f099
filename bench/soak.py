"""Soak test: many local feeds, a flaky Slack and Discord, a killed bot; count every post.

    python -m bench.soak --feeds 200 --minutes 3 --failure-rate 0.2 --seed 1

Not part of `make bench` or CI: it runs the real `redline run` as a subprocess for several
minutes. Feeds on 127.0.0.1 gain items over time; every item is an article the shipped
rules fire on once (a quoted paragraph taken from seeds/*.txt at run time, wrapped in
filler that is unique per item and checked against the rules before it is served). The
fake Slack and the fake Discord (tests/fakes/) fail a share of the posts with 429 and 5xx
answers. Mid-run the bot is killed (SIGKILL by default) and started again on the same
database. After the feeds stop growing the script waits for the outbox to drain, stops the
bot, and counts, for every item served and every subscribed channel, how many times its
alert arrived: exactly once is the goal. Lost or duplicated posts exit with status 1.

Rows a killed process left in `sending` are retried as soon as the bot starts again (it
holds the database's run lock, so no one else owns them); the drain wait still allows for
the outbox lease in case a restart is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from aiohttp import web
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
RULE = "official-statement"  # the rule every served item is built to fire, once
TOKEN = re.compile(r"soak-f\d+-i\d+")
SLACK_CHANNEL = "C0SOAK"
QUOTE_MARKS = ('"', "\u201c", "\u201d")

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)

# Neutral words for filler: no place, government, person, weapon or policy term.
_ADJ = (
    "quiet busy rainy sunny windy early late weekly monthly annual local modest careful "
    "brief long short new fresh routine"
).split()
_NOUN = (
    "bakery library garden harbour market orchard museum theatre school bridge bakery "
    "choir ferry lighthouse bicycle lantern meadow workshop"
).split()
_VERB = (
    "reviewed repainted counted planned repaired visited discussed catalogued measured "
    "cleaned tidied sorted"
).split()
_THING = (
    "benches lamps shelves ledgers fences windows signs tables gutters timetables "
    "flowerbeds railings"
).split()
_DAY = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def _filler_sentence(rng: random.Random, tag: str) -> str:
    return (
        f"The {rng.choice(_ADJ)} {rng.choice(_NOUN)} volunteers {rng.choice(_VERB)} "
        f"{rng.randint(3, 97)} {rng.choice(_THING)} on {rng.choice(_DAY)}, "
        f"according to notebook {tag}."
    )


# ----------------------------------------------------------------------------- items


@dataclass
class Item:
    token: str  # soak-fNNN-iNNN: in the URL, so every post can be traced back to its item
    feed: int
    due_s: float  # seconds after the start when the feed first shows it
    title: str
    html: str
    published: datetime


def seed_paragraphs(seeds: Path) -> list[str]:
    """Paragraphs of the seed articles that hold a quotation (read at run time)."""
    out: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            para = " ".join(para.split())
            if 60 <= len(para) <= 1200 and any(q in para for q in QUOTE_MARKS):
                out.append(para)
    return out


class ItemMaker:
    """Builds items and keeps only those the shipped rules fire on as intended."""

    def __init__(self, rules_dir: Path, rng: random.Random) -> None:
        from bot.engine.loader import load_ruleset

        self.ruleset = load_ruleset(rules_dir)
        self.rng = rng
        self.rejected = 0

    def fired(self, item: Item) -> list[str]:
        """Rule ids that hold on the item as the bot will read it (same parser, same rules)."""
        from bot.feeds.parse import parse_feed
        from bot.text.analysis import analyse

        body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [_entry(item)]})
        drafts = parse_feed(
            body.encode(),
            url="http://127.0.0.1/feed.json",
            headers={"content-type": "application/feed+json"},
            source="check",
        )
        analysis = analyse(drafts[0].title, drafts[0].text, self.ruleset.lexicons)
        return sorted(f.rule.id for f in self.ruleset.evaluate(analysis))

    def pool(self, paragraphs: list[str]) -> list[str]:
        """The paragraphs that, in filler, fire exactly the one rule."""
        keep = []
        for i, para in enumerate(paragraphs):
            probe = self._build("soak-f0-i0", 0, 0.0, para, datetime.now(UTC))
            if self.fired(probe) == [RULE]:
                keep.append(para)
            else:
                console.print(f"  seed paragraph {i} left out (fires {self.fired(probe)})")
        return keep

    def make(
        self, token: str, feed: int, due_s: float, pool: list[str], when: datetime
    ) -> Item | None:
        for _ in range(6):
            item = self._build(token, feed, due_s, self.rng.choice(pool), when)
            if self.fired(item) == [RULE]:
                return item
            self.rejected += 1
        return None

    def _build(self, token: str, feed: int, due_s: float, para: str, when: datetime) -> Item:
        rng = self.rng
        tag = token.removeprefix("soak-")
        title = (
            f"{rng.choice(_ADJ).title()} {rng.choice(_NOUN)} notes, "
            f"{rng.choice(_DAY)} edition {tag}"
        )
        paras = [
            _filler_sentence(rng, tag) + " " + _filler_sentence(rng, tag),
            para,
            _filler_sentence(rng, tag),
        ]
        html = "".join(f"<p>{_escape(p)}</p>" for p in paras)
        return Item(token, feed, due_s, title, html, when)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entry(item: Item, base: str = "http://127.0.0.1") -> dict[str, Any]:
    return {
        "id": item.token,
        "url": f"{base}/article/{item.token}",
        "title": item.title,
        "content_html": item.html,
        "date_published": item.published.isoformat(),
    }


# ----------------------------------------------------------------------------- feeds


@dataclass
class Feeds:
    """One aiohttp server for every feed; each feed shows its items once they are due."""

    items: dict[int, list[Item]]
    t0: float = 0.0
    port: int = 0
    served: dict[str, float] = field(default_factory=dict)  # token -> first served at (s)
    requests: int = 0
    not_modified: int = 0
    new_item: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/feed/{n}.json", self._feed)
        app.router.add_get("/article/{token}", self._article)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.port}/feed/{n}.json"

    def elapsed(self) -> float:
        return time.monotonic() - self.t0 if self.t0 else -1.0

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        n = int(request.match_info["n"])
        now = self.elapsed()
        visible = [it for it in self.items.get(n, []) if it.due_s <= now]
        etag = f'"{n}-{len(visible)}"'
        if request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return web.Response(status=304, headers={"ETag": etag})
        base = f"http://127.0.0.1:{self.port}"
        doc = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": f"Soak feed {n}",
            "items": [_entry(it, base) for it in reversed(visible)],
        }
        for it in visible:
            if it.token not in self.served:
                self.served[it.token] = now
                self.new_item.set()
        return web.Response(
            body=json.dumps(doc).encode(),
            headers={"Content-Type": "application/feed+json", "ETag": etag},
        )

    async def _article(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text="<html><body>soak article</body></html>", content_type="text/html")


# ----------------------------------------------------------------------------- the bot


@dataclass
class Bot:
    """`redline run` as a subprocess, started and killed on demand."""

    env: dict[str, str]
    workdir: Path
    proc: asyncio.subprocess.Process | None = None
    starts: int = 0

    async def start(self) -> None:
        self.starts += 1
        log = open(self.workdir / f"bot-{self.starts}.log", "wb")  # noqa: SIM115
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        log.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def stop(self, sig: signal.Signals, timeout: float = 30.0) -> int | None:
        proc, self.proc = self.proc, None
        if proc is None or proc.returncode is not None:
            return None if proc is None else proc.returncode
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            return await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            proc.kill()
            return await proc.wait()


async def cli(env: dict[str, str], cwd: Path, *args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise click.ClickException(f"redline {' '.join(args)} failed: {out.decode()[-500:]}")
    return out.decode()


# ----------------------------------------------------------------------------- counting


def slack_received(slack: Any) -> tuple[Counter[tuple[str, str]], int, int]:
    """(token, channel) -> successful posts; failed attempts; posts with no item URL."""
    got: Counter[tuple[str, str]] = Counter()
    failed = untraced = 0
    for call in slack.calls_to("chat.postMessage"):
        if call.status != 200 or not (call.response or {}).get("ok"):
            failed += 1
            continue
        tokens = set()
        for block in call.body.get("blocks") or []:
            for el in block.get("elements") or []:
                if isinstance(el, dict) and el.get("url"):
                    tokens.update(TOKEN.findall(el["url"]))
        if not tokens:
            untraced += 1
        for t in tokens:
            got[(t, str(call.body.get("channel")))] += 1
    return got, failed, untraced


def discord_received(fake: Any) -> tuple[Counter[tuple[str, str]], int, int]:
    """(token, channel) -> successful posts (thread posts count for the parent channel)."""
    got: Counter[tuple[str, str]] = Counter()
    failed = untraced = 0
    for call in fake.calls_to("POST", r"/channels/\d+/messages"):
        if not 200 <= call.status < 300:
            failed += 1
            continue
        channel = call.path.split("/")[2]
        parent = (fake.channels.get(channel) or {}).get("parent_id")
        embeds = (call.body or {}).get("embeds") or []
        tokens = set(TOKEN.findall(str(embeds[0].get("url") or ""))) if embeds else set()
        if not tokens:
            untraced += 1
        for t in tokens:
            got[(t, str(parent or channel))] += 1
    return got, failed, untraced


@dataclass
class Outcome:
    rows: list[tuple[str, str]] = field(default_factory=list)  # the summary table
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    expected: int = 0
    delivered: int = 0


def count(
    *,
    db: Path,
    items: list[Item],
    served: dict[str, float],
    targets: list[tuple[str, str, str]],
    received: dict[str, Counter[tuple[str, str]]],
) -> tuple[Outcome, dict[str, Any]]:
    """Compare what the feeds served, what the bot recorded and what the fakes received."""
    from bot.storage import Storage
    from bot.storage.outbox import delivery_key

    out = Outcome()
    storage = Storage.open(db)
    try:
        articles: dict[str, list[int]] = defaultdict(list)
        for article in storage.articles.iter_all():
            for t in TOKEN.findall(article.url or ""):
                articles[t].append(article.id)
        alerts: dict[str, list[Any]] = defaultdict(list)
        other_alerts = 0
        for token, ids in articles.items():
            for aid in ids:
                for alert in storage.alerts.for_article(aid):
                    if alert.rule_id == RULE:
                        alerts[token].append(alert)
                    else:
                        other_alerts += 1
        stats = storage.outbox.stats()
        attempts = extra_attempts = 0
        kinds: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        for item in items:
            if item.token not in served:
                continue  # never shown to the bot (the run ended first): not expected
            found = alerts.get(item.token, [])
            for platform, workspace, channel in targets:
                out.expected += 1
                n = received[platform][(item.token, channel)]
                label = f"{item.token} -> {platform}:{channel}"
                rows = [
                    storage.outbox.by_key(delivery_key(a.id, platform, workspace, channel))
                    for a in found
                ]
                for row in rows:
                    if row is not None:
                        attempts += row.attempts
                        extra_attempts += max(0, row.attempts - 1)
                        kinds[str(row.kind)] += 1
                if n == 1:
                    out.delivered += 1
                elif n == 0:
                    if not articles.get(item.token):
                        why = "no article stored"
                    elif not found:
                        why = "article stored, no alert"
                    elif all(r is None for r in rows):
                        why = "alert recorded, no delivery queued"
                    else:
                        states = ",".join(str(r.state) for r in rows if r is not None)
                        why = f"delivery {states}, never received"
                    reasons[why] += 1
                    out.lost.append(f"{label}: {why}")
                else:
                    out.delivered += 1
                    states = ",".join(
                        f"{r.state}/{r.attempts} attempts" for r in rows if r is not None
                    )
                    why = f"{len(found)} alert(s), outbox {states}"
                    reasons[f"duplicate: {len(found)} alert(s)"] += 1
                    out.duplicated.append(f"{label}: received {n}x ({why})")
        facts = {
            "articles": sum(len(v) for v in articles.values()),
            "alerts": sum(len(v) for v in alerts.values()),
            "multi_alert_items": sum(1 for v in alerts.values() if len(v) > 1),
            "other_alerts": other_alerts,
            "outbox": {str(k): v for k, v in stats.items()},
            "attempts": attempts,
            "extra_attempts": extra_attempts,
            "kinds": dict(kinds),
            "reasons": dict(reasons),
        }
    finally:
        storage.close()
    return out, facts


# ----------------------------------------------------------------------------- the run


@dataclass
class Options:
    feeds: int
    minutes: float
    failure_rate: float
    seed: int
    item_every: float
    poll_interval: int
    kill_at: float
    restarts: int
    sig: signal.Signals
    busy_kill: bool
    down: float
    drain_timeout: float | None
    keep: bool


async def soak(opt: Options) -> int:
    from bot.storage import Storage
    from bot.storage.outbox import DEFAULT_LEASE
    from tests.fakes.discord import FakeDiscord
    from tests.fakes.slack import ENV_TO_CLEAR, TEAM_ID, FakeSlack

    rng = random.Random(opt.seed)
    duration = opt.minutes * 60.0
    work = Path(tempfile.mkdtemp(prefix="redline-soak-"))
    started = time.monotonic()
    console.print(f"[bold]Redline soak[/bold] in {work}")

    # Items, checked against the shipped rules before anything starts.
    maker = ItemMaker(ROOT / "rules", rng)
    pool = maker.pool(seed_paragraphs(ROOT / "seeds"))
    if not pool:
        raise click.ClickException("no seed paragraph fires the statement rule on its own")
    wall0 = datetime.now(UTC)
    items: dict[int, list[Item]] = {}
    for f in range(opt.feeds):
        offset = rng.uniform(0, opt.item_every)
        k, out = 0, []
        while offset + k * opt.item_every < duration:
            due = offset + k * opt.item_every
            item = maker.make(
                f"soak-f{f:03d}-i{k:03d}", f, due, pool, wall0 + timedelta(seconds=due)
            )
            if item is not None:
                out.append(item)
            k += 1
        items[f] = out
    every_item = [it for its in items.values() for it in its]
    console.print(
        f"{len(every_item)} items for {opt.feeds} feeds from {len(pool)} seed paragraphs "
        f"({maker.rejected} drafts rejected by the rule check)"
    )

    feeds = Feeds(items)
    await feeds.start()
    slack = FakeSlack().start()
    discord_fake = await FakeDiscord().start()
    flaky = asyncio.Event()
    statuses = (429, 500, 503)
    if opt.failure_rate > 0:
        discord_fake.fail_rate(opt.failure_rate, opt.seed, statuses=statuses, retry_after=0.2)

    async def rotate_slack_faults() -> None:
        # FakeSlack fails with one outcome at a time; switch it every few seconds.
        k = 0
        while True:
            await flaky.wait()
            slack.fail_rate(
                opt.failure_rate,
                seed=opt.seed * 1000 + k,
                outcome=statuses[k % len(statuses)],
                retry_after=1,
            )
            k += 1
            await asyncio.sleep(5)

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ENV_TO_CLEAR and not k.startswith(("SLACK_", "DISCORD_", "REDLINE_"))
    }
    env.update(
        REDLINE_DATA_DIR=str(work),
        REDLINE_DB=str(work / "redline.db"),
        REDLINE_RULES_DIR=str(ROOT / "rules"),
        REDLINE_SOURCES_FILE=str(work / "sources.yaml"),
        REDLINE_POLL_TICK="2",
        REDLINE_ALLOW_PRIVATE_URLS="true",
        REDLINE_BURST_LIMIT="1000000",  # one post per alert, so every alert is countable
        REDLINE_CONSOLE="false",
        REDLINE_LOG_LEVEL="INFO",
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_APP_TOKEN=slack.app_token,
        SLACK_API_BASE_URL=slack.base_url,
        DISCORD_TOKEN=discord_fake.token,
        DISCORD_API_BASE=discord_fake.api_base,
        DISCORD_GATEWAY_URL=discord_fake.gateway_url,
        DISCORD_GUILD_ID=discord_fake.guild_id,
        PYTHONPATH=str(ROOT),
    )
    lines = ["sources:"]
    for f in range(opt.feeds):
        lines += [
            f"  - name: soak-{f:03d}",
            "    kind: feed",
            f"    url: {feeds.url(f)}",
            f"    interval: {opt.poll_interval}s",
        ]
    (work / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    targets = [
        ("slack", TEAM_ID, SLACK_CHANNEL),
        ("discord", discord_fake.guild_id, discord_fake.channel_id),
    ]
    for platform, workspace, channel in targets:
        await cli(env, work, "subscribe", "all", "--channel", f"{platform}:{workspace}:{channel}")

    bot = Bot(env, work)
    rotator = asyncio.create_task(rotate_slack_faults())
    kills: list[str] = []
    status = 1
    try:
        feeds.t0 = time.monotonic()
        await bot.start()
        flaky.set()
        storage: Any = None
        kill_times = (
            [duration * opt.kill_at]
            if opt.restarts == 1
            else [duration * (i + 1) / (opt.restarts + 1) for i in range(opt.restarts)]
        )
        next_report = 0.0
        while feeds.elapsed() < duration:
            now = feeds.elapsed()
            if kill_times and now >= kill_times[0]:
                kill_times.pop(0)
                if opt.busy_kill:
                    # Strike while the bot is processing: just after a feed showed a new item.
                    feeds.new_item.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(feeds.new_item.wait(), 30)
                    await asyncio.sleep(rng.uniform(0.05, 0.6))
                at = feeds.elapsed()
                code = await bot.stop(opt.sig)
                kills.append(f"{opt.sig.name} at {at:.0f}s (exit {code})")
                console.print(f"[yellow]{opt.sig.name}[/yellow] the bot at {at:.1f}s")
                await asyncio.sleep(opt.down)
                await bot.start()
                console.print(f"bot started again at {feeds.elapsed():.1f}s")
            if not bot.alive():
                raise click.ClickException(
                    f"the bot exited on its own; see {work}/bot-{bot.starts}.log"
                )
            if now >= next_report:
                storage = storage or await _open(Storage, work / "redline.db")
                _progress(now, feeds, slack, discord_fake, storage)
                next_report = now + 15
            await asyncio.sleep(0.25)

        # Drain: every item served, stored, and the outbox empty.
        lease = DEFAULT_LEASE.total_seconds()
        limit = opt.drain_timeout if opt.drain_timeout is not None else lease + 180
        console.print(f"feeds stopped growing; draining (up to {limit:.0f}s)")
        drain_start = time.monotonic()
        storage = storage or await _open(Storage, work / "redline.db")
        calm = 0
        drained = False
        while time.monotonic() - drain_start < limit:
            await asyncio.sleep(3)
            if not bot.alive():
                raise click.ClickException(
                    f"the bot exited on its own; see {work}/bot-{bot.starts}.log"
                )
            all_served = len(feeds.served) == len(every_item)
            depth = storage.outbox.depth()
            calm = calm + 1 if all_served and depth == 0 else 0
            if calm >= 3:
                drained = True
                break
            if int(time.monotonic() - drain_start) % 30 < 3:
                _progress(feeds.elapsed(), feeds, slack, discord_fake, storage)
        drain_s = time.monotonic() - drain_start
        storage.close()
        flaky.clear()
        rotator.cancel()
        await bot.stop(signal.SIGTERM)

        slack_got, slack_failed, slack_untraced = slack_received(slack)
        discord_got, discord_failed, discord_untraced = discord_received(discord_fake)
        outcome, facts = count(
            db=work / "redline.db",
            items=every_item,
            served=feeds.served,
            targets=targets,
            received={"slack": slack_got, "discord": discord_got},
        )
        total_s = time.monotonic() - started
        table = Table("figure", "value", title="Redline soak")
        rows = [
            ("command", " ".join(["python -m bench.soak", *sys.argv[1:]])),
            (
                "duration",
                f"{total_s / 60:.1f} min ({duration / 60:g} feeding, drain {drain_s:.0f}s)",
            ),
            ("feeds", str(opt.feeds)),
            ("items served / scheduled", f"{len(feeds.served)} / {len(every_item)}"),
            ("feed requests (304)", f"{feeds.requests} ({feeds.not_modified})"),
            ("restarts", "; ".join(kills) or "none"),
            ("articles stored", str(facts["articles"])),
            (f"alerts recorded ({RULE})", str(facts["alerts"])),
            ("other alerts", str(facts["other_alerts"])),
            ("deliveries by kind", ", ".join(f"{k} {v}" for k, v in facts["kinds"].items())),
            ("posts expected (items x channels)", str(outcome.expected)),
            ("delivered exactly once", str(outcome.delivered - len(outcome.duplicated))),
            ("duplicated", str(len(outcome.duplicated))),
            ("lost", str(len(outcome.lost))),
            ("injected failures slack / discord", f"{slack_failed} / {discord_failed}"),
            (
                "outbox attempts (beyond the first)",
                f"{facts['attempts']} ({facts['extra_attempts']})",
            ),
            ("outbox rows by state", ", ".join(f"{k} {v}" for k, v in facts["outbox"].items())),
            ("posts without an item URL", f"{slack_untraced + discord_untraced}"),
            ("drained", "yes" if drained else "no (timed out)"),
        ]
        for key, value in rows:
            table.add_row(key, value)
        console.print(table)
        for why, n in facts["reasons"].items():
            console.print(f"  {n} x {why}")
        for line in (outcome.duplicated + outcome.lost)[:20]:
            console.print(f"  [red]{line}[/red]")
        (work / "soak.json").write_text(
            json.dumps(
                {
                    "rows": dict(rows),
                    "facts": facts,
                    "lost": outcome.lost,
                    "duplicated": outcome.duplicated,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        ok = not outcome.lost and not outcome.duplicated and drained
        status = 0 if ok else 1
        console.print(
            "[green]every expected post arrived exactly once[/green]"
            if ok
            else f"[red]soak failed[/red]; logs and database kept in {work}"
        )
    finally:
        rotator.cancel()
        await bot.stop(signal.SIGKILL, timeout=5)
        slack.stop()
        await discord_fake.stop()
        await feeds.stop()
        if status == 0 and not opt.keep:
            shutil.rmtree(work, ignore_errors=True)
    return status


async def _open(storage_cls: Any, db: Path) -> Any:
    for _ in range(20):
        if db.exists():
            break
        await asyncio.sleep(0.5)
    return storage_cls.open(db)


def _progress(now: float, feeds: Feeds, slack: Any, fake: Any, storage: Any) -> None:
    ok_slack = len(slack.posted())
    ok_discord = sum(
        1 for c in fake.calls_to("POST", r"/channels/\d+/messages") if 200 <= c.status < 300
    )
    console.print(
        f"  {now:6.0f}s  served {len(feeds.served)}  articles {storage.articles.count()}  "
        f"alerts {storage.alerts.count()}  outbox {storage.outbox.depth()}  "
        f"posts slack {ok_slack} discord {ok_discord}"
    )


@click.command()
@click.option("--feeds", default=200, show_default=True, help="Local feeds to serve.")
@click.option("--minutes", default=3.0, show_default=True, help="How long the feeds grow.")
@click.option(
    "--failure-rate", default=0.2, show_default=True, help="Share of posts failing (429/5xx)."
)
@click.option("--seed", default=1, show_default=True, help="Seed for items and failures.")
@click.option("--item-every", default=60.0, show_default=True, help="Seconds between items.")
@click.option("--poll-interval", default=20, show_default=True, help="Source interval (s).")
@click.option("--kill-at", default=0.5, show_default=True, help="Restart at this share of the run.")
@click.option("--restarts", default=1, show_default=True, help="How many restarts.")
@click.option(
    "--signal",
    "sig",
    type=click.Choice(["kill", "term"]),
    default="kill",
    show_default=True,
    help="How the bot is stopped mid-run.",
)
@click.option(
    "--busy-kill/--any-time-kill",
    default=True,
    show_default=True,
    help="Stop the bot just after a feed showed new items (while it processes them).",
)
@click.option("--down", default=3.0, show_default=True, help="Seconds the bot stays down.")
@click.option(
    "--drain-timeout",
    type=float,
    default=None,
    help="Seconds to wait for the outbox to drain (default: the outbox lease + 3 min).",
)
@click.option("--keep", is_flag=True, help="Keep the work folder even when all is well.")
def main(**kw: Any) -> None:
    """Soak the real bot: feeds, flaky chat fakes, a restart; every post exactly once."""
    sig = signal.SIGKILL if kw.pop("sig") == "kill" else signal.SIGTERM
    opt = Options(sig=sig, **kw)
    if opt.feeds < 1 or opt.minutes <= 0 or opt.restarts < 0:
        raise click.BadParameter("feeds and minutes must be positive")
    sys.path.insert(0, str(ROOT))
    raise SystemExit(asyncio.run(soak(opt)))


if __name__ == "__main__":
    main()
