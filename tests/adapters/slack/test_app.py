"""SlackAdapter end to end against the fake: signed HTTP requests, Socket Mode, start-up errors."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from typing import Any

import aiohttp
import pytest
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack import SlackAdapter, SlackUnreachableError
from bot.adapters.slack.mrkdwn import safe
from bot.config import Secret
from bot.domain.commands import ChannelRef, CommandRequest
from bot.domain.errors import ConfigError, PermissionDeniedError
from bot.domain.message import Reply, Table
from tests.adapters.slack.conftest import (
    ADMIN,
    DESK,
    MEMBER,
    OWNER,
    SIGNING_SECRET,
    RecordingHandler,
    make_settings,
)
from tests.fakes.slack import FakeSlack, form_body, signed_headers

pytestmark = pytest.mark.asyncio

REFUSAL = "Only channel managers can change this channel's subscriptions."


def refuse_unless_manager(request: CommandRequest) -> Reply:
    """The stub mirrors what the real service does with can_manage: it decides."""
    if request.name == "subscribe" and not request.can_manage:
        return Reply(text=REFUSAL, error=True)
    return Reply(text=f"Subscribed to {request.args}.", ephemeral=False)


async def dispatch(
    adapter: SlackAdapter, fields: dict[str, str], *, secret: str = SIGNING_SECRET, age_s: int = 0
) -> Any:
    body = form_body(fields)
    headers: dict[str, Any] = signed_headers(secret, body, timestamp=int(time.time()) - age_s)
    return await adapter.app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))


async def answer(slack: FakeSlack, n: int = 1) -> dict[str, Any]:
    """The n-th answer the user saw (posted to response_url)."""
    calls = await slack.await_for("response_url", n)
    return calls[n - 1].body


async def test_non_manager_subscribe_reaches_the_handler_and_sees_its_refusal(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    handler.answer = refuse_unless_manager
    fields = slack.slash_payload("subscribe policy-change high", user_id=MEMBER)
    resp = await dispatch(adapter, fields)
    assert resp.status == 200
    assert resp.body == ""  # acked with nothing; the answer follows on response_url
    shown = await answer(slack)
    assert shown["response_type"] == "ephemeral"
    assert shown["text"] == REFUSAL
    assert shown["blocks"][0]["text"]["text"].startswith(":warning:")
    assert handler.requests == [
        CommandRequest(
            name="subscribe",
            args="policy-change high",
            channel=ChannelRef("slack", slack.team_id, "C0NEWS"),
            user=MEMBER,
            can_manage=False,
            tz="Europe/London",
        )
    ]


async def test_slow_commands_are_acknowledged_before_the_handler_finishes(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    handler.gate = asyncio.Event()
    resp = await asyncio.wait_for(dispatch(adapter, slack.slash_payload("lookup range")), 2.5)
    # Acked while the handler cannot have finished: the gate is still closed.
    assert resp.status == 200
    assert slack.calls_to("response_url") == []
    handler.gate.set()
    assert (await answer(slack))["text"] == "ran lookup"


@pytest.mark.parametrize("user", [ADMIN, OWNER, DESK])
async def test_admins_owners_and_the_admin_group_may_manage(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler, user: str
) -> None:
    handler.answer = refuse_unless_manager
    await dispatch(adapter, slack.slash_payload("subscribe tag:range", user_id=user))
    shown = await answer(slack)
    assert shown["text"] == "Subscribed to tag:range."
    assert shown["response_type"] == "in_channel"
    (request,) = handler.requests
    assert request.can_manage is True
    assert request.tz == slack.users[user].tz


async def test_empty_text_is_help_and_names_are_case_insensitive(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    await dispatch(adapter, slack.slash_payload("   "))
    await answer(slack, 1)
    await dispatch(adapter, slack.slash_payload("LookUp  range &amp; &lt;limits&gt;"))
    await answer(slack, 2)
    await dispatch(adapter, slack.slash_payload("why <https://news.example/a?b=1|news.example/a>"))
    await answer(slack, 3)
    assert [(r.name, r.args) for r in handler.requests] == [
        ("help", ""),
        ("lookup", "range & <limits>"),
        ("why", "https://news.example/a?b=1"),
    ]


async def test_user_lookups_are_cached_between_commands(
    adapter: SlackAdapter, slack: FakeSlack
) -> None:
    for n in (1, 2, 3):
        await dispatch(adapter, slack.slash_payload("status", user_id=MEMBER))
        await answer(slack, n)
    assert len(slack.calls_to("users.info")) == 1
    # Non-admins are checked against the admin group once, then from the cache.
    assert len(slack.calls_to("usergroups.users.list")) == 1


async def test_a_failed_user_lookup_counts_as_not_a_manager(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    slack.fail_next("users.info", "fatal_error")
    await dispatch(adapter, slack.slash_payload("subscribe all", user_id=ADMIN))
    await answer(slack)
    assert handler.requests[0].can_manage is False


async def test_a_rate_limited_user_lookup_is_retried_by_the_command_client(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    # Deliberately slow (≤ 1 s): slack_sdk waits Retry-After plus up to 1 s of jitter.
    slack.fail_next("users.info", 429, retry_after=0)
    await dispatch(adapter, slack.slash_payload("subscribe all", user_id=ADMIN))
    await answer(slack)
    assert [c.status for c in slack.calls_to("users.info")] == [429, 200]
    assert handler.requests[0].can_manage is True


async def test_a_handler_crash_is_one_sentence_and_logged(
    adapter: SlackAdapter,
    slack: FakeSlack,
    handler: RecordingHandler,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def crash(request: CommandRequest) -> Reply:
        raise RuntimeError("database is locked at /var/secret/path")

    handler.answer = crash
    with caplog.at_level(logging.ERROR, logger="bot.adapters.slack"):
        await dispatch(adapter, slack.slash_payload("rules test", user_id=MEMBER))
        shown = await answer(slack)
    text = shown["text"]
    assert "rules" in text and "logged" in text
    assert text.count(".") == 1 and text.endswith(".")
    assert "Traceback" not in json.dumps(shown) and "/var/secret" not in json.dumps(shown)
    record = next(r for r in caplog.records if r.exc_info)
    assert "rules" in record.getMessage() and MEMBER in record.getMessage()
    assert "C0NEWS" in record.getMessage()


async def test_a_redline_error_from_the_handler_is_shown_as_is(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    def deny(request: CommandRequest) -> Reply:
        raise PermissionDeniedError("You may not change subscriptions in this channel.")

    handler.answer = deny
    await dispatch(adapter, slack.slash_payload("mute 2h"))
    shown = await answer(slack)
    assert shown["text"] == "You may not change subscriptions in this channel."


async def test_a_table_reply_arrives_as_a_monospace_block(
    adapter: SlackAdapter, slack: FakeSlack, handler: RecordingHandler
) -> None:
    handler.answer = lambda r: Reply(
        text="2 subscriptions", table=Table(("rule", "min"), (("a", "high"), ("b", "info")))
    )
    await dispatch(adapter, slack.slash_payload("subscriptions"))
    shown = await answer(slack)
    code = [b for b in shown["blocks"] if b["type"] == "section"][-1]["text"]["text"]
    assert code.startswith("```rule") and code.endswith("```")


@pytest.mark.parametrize(
    ("secret", "age_s"), [("not-the-secret", 0), (SIGNING_SECRET, 6 * 60)], ids=["bad", "stale"]
)
async def test_bad_signatures_and_stale_timestamps_are_rejected(
    adapter: SlackAdapter,
    slack: FakeSlack,
    handler: RecordingHandler,
    secret: str,
    age_s: int,
) -> None:
    resp = await dispatch(adapter, slack.slash_payload("subscribe all"), secret=secret, age_s=age_s)
    assert resp.status == 401
    assert handler.requests == []
    assert slack.calls_to("users.info") == []


async def test_link_buttons_are_acknowledged(adapter: SlackAdapter, slack: FakeSlack) -> None:
    action = {
        "type": "block_actions",
        "team": {"id": slack.team_id},
        "user": {"id": MEMBER},
        "api_app_id": "A0REDLINE",
        "container": {"type": "message", "channel_id": "C0NEWS"},
        "channel": {"id": "C0NEWS"},
        "actions": [{"type": "button", "action_id": "redline_open_article_0", "block_id": "b"}],
    }
    resp = await dispatch(adapter, {"payload": json.dumps(action)})
    assert resp.status == 200


async def test_http_mode_serves_signed_commands_on_a_real_port(
    slack: FakeSlack, handler: RecordingHandler
) -> None:
    adapter = SlackAdapter(make_settings(slack), handler, http_host="127.0.0.1")
    await adapter.start()
    try:
        assert adapter.mode == "http" and adapter.http_port
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        async with aiohttp.ClientSession() as session:
            body = form_body(slack.slash_payload("status"))
            async with session.post(
                url, data=body, headers=signed_headers(SIGNING_SECRET, body)
            ) as r:
                assert r.status == 200
            shown = await answer(slack)
            assert shown["text"] == "ran status"
            bad = signed_headers("wrong", body)
            async with session.post(url, data=body, headers=bad) as r:
                assert r.status == 401
        assert len(handler.requests) == 1
    finally:
        await adapter.stop()
    with socket.socket() as s:  # stop() released the port
        assert s.connect_ex(("127.0.0.1", adapter.http_port)) != 0


async def test_socket_mode_round_trip(slack: FakeSlack, handler: RecordingHandler) -> None:
    adapter = SlackAdapter(make_settings(slack, mode="socket"), handler)
    await adapter.start()
    try:
        assert adapter.mode == "socket"
        (opened,) = slack.calls_to("apps.connections.open")
        assert opened.token == slack.app_token
        slack.wait_socket()
        ack = await slack.push_slash_command("tracked range", user_id=ADMIN)
        assert "envelope_id" in ack and not ack.get("payload")
        shown = await answer(slack)
        assert shown["text"] == "ran tracked"
        (request,) = handler.requests
        assert (request.name, request.args, request.can_manage) == ("tracked", "range", True)
    finally:
        await adapter.stop()
    # Only one connection URL was opened: the adapter's own check reused it.
    assert len(slack.calls_to("apps.connections.open")) == 1


async def test_start_with_a_bad_bot_token_is_one_clear_sentence(
    slack: FakeSlack, handler: RecordingHandler
) -> None:
    settings = make_settings(slack, slack_bot_token=Secret("xoxb-revoked"))
    adapter = SlackAdapter(settings, handler)
    with pytest.raises(ConfigError) as info:
        await adapter.start()
    text = str(info.value)
    assert text == "Slack rejected SLACK_BOT_TOKEN (invalid_auth); check the token in .env."
    assert "xoxb-revoked" not in text
    assert slack.calls_to("apps.connections.open") == []


async def test_start_with_a_bad_app_token_is_one_clear_sentence(
    slack: FakeSlack, handler: RecordingHandler
) -> None:
    settings = make_settings(slack, mode="socket", slack_app_token=Secret("xapp-wrong"))
    adapter = SlackAdapter(settings, handler)
    with pytest.raises(ConfigError) as info:
        await adapter.start()
    text = str(info.value)
    assert text.startswith("Slack rejected SLACK_APP_TOKEN (invalid_auth)")
    assert text.count(".") == 1 and "xapp-wrong" not in text
    await adapter.stop()


async def test_start_when_slack_is_unreachable(handler: RecordingHandler, slack: FakeSlack) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = make_settings(slack, slack_api_base_url=f"http://127.0.0.1:{port}/api/")
    adapter = SlackAdapter(settings, handler)
    with pytest.raises(SlackUnreachableError) as info:
        await adapter.start()
    assert str(info.value).startswith(f"Could not reach Slack at http://127.0.0.1:{port}/api/")


async def test_missing_tokens_are_config_errors(
    slack: FakeSlack, handler: RecordingHandler
) -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        SlackAdapter(make_settings(slack, slack_bot_token=None), handler)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        SlackAdapter(make_settings(slack, slack_signing_secret=None), handler)


async def test_the_adapter_exposes_its_poster(slack: FakeSlack, handler: RecordingHandler) -> None:
    adapter = SlackAdapter(make_settings(slack), handler)
    assert adapter.platform == adapter.poster.platform == "slack"
    await adapter.stop()  # stopping an adapter that never started is harmless


async def test_with_the_real_command_service_a_non_manager_sees_its_refusal(
    slack: FakeSlack,
) -> None:
    # The seam with bot.services: the refusal is the service's decision, shown unchanged.
    from bot.services.commands import CommandService

    service = CommandService(app=None)
    adapter = SlackAdapter(make_settings(slack), service)
    await dispatch(adapter, slack.slash_payload("subscribe all", user_id=MEMBER))
    shown = await answer(slack)
    expected = await service.handle(
        CommandRequest(name="subscribe", args="all", user=MEMBER, can_manage=False)
    )
    assert expected.error
    assert shown["text"] == safe(expected.text)
    assert shown["blocks"][0]["text"]["text"] == f":warning: {safe(expected.text)}"
    await adapter.stop()
