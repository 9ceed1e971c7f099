"""SlackPoster against the fake Web API: what is posted, and how failures are reported."""

from __future__ import annotations

import socket

import pytest

from bot.adapters.slack.blocks import render_message
from bot.adapters.slack.clients import delivery_client
from bot.adapters.slack.poster import SlackPoster
from bot.domain.errors import DeliveryError
from bot.domain.message import Message, MessageKind, Run
from tests.adapters.slack.conftest import make_settings
from tests.fakes.slack import FakeSlack

pytestmark = pytest.mark.asyncio

MSG = Message(
    kind=MessageKind.ALERT,
    title="New permitted strike range",
    summary="A summary.",
    evidence=(Run("Strikes up to "), Run("100 km", mark=True), Run(" are allowed.")),
    source="Example News",
    url="https://news.example/a/1",
    alert_id=7,
)


def poster_for(slack: FakeSlack) -> SlackPoster:
    return SlackPoster(delivery_client(make_settings(slack)))


async def test_post_sends_blocks_and_fallback_and_returns_the_ts(slack: FakeSlack) -> None:
    ts = await poster_for(slack).post(workspace=slack.team_id, channel="C0NEWS", message=MSG)
    (call,) = slack.calls_to("chat.postMessage")
    assert call.body["channel"] == "C0NEWS"
    assert call.response is not None and ts == call.response["ts"]
    expected = render_message(MSG)
    assert call.body["text"] == expected["text"]
    assert call.body["blocks"] == expected["blocks"]
    assert call.body["unfurl_links"] is False and call.body["unfurl_media"] is False
    assert "thread_ts" not in call.body
    assert call.token == slack.bot_token


async def test_followup_goes_into_the_thread(slack: FakeSlack) -> None:
    poster = poster_for(slack)
    first = await poster.post(workspace=slack.team_id, channel="C0NEWS", message=MSG)
    await poster.post(workspace=slack.team_id, channel="C0NEWS", message=MSG, thread_ref=first)
    calls = slack.calls_to("chat.postMessage")
    assert calls[1].body["thread_ts"] == first
    assert "thread_ts" not in calls[0].body


async def test_rate_limit_is_reported_with_retry_after_and_not_retried(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", 429, retry_after=7)
    with pytest.raises(DeliveryError) as info:
        await poster_for(slack).post(workspace=slack.team_id, channel="C0NEWS", message=MSG)
    assert info.value.retry_after == 7.0
    assert info.value.permanent is False
    # The outbox waits and retries; the client underneath must not retry as well.
    assert len(slack.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("outcome", [500, 503, "internal_error", "fatal_error"])
async def test_server_errors_are_retryable(slack: FakeSlack, outcome: int | str) -> None:
    slack.fail_next("chat.postMessage", outcome)
    with pytest.raises(DeliveryError) as info:
        await poster_for(slack).post(workspace=slack.team_id, channel="C0NEWS", message=MSG)
    assert info.value.permanent is False
    assert info.value.retry_after is None
    assert len(slack.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "code",
    ["channel_not_found", "not_in_channel", "is_archived", "account_inactive", "invalid_auth"],
)
async def test_gone_channels_and_dead_tokens_are_permanent(slack: FakeSlack, code: str) -> None:
    slack.fail_next("chat.postMessage", code)
    with pytest.raises(DeliveryError) as info:
        await poster_for(slack).post(workspace=slack.team_id, channel="C0GONE", message=MSG)
    err = info.value
    assert err.permanent is True
    text = str(err)
    assert code in text and "\n" not in text and text.endswith(".")
    assert slack.bot_token not in text


async def test_unreachable_slack_is_a_retryable_error(slack: FakeSlack) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = make_settings(slack, slack_api_base_url=f"http://127.0.0.1:{port}/api/")
    poster = SlackPoster(delivery_client(settings))
    with pytest.raises(DeliveryError) as info:
        await poster.post(workspace="T", channel="C0NEWS", message=MSG)
    assert info.value.permanent is False
    assert str(info.value) == "Could not reach Slack to post to channel C0NEWS."


async def test_a_failure_rate_fails_that_share_of_posts_and_the_rest_go_through(
    slack: FakeSlack,
) -> None:
    slack.fail_rate(0.5, seed=3)
    poster = poster_for(slack)
    ok = failed = 0
    for _ in range(20):
        try:
            await poster.post(workspace=slack.team_id, channel="C0NEWS", message=MSG)
            ok += 1
        except DeliveryError as e:
            assert not e.permanent
            failed += 1
    statuses = [c.status for c in slack.calls_to("chat.postMessage")]
    assert statuses.count(500) == failed and statuses.count(200) == ok
    assert 0 < failed < 20
