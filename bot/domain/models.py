"""Plain values handed from one pipeline stage to the next.

sources -> fetch -> parse -> ArticleDraft -> (stored) Article -> analyse -> RuleMatch -> Alert.
All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class SourceKind(StrEnum):
    """How a source is read."""

    FEED = "feed"  # RSS 0.9x/1.0/2.0, Atom or JSON Feed over HTTP(S)
    DIRECTORY = "directory"  # a folder of article text files like seeds/


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source as declared in sources.yaml or added from the CLI/chat."""

    name: str
    kind: SourceKind
    location: str  # URL for feeds, path for directories
    interval_s: int = 900
    enabled: bool = True


@dataclass(slots=True)
class SourceState:
    """A source plus its persisted scheduling state (all of it lives in SQLite)."""

    name: str
    kind: SourceKind
    location: str
    interval_s: int = 900
    enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    next_poll: datetime | None = None
    last_polled: datetime | None = None
    last_ok: datetime | None = None
    failures: int = 0
    last_error: str | None = None
    articles: int = 0

    @property
    def spec(self) -> SourceSpec:
        return SourceSpec(self.name, self.kind, self.location, self.interval_s, self.enabled)


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as a source yields it, before storage. `text` is already cleaned."""

    source: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    guid: str | None = None
    path: str | None = None  # the file it came from, for directory sources


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article."""

    id: int
    source: str
    title: str
    text: str
    url: str | None
    published: datetime | None
    fetched: datetime
    content_hash: str
    guid: str | None = None
    path: str | None = None

    @property
    def when(self) -> datetime:
        """The best date we have: published, else fetched."""
        return self.published or self.fetched


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of polling one source once."""

    status: FetchStatus
    drafts: tuple[ArticleDraft, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    retry_after_s: float | None = None  # from Retry-After on 429/503
    error: str | None = None  # one sentence, for status/logs
    permanent: bool = False  # e.g. 404/410: back off hard


class Severity(StrEnum):
    """Alert severity, ordered."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) into an article's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that made a rule fire, with the matched words' spans (relative to it)."""

    sentence: str
    marks: tuple[Span, ...] = ()
    sentence_index: int | None = None


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule whose condition holds on an article, with the facts it extracted."""

    rule_id: str
    rule_title: str
    severity: Severity
    tags: tuple[str, ...]
    facts: dict[str, Any]
    evidence: tuple[Evidence, ...]
    message: str  # the rule's message template, rendered with the facts
    why: str  # one line: which conditions held
    key: str | None = None  # the tracked key's value, if the rule tracks
    new: bool = True  # False when tracked state did not change or realert suppressed it
    previous: Any = None  # the tracked value before this match, if any
    article_id: int | None = None
    article_ref: str | None = None  # file name or URL, for CLI output
    extra: dict[str, Any] = field(default_factory=dict)
