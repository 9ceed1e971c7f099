"""Block Kit rendering: structure, Slack's limits, escaping and mention neutralising."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.adapters.slack.blocks import (
    FALLBACK_MAX,
    HEADER_MAX,
    MAX_BLOCKS,
    SECTION_MAX,
    render_message,
    render_reply,
)
from bot.adapters.slack.mrkdwn import clip, neutralise, safe
from bot.domain.message import Message, MessageKind, QuoteLine, Reply, Run, Table
from bot.domain.models import Severity

WHEN = datetime(2024, 5, 31, 9, 30, tzinfo=UTC)


def alert(**kw: Any) -> Message:
    base: dict[str, Any] = {
        "kind": MessageKind.ALERT,
        "title": "Range limit eased to 100 km",
        "summary": "Officials said the policy changed. Two outlets confirmed it.",
        "evidence": (Run("The allies "), Run("now permit", mark=True), Run(" strikes.")),
        "quotes": (QuoteLine("A Spokesperson", "We adjusted the guidance."),),
        "source": "Example News",
        "date": WHEN,
        "url": "https://news.example/a/1?x=1&y=2",
        "severity": Severity.HIGH,
        "rule_id": "policy-change",
        "rule_title": "Change in restriction policy",
        "why": "a policy verb near a weapons term",
        "alert_id": 42,
    }
    base.update(kw)
    return Message(**base)


def of_type(blocks: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [b for b in blocks if b["type"] == kind]


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text string a block list carries, wherever it sits."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "text" and isinstance(v, str):
                    out.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(blocks)
    return out


def assert_within_limits(payload: dict[str, Any]) -> None:
    blocks = payload["blocks"]
    assert 1 <= len(blocks) <= MAX_BLOCKS
    assert 0 < len(payload["text"]) <= FALLBACK_MAX
    for b in blocks:
        if b["type"] == "header":
            assert 0 < len(b["text"]["text"]) <= HEADER_MAX
            assert b["text"]["type"] == "plain_text"
        if b["type"] == "section":
            assert 0 < len(b["text"]["text"]) <= SECTION_MAX
        if b["type"] == "context":
            assert 1 <= len(b["elements"]) <= 10
            assert all(0 < len(e["text"]) <= SECTION_MAX for e in b["elements"])
        if b["type"] == "rich_text":
            quoted = b["elements"][0]["elements"]
            assert sum(len(e["text"]) for e in quoted) <= SECTION_MAX


def test_alert_has_header_summary_evidence_quotes_context_and_button() -> None:
    msg = alert()
    payload = render_message(msg)
    blocks = payload["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": msg.title, "emoji": True},
    }
    assert of_type(blocks, "section")[0]["text"]["text"] == msg.summary
    quote = of_type(blocks, "rich_text")[0]["elements"][0]
    assert quote["type"] == "rich_text_quote"
    bold = [e["text"] for e in quote["elements"] if e.get("style", {}).get("bold")]
    assert bold == [r.text for r in msg.evidence if r.mark]
    assert "".join(e["text"] for e in quote["elements"]) == msg.evidence_text
    assert any("We adjusted the guidance." in t and "A Spokesperson" in t for t in texts(blocks))
    context = " ".join(texts(of_type(blocks, "context")))
    for part in ("Example News", "Change in restriction policy", "high", "alert 42", "why:"):
        assert part in context
    assert str(int(WHEN.timestamp())) in context and "2024-05-31 09:30 UTC" in context
    button = of_type(blocks, "actions")[0]["elements"][0]
    assert button["url"] == msg.url  # a button URL is not mrkdwn: no escaping
    assert button["action_id"].startswith("redline_open_article")
    assert_within_limits(payload)


def test_fallback_text_uses_the_message_fallback_or_title_and_source() -> None:
    assert render_message(alert(fallback="Plain & simple"))["text"] == "Plain &amp; simple"
    assert render_message(alert())["text"] == "Range limit eased to 100 km — Example News"


def test_followup_shows_who_else_reported_it() -> None:
    msg = alert(kind=MessageKind.FOLLOWUP, also_reported_by=("Wire A", "Paper B"))
    blocks = render_message(msg)["blocks"]
    assert blocks[0]["text"]["text"].startswith("↳ ")
    assert "Also reported by Wire A, Paper B" in texts(of_type(blocks, "context"))


def test_non_web_links_get_no_button() -> None:
    for url in (None, "", "javascript:alert(1)", "file:///etc/passwd", "https://x.example/a b"):
        assert not of_type(render_message(alert(url=url))["blocks"], "actions")


def test_a_huge_alert_stays_within_every_slack_limit() -> None:
    msg = alert(
        title="T" * 1000,
        summary="S" * 10_000,
        evidence=tuple(Run("word " * 20, mark=i % 2 == 0) for i in range(200)),
        quotes=tuple(QuoteLine("Speaker", "Q" * 800) for _ in range(100)),
        source="Src" * 100,
        why="W" * 5000,
        fallback="F" * 10_000,
    )
    payload = render_message(msg)
    assert_within_limits(payload)
    header = payload["blocks"][0]["text"]["text"]
    assert len(header) == HEADER_MAX and header.endswith("…")
    assert payload["text"].endswith("…") and len(payload["text"]) == FALLBACK_MAX


def test_a_digest_of_many_items_is_one_message_within_fifty_blocks() -> None:
    items = tuple(alert(title=f"Item {i}", alert_id=i) for i in range(200))
    msg = Message(kind=MessageKind.DIGEST, title="Daily digest", summary="200 alerts", items=items)
    payload = render_message(msg)
    assert_within_limits(payload)
    blocks = payload["blocks"]
    shown = [b for b in of_type(blocks, "section") if b["text"]["text"].startswith("*<")]
    more = texts(of_type(blocks, "context"))[-1]
    assert f"+{len(items) - len(shown)} more" in more
    assert len(blocks) == MAX_BLOCKS
    # Each item links its title and names its source.
    first = shown[0]["text"]["text"]
    assert first.startswith("*<https://news.example/a/1?x=1&amp;y=2|Item 0>*")
    assert "Example News" in first


def test_a_small_burst_shows_every_item_and_no_more_line() -> None:
    items = tuple(alert(title=f"Item {i}", summary="", url=None) for i in range(3))
    blocks = render_message(Message(kind=MessageKind.BURST, title="+3 more", items=items))["blocks"]
    item_texts = [b["text"]["text"] for b in of_type(blocks, "section")]
    assert [t.split("\n")[0] for t in item_texts] == ["*Item 0*", "*Item 1*", "*Item 2*"]
    # No summary: the evidence is quoted with the marked words in bold.
    assert "*now permit*" in item_texts[0]
    assert not any("more" in t for t in texts(of_type(blocks, "context")))


PINGS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "@channel",
    "@here",
    "@everyone",
    "<@U123ABC>",
    "<@U123ABC|boss>",
    "<!subteam^S0ABC|@desk>",
]
# What Slack would parse as a notification: its control sequences, or bare broadcasts.
LIVE = re.compile(r"<[!@]|(?<![\w\u2060])@(channel|here|everyone)\b", re.IGNORECASE)


@pytest.mark.parametrize("ping", PINGS)
def test_article_text_never_pings_anyone(ping: str) -> None:
    text = f"Breaking {ping} read this"
    msg = alert(
        title=text,
        summary=text,
        evidence=(Run(text), Run(ping, mark=True)),
        quotes=(QuoteLine(ping, text),),
        source=text,
        why=text,
        fallback=text,
        also_reported_by=(text,),
        kind=MessageKind.FOLLOWUP,
    )
    digest = Message(kind=MessageKind.DIGEST, title=text, summary=text, items=(msg,))
    for payload in (render_message(msg), render_message(digest)):
        strings = [payload["text"], *texts(payload["blocks"])]
        live = [s for s in strings if LIVE.search(s.replace("<!date^", ""))]
        assert live == []
        # The word itself stays readable.
        word = re.sub(r"[^a-z0-9]", "", ping.split("|")[-1].lower())
        assert any(word in s.lower() for s in strings)


def test_mrkdwn_is_escaped_and_plain_text_is_not() -> None:
    msg = alert(title="AT&T <b> deal", summary="AT&T <b> deal", source="A&B")
    payload = render_message(msg)
    assert payload["blocks"][0]["text"]["text"] == "AT&T <b> deal"
    assert of_type(payload["blocks"], "section")[0]["text"]["text"] == "AT&amp;T &lt;b&gt; deal"
    assert "A&amp;B" in " ".join(texts(of_type(payload["blocks"], "context")))
    # mrkdwn fields ask Slack not to auto-link or parse anything further.
    assert of_type(payload["blocks"], "section")[0]["text"]["verbatim"] is True


def test_clip_never_cuts_an_escape_sequence_in_half() -> None:
    text = safe("a" * 10 + "&" * 10)  # "aaaaaaaaaa&amp;&amp;…"
    for limit in range(5, len(text)):
        out = clip(text, limit)
        assert len(out) <= limit and out.endswith("…")
        assert re.search(r"&[a-z]*…$", out) is None or out.endswith("&amp;…")


def test_neutralise_keeps_names_readable() -> None:
    assert neutralise("<@U1|boss> and <#C1|news>") == "@\u2060boss and #news"
    assert neutralise("mail me at a@here.example") == "mail me at a@here.example"


def test_reply_error_has_warning_and_usage_line() -> None:
    reply = Reply(
        text="There is no rule called 'x'; `rules` lists them.",
        error=True,
        usage="subscribe <rule|tag|all> [severity]",
    )
    payload = render_reply(reply)
    assert payload["response_type"] == "ephemeral"
    first = payload["blocks"][0]["text"]["text"]
    assert first.startswith(":warning: ") and "`rules` lists them." in first
    usage = texts(of_type(payload["blocks"], "context"))[0]
    assert usage == "Usage: `/redline subscribe &lt;rule|tag|all&gt; [severity]`"
    assert payload["text"] == safe(reply.text)


def test_reply_in_channel_with_lines_and_a_table() -> None:
    table = Table(("rule", "channel"), (("policy-change", "#news"), ("range", "#desk-long-name")))
    reply = Reply(text="Subscriptions", ephemeral=False, lines=("one", "two"), table=table)
    payload = render_reply(reply)
    assert payload["response_type"] == "in_channel"
    sections = [b["text"]["text"] for b in of_type(payload["blocks"], "section")]
    assert "one\ntwo" in sections
    code = next(s for s in sections if s.startswith("```"))
    rows = code.strip("`").split("\n")
    assert rows[0].split() == ["rule", "channel"]
    # Columns line up: the second column starts at the same offset in every row.
    offsets = {r.index(c) for r, c in zip(rows[2:], ("#news", "#desk-long-name"), strict=True)}
    assert len(offsets) == 1 and rows[0].index("channel") in offsets


def test_a_long_reply_is_split_into_sections_under_the_limit() -> None:
    rows = tuple((f"row-{i}", "x" * 50) for i in range(400))
    payload = render_reply(
        Reply(
            text="Many", lines=tuple("l" * 100 for _ in range(100)), table=Table(("a", "b"), rows)
        )
    )
    assert_within_limits(payload)
    code_sections = [
        b for b in of_type(payload["blocks"], "section") if b["text"]["text"].startswith("```")
    ]
    assert len(code_sections) > 1
    assert all(b["text"]["text"].endswith("```") for b in code_sections)


def test_reply_with_messages_renders_them_after_a_divider() -> None:
    payload = render_reply(Reply(text="2 hits", messages=(alert(), alert(title="Second"))))
    assert len(of_type(payload["blocks"], "divider")) == 2
    headers = [b["text"]["text"] for b in of_type(payload["blocks"], "header")]
    assert headers == ["Range limit eased to 100 km", "Second"]
    ids = [b["elements"][0]["action_id"] for b in of_type(payload["blocks"], "actions")]
    assert len(set(ids)) == 2  # Slack refuses duplicate action ids in one message
    json.dumps(payload)  # plain JSON, ready for the wire
