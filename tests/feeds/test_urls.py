"""URL safety: only http(s), and no private, loopback, link-local or multicast hosts."""

from __future__ import annotations

import pytest

from bot.domain.errors import SourceError
from bot.feeds.http import check_url
from bot.feeds.urls import check_url_async, display_host


@pytest.mark.parametrize(
    "url",
    ["ftp://files.example.org/feed", "file:///etc/passwd", "gopher://x.example/", "feed.xml"],
)
def test_only_http_and_https_are_accepted(url: str) -> None:
    with pytest.raises(SourceError, match="Only http and https") as info:
        check_url(url)
    assert info.value.permanent


def test_a_url_without_a_host_is_refused() -> None:
    with pytest.raises(SourceError, match="has no host"):
        check_url("http:///feed.xml")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",  # multicast
        "[::1]",
        "[fe80::1]",
        "[fc00::1]",
        "[::ffff:127.0.0.1]",
        "localhost",
    ],
)
def test_non_public_hosts_are_refused(host: str) -> None:
    with pytest.raises(SourceError, match="non-public address"):
        check_url(f"http://{host}/feed.xml")


def test_private_hosts_pass_when_allowed() -> None:
    check_url("http://127.0.0.1:8080/feed.xml", allow_private=True)


@pytest.mark.parametrize(
    ("url", "allowlist"),
    [
        ("http://10.1.2.3/feed", ["10.0.0.0/8"]),
        ("http://localhost:9000/feed", ["localhost"]),
        ("http://news.corp.internal/feed", [".corp.internal"]),
        ("http://news.corp.internal/feed", ["*.corp.internal"]),
    ],
)
def test_the_allowlist_admits_named_hosts_and_networks(url: str, allowlist: list[str]) -> None:
    check_url(url, allowlist=allowlist)


def test_the_allowlist_does_not_leak_to_other_networks() -> None:
    with pytest.raises(SourceError):
        check_url("http://192.168.1.1/feed", allowlist=["10.0.0.0/8", "other.example"])


def test_public_literal_addresses_pass_without_dns() -> None:
    check_url("https://93.184.216.34/feed.xml")
    check_url("https://[2606:4700::1111]/feed.xml")


@pytest.mark.asyncio
async def test_the_async_check_agrees() -> None:
    with pytest.raises(SourceError, match="non-public"):
        await check_url_async("http://localhost/feed")
    await check_url_async("http://localhost/feed", allow_private=True)


def test_display_host_shows_no_credentials_path_or_query() -> None:
    assert display_host("https://user:secret@feeds.example.org/x?token=abc") == "feeds.example.org"
    assert display_host("not a url") == "the source"
