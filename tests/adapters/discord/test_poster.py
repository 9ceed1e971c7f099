"""DiscordPoster against the fake: embeds arrive once, threads, rate limits, error mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.adapters.discord import DiscordAdapter, DiscordPoster
from bot.domain.errors import DeliveryError
from bot.domain.message import Message, MessageKind, QuoteLine, Run
from bot.domain.models import Severity
from tests.fakes.discord import FakeDiscord

pytestmark = pytest.mark.asyncio

MESSAGES = r"/channels/\d+/messages"
THREADS = r"/channels/\d+/messages/\d+/threads"


def alert(title: str = "Range widened to 300 km", **kw: object) -> Message:
    values: dict[str, object] = {
        "kind": MessageKind.ALERT,
        "title": title,
        "summary": "Officials widened the permitted range.",
        "evidence": (Run("They "), Run("widened", mark=True), Run(" it.")),
        "source": "Example Wire",
        "date": datetime(2026, 3, 4, tzinfo=UTC),
        "url": "https://news.example/a/1",
        "severity": Severity.HIGH,
        "rule_id": "alpha-range",
    }
    values.update(kw)
    return Message(**values)  # type: ignore[arg-type]


async def post(
    adapter: DiscordAdapter,
    fake: FakeDiscord,
    message: Message,
    *,
    channel: str | None = None,
    thread_ref: str | None = None,
) -> str:
    return await adapter.poster.post(
        workspace=fake.guild_id,
        channel=channel or fake.channel_id,
        message=message,
        thread_ref=thread_ref,
    )


async def test_an_alert_arrives_as_one_embed_and_its_id_is_returned(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    message_id = await post(adapter, fake_discord, alert())
    [stored] = fake_discord.messages_in(fake_discord.channel_id)
    assert stored["id"] == message_id
    [embed] = stored["embeds"]
    assert embed["title"] == "Range widened to 300 km"
    assert embed["url"] == "https://news.example/a/1"
    assert adapter.poster.platform == "discord"


async def test_nothing_an_article_says_can_ping(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    loud = "@everyone @here <@123456789012345678> <@&223456789012345678>"
    await post(
        adapter,
        fake_discord,
        alert(title=loud, summary=loud, quotes=(QuoteLine(loud, loud),), source=loud),
    )
    [call] = fake_discord.calls_to("POST", MESSAGES)
    assert call.body["allowed_mentions"] == {"parse": []}
    rendered = str(call.body)
    for live in ("@everyone", "@here", "<@123456789012345678>", "<@&223456789012345678>"):
        assert live not in rendered


async def test_a_rate_limited_post_is_retried_by_discord_py_and_arrives_once(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.rate_limit_next("POST", MESSAGES, retry_after=0.05)
    message_id = await post(adapter, fake_discord, alert())
    attempts = fake_discord.calls_to("POST", MESSAGES)
    assert [c.status for c in attempts] == [429, 200]
    assert [m["id"] for m in fake_discord.messages_in(fake_discord.channel_id)] == [message_id]


async def test_missing_access_is_a_permanent_delivery_error(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.deny_channel(fake_discord.other_channel_id)
    with pytest.raises(DeliveryError) as caught:
        await post(adapter, fake_discord, alert(), channel=fake_discord.other_channel_id)
    assert caught.value.permanent is True
    assert fake_discord.other_channel_id in str(caught.value)
    assert "50001" in str(caught.value)


async def test_an_unknown_channel_is_a_permanent_delivery_error(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    with pytest.raises(DeliveryError) as caught:
        await post(adapter, fake_discord, alert(), channel="1399999999999999999")
    assert caught.value.permanent is True
    assert "10003" in str(caught.value)


async def test_a_discord_outage_is_retryable(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next("POST", MESSAGES, 503, message="Service Unavailable")
    with pytest.raises(DeliveryError) as caught:
        await post(adapter, fake_discord, alert())
    assert caught.value.permanent is False
    # and the next attempt goes through
    await post(adapter, fake_discord, alert())
    assert len(fake_discord.messages_in(fake_discord.channel_id)) == 1


async def test_a_bad_request_is_not_mistaken_for_a_lost_channel(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next("POST", MESSAGES, 400, code=50035, message="Invalid Form Body")
    with pytest.raises(DeliveryError) as caught:
        await post(adapter, fake_discord, alert())
    assert caught.value.permanent is False


async def test_a_channel_id_that_is_not_a_number_is_permanent(adapter: DiscordAdapter) -> None:
    with pytest.raises(DeliveryError) as caught:
        await adapter.poster.post(workspace="1", channel="general", message=alert())
    assert caught.value.permanent is True


async def test_follow_ups_go_into_one_thread_on_the_first_alert(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    first = await post(adapter, fake_discord, alert())
    followup = alert(kind=MessageKind.FOLLOWUP, also_reported_by=("Paper B",))
    one = await post(adapter, fake_discord, followup, thread_ref=first)
    two = await post(adapter, fake_discord, followup, thread_ref=first)
    [create] = fake_discord.calls_to("POST", THREADS)
    assert create.path == f"/channels/{fake_discord.channel_id}/messages/{first}/threads"
    assert create.body["name"] == "Range widened to 300 km"
    thread = fake_discord.channels[first]
    assert [m["id"] for m in fake_discord.messages_in(thread["id"])] == [one, two]
    assert [m["id"] for m in fake_discord.messages_in(fake_discord.channel_id)] == [first]


async def test_a_restarted_poster_reuses_the_existing_thread(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    first = await post(adapter, fake_discord, alert())
    await post(adapter, fake_discord, alert(kind=MessageKind.FOLLOWUP), thread_ref=first)
    fresh = DiscordPoster(adapter.client)  # forgets which threads exist, as after a restart
    again = await fresh.post(
        workspace=fake_discord.guild_id,
        channel=fake_discord.channel_id,
        message=alert(kind=MessageKind.FOLLOWUP),
        thread_ref=first,
    )
    assert [c.status for c in fake_discord.calls_to("POST", THREADS)] == [201, 400]
    assert again in {m["id"] for m in fake_discord.messages_in(first)}


async def test_a_follow_up_to_a_deleted_alert_goes_to_the_channel(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    gone = "1599999999999999999"
    message_id = await post(
        adapter, fake_discord, alert(kind=MessageKind.FOLLOWUP), thread_ref=gone
    )
    assert [m["id"] for m in fake_discord.messages_in(fake_discord.channel_id)] == [message_id]


async def test_a_huge_alert_is_accepted_by_discords_limits(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    huge = alert(
        title="T" * 2000,
        summary="S" * 20000,
        evidence=tuple(Run("w " * 50, mark=i % 3 == 0) for i in range(300)),
        quotes=tuple(QuoteLine("Speaker", "Q" * 900) for _ in range(40)),
        why="W" * 5000,
        source="X" * 5000,
    )
    await post(adapter, fake_discord, huge)  # the fake answers 400 past any limit
    [call] = fake_discord.calls_to("POST", MESSAGES)
    assert call.status == 200


async def test_a_digest_is_posted_as_one_message(
    adapter: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    items = tuple(alert(title=f"Item {i}") for i in range(40))
    await post(adapter, fake_discord, Message(MessageKind.DIGEST, "Hourly digest", items=items))
    assert len(fake_discord.calls_to("POST", MESSAGES)) == 1


async def test_posting_before_the_client_is_connected_is_retryable(
    fake_discord: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await adapter.stop()
    with pytest.raises(DeliveryError) as caught:
        await post(adapter, fake_discord, alert())
    assert caught.value.permanent is False
