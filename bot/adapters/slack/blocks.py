"""Block Kit rendering of alerts and command replies (pure: no SDK, no I/O).

Every string that came from an article or a reply goes through `mrkdwn.safe()` (mrkdwn
fields) or `mrkdwn.neutralise()` (plain_text and rich_text fields, which Slack shows
literally), and every field is clipped to Slack's limits so a long article can never make
`chat.postMessage` fail with `invalid_blocks`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.adapters.slack.mrkdwn import clip, is_web_url, link, neutralise, safe
from bot.domain.message import Message, MessageKind, Reply, Run, Table
from bot.domain.models import Severity

Block = dict[str, Any]

MAX_BLOCKS = 50
SECTION_MAX = 3000
HEADER_MAX = 150
FALLBACK_MAX = 4000
CONTEXT_MAX = 3000
BUTTON_TEXT_MAX = 75
BUTTON_URL_MAX = 3000
SUMMARY_MAX = 1200  # an alert's summary: 2–3 sentences, never a wall of text
ITEM_SUMMARY_MAX = 300  # one digest item
QUOTE_MAX = 500
# Buttons in one message need distinct action ids; the app acks every id with this prefix.
OPEN_ARTICLE_ACTION = "redline_open_article"

_SEVERITY_ICON = {
    Severity.INFO: ":information_source:",
    Severity.LOW: ":large_blue_circle:",
    Severity.MEDIUM: ":large_yellow_circle:",
    Severity.HIGH: ":large_orange_circle:",
    Severity.CRITICAL: ":red_circle:",
}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(neutralise(text), limit), "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link names or parse mentions in text we already made safe.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(clip(text, SECTION_MAX))}


def _context(*parts: str) -> Block:
    elements = [_mrkdwn(clip(p, CONTEXT_MAX)) for p in parts if p][:10]
    return {"type": "context", "elements": elements}


def _header(text: str) -> Block:
    return {"type": "header", "text": _plain(text.strip() or "Redline", HEADER_MAX)}


def _date(when: datetime | None) -> str:
    """Slack's date token shows the reader's own time zone; the fallback is UTC."""
    if when is None:
        return ""
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _bold_runs(runs: tuple[Run, ...], limit: int) -> str:
    """Evidence as mrkdwn with marked words in bold (for digest items)."""
    out: list[str] = []
    used = 0
    for run in runs:
        text = safe(run.text)
        if run.mark and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            # Bold only works next to a word boundary; a zero-width space supplies one.
            text = f"{lead}\u200b*{text.strip()}*\u200b{trail}"
        out.append(text)
        used += len(text)
        if used > limit:
            break
    return clip("".join(out), limit)


def _evidence_block(runs: tuple[Run, ...]) -> Block | None:
    """The evidence sentence as a rich-text quote: structural bold, nothing to escape."""
    elements: list[dict[str, Any]] = []
    budget = SECTION_MAX
    for run in runs:
        if budget <= 0 or not run.text:
            continue
        text = clip(neutralise(run.text), budget)
        budget -= len(text)
        element: dict[str, Any] = {"type": "text", "text": text}
        if run.mark:
            element["style"] = {"bold": True}
        elements.append(element)
    if not any(e["text"].strip() for e in elements):
        return None
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_quote", "elements": elements}],
    }


def _quotes_block(msg: Message) -> Block | None:
    lines = []
    for q in msg.quotes:
        if not q.text.strip():
            continue
        who = safe(q.speaker) if q.speaker else "unnamed source"
        lines.append(f">“{clip(safe(q.text.strip()), QUOTE_MAX)}” — _{who}_")
    return _section("\n".join(lines)) if lines else None


def _facts_line(msg: Message) -> str:
    severity = msg.severity
    parts = [
        f"{_SEVERITY_ICON.get(severity, '')} *{severity.value}*".strip(),
        safe(msg.source),
        _date(msg.date),
        safe(msg.rule_title or msg.rule_id),
        f"alert {msg.alert_id}" if msg.alert_id is not None else "",
    ]
    return " · ".join(p for p in parts if p)


def _button(msg: Message, index: int) -> Block | None:
    if not is_web_url(msg.url) or len(msg.url or "") > BUTTON_URL_MAX:
        return None
    label = f"Read on {msg.source}" if msg.source else "Read the article"
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": _plain(label, BUTTON_TEXT_MAX),
                "url": msg.url,
                "action_id": f"{OPEN_ARTICLE_ACTION}_{index}",
            }
        ],
    }


def _alert_blocks(msg: Message, index: int = 0) -> list[Block]:
    prefix = "↳ " if msg.kind is MessageKind.FOLLOWUP else ""
    blocks: list[Block] = [_header(prefix + msg.title)]
    if msg.also_reported_by:
        names = ", ".join(safe(n) for n in msg.also_reported_by)
        blocks.append(_context(f"Also reported by {names}"))
    if msg.summary.strip():
        blocks.append(_section(clip(safe(msg.summary.strip()), SUMMARY_MAX)))
    evidence = _evidence_block(msg.evidence)
    if evidence is not None:
        blocks.append(evidence)
    quotes = _quotes_block(msg)
    if quotes is not None:
        blocks.append(quotes)
    facts = _facts_line(msg)
    why = f"why: {safe(msg.why)}" if msg.why.strip() else ""
    if facts or why:
        blocks.append(_context(facts, why))
    button = _button(msg, index)
    if button is not None:
        blocks.append(button)
    return blocks


def _item_section(item: Message) -> Block:
    title = safe(item.title.strip() or "Untitled")
    title = f"*{link(item.url, title)}*" if item.url and is_web_url(item.url) else f"*{title}*"
    lines = [title]
    if item.summary.strip():
        lines.append(clip(safe(item.summary.strip()), ITEM_SUMMARY_MAX))
    elif item.evidence:
        lines.append(">" + _bold_runs(item.evidence, ITEM_SUMMARY_MAX))
    facts = _facts_line(item)
    if facts:
        lines.append(facts)
    return _section("\n".join(lines))


def _digest_blocks(msg: Message) -> list[Block]:
    blocks: list[Block] = [_header(msg.title)]
    if msg.summary.strip():
        blocks.append(_section(safe(msg.summary.strip())))
    room = MAX_BLOCKS - len(blocks) - 1  # keep one for the "more" line
    shown = msg.items[:room] if len(msg.items) > room + 1 else msg.items
    blocks.extend(_item_section(item) for item in shown)
    hidden = len(msg.items) - len(shown)
    if hidden:
        blocks.append(_context(f"+{hidden} more not shown; `/redline lookup` finds them."))
    return blocks


def _fallback(msg: Message) -> str:
    if msg.fallback.strip():
        text = msg.fallback.strip()
    elif msg.kind in (MessageKind.DIGEST, MessageKind.BURST):
        text = f"{msg.title} ({len(msg.items)} alerts)"
    else:
        text = " — ".join(p for p in (msg.title, msg.source) if p)
    return clip(safe(text or "Redline alert"), FALLBACK_MAX)


def cap_blocks(blocks: list[Block]) -> list[Block]:
    """At most MAX_BLOCKS blocks; the last one says how many were left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    hidden = len(blocks) - (MAX_BLOCKS - 1)
    return [*blocks[: MAX_BLOCKS - 1], _context(f"… {hidden} more blocks not shown.")]


def render_message(msg: Message) -> dict[str, Any]:
    """An alert, follow-up, digest or burst as `{"text": fallback, "blocks": [...]}`."""
    if msg.kind in (MessageKind.DIGEST, MessageKind.BURST):
        blocks = _digest_blocks(msg)
    else:
        blocks = _alert_blocks(msg)
    return {"text": _fallback(msg), "blocks": cap_blocks(blocks)}


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Join lines into strings of at most `limit` characters, splitting between lines."""
    out: list[str] = []
    current = ""
    for raw in lines:
        line = clip(raw, limit)
        if current and len(current) + 1 + len(line) > limit:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


_CELL_MAX = 60


def _table_lines(table: Table) -> list[str]:
    """Rows aligned in columns, for a monospace block."""

    def cell(value: str) -> str:
        return clip(" ".join(value.split()), _CELL_MAX).replace("`", "ˋ")

    rows = [tuple(cell(c) for c in table.headers)] + [
        tuple(cell(c) for c in row) for row in table.rows
    ]
    ncols = max((len(r) for r in rows), default=0)
    widths = [max((len(r[i]) for r in rows if i < len(r)), default=0) for i in range(ncols)]

    def fmt(row: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip()

    lines = [fmt(rows[0]), "  ".join("-" * w for w in widths)] if table.headers else []
    lines.extend(fmt(r) for r in rows[1:])
    return [safe(line) for line in lines]


def _usage(usage: str) -> str:
    usage = usage.strip()
    if usage.startswith("redline "):
        usage = usage[len("redline ") :]
    if not usage.startswith("/"):
        usage = "/redline " + usage
    return usage.replace("`", "ˋ")


def render_reply(reply: Reply) -> dict[str, Any]:
    """A command answer as `{"text", "blocks", "response_type"}` for `respond()`."""
    blocks: list[Block] = []
    if reply.title:
        blocks.append(_header(reply.title))
    text = safe(reply.text.strip())
    if text:
        blocks.append(_section(f":warning: {text}" if reply.error else text))
    if reply.usage:
        blocks.append(_context(f"Usage: `{safe(_usage(reply.usage))}`"))
    if reply.lines:
        blocks.extend(_section(c) for c in _chunks([safe(x) for x in reply.lines], SECTION_MAX))
    if reply.table is not None:
        lines = _table_lines(reply.table)
        blocks.extend(_section(f"```{c}```") for c in _chunks(lines, SECTION_MAX - 6))
    for i, msg in enumerate(reply.messages):
        blocks.append({"type": "divider"})
        if msg.kind in (MessageKind.DIGEST, MessageKind.BURST):
            blocks.extend(_digest_blocks(msg))
        else:
            blocks.extend(_alert_blocks(msg, i))
    if not blocks:
        blocks.append(_section("Done."))
    fallback = reply.text.strip() or reply.title or "Done."
    return {
        "text": clip(safe(fallback), FALLBACK_MAX),
        "blocks": cap_blocks(blocks),
        "response_type": "ephemeral" if reply.ephemeral else "in_channel",
    }
