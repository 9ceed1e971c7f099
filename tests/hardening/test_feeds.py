"""Hostile feeds through the real polling service: the bot stays up, good sources keep flowing.

Every test runs a whole poll round (App.poller) against the local feed server with one good
source beside the bad ones, then reads what `status` (service and CLI) says about each.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from click.testing import CliRunner

from bot.app import App
from bot.cli import main
from bot.config import Settings
from bot.services.status import status_reply
from tests.fakes.feed_server import FeedServer
from tests.hardening.conftest import (
    MATCH_ALL,
    ROOT,
    console_poster,
    rules_dir,
    write_sources,
)
from tests.services.conftest import FakeClock

DATA = ROOT / "tests" / "data" / "feeds"
FIFTY_MB = 50 * 1024 * 1024


def rss(items: list[dict[str, str]], *, encoding: str = "utf-8") -> bytes:
    """A small RSS 2.0 document; each item may carry title, link, guid, pubDate, description."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>', '<rss version="2.0"><channel>']
    parts.append("<title>Wire</title><link>https://wire.example.org/</link>")
    for item in items:
        parts.append("<item>")
        for tag, value in item.items():
            parts.append(f"<{tag}>{value}</{tag}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding if encoding.lower() != "klingon" else "utf-8")


def stories(n: int, *, guid_prefix: str = "g", query: str = "") -> list[dict[str, str]]:
    """`n` distinct articles; the same n with another guid_prefix are the same articles."""
    topics = ["harbour", "orchard", "railway", "glacier", "lighthouse", "vineyard", "quarry"]
    return [
        {
            "title": f"Report on the {topics[i]} inquiry",
            "link": f"https://wire.example.org/news/{topics[i]}{query}",
            "guid": f"{guid_prefix}-{i}",
            "description": f"The {topics[i]} inquiry met on Monday and heard witnesses.",
        }
        for i in range(n)
    ]


def fifty_megabytes(*, declare: bool) -> Callable[[web.Request], object]:
    """A 50 MB body in 64 KB chunks (stops when the client hangs up)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Type": "application/rss+xml"}
        if declare:
            headers["Content-Length"] = str(FIFTY_MB)
        response = web.StreamResponse(headers=headers)
        await response.prepare(request)
        chunk = b"<rss><channel>" + b" " * (64 * 1024 - 14)
        try:
            for _ in range(FIFTY_MB // len(chunk)):
                await response.write(chunk)
        except (ConnectionError, RuntimeError):
            pass  # the client gave up, as it should
        return response

    return handler


def _row(app: App, name: str) -> dict[str, str]:
    table = status_reply(app).table
    assert table is not None
    for row in table.rows:
        if row[0] == name:
            return dict(zip(table.headers, row, strict=True))
    raise AssertionError(f"no status row for {name}")


BAD_FEEDS = {
    "bomb": "/bomb.xml",
    "xxe": "/xxe.xml",
    "huge": "/huge.xml",
    "declared": "/declared.xml",
    "slow": "/slow.xml",
    "loop": "/loop-a.xml",
    "garbage": "/garbage.xml",
}


def serve_bad_feeds(server: FeedServer) -> None:
    server.feed("/bomb.xml", (DATA / "bomb.xml").read_bytes())
    server.feed("/xxe.xml", (DATA / "xxe.xml").read_bytes())
    # An external DTD without any entity declaration: nothing may be read from the disk.
    server.feed(
        "/dtd.xml",
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">'
        b'<rss version="2.0"><channel><title>t</title><item><title>DTD</title>'
        b"<description>x</description></item></channel></rss>",
    )
    server.route("/huge.xml", fifty_megabytes(declare=False))  # type: ignore[arg-type]
    server.route("/declared.xml", fifty_megabytes(declare=True))  # type: ignore[arg-type]
    server.slow("/slow.xml")
    server.redirect("/loop-a.xml", "/loop-b.xml")
    server.redirect("/loop-b.xml", "/loop-a.xml")
    server.feed("/garbage.xml", b"\xff\xfe\x00<<<not a feed \x00\x01\x02", content_type="text/xml")


@pytest.mark.asyncio
async def test_bad_feeds_back_off_and_show_in_status_while_the_good_one_flows(
    server: FeedServer, make_app: Callable[..., App], clock: FakeClock, tmp_path: Path
) -> None:
    server.feed("/good.xml", rss(stories(3)))
    serve_bad_feeds(server)
    feeds = {"good": server.url("/good.xml"), "dtd": server.url("/dtd.xml")}
    feeds |= {name: server.url(path) for name, path in BAD_FEEDS.items()}
    write_sources(tmp_path / "sources.yaml", feeds)
    app = make_app(fetch_max_bytes=1024 * 1024)
    app.sync_sources()

    report = await app.poller().poll_due()

    assert sorted(report.polled) == sorted(feeds)
    assert set(report.failed) == set(BAD_FEEDS)
    assert app.storage.sources.article_counts().get("good") == 3
    # The external DTD is never fetched: its one article is stored as plain text.
    assert app.storage.sources.article_counts().get("dtd") == 1
    assert app.storage.articles.count() == 4  # nothing from any bad source
    for name in BAD_FEEDS:
        row = _row(app, name)
        assert row["failures"] == "1", (name, row)
        assert re.fullmatch(r"in \d+[smhd]", row["next poll"]), (name, row)
        assert row["last error"] and "Traceback" not in row["last error"]
    assert _row(app, "good")["failures"] == _row(app, "dtd")["failures"] == "0"
    assert "passwd" not in str([a.text for a in app.storage.articles.recent(10)])
    assert "root:" not in str(status_reply(app))

    # The next interval: the good source is polled again, the bad ones fail again and wait
    # twice as long (the permanent ones were already parked at the cap).
    clock.advance(seconds=61)
    before = {s.name: s.next_poll for s in app.storage.sources.list()}
    second = await app.poller().poll_due()
    assert "good" in second.polled and "good" not in second.failed
    states = {s.name: s for s in app.storage.sources.list()}
    for name in second.failed:
        assert states[name].failures == 2
        prev = before[name]
        assert prev is not None and states[name].next_poll is not None
        assert states[name].next_poll - clock() >= prev - (clock() - timedelta(seconds=61))
    clock.advance(seconds=61)
    third = await app.poller().poll_due()
    assert "good" in third.polled
    assert not set(third.polled) & set(second.failed)  # backed off, not hammered


def test_the_redline_status_command_shows_failures_and_next_attempt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.yaml"
    settings = Settings(
        db_path=tmp_path / "cli.db",
        rules_dir=ROOT / "rules",
        sources_file=sources,
        url_allowlist=("127.0.0.0/8",),
        console=False,
    )
    # `redline status` reads the real clock, so the poll happens "now" too.
    now = datetime.now(UTC).replace(microsecond=0)

    async def poll_once() -> None:
        server = await FeedServer().start()
        server.feed("/good.xml", rss(stories(2)))
        server.redirect("/loop-a.xml", "/loop-b.xml")
        server.redirect("/loop-b.xml", "/loop-a.xml")
        write_sources(sources, {"good": server.url("/good.xml"), "loop": server.url("/loop-a.xml")})
        app = App(settings, clock=lambda: now)
        try:
            app.sync_sources()
            await app.poller().poll_due()
        finally:
            await app.close()
            await server.stop()

    asyncio.run(poll_once())
    monkeypatch.setenv("REDLINE_DB", str(settings.db_path))
    monkeypatch.setenv("REDLINE_RULES_DIR", str(settings.rules_dir))
    monkeypatch.setenv("REDLINE_SOURCES_FILE", str(sources))
    monkeypatch.setenv("COLUMNS", "250")  # one table row per source
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    loop_line = next(line for line in lines if re.search(r"\bloop\b.*\bfeed\b", line))
    good_line = next(line for line in lines if re.search(r"\bgood\b.*\bfeed\b", line))
    assert "redirects in a loop" in loop_line
    assert re.search(r"\s1\s", loop_line), loop_line  # one failure
    assert re.search(r"in \d+[smh]", loop_line), loop_line  # and when it is tried next
    assert re.search(r"\s2\s", good_line), good_line  # the good source's two articles


@pytest.mark.asyncio
async def test_a_feed_that_changes_every_guid_adds_no_articles_and_no_alerts(
    server: FeedServer, make_app: Callable[..., App], clock: FakeClock, tmp_path: Path
) -> None:
    server.feed("/churn.xml", rss(stories(5, guid_prefix="first")))
    write_sources(tmp_path / "sources.yaml", {"churn": server.url("/churn.xml")})
    app = make_app(rules_dir=rules_dir(tmp_path, {"everything.yaml": MATCH_ALL}))
    assert app.rulebook.reload(), app.rulebook.health.errors
    poster = console_poster(app)
    app.sync_sources()
    await app.poller().poll_due()
    await app.deliverer().deliver_due()
    assert app.storage.articles.count() == 5
    alerts, posts = app.storage.alerts.count(), len(poster.posts)
    assert alerts >= 1 and posts >= 1

    # Same articles, new guids each round; then tracking parameters on every link too.
    for prefix, query in (("second", ""), ("third", "?utm_source=rss&utm_medium=feed")):
        server.feed("/churn.xml", rss(stories(5, guid_prefix=prefix, query=query)))
        clock.advance(seconds=61)
        report = await app.poller().poll_due()
        assert report.polled == ["churn"] and not report.failed
        await app.deliverer().deliver_due()
    assert app.storage.articles.count() == 5
    assert app.storage.alerts.count() == alerts
    assert len(poster.posts) == posts


@pytest.mark.asyncio
async def test_future_and_missing_dates_are_stored_and_do_not_silence_later_alerts(
    server: FeedServer, make_app: Callable[..., App], clock: FakeClock, tmp_path: Path
) -> None:
    # A rule that alerts at most once a day per message: a far-future date must not hold
    # that window shut for decades.
    rule = MATCH_ALL.replace("id: everything", "id: daily") + "realert: 1d\n"
    future, undated, today = stories(3)
    future["pubDate"] = "Sat, 01 Jan 2099 00:00:00 GMT"
    undated.pop("guid")
    today["pubDate"] = "Fri, 12 Jul 2024 08:00:00 GMT"
    server.feed("/first.xml", rss([future]))
    server.feed("/second.xml", rss([undated, today]))
    write_sources(
        tmp_path / "sources.yaml",
        {"first": server.url("/first.xml"), "second": server.url("/second.xml")},
    )
    app = make_app(rules_dir=rules_dir(tmp_path, {"daily.yaml": rule}))
    assert app.rulebook.reload(), app.rulebook.health.errors
    app.sync_sources()

    report = await app.poller().poll_due()
    assert not report.failed
    stored = {a.title: a for a in app.storage.articles.recent(10)}
    assert len(stored) == 3
    assert stored[future["title"]].published == datetime(2099, 1, 1, tzinfo=UTC)
    assert stored[undated["title"]].published is None
    assert app.storage.alerts.count() == 1  # one alert a day for the same message

    # A day later, today's news alerts again although a 2099 article fired before.
    server.feed("/second.xml", rss([_later()]))
    clock.advance(days=1, seconds=1)
    assert not (await app.poller().poll_due()).failed
    assert app.storage.alerts.count() == 2


def _later() -> dict[str, str]:
    return {
        "title": "Report on the tramway inquiry",
        "link": "https://wire.example.org/news/tramway",
        "guid": "later-1",
        "pubDate": "Sat, 13 Jul 2024 09:00:00 GMT",
        "description": "The tramway inquiry met on Saturday and heard witnesses.",
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # Declared UTF-8, with bytes that are not UTF-8.
        (rss(stories(1)).replace(b"inquiry met", b"inquiry \xff\xfe\xc3 met"), "text/xml"),
        # An encoding that does not exist.
        (rss(stories(1), encoding="klingon"), "application/rss+xml; charset=klingon"),
        # A header charset that disagrees with the document.
        (rss(stories(1)).replace(b"Report", "Отчёт".encode("cp1251")), "text/xml; charset=utf-8"),
        # UTF-16 without a BOM, declared as UTF-8.
        (rss(stories(1)).decode().encode("utf-16-le"), "text/xml; charset=utf-8"),
    ],
    ids=["bad-utf8", "unknown-encoding", "charset-mismatch", "utf16-as-utf8"],
)
@pytest.mark.asyncio
async def test_invalid_encodings_never_break_a_round(
    server: FeedServer,
    make_app: Callable[..., App],
    tmp_path: Path,
    body: bytes,
    content_type: str,
) -> None:
    server.feed("/good.xml", rss(stories(2)))
    server.feed("/odd.xml", body, content_type=content_type)
    write_sources(
        tmp_path / "sources.yaml",
        {"good": server.url("/good.xml"), "odd": server.url("/odd.xml")},
    )
    app = make_app()
    app.sync_sources()
    report = await app.poller().poll_due()
    assert sorted(report.polled) == ["good", "odd"] and "good" not in report.failed
    assert app.storage.sources.article_counts().get("good") == 2
    for article in app.storage.articles.recent(10):
        # Whatever was kept is text SQLite and the chat platforms can carry.
        article.title.encode("utf-8")
        article.text.encode("utf-8")
    if "odd" in report.failed:
        row = _row(app, "odd")
        assert row["failures"] == "1" and row["last error"].endswith(".")
