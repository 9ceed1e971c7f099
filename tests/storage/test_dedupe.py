"""URL normalisation and the content hash used to recognise an article seen before."""

from __future__ import annotations

import pytest

from bot.storage.dedupe import content_hash, normalize_url


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HTTPS://News.Example.COM/a/b", "https://news.example.com/a/b"),
        ("https://news.example/a/b/", "https://news.example/a/b"),
        ("https://news.example/a#comments", "https://news.example/a"),
        ("https://news.example/a?utm_source=rss&utm_medium=feed", "https://news.example/a"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"),
        ("https://news.example/a?id=5&fbclid=xyz&gclid=1", "https://news.example/a?id=5"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("  https://news.example/a  ", "https://news.example/a"),
    ],
)
def test_equivalent_urls_normalise_equally(a: str, b: str) -> None:
    assert normalize_url(a) == normalize_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.example/a?id=5", "https://news.example/a?id=6"),
        ("https://news.example/A", "https://news.example/a"),  # paths are case-sensitive
        ("https://news.example:8443/a", "https://news.example/a"),
        ("https://news.example/a", "https://other.example/a"),
    ],
)
def test_different_urls_stay_different(a: str, b: str) -> None:
    assert normalize_url(a) != normalize_url(b)


def test_empty_and_malformed_urls_do_not_raise() -> None:
    assert normalize_url("   ") is None
    assert normalize_url("http://[::1") == "http://[::1"
    assert normalize_url("http://host:notaport/x") == "http://host:notaport/x"


def test_content_hash_ignores_case_and_whitespace_only() -> None:
    base = content_hash("Biden lifts limits", "Some text\nhere.")
    assert content_hash("  BIDEN   lifts\tlimits ", "some   text here.") == base
    assert content_hash("Biden lifts limits", "Some text here!") != base
    assert content_hash("Biden lifts", "limits Some text here.") != base
    assert len(base) == 64
