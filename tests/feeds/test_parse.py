"""Golden feeds: each file in tests/data/feeds has its hand-written expected parse next to it."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.errors import ParseError
from bot.feeds.parse import parse_feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
GOLDEN = sorted(DATA.glob("*.expected.json"))


def _feed_file(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    (feed,) = [p for p in DATA.glob(f"{stem}.*") if not p.name.endswith(".expected.json")]
    return feed


def _as_dict(draft: Any) -> dict[str, Any]:
    return {
        "title": draft.title,
        "text": draft.text,
        "url": draft.url,
        "guid": draft.guid,
        "published": draft.published.isoformat() if draft.published else None,
    }


def test_every_golden_file_has_an_expectation() -> None:
    feeds = {p.name for p in DATA.iterdir() if not p.name.endswith(".expected.json")}
    assert feeds == {_feed_file(e).name for e in GOLDEN}
    assert len(GOLDEN) >= 12


@pytest.mark.parametrize("expected_path", GOLDEN, ids=lambda p: p.name.split(".")[0])
def test_golden_feed(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    body = _feed_file(expected_path).read_bytes()
    kwargs: dict[str, Any] = {"url": expected["url"], "headers": expected["headers"]}
    if "error" in expected:
        with pytest.raises(ParseError, match=expected["error"]) as info:
            parse_feed(body, source="golden", **kwargs)
        message = str(info.value)
        assert message.endswith(".") and "\n" not in message
        return
    drafts = parse_feed(body, source="golden", **kwargs)
    assert [_as_dict(d) for d in drafts] == expected["drafts"]
    assert all(d.source == "golden" for d in drafts)
    assert all(d.published is None or d.published.tzinfo is UTC for d in drafts)


def test_an_xml_bomb_is_refused_quickly() -> None:
    body = (DATA / "bomb.xml").read_bytes()
    started = time.perf_counter()
    with pytest.raises(ParseError):
        parse_feed(body, url="https://bomb.example.org/rss", headers={}, source="s")
    assert time.perf_counter() - started < 0.2


def test_entity_text_inside_cdata_is_not_a_declaration() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><title>About DTDs</title>'
        b"<description><![CDATA[<p>Write <!ENTITY x> in a DTD.</p>]]></description>"
        b"</item></channel></rss>"
    )
    (draft,) = parse_feed(body, url="https://x.example/rss", headers={}, source="s")
    assert draft.title == "About DTDs"


def _rss_item(pub_date: str) -> bytes:
    return (
        '<rss version="2.0"><channel><title>t</title><item><title>Dated</title>'
        f"<description>Text.</description><pubDate>{pub_date}</pubDate></item>"
        "</channel></rss>"
    ).encode()


def test_future_dates_are_kept_as_given() -> None:
    (draft,) = parse_feed(
        _rss_item("Sat, 01 Jan 2050 00:00:00 GMT"),
        url="https://x.example/",
        headers={},
        source="s",
    )
    assert draft.published == datetime(2050, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", ["not a date", "Mon, 99 Foo 2024 99:99:99 GMT", ""])
def test_unreadable_dates_are_none(value: str) -> None:
    (draft,) = parse_feed(_rss_item(value), url="https://x.example/", headers={}, source="s")
    assert draft.published is None


def test_an_empty_body_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_feed(b"  \n", url="https://x.example/", headers={}, source="s")


def test_json_that_is_not_a_feed_is_refused() -> None:
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_feed(b'{"hello": 1}', url="https://x.example/", headers={}, source="s")


def test_an_entry_with_neither_title_nor_text_is_skipped() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><link>https://x.example/1</link>'
        b"</item><item><title>Kept</title></item></channel></rss>"
    )
    drafts = parse_feed(body, url="https://x.example/", headers={}, source="s")
    assert [d.title for d in drafts] == ["Kept"]


def test_links_that_are_not_web_addresses_are_dropped() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>A</title><link>javascript:alert(1)</link></item>"
        b"<item><title>B</title><link>file:///etc/passwd</link></item>"
        b"</channel></rss>"
    )
    drafts = parse_feed(body, url="https://x.example/rss", headers={}, source="s")
    assert [(d.title, d.url) for d in drafts] == [("A", None), ("B", None)]
