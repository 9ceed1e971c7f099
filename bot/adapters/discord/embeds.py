"""Neutral Message and Reply values rendered as Discord embeds, within Discord's limits.

Pure functions: no network, no client. Every string from an article goes through
`text.safe()` (or `text.plain()` where Discord shows no Markdown); every embed stays within
the per-embed limits and a message's embeds stay within the 6000-character total.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapters.discord.text import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    clip,
    is_web_url,
    link,
    plain,
    safe,
)
from bot.domain.message import Message, MessageKind, QuoteLine, Reply, Run, Table
from bot.domain.models import Severity

SEVERITY_COLOURS: dict[Severity, int] = {
    Severity.INFO: 0x95A5A6,  # grey
    Severity.LOW: 0x2ECC71,  # green
    Severity.MEDIUM: 0xF1C40F,  # yellow
    Severity.HIGH: 0xE67E22,  # orange
    Severity.CRITICAL: 0xE74C3C,  # red
}
REPLY_COLOUR = 0x5865F2
ERROR_COLOUR = 0xED4245
FOLLOWUP_MARK = "↳ "


def no_mentions() -> discord.AllowedMentions:
    """The allowed_mentions of every send: nothing in an alert or reply may ping anyone."""
    return discord.AllowedMentions.none()


def render_message(msg: Message) -> list[discord.Embed]:
    """Embeds for one alert, follow-up, digest or burst (always one message's worth)."""
    folded = msg.kind in (MessageKind.DIGEST, MessageKind.BURST)
    return fit_message([_digest(msg) if folded else _alert(msg)])


def render_reply(reply: Reply) -> list[discord.Embed]:
    """Embeds for a command reply: the answer first, then any messages it carries."""
    extra = [e for m in reply.messages for e in render_message(m)]
    main = _reply_embed(reply, hidden=0)
    kept = fit_message([main, *extra])
    hidden = len(extra) - (len(kept) - 1)
    if hidden:
        # Re-render with a note, then fit again: the note itself takes room.
        main = _reply_embed(reply, hidden=hidden)
        kept = fit_message([main, *extra])
        hidden = len(extra) - (len(kept) - 1)
        main = _reply_embed(reply, hidden=hidden)
        kept = [main, *kept[1:]]
    return kept


def fit_message(embeds: Sequence[discord.Embed]) -> list[discord.Embed]:
    """Keep the first embeds that fit one message: at most 10 and 6000 characters in all.

    The first embed is always kept (shrunk if it must be); later ones are dropped whole.
    """
    if not embeds:
        return []
    first = _fit_total(embeds[0], EMBED_TOTAL_MAX)
    out = [first]
    used = len(first)
    for embed in embeds[1:EMBEDS_PER_MESSAGE]:
        embed = _fit_total(embed, EMBED_TOTAL_MAX)
        if used + len(embed) > EMBED_TOTAL_MAX:
            break
        out.append(embed)
        used += len(embed)
    return out


def severity_colour(severity: Severity) -> int:
    """The side-bar colour for a severity."""
    return SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS[Severity.INFO])


def _alert(msg: Message) -> discord.Embed:
    prefix = FOLLOWUP_MARK if msg.kind is MessageKind.FOLLOWUP else ""
    embed = discord.Embed(
        title=clip(prefix + safe(msg.title), TITLE_MAX) or None,
        url=msg.url if is_web_url(msg.url) else None,
        colour=severity_colour(msg.severity),
    )
    parts = []
    if msg.also_reported_by:
        parts.append("Also reported by " + safe(", ".join(msg.also_reported_by)) + ".")
    if msg.summary:
        parts.append(safe(msg.summary))
    if parts:
        embed.description = clip("\n\n".join(parts), DESCRIPTION_MAX)
    if msg.evidence:
        embed.add_field(name="Evidence", value=evidence_markdown(msg.evidence), inline=False)
    if msg.quotes:
        embed.add_field(name="Quotes", value=quotes_markdown(msg.quotes), inline=False)
    if msg.why:
        embed.add_field(name="Why", value=clip(safe(msg.why), FIELD_VALUE_MAX), inline=False)
    footer = footer_text(msg)
    if footer:
        embed.set_footer(text=footer)
    return embed


def _digest(msg: Message) -> discord.Embed:
    worst = max((msg.severity, *(i.severity for i in msg.items)), key=lambda s: s.rank)
    embed = discord.Embed(
        title=clip(safe(msg.title), TITLE_MAX) or None,
        url=msg.url if is_web_url(msg.url) else None,
        colour=severity_colour(worst),
    )
    tail = safe(msg.summary) if msg.summary else ""
    budget = DESCRIPTION_MAX - (len(tail) + 2 if tail else 0)
    lines: list[str] = []
    used = 0
    for n, item in enumerate(msg.items):
        line = _digest_line(item)
        rest = len(msg.items) - n - 1
        more = f"…and {rest + 1} more." if rest + 1 else ""
        if used + len(line) + 1 + len(more) > budget:
            lines.append(more)
            break
        lines.append(line)
        used += len(line) + 1
    if tail:
        lines.append("\n" + tail if lines else tail)
    if lines:
        embed.description = clip("\n".join(lines), DESCRIPTION_MAX)
    count = len(msg.items)
    footer = " · ".join(
        p for p in (f"{count} alert{'s' if count != 1 else ''}", msg.rule_id, str(worst)) if p
    )
    embed.set_footer(text=plain(footer, FOOTER_MAX))
    return embed


def _digest_line(item: Message) -> str:
    title = link(safe(clip(item.title, 200)), item.url)
    context = " · ".join(
        p for p in (item.source, item.date.date().isoformat() if item.date else "") if p
    )
    suffix = f" — {safe(context)}" if context else ""
    return clip(f"• **{title}**{suffix}", 600)


def evidence_markdown(runs: Sequence[Run], limit: int = FIELD_VALUE_MAX) -> str:
    """The evidence sentence as a block quote, marked words in bold, clipped on run bounds."""
    prefix = "> "
    out = prefix
    for run in runs:
        text = " ".join(run.text.splitlines())
        piece = _run_markdown(text, run.mark)
        if len(out) + len(piece) <= limit:
            out += piece
            continue
        room = limit - len(out) - 1
        out += _shrink(text, run.mark, room) + "…"
        break
    return out if out != prefix else ""


def _run_markdown(text: str, mark: bool) -> str:
    core = text.strip()
    if not mark or not core:
        return safe(text)
    # "** word**" does not render bold in Discord: keep the spaces outside the markers.
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}**{safe(core)}**{trail}"


def _shrink(text: str, mark: bool, room: int) -> str:
    """The longest prefix of `text` whose rendering fits `room` characters."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(_run_markdown(text[:mid].rstrip(), mark)) <= room:
            lo = mid
        else:
            hi = mid - 1
    return _run_markdown(text[:lo].rstrip(), mark) if lo else ""


def quotes_markdown(quotes: Sequence[QuoteLine], limit: int = FIELD_VALUE_MAX) -> str:
    """One block-quoted line per quote with its speaker; as many as fit."""
    lines: list[str] = []
    for q in quotes:
        speaker = safe(q.speaker) if q.speaker else "unnamed source"
        body = safe(" ".join(q.text.split()))
        line = f"> “{body}” — {speaker}"
        if len("\n".join([*lines, line])) > limit:
            if not lines:
                tail = f"” — {clip(speaker, 100)}"
                lines.append(clip(f"> “{body}", limit - len(tail)) + tail)
            break
        lines.append(line)
    return clip("\n".join(lines), limit)


def footer_text(msg: Message) -> str:
    """source · date · rule · severity, as plain text (Discord shows no Markdown there)."""
    parts = [
        msg.source,
        msg.date.date().isoformat() if msg.date else "",
        msg.rule_id,
        str(msg.severity),
    ]
    return plain(" · ".join(p for p in parts if p), FOOTER_MAX)


def _reply_embed(reply: Reply, *, hidden: int) -> discord.Embed:
    embed = discord.Embed(
        title=clip(safe(reply.title), TITLE_MAX) if reply.title else None,
        colour=ERROR_COLOUR if reply.error else REPLY_COLOUR,
    )
    blocks = [safe(reply.text)] if reply.text else []
    if reply.usage:
        blocks.append("Usage: `" + _code(reply.usage) + "`")
    if reply.lines:
        blocks.append("\n".join(safe(line) for line in reply.lines))
    note = f"{hidden} more not shown." if hidden else ""
    text = "\n\n".join(blocks)
    if reply.table is not None:
        room = DESCRIPTION_MAX - len(text) - len(note) - 4
        table = table_markdown(reply.table, room)
        text = f"{text}\n\n{table}" if text else table
    if note:
        text = f"{text}\n\n{note}" if text else note
    embed.description = clip(text, DESCRIPTION_MAX) or None
    return embed


def table_markdown(table: Table, limit: int = DESCRIPTION_MAX) -> str:
    """A padded, monospaced table in a code block; rows that do not fit are counted."""
    if limit < 20:
        return ""
    rows = [tuple(_code(c) for c in row) for row in table.rows]
    headers = tuple(_code(h) for h in table.headers)
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row[: len(widths)]):
            widths[i] = min(max(widths[i], len(cell)), 40)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    out = [line(headers)] if headers else []
    budget = limit - 8 - 30  # fences, newlines and the "N more rows" line
    used = sum(len(x) + 1 for x in out)
    shown = 0
    for row in rows:
        text = line(row)
        if used + len(text) + 1 > budget:
            break
        out.append(text)
        used += len(text) + 1
        shown += 1
    body = "```\n" + "\n".join(out) + "\n```"
    if shown < len(rows):
        body += f"\n{len(rows) - shown} more rows."
    return body


def _code(text: str) -> str:
    """Text for inside a code span or block: no backticks, no mentions, one line."""
    return plain(text, 1000).replace("`", "ˋ")


def _fit_total(embed: discord.Embed, total: int) -> discord.Embed:
    """Drop trailing fields, then shrink the description, until the embed fits `total`."""
    while len(embed.fields) > FIELDS_MAX:
        embed.remove_field(len(embed.fields) - 1)
    # Keep some of the description (the summary) before giving all room to the fields.
    keep_text = min(len(embed.description or ""), FIELD_VALUE_MAX)
    while embed.fields and len(embed) - len(embed.description or "") + keep_text > total:
        embed.remove_field(len(embed.fields) - 1)
    excess = len(embed) - total
    if excess > 0 and embed.description:
        keep = max(len(embed.description) - excess, 0)
        embed.description = clip(embed.description, keep) or None
    while len(embed) > total and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed
