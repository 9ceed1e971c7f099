"""The neutral message model: what adapters render (Block Kit, embeds, rich console).

No Markdown dialect lives here. Emphasis is structural (`Run.mark`), links are fields, and
every message carries a plain-text fallback. Adapters escape text for their platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.models import Severity


class MessageKind(StrEnum):
    ALERT = "alert"  # a new match
    FOLLOWUP = "followup"  # "also reported by …" under the first alert of a story
    DIGEST = "digest"  # several alerts in one message (scheduled digest)
    BURST = "burst"  # "+N more" when a channel would be flooded


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text; `mark` highlights the words that made the rule fire."""

    text: str
    mark: bool = False


@dataclass(frozen=True, slots=True)
class QuoteLine:
    speaker: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Message:
    """One alert (or follow-up, digest, burst) ready to be rendered by any adapter."""

    kind: MessageKind
    title: str  # carries the key fact
    summary: str = ""  # 2–3 sentences from the article, <= 600 chars
    evidence: tuple[Run, ...] = ()  # the evidence sentence with marked words
    quotes: tuple[QuoteLine, ...] = ()
    speakers: tuple[str, ...] = ()
    source: str = ""
    date: datetime | None = None
    url: str | None = None
    severity: Severity = Severity.INFO
    rule_id: str = ""
    rule_title: str = ""
    why: str = ""  # one line: why the rule fired
    also_reported_by: tuple[str, ...] = ()  # source names, for follow-ups
    items: tuple[Message, ...] = ()  # for digests and bursts
    alert_id: int | None = None
    story_id: str | None = None
    fallback: str = ""  # plain text for notifications and platforms without rich layout

    @property
    def evidence_text(self) -> str:
        return "".join(r.text for r in self.evidence)


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to a chat or CLI command, rendered by the adapter.

    `ephemeral` replies are shown only to the person who asked; `error` replies are one
    clear sentence plus, where useful, the usage line in `usage`.
    """

    text: str
    ephemeral: bool = True
    error: bool = False
    usage: str | None = None
    title: str | None = None
    lines: tuple[str, ...] = ()
    table: Table | None = None
    messages: tuple[Message, ...] = ()  # e.g. lookup hits or a test alert preview
    extra: dict[str, object] = field(default_factory=dict)
