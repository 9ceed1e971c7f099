"""The command service every platform calls: permissions, parsing, replies, completion."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import App
from bot.config import Settings
from bot.domain.commands import ChannelRef, CommandRequest
from bot.domain.message import Reply
from bot.domain.models import Severity
from bot.feeds.directory import read_articles
from bot.services.commands import CommandService
from tests.services.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
CHAN = ChannelRef("slack", "T1", "C1")


@pytest_asyncio.fixture
async def service(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    app = App(Settings(db_path=tmp_path / "r.db", rules_dir=ROOT / "rules"), clock=clock)
    assert app.rulebook.reload()
    await app.pipeline.process(read_articles(ROOT / "seeds", source="seeds"))
    yield CommandService(app)
    await app.close()


async def ask(svc: CommandService, name: str, args: str = "", *, manage: bool = True) -> Reply:
    return await svc.handle(
        CommandRequest(name=name, args=args, channel=CHAN, user="U1", can_manage=manage)
    )


@pytest.mark.asyncio
async def test_subscribe_needs_manage_permission(service: CommandService) -> None:
    reply = await ask(service, "subscribe", "all", manage=False)
    assert reply.error and "manage" in reply.text
    assert service.app.storage.subscriptions.list_for_channel("slack", "T1", "C1") == []


@pytest.mark.asyncio
async def test_subscribe_rule_tag_all_and_digest(service: CommandService) -> None:
    r = await ask(service, "subscribe", "strike-range high")
    assert not r.error and not r.ephemeral
    tag = sorted({t for rule in service._loaded_rules() for t in rule.tags})[0]
    assert not (await ask(service, "subscribe", tag)).error
    r = await ask(service, "subscribe", "all digest daily 07:30")
    assert "daily 07:30" in r.text
    subs = service.app.storage.subscriptions.list_for_channel("slack", "T1", "C1")
    assert {s.selector_kind.value for s in subs} == {"rule", "tag", "all"}
    listing = await ask(service, "subscriptions")
    assert listing.table is not None and len(listing.table.rows) == 3
    assert (await ask(service, "unsubscribe", "strike-range")).text.startswith("Removed 1")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("name", "args", "needle"),
    [
        ("subscribe", "", "Say what"),
        ("subscribe", "no-such-rule", "no rule or tag"),
        ("subscribe", "all loud", "not a severity"),
        ("subscribe", "all digest weekly", "not a digest schedule"),
        ("mute", "strike-range", "how long"),
        ("mute", "strike-range forever", "not a duration"),
        ("quotes", "", "whose"),
        ("why", "", "which article"),
        ("frobnicate", "", "no command"),
    ],
)
async def test_mistakes_are_one_sentence_with_usage(
    service: CommandService, name: str, args: str, needle: str
) -> None:
    reply = await ask(service, name, args)
    assert reply.error
    assert needle in reply.text
    assert "\n" not in reply.text
    assert reply.usage


@pytest.mark.asyncio
async def test_lookup_quotes_tracked_why_status_help(service: CommandService) -> None:
    lookup = await ask(service, "lookup", "Kharkiv")
    assert lookup.lines and not lookup.error
    quotes = await ask(service, "quotes", "Zelenskiy")  # a spelling variant
    assert "Volodymyr Zelensky" in quotes.text and quotes.lines
    tracked = await ask(service, "tracked")
    assert tracked.table is not None
    assert any(row[0] == "strike-range" and row[2] == "100.0" for row in tracked.table.rows)
    why = await ask(service, "why", "#1")
    assert any("fires" in line or "does not fire" in line for line in why.lines)
    assert "Rules:" in " ".join((await ask(service, "status")).lines)
    assert len((await ask(service, "help")).lines) >= 10


@pytest.mark.asyncio
async def test_mute_silences_routing(service: CommandService) -> None:
    await ask(service, "subscribe", "all")
    await ask(service, "mute", "official-statement 2h")
    subs = service.app.storage.subscriptions.matching(
        "official-statement", ["statements"], Severity.HIGH, service.app.clock()
    )
    assert subs == []


def test_completion(service: CommandService) -> None:
    assert "strike-range" in service.complete("rule", "stri")
    assert "all" in service.complete("selector", "a")
    assert "Volodymyr Zelensky" in service.complete("official", "zel")
