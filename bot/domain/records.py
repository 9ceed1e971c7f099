"""Stored records that services and adapters read back: hits, stories, alerts, subscriptions.

These are the plain values the storage layer returns; no layer needs to know how they are
kept. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.models import Article, Severity


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result; `snippet` marks matched words with « and »."""

    article: Article
    rank: float  # bm25 relevance, higher is better
    snippet: str


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from several outlets about the same event; `fingerprint` belongs to alerts."""

    id: int
    first_article_id: int
    created: datetime
    updated: datetime  # when the latest article joined
    fingerprint: dict[str, Any]
    article_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert as recorded before delivery; `message` is the serialised neutral Message."""

    id: int
    rule_id: str
    article_id: int
    severity: Severity
    tags: tuple[str, ...]
    created: datetime
    message: dict[str, Any]
    key: str | None = None
    story_id: int | None = None
    parent_alert_id: int | None = None  # set on "also reported by" follow-ups
    new: bool = True
    speaker: str | None = None
    source: str | None = None  # the article's source name


class SelectorKind(StrEnum):
    """What a subscription selects: one rule, every rule with a tag, or everything."""

    RULE = "rule"
    TAG = "tag"
    ALL = "all"


class DeliveryMode(StrEnum):
    """Post each alert as it comes, or gather them into a scheduled digest."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel's wish to receive some alerts."""

    id: int
    platform: str
    workspace: str
    channel: str
    selector_kind: SelectorKind
    selector: str  # rule id, tag, or "*" for all
    min_severity: Severity
    mode: DeliveryMode
    digest_schedule: str | None  # "hourly" or "daily 08:00"
    tz: str
    created_by: str | None
    created: datetime


@dataclass(frozen=True, slots=True)
class Mute:
    """A channel silenced until `until`, for one rule or (rule_id None) for all of them."""

    platform: str
    workspace: str
    channel: str
    rule_id: str | None
    until: datetime


class DeliveryKind(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    FOLLOWUP = "followup"
    BURST = "burst"


class DeliveryState(StrEnum):
    """Outbox states: failed rows wait for a retry, dead rows were given up on."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One post of one alert to one channel, as kept in the outbox."""

    id: int
    key: str
    alert_id: int | None
    platform: str
    workspace: str
    channel: str
    kind: DeliveryKind
    state: DeliveryState
    attempts: int
    next_attempt: datetime
    created: datetime
    last_error: str | None = None
    sent_at: datetime | None = None
    leased_at: datetime | None = None
    remote_ref: str | None = None  # the platform's message id / ts once sent
    thread_ref: str | None = None  # the parent's remote_ref, to post in its thread


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A direct quote to store for an article; `sentence` is the sentence holding it."""

    speaker: str | None
    text: str
    sentence: str


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A stored quote with the article it came from, for `quotes SPEAKER`."""

    article_id: int
    speaker: str | None
    text: str
    sentence: str
    published: datetime | None
    source: str
    title: str
    url: str | None
