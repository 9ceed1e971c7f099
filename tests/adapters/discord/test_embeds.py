"""render_message / render_reply: content, escaping, mentions and Discord's size limits."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from bot.adapters.discord.embeds import (
    SEVERITY_COLOURS,
    evidence_markdown,
    fit_message,
    render_message,
    render_reply,
)
from bot.domain.message import Message, MessageKind, QuoteLine, Reply, Run, Table
from bot.domain.models import Severity

# Discord's documented limits, restated here so the tests do not trust the module's copy.
LIMITS = {"title": 256, "description": 4096, "fields": 25, "value": 1024, "footer": 2048}
TOTAL = 6000
EMBEDS = 10


def alert(**kw: object) -> Message:
    values: dict[str, object] = {
        "kind": MessageKind.ALERT,
        "title": "Ministry widens permitted range to 300 km",
        "summary": "The ministry said on Tuesday it would allow longer strikes. Allies agreed.",
        "evidence": (
            Run("The ministry "),
            Run("will now allow", mark=True),
            Run(" strikes up to "),
            Run("300 km", mark=True),
            Run("."),
        ),
        "quotes": (QuoteLine("Ana Ruiz", "We have adjusted our position."),),
        "source": "Example Wire",
        "date": datetime(2026, 3, 4, 12, 0, tzinfo=UTC),
        "url": "https://news.example/a/1",
        "severity": Severity.HIGH,
        "rule_id": "alpha-range",
        "why": "range changed from 100 km to 300 km",
    }
    values.update(kw)
    return Message(**values)  # type: ignore[arg-type]


def within_limits(embeds: list[discord.Embed]) -> None:
    assert 1 <= len(embeds) <= EMBEDS
    total = 0
    for e in embeds:
        d = e.to_dict()
        assert len(d.get("title", "")) <= LIMITS["title"]
        assert len(d.get("description", "")) <= LIMITS["description"]
        assert len(d.get("fields", [])) <= LIMITS["fields"]
        for f in d.get("fields", []):
            assert f["name"] and f["value"]
            assert len(f["name"]) <= 256 and len(f["value"]) <= LIMITS["value"]
        assert len(d.get("footer", {}).get("text", "")) <= LIMITS["footer"]
        total += (
            len(d.get("title", ""))
            + len(d.get("description", ""))
            + sum(len(f["name"]) + len(f["value"]) for f in d.get("fields", []))
            + len(d.get("footer", {}).get("text", ""))
        )
    assert total <= TOTAL


def field(embed: discord.Embed, name: str) -> str:
    values = [f.value for f in embed.fields if f.name == name]
    assert values, f"no {name} field in {embed.to_dict()}"
    return str(values[0])


def test_alert_carries_title_link_summary_evidence_quotes_and_footer() -> None:
    msg = alert()
    [embed] = render_message(msg)
    assert embed.title == msg.title
    assert embed.url == msg.url
    assert embed.description == msg.summary
    evidence = field(embed, "Evidence")
    assert "**will now allow**" in evidence and "**300 km**" in evidence
    assert evidence.replace("*", "").removeprefix("> ") == msg.evidence_text
    assert "Ana Ruiz" in field(embed, "Quotes")
    assert "We have adjusted our position." in field(embed, "Quotes")
    assert field(embed, "Why") == msg.why
    assert embed.footer.text == "Example Wire · 2026-03-04 · alpha-range · high"
    assert embed.colour is not None and embed.colour.value == SEVERITY_COLOURS[Severity.HIGH]


def test_every_severity_has_its_own_colour() -> None:
    colours = {
        render_message(alert(severity=s))[0].colour.value  # type: ignore[union-attr]
        for s in Severity
    }
    assert len(colours) == len(Severity)


def test_article_markdown_is_escaped_not_interpreted() -> None:
    [embed] = render_message(alert(summary="Tanks *not* sent; see __notes__ and `code`."))
    assert embed.description is not None
    assert "\\*not\\*" in embed.description
    assert "\\_\\_notes\\_\\_" in embed.description
    assert "\\`code\\`" in embed.description


@pytest.mark.parametrize(
    "text", ["@everyone look", "@here now", "<@123456789012345678> said", "<@&223456789012345678>"]
)
def test_mentions_from_articles_are_made_inert(text: str) -> None:
    [embed] = render_message(alert(title=text, summary=text, quotes=(QuoteLine(text, text),)))
    rendered = str(embed.to_dict())
    for live in ("@everyone", "@here", "<@1", "<@&2"):
        if live in text:
            assert live not in rendered


def test_marked_words_with_spaces_keep_the_bold_markers_tight() -> None:
    text = evidence_markdown((Run("Officials"), Run(" approved ", mark=True), Run("it.")))
    assert text == "> Officials **approved** it."


def test_followup_is_marked_and_names_other_outlets() -> None:
    msg = alert(kind=MessageKind.FOLLOWUP, also_reported_by=("Wire A", "Paper B"))
    [embed] = render_message(msg)
    assert embed.title is not None and embed.title.startswith("↳ ")
    assert embed.description is not None and "Wire A, Paper B" in embed.description


def test_only_web_links_become_the_embed_url() -> None:
    [embed] = render_message(alert(url="javascript:alert(1)"))
    assert embed.url is None


def test_a_huge_alert_stays_within_every_discord_limit() -> None:
    runs = tuple(Run(f"word{i} " * 5, mark=i % 2 == 0) for i in range(400))
    msg = alert(
        title="T" * 1000,
        summary="S" * 10000,
        evidence=runs,
        quotes=tuple(QuoteLine(f"Speaker {i}", "Q" * 300) for i in range(50)),
        why="W" * 3000,
        source="X" * 3000,
    )
    embeds = render_message(msg)
    within_limits(embeds)
    evidence = field(embeds[0], "Evidence")
    assert evidence.endswith("…")
    assert evidence.count("**") % 2 == 0  # no bold left open by the cut


def test_a_digest_is_one_message_with_one_line_per_item() -> None:
    items = tuple(
        alert(title=f"Item {i}", severity=Severity.LOW if i else Severity.CRITICAL)
        for i in range(3)
    )
    msg = Message(kind=MessageKind.DIGEST, title="Daily digest", items=items, summary="3 alerts.")
    [embed] = render_message(msg)
    assert embed.description is not None
    for i in range(3):
        assert f"Item {i}" in embed.description
    assert embed.colour is not None
    assert embed.colour.value == SEVERITY_COLOURS[Severity.CRITICAL]  # the worst item


def test_a_huge_burst_is_cut_with_a_count_of_what_is_left() -> None:
    items = tuple(alert(title=f"Item {i} " + "x" * 150) for i in range(500))
    embeds = render_message(Message(kind=MessageKind.BURST, title="+500 more", items=items))
    within_limits(embeds)
    description = embeds[0].description or ""
    shown = description.count("• ")
    assert 0 < shown < 500
    assert f"…and {500 - shown} more." in description


def test_reply_shows_text_usage_lines_and_table() -> None:
    reply = Reply(
        text="Subscriptions here:",
        usage="/redline subscribe <selector>",
        lines=("one", "two"),
        table=Table(headers=("rule", "mode"), rows=(("alpha-change", "immediate"),)),
    )
    [embed] = render_reply(reply)
    body = embed.description or ""
    assert "Subscriptions here:" in body and "`/redline subscribe <selector>`" in body
    assert "```" in body and "alpha-change" in body and "immediate" in body


def test_error_reply_has_a_different_colour() -> None:
    ok = render_reply(Reply(text="fine"))[0].colour
    bad = render_reply(Reply(text="bad", error=True))[0].colour
    assert ok != bad


def test_reply_with_many_messages_fits_one_discord_message() -> None:
    hits = tuple(alert(title=f"Hit {i}", summary="S" * 900) for i in range(30))
    embeds = render_reply(Reply(text="30 hits", messages=hits))
    within_limits(embeds)
    hidden = 30 - (len(embeds) - 1)
    assert hidden > 0
    assert f"{hidden} more not shown." in (embeds[0].description or "")


def test_a_long_table_says_how_many_rows_it_left_out() -> None:
    rows = tuple((f"rule-{i}", "x" * 30) for i in range(400))
    [embed] = render_reply(Reply(text="rules", table=Table(("id", "title"), rows)))
    within_limits([embed])
    body = embed.description or ""
    shown = sum(1 for line in body.splitlines() if line.startswith("rule-"))
    assert f"{400 - shown} more rows." in body


def test_fit_message_always_keeps_the_first_embed() -> None:
    big = discord.Embed(description="d" * 4096)
    for i in range(25):
        big.add_field(name=f"f{i}", value="v" * 1024)
    kept = fit_message([big, discord.Embed(description="second")])
    within_limits(kept)
    assert kept[0].description and kept[0].description.startswith("d")
    assert kept[0].fields  # shrunk, not emptied
