"""Rule matches into neutral messages: alerts, "also reported by" follow-ups, digests, bursts.

Everything here is plain data for the adapters: the title carries the key fact, the
evidence sentence keeps the matched words marked, and every message has a plain-text
fallback for notifications and platforms without rich layout.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.alerts.fingerprint import is_background_quote
from bot.alerts.summary import summarise
from bot.alerts.titles import alert_title, cut, format_value, quote_fact
from bot.domain.errors import RuleError
from bot.domain.message import Message, MessageKind, QuoteLine, Run
from bot.domain.models import Evidence, RuleMatch, Severity
from bot.text.analysis import Analysis
from bot.text.types import Quote

MAX_QUOTES = 3
QUOTE_MAX = 280  # characters of one quote line
EVIDENCE_MAX = 600  # characters of evidence, over all evidence sentences
MIN_QUOTE_WORDS = 3  # shorter quotes are scare quotes unless their speaker is the point
BURST_SHOWN = 3
_GAP = " … "
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What an alert needs to know about its article besides the analysis."""

    ref: str  # file name or URL, as the CLI shows it
    title: str
    source: str
    url: str | None = None
    published: datetime | None = None
    article_id: int | None = None


def _merged_marks(evidence: Evidence) -> list[tuple[int, int]]:
    size = len(evidence.sentence)
    spans = sorted((max(0, m.start), min(size, m.end)) for m in evidence.marks if m.end > m.start)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif start < end:
            out.append((start, end))
    return out


def _runs(evidence: Evidence, budget: int) -> list[Run]:
    """One evidence sentence as runs, cut to `budget` characters around its first mark."""
    text = evidence.sentence
    marks = _merged_marks(evidence)
    lo, hi = 0, len(text)
    if hi > budget:
        # Keep the first marked words in view: start a little before them. Two characters
        # are kept for the ellipses that show the cut.
        room = max(1, budget - 2)
        first = marks[0][0] if marks else 0
        lo = max(0, min(first - room // 4, len(text) - room))
        hi = lo + room
    runs: list[Run] = [Run("…")] if lo > 0 else []
    pos = lo
    for start, end in marks:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        if start > pos:
            runs.append(Run(text[pos:start]))
        runs.append(Run(text[start:end], mark=True))
        pos = end
    if pos < hi:
        runs.append(Run(text[pos:hi]))
    if hi < len(text):
        runs.append(Run("…"))
    return runs


def evidence_runs(
    evidence: tuple[Evidence, ...], *, max_chars: int = EVIDENCE_MAX
) -> tuple[Run, ...]:
    """The evidence sentences with the matched words marked, within `max_chars` in all."""
    out: list[Run] = []
    for item in evidence:
        if not item.sentence.strip():
            continue
        used = sum(len(r.text) for r in out)
        budget = max_chars - used - (len(_GAP) if out else 0)
        if out and budget < min(len(item.sentence), 80):
            break  # a further sentence that would not fit is left out, not shredded
        if out:
            out.append(Run(_GAP))
        out.extend(_runs(item, budget))
    return tuple(out)


def _fact_strings(facts: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for value in facts.values():
        items = value if isinstance(value, list | tuple) else [value]
        out.extend(v for v in items if isinstance(v, str))
    return out


def _article_quotes(analysis: Analysis) -> list[Quote]:
    try:
        return analysis.quotes
    except RuleError:
        return []


def _select_quotes(
    match: RuleMatch, analysis: Analysis
) -> tuple[list[Quote], list[str], dict[str, Quote]]:
    """Quotes worth showing, in article order; the speakers the facts name; and for each
    of those speakers the quote that best stands for them."""
    quotes = _article_quotes(analysis)
    known = {q.speaker for q in quotes if q.speaker}
    speakers = list(dict.fromkeys(s for s in _fact_strings(match.facts) if s in known))
    in_evidence = {e.sentence_index for e in match.evidence if e.sentence_index is not None}

    def rank(q: Quote) -> tuple[bool, bool, bool, int]:
        # Said in this story over recalled, in the evidence, whole sentences over scare quotes.
        return (
            is_background_quote(analysis, q),
            q.sentence_index not in in_evidence,
            len(q.text.split()) < MIN_QUOTE_WORDS,
            q.start,
        )

    best: dict[str, Quote] = {}
    for speaker in speakers:
        options = [q for q in quotes if q.speaker == speaker]
        if options:
            best[speaker] = min(options, key=rank)
    chosen: list[Quote] = list(best.values())[:MAX_QUOTES]
    for q in sorted(quotes, key=rank):  # then more from the evidence, while there is room
        if len(chosen) >= MAX_QUOTES:
            break
        wanted = q.speaker in best or len(q.text.split()) >= MIN_QUOTE_WORDS
        if wanted and q.sentence_index in in_evidence and q not in chosen:
            chosen.append(q)
    return sorted(chosen, key=lambda q: q.start), speakers, best


def _shows_previous(match: RuleMatch, previous: Any) -> bool:
    """Whether the title says what the tracked value was: only for a tracked quantity.

    A rule that tracks only whether something happened (its value is `True`) has no
    "before" worth printing.
    """
    if match.key is None:
        return False
    if previous is not None:
        return not isinstance(previous, bool)
    tracked = match.extra.get("track_value")
    if isinstance(tracked, str):
        return tracked in match.facts
    return any(isinstance(v, int | float) and not isinstance(v, bool) for v in match.facts.values())


def _fallback(msg: Message, extra: list[str] | None = None) -> str:
    lines = [f"[{msg.severity.value.upper()}] {msg.title}"]
    if msg.summary:
        lines.append(msg.summary)
    if msg.evidence:
        lines.append(f"Evidence: {msg.evidence_text}")
    lines.extend(extra or [])
    where = ", ".join(p for p in (msg.source, msg.date.date().isoformat() if msg.date else "") if p)
    if where or msg.url:
        lines.append(" · ".join(p for p in (where, msg.url or "") if p))
    if msg.why:
        lines.append(f"Why: {msg.why}")
    return "\n".join(lines)


def _with_fallback(msg: Message, extra: list[str] | None = None) -> Message:
    return replace(msg, fallback=_fallback(msg, extra))


def compose_alert(
    match: RuleMatch,
    article_meta: ArticleMeta,
    analysis: Analysis,
    *,
    previous: Any = _UNSET,
    story_id: str | None = None,
) -> Message:
    """The alert for a rule match: key-fact title, summary, marked evidence, quotes, source."""
    chosen, named, best = _select_quotes(match, analysis)
    speakers = named or list(dict.fromkeys(q.speaker for q in chosen if q.speaker))
    before = match.previous if previous is _UNSET else previous
    # A quote snippet belongs in the title only when who said what is the point.
    snippet_source = quote_fact(match.facts) or (best[named[0]].text if named else None)
    title = alert_title(
        match.message,
        rule_title=match.rule_title,
        facts=match.facts,
        tracked=_shows_previous(match, before),
        previous=before,
        quote=snippet_source,
    )
    msg = Message(
        kind=MessageKind.ALERT,
        title=title,
        summary=summarise(analysis),
        evidence=evidence_runs(match.evidence),
        quotes=tuple(QuoteLine(q.speaker, cut(q.text, QUOTE_MAX)) for q in chosen),
        speakers=tuple(speakers),
        source=article_meta.source,
        date=article_meta.published,
        url=article_meta.url,
        severity=match.severity,
        rule_id=match.rule_id,
        rule_title=match.rule_title,
        why=match.why,
        story_id=story_id,
    )
    return _with_fallback(msg)


def describe_added(added: dict[str, Any]) -> str:
    """What a follow-up adds, as one phrase: "speakers Olaf Scholz; km 120 km"."""
    parts = []
    for name, value in added.items():
        unit = name if name in ("km", "mi") else None
        parts.append(f"{name.replace('_', ' ')} {format_value(value, unit=unit)}")
    return "; ".join(parts)


def compose_followup(
    first: Message, match: RuleMatch, article_meta: ArticleMeta, added: dict[str, Any]
) -> Message:
    """ "Also reported by <source>" under a story's first alert, with only what is new."""
    title = f"Also reported by {article_meta.source}"
    if added:
        title = cut(f"{title} — new: {describe_added(added)}", 150)
    msg = Message(
        kind=MessageKind.FOLLOWUP,
        title=title,
        evidence=evidence_runs(match.evidence) if added else (),
        source=article_meta.source,
        date=article_meta.published,
        url=article_meta.url,
        severity=match.severity,
        rule_id=match.rule_id,
        rule_title=match.rule_title,
        why=match.why if added else "",
        also_reported_by=(article_meta.source,),
        story_id=first.story_id,
    )
    return _with_fallback(msg, [f"Story: {first.title}"])


def _top_severity(messages: list[Message] | tuple[Message, ...]) -> Severity:
    return max((m.severity for m in messages), key=lambda s: s.rank, default=Severity.INFO)


def _period_text(period: str | timedelta) -> str:
    if isinstance(period, str):
        return period
    hours = period.total_seconds() / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"in the last {int(hours // 24)} days"
    return f"in the last {hours:g} hours"


def _item_line(m: Message) -> str:
    where = ", ".join(p for p in (m.source, m.date.date().isoformat() if m.date else "") if p)
    tail = f" ({where})" if where else ""
    return f"- [{m.severity.value}] {m.title}{tail}" + (f" {m.url}" if m.url else "")


def compose_digest(
    messages: list[Message] | tuple[Message, ...], *, period: str | timedelta
) -> Message:
    """Several alerts in one message, most severe first (stable within a severity)."""
    when = _period_text(period)
    items = tuple(sorted(messages, key=lambda m: -m.severity.rank))
    count = len(items)
    title = f"{count} alert{'s' if count != 1 else ''} {when}" if count else f"No alerts {when}"
    rules: dict[str, int] = {}
    for m in items:
        rules[m.rule_title or m.rule_id] = rules.get(m.rule_title or m.rule_id, 0) + 1
    summary = cut("; ".join(f"{n} × {name}" for name, n in rules.items()), 600)
    dates = [m.date for m in items if m.date is not None]
    msg = Message(
        kind=MessageKind.DIGEST,
        title=title,
        summary=summary,
        severity=_top_severity(items),
        date=max(dates) if dates else None,
        items=items,
    )
    return _with_fallback(msg, [_item_line(m) for m in items])


def compose_burst(
    messages: list[Message] | tuple[Message, ...], *, shown: int = BURST_SHOWN
) -> Message:
    """The first few of a flood of alerts in full, and "+N more" for the rest.

    Raises:
        ValueError: there are no messages to fold.
    """
    if not messages:
        raise ValueError("a burst needs at least one message")
    shown = max(1, shown)
    items = tuple(messages[:shown])
    rest = list(messages[shown:])
    title = messages[0].title
    if len(messages) > 1:
        title = f"{cut(title, 130)} (+{len(messages) - 1} more)"
    summary = ""
    if rest:
        names = "; ".join(m.title for m in rest[:5])
        summary = cut(f"+{len(rest)} more: {names}", 600)
    dates = [m.date for m in messages if m.date is not None]
    msg = Message(
        kind=MessageKind.BURST,
        title=title,
        summary=summary,
        severity=_top_severity(messages),
        date=max(dates) if dates else None,
        items=items,
    )
    return _with_fallback(msg, [_item_line(m) for m in items])
