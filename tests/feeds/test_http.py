"""The real fetch_feed and a real httpx client against the local scripted feed server."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from bot import __version__
from bot.domain.models import ArticleDraft, FetchResult, FetchStatus, SourceKind, SourceState
from bot.feeds.http import fetch_feed, parse_retry_after
from bot.feeds.parse import parse_feed
from tests.fakes.feed_server import FeedServer

NOW = datetime(2024, 7, 11, 12, 0, tzinfo=UTC)
LAST_MODIFIED = "Thu, 11 Jul 2024 10:00:00 GMT"
RSS_ITEM_2 = "https://news.example.org/world/visit-postponed"  # its guid in rss20.xml


def _state(url: str, **kw: Any) -> SourceState:
    return SourceState(name="test-source", kind=SourceKind.FEED, location=url, **kw)


async def _fetch(client: httpx.AsyncClient, state: SourceState, **kw: Any) -> FetchResult:
    kw.setdefault("allow_private", True)  # the fake server lives on 127.0.0.1
    kw.setdefault("timeout", 2.0)
    return await fetch_feed(client, state, clock=lambda: NOW, **kw)


class ParseSpy:
    """Our own parse function, counting calls (to prove a 304 is never parsed)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, body: bytes, **kw: Any) -> list[ArticleDraft]:
        self.calls += 1
        return parse_feed(body, **kw)


def _assert_one_sentence(result: FetchResult) -> str:
    assert result.status is FetchStatus.ERROR
    assert result.error and result.error.endswith(".") and "\n" not in result.error
    assert "Traceback" not in result.error
    return result.error


@pytest.mark.asyncio
async def test_a_feed_is_fetched_and_parsed(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.feed("/feed.xml", rss_body, etag='"v1"', last_modified=LAST_MODIFIED)
    result = await _fetch(client, _state(server.url("/feed.xml")))
    assert result.status is FetchStatus.OK
    assert [d.guid for d in result.drafts] == ["example-2024-0001", RSS_ITEM_2, "brief-3"]
    assert len(result.drafts) == 3
    assert all(d.source == "test-source" for d in result.drafts)
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)
    (request,) = server.requests
    assert request.headers["User-Agent"] == f"Redline/{__version__} (+self-hosted news alerts)"
    assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers


@pytest.mark.asyncio
async def test_etag_is_sent_and_304_skips_parsing(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.feed("/feed.xml", rss_body, etag='"v1"')
    spy = ParseSpy()
    result = await _fetch(client, _state(server.url("/feed.xml"), etag='"v1"'), parse=spy)
    assert result.status is FetchStatus.NOT_MODIFIED
    assert result.drafts == () and result.etag == '"v1"'
    assert spy.calls == 0
    assert server.requests[0].headers["If-None-Match"] == '"v1"'


@pytest.mark.asyncio
async def test_last_modified_is_sent_and_304_skips_parsing(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.feed("/feed.xml", rss_body, last_modified=LAST_MODIFIED)
    spy = ParseSpy()
    state = _state(server.url("/feed.xml"), last_modified=LAST_MODIFIED)
    result = await _fetch(client, state, parse=spy)
    assert result.status is FetchStatus.NOT_MODIFIED
    assert result.last_modified == LAST_MODIFIED
    assert spy.calls == 0
    assert server.requests[0].headers["If-Modified-Since"] == LAST_MODIFIED


@pytest.mark.asyncio
async def test_a_stale_etag_gets_the_new_body(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.feed("/feed.xml", rss_body, etag='"v2"')
    spy = ParseSpy()
    result = await _fetch(client, _state(server.url("/feed.xml"), etag='"v1"'), parse=spy)
    assert result.status is FetchStatus.OK and result.etag == '"v2"'
    assert spy.calls == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(("code", "words"), [(404, "was not found"), (410, "is gone")])
async def test_missing_feeds_are_permanent_errors(
    server: FeedServer, client: httpx.AsyncClient, code: int, words: str
) -> None:
    server.status("/gone.xml", code)
    result = await _fetch(client, _state(server.url("/gone.xml")))
    error = _assert_one_sentence(result)
    assert words in error and f"HTTP {code}" in error and "127.0.0.1" in error
    assert result.permanent


@pytest.mark.asyncio
async def test_a_server_error_is_a_temporary_error(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.status("/broken.xml", 500)
    result = await _fetch(client, _state(server.url("/broken.xml")))
    assert "HTTP 500" in _assert_one_sentence(result)
    assert not result.permanent and result.retry_after_s is None


@pytest.mark.asyncio
async def test_429_with_retry_after_seconds(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.status("/busy.xml", 429, headers={"Retry-After": "120"})
    result = await _fetch(client, _state(server.url("/busy.xml")))
    assert "rate-limiting" in _assert_one_sentence(result)
    assert result.retry_after_s == 120


@pytest.mark.asyncio
async def test_503_with_retry_after_http_date(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    later = format_datetime(NOW + timedelta(hours=1), usegmt=True)
    server.status("/maintenance.xml", 503, headers={"Retry-After": later})
    result = await _fetch(client, _state(server.url("/maintenance.xml")))
    assert "unavailable" in _assert_one_sentence(result)
    assert result.retry_after_s == 3600


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0", 0.0), ("30", 30.0), ("1.5", 1.5), ("-5", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_values(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_retry_after_date_in_the_past_is_zero() -> None:
    past = format_datetime(NOW - timedelta(minutes=5), usegmt=True)
    assert parse_retry_after(past, now=NOW) == 0.0


@pytest.mark.asyncio
async def test_a_slow_body_times_out(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.slow("/slow.xml")
    started = time.perf_counter()
    result = await _fetch(
        client, _state(server.url("/slow.xml")), timeout=httpx.Timeout(2.0, read=0.1)
    )
    assert "stopped sending data" in _assert_one_sentence(result)
    assert time.perf_counter() - started < 1.0


@pytest.mark.asyncio
async def test_the_overall_deadline_bounds_a_fetch(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.slow("/slow.xml")
    result = await _fetch(client, _state(server.url("/slow.xml")), timeout=5.0, deadline_s=0.1)
    assert "took longer than 0.1 s" in _assert_one_sentence(result)


@pytest.mark.asyncio
async def test_an_oversized_body_is_cut_off(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.endless("/huge.xml")
    result = await _fetch(client, _state(server.url("/huge.xml")), max_bytes=256 * 1024)
    assert "response larger than 256 KB" in _assert_one_sentence(result)


@pytest.mark.asyncio
async def test_a_declared_huge_length_is_refused_before_reading(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.endless("/huge.xml", declare_length=True)
    result = await _fetch(client, _state(server.url("/huge.xml")))
    assert "response larger than 10 MB" in _assert_one_sentence(result)


@pytest.mark.asyncio
async def test_a_gzip_body_is_decompressed(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.gzip("/feed.xml.gz", rss_body)
    result = await _fetch(client, _state(server.url("/feed.xml.gz")))
    assert result.status is FetchStatus.OK and len(result.drafts) == 3
    assert "gzip" in server.requests[0].headers["Accept-Encoding"]


@pytest.mark.asyncio
async def test_the_size_cap_counts_decompressed_bytes(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    bomb = b"<rss>" + b" " * (4 * 1024 * 1024) + b"</rss>"  # compresses to a few KB
    server.gzip("/bomb.xml", bomb)
    result = await _fetch(client, _state(server.url("/bomb.xml")), max_bytes=1024 * 1024)
    assert "response larger than 1 MB" in _assert_one_sentence(result)


@pytest.mark.asyncio
async def test_redirects_are_followed_with_the_conditional_headers(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.redirect("/old.xml", "/feed.xml", code=301)
    server.feed("/feed.xml", rss_body, etag='"v1"')
    result = await _fetch(client, _state(server.url("/old.xml"), etag='"v1"'))
    assert result.status is FetchStatus.NOT_MODIFIED
    assert [r.path for r in server.requests] == ["/old.xml", "/feed.xml"]
    assert server.requests[1].headers["If-None-Match"] == '"v1"'


@pytest.mark.asyncio
async def test_a_redirect_loop_is_an_error(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.redirect("/a.xml", "/b.xml")
    server.redirect("/b.xml", "/a.xml")
    result = await _fetch(client, _state(server.url("/a.xml")))
    assert "redirects in a loop" in _assert_one_sentence(result)
    assert len(server.requests) == 2


@pytest.mark.asyncio
async def test_too_many_redirects_is_an_error(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    for i in range(8):
        server.redirect(f"/r{i}", f"/r{i + 1}")
    result = await _fetch(client, _state(server.url("/r0")), max_redirects=5)
    assert "redirected more than 5 times" in _assert_one_sentence(result)
    assert len(server.requests) == 6  # the first request and five redirects


@pytest.mark.asyncio
async def test_a_body_that_is_not_a_feed_is_a_parse_error(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.feed("/page", b"<html><body><p>Hi</p></body></html>", content_type="text/html")
    result = await _fetch(client, _state(server.url("/page")))
    assert "not an RSS, Atom or JSON feed" in _assert_one_sentence(result)
    assert result.etag is None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.asyncio
async def test_connection_refused_is_an_error(client: httpx.AsyncClient) -> None:
    result = await _fetch(client, _state(f"http://127.0.0.1:{_closed_port()}/feed.xml"))
    assert "Could not connect to 127.0.0.1" in _assert_one_sentence(result)


@pytest.mark.asyncio
async def test_private_addresses_are_refused_unless_allowed(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.feed("/feed.xml", rss_body)
    result = await _fetch(client, _state(server.url("/feed.xml")), allow_private=False)
    assert "non-public address 127.0.0.1" in _assert_one_sentence(result)
    assert result.permanent
    assert server.requests == []  # refused before connecting


@pytest.mark.asyncio
async def test_every_redirect_hop_is_checked(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    # The first host is allowed by name; the redirect target is a private address that is not.
    server.redirect("/out", server.url("/feed.xml"))
    server.feed("/feed.xml", rss_body)
    start = f"http://localhost:{server.port}/out"
    result = await _fetch(client, _state(start), allow_private=False, allowlist=["localhost"])
    assert "127.0.0.1 points to the non-public address" in _assert_one_sentence(result)
    assert [r.path for r in server.requests] == ["/out"]


@pytest.mark.asyncio
async def test_a_non_http_url_is_refused(client: httpx.AsyncClient) -> None:
    result = await _fetch(client, _state("ftp://files.example.org/feed.xml"))
    assert "Only http and https" in _assert_one_sentence(result)
    assert result.permanent


@pytest.mark.asyncio
async def test_one_failing_source_never_stops_the_others(
    server: FeedServer, client: httpx.AsyncClient, rss_body: bytes
) -> None:
    server.feed("/good.xml", rss_body)
    server.status("/missing.xml", 404)
    server.status("/broken.xml", 500)
    server.slow("/slow.xml")
    server.feed("/junk.xml", b"\x00\x01 not xml at all", content_type="application/xml")
    urls = ["/good.xml", "/missing.xml", "/broken.xml", "/slow.xml", "/junk.xml"]
    states = [_state(server.url(u)) for u in urls]
    states.append(_state(f"http://127.0.0.1:{_closed_port()}/refused.xml"))
    results = await asyncio.gather(
        *(_fetch(client, s, timeout=httpx.Timeout(2.0, read=0.2)) for s in states)
    )
    assert results[0].status is FetchStatus.OK and len(results[0].drafts) == 3
    assert [r.status for r in results[1:]] == [FetchStatus.ERROR] * 5
    assert [r.permanent for r in results[1:]] == [True, False, False, False, False]
