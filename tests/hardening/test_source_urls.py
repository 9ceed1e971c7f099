"""Source URLs from users: http(s) only, no private networks unless configuration allows them.

Tested through the service the CLI calls (`bot.services.sources.add_source`), through
`redline sources add`, and through the App's fetch (redirects). Chat commands cannot add
sources. No test needs the internet: IP literals, numeric host forms and 'localhost' resolve
locally.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import App
from bot.cli import main
from bot.config import Settings, load_settings
from bot.domain.errors import ConfigError, SourceError
from bot.domain.models import FetchStatus, SourceKind, SourceState
from bot.feeds.sources_file import load_sources
from bot.services.commands import USAGE
from bot.services.sources import add_source
from tests.fakes.feed_server import FeedServer
from tests.hardening.conftest import ROOT

REFUSED_SCHEMES = [
    "file:///etc/passwd",
    "ftp://files.example.org/feed.xml",
    "gopher://example.org/",
    "data://text/plain,hello",
    "ws://example.org/feed",
    "jar:http://example.org/a.jar!/feed.xml",
]
NON_PUBLIC = [
    "http://127.0.0.1/feed",
    "http://127.8.9.10:8080/feed",
    "http://localhost/feed",
    "http://LOCALHOST./feed",
    "http://[::1]/feed",
    "http://0.0.0.0/feed",
    "http://10.1.2.3/feed",
    "http://172.16.0.1/feed",
    "https://192.168.1.1/feed",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata: link-local
    "http://[fe80::1]/feed",
    "http://100.64.0.1/feed",  # carrier-grade NAT
    "http://224.0.0.1/feed",  # multicast
    "http://[ff02::1]/feed",
    "http://[::ffff:127.0.0.1]/feed",  # IPv4-mapped loopback
    "http://[::ffff:10.0.0.1]/feed",
    "http://2130706433/feed",  # 127.0.0.1 as one decimal number
    "http://0x7f.1/feed",  # and in hex
    "http://127.1/feed",
    "http://user:pw@127.0.0.1/feed",
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    return Settings(sources_file=tmp_path / "sources.yaml")


def _declared(settings: Settings) -> list[str]:
    return [s.location for s in load_sources(settings.sources_file)]


@pytest.mark.parametrize("url", REFUSED_SCHEMES)
def test_other_schemes_are_refused(settings: Settings, url: str) -> None:
    with pytest.raises((SourceError, ConfigError)) as caught:
        add_source(settings, name="x", location=url)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message
    assert _declared(settings) == []


@pytest.mark.parametrize("url", NON_PUBLIC)
def test_non_public_hosts_are_refused(settings: Settings, url: str) -> None:
    with pytest.raises(SourceError) as caught:
        add_source(settings, name="x", location=url)
    message = str(caught.value)
    assert "non-public address" in message or "could not be resolved" in message
    assert "pw" not in message  # credentials in the URL are never echoed
    assert _declared(settings) == []


@pytest.mark.parametrize("url", NON_PUBLIC)
def test_allow_private_urls_admits_every_one(settings: Settings, url: str) -> None:
    open_settings = Settings(sources_file=settings.sources_file, allow_private_urls=True)
    spec = add_source(open_settings, name="x", location=url)
    assert spec.kind is SourceKind.FEED and _declared(settings) == [url]


@pytest.mark.parametrize(
    ("url", "allowlist"),
    [
        ("http://localhost:8080/feed", ("localhost",)),
        ("http://127.0.0.1:8080/feed", ("127.0.0.1",)),
        ("http://127.0.0.1:8080/feed", ("127.0.0.0/8",)),
        ("http://[::1]/feed", ("::1/128",)),
        ("http://10.20.30.40/feed", ("10.0.0.0/8",)),
        ("http://feeds.intranet.example/rss", (".intranet.example",)),
    ],
)
def test_the_allowlist_admits_what_it_names(
    settings: Settings, url: str, allowlist: tuple[str, ...]
) -> None:
    listed = Settings(sources_file=settings.sources_file, url_allowlist=allowlist)
    add_source(listed, name="x", location=url)
    assert _declared(settings) == [url]


@pytest.mark.parametrize(
    ("url", "allowlist"),
    [
        ("http://192.168.1.1/feed", ("10.0.0.0/8",)),
        ("http://169.254.169.254/", ("127.0.0.0/8", "localhost")),
        ("http://127.0.0.1/feed", ("localhost",)),  # a name does not cover its address
        ("http://[::1]/feed", ("127.0.0.0/8",)),
    ],
)
def test_the_allowlist_admits_nothing_else(
    settings: Settings, url: str, allowlist: tuple[str, ...]
) -> None:
    listed = Settings(sources_file=settings.sources_file, url_allowlist=allowlist)
    with pytest.raises(SourceError):
        add_source(listed, name="x", location=url)
    assert _declared(settings) == []


def test_the_allowlist_does_not_lift_the_scheme_check(settings: Settings) -> None:
    listed = Settings(
        sources_file=settings.sources_file, url_allowlist=("localhost",), allow_private_urls=True
    )
    with pytest.raises(SourceError, match="Only http and https"):
        add_source(listed, name="x", location="file://localhost/etc/passwd")


def test_a_public_address_needs_no_allowlist(settings: Settings) -> None:
    add_source(settings, name="x", location="http://93.184.216.34/feed")
    assert _declared(settings) == ["http://93.184.216.34/feed"]


def test_the_allowlist_is_read_from_the_environment_and_documented() -> None:
    env = {"REDLINE_URL_ALLOWLIST": "localhost, 10.0.0.0/8 ,", "REDLINE_ALLOW_PRIVATE_URLS": "no"}
    settings = load_settings(env, dotenv=None)
    assert settings.url_allowlist == ("localhost", "10.0.0.0/8")
    assert settings.allow_private_urls is False
    assert load_settings({}, dotenv=None).url_allowlist == ()
    for doc in (ROOT / ".env.example", ROOT / "README.md"):
        text = doc.read_text(encoding="utf-8")
        assert "REDLINE_URL_ALLOWLIST" in text and "REDLINE_ALLOW_PRIVATE_URLS" in text, doc


def test_chat_commands_cannot_add_sources() -> None:
    assert not any(name.startswith("source") for name in USAGE)


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    for var in ("REDLINE_URL_ALLOWLIST", "REDLINE_ALLOW_PRIVATE_URLS", "REDLINE_SOURCES_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://localhost:9/feed", "non-public address"),
        ("http://[::1]/feed", "::1"),
        ("file:///etc/passwd", "file"),
    ],
)
def test_redline_sources_add_refuses(workdir: Path, url: str, needle: str) -> None:
    result = CliRunner().invoke(main, ["sources", "add", "x", url])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert needle in result.stderr and result.stderr.count("\n") == 1
    assert "x" not in [s.name for s in load_sources(workdir / "sources.yaml")]


def test_redline_sources_add_follows_the_allowlist(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDLINE_URL_ALLOWLIST", "localhost,127.0.0.0/8")
    for name, url in (("a", "http://localhost:9/feed"), ("b", "http://127.0.0.1:9/feed")):
        result = CliRunner().invoke(main, ["sources", "add", name, url])
        assert result.exit_code == 0, result.output
    refused = CliRunner().invoke(main, ["sources", "add", "c", "http://10.0.0.1/feed"])
    assert refused.exit_code == 1 and "10.0.0.1" in refused.stderr
    assert [s.name for s in load_sources(workdir / "sources.yaml")] == ["a", "b"]


# --- redirects, through the App's fetch ---------------------------------------------------


def _state(url: str) -> SourceState:
    return SourceState(name="redirected", kind=SourceKind.FEED, location=url)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/feed.xml",  # the name is allowed, its address is not
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feed.xml",
        "file:///etc/passwd",
    ],
)
async def test_a_redirect_to_a_private_address_is_refused(
    server: FeedServer, make_app: Callable[..., App], target: str
) -> None:
    server.redirect("/out", target.format(port=server.port))
    server.feed("/feed.xml", b"<rss version='2.0'><channel><title>t</title></channel></rss>")
    app = make_app(url_allowlist=("localhost",))
    result = await app.fetch(_state(f"http://localhost:{server.port}/out"))
    assert result.status is FetchStatus.ERROR
    assert result.error and ("non-public address" in result.error or "http" in result.error)
    assert [r.path for r in server.requests] == ["/out"]


@pytest.mark.asyncio
async def test_a_redirect_inside_the_allowlist_is_followed(
    server: FeedServer, make_app: Callable[..., App]
) -> None:
    server.redirect("/out", server.url("/feed.xml"))
    server.feed(
        "/feed.xml",
        b"<rss version='2.0'><channel><title>t</title><item><title>Hello</title>"
        b"<description>World.</description></item></channel></rss>",
    )
    app = make_app(url_allowlist=("localhost", "127.0.0.0/8"))
    result = await app.fetch(_state(f"http://localhost:{server.port}/out"))
    assert result.status is FetchStatus.OK and [d.title for d in result.drafts] == ["Hello"]
