"""The pipeline after fetching: store -> analyse -> stories -> match -> alert -> route.

Each step persists before the next: an article is stored before it is matched, an alert is
stored and its deliveries queued (outbox) before anything is posted. A crash anywhere loses
nothing, and a re-run posts nothing twice (deliveries are keyed by alert and channel).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.domain.message import Message, MessageKind
from bot.domain.models import Article, ArticleDraft, RuleMatch
from bot.domain.ports import Clock
from bot.domain.records import DeliveryKind, DeliveryMode, QuoteRecord, Subscription
from bot.services.digests import next_digest_time
from bot.services.serialize import message_from_jsonable, to_jsonable

log = logging.getLogger(__name__)

ANALYSIS_VERSION = "1"


@dataclass
class Processed:
    """What happened to one draft."""

    article: Article | None  # None: a duplicate of a stored article
    matches: list[RuleMatch] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)
    story_id: int | None = None


class Pipeline:
    """Runs drafts through storage, analysis, the rules and routing."""

    def __init__(
        self,
        *,
        storage: Any,
        rulebook: Any,
        clusterer: Any,
        compose: Any,
        clock: Clock,
        on_article: Callable[[Article], None] | None = None,
        story_window: timedelta = timedelta(days=3),
    ) -> None:
        self.storage = storage
        self.rulebook = rulebook
        self.clusterer = clusterer
        self.compose = compose
        self.clock = clock
        self.on_article = on_article
        self.story_window = story_window

    async def process(self, drafts: Sequence[ArticleDraft]) -> list[Processed]:
        """Store and handle every draft, oldest first (so tracked values move forward)."""
        ordered = sorted(drafts, key=lambda d: (d.published is None, d.published or self.clock()))
        out = []
        for draft in ordered:
            try:
                out.append(self.process_one(draft))
            except Exception:  # one bad article must not stop the batch
                log.exception("processing %s from %s failed", draft.url or draft.path, draft.source)
                kept = self._keep_unprocessed(draft)
                if kept is not None:
                    out.append(kept)
        return out

    def _keep_unprocessed(self, draft: ArticleDraft) -> Processed | None:
        """Store an article whose rules could not run, so it is not lost: `lookup` finds it
        and `redline replay` can run the rules on it later."""
        try:
            article = self.storage.articles.add(draft, fetched=self.clock())
        except Exception:
            log.exception("storing %s from %s failed too", draft.url or draft.path, draft.source)
            return None
        if article is None:
            return None
        log.warning(
            "article %s from %s is stored without alerts; `redline replay` runs the rules on it",
            article.id,
            draft.source,
        )
        return Processed(article)

    def process_one(self, draft: ArticleDraft) -> Processed:
        """Store one draft and, when it is new, run it through the rules.

        The article, its analysis, story, alerts and queued deliveries commit together: a
        process killed midway leaves no stored article without its alerts, so the next
        fetch handles the article again.
        """
        with self.storage.atomic():
            return self._process_one(draft)

    def _process_one(self, draft: ArticleDraft) -> Processed:
        now = self.clock()
        article = self.storage.articles.add(draft, fetched=now)
        if article is None:
            return Processed(None)
        if self.on_article is not None:
            self.on_article(article)
        ruleset = self.rulebook.current
        if ruleset is None:
            return Processed(article)
        analysis = self.analyse(article, ruleset.lexicons)
        story_id = self._story(article, analysis)
        matches = ruleset.match(
            analysis,
            ref=str(article.id),
            article_id=article.id,
            source=article.source,
            # A feed's clock can be wrong: a date in the future would hold realert windows
            # shut until then, so the rules never see a date later than the fetch.
            published=min(article.published, now) if article.published else None,
            state=self.storage.state,
            now=now,
            story=str(story_id),
        )
        result = Processed(article, list(matches), story_id=story_id)
        for match in matches:
            alert_id = self._alert(article, analysis, match, story_id)
            if alert_id is not None:
                result.alerts.append(alert_id)
        return result

    def analyse(self, article: Article, lexicons: Any) -> Any:
        """Analyse an article once and cache the analysis and its quotes with it."""
        from bot.text.analysis import Analysis, analyse

        cached = self.storage.analyses.get(article.id, ANALYSIS_VERSION)
        if cached is not None:
            try:
                return Analysis.from_dict(cached, lexicons)
            except (ValueError, KeyError, TypeError):
                pass
        analysis = analyse(article.title, article.text, lexicons)
        self.storage.analyses.put(article.id, ANALYSIS_VERSION, analysis.to_dict())
        self.storage.quotes.replace_for_article(
            article.id,
            [
                QuoteRecord(q.speaker, q.text, analysis.sentences[q.sentence_index].text)
                for q in analysis.quotes
            ],
        )
        return analysis

    def _story(self, article: Article, analysis: Any) -> int:
        from bot.alerts.fingerprint import StoryFingerprint, fingerprint

        ref = str(article.id)
        fp = fingerprint(analysis)
        story_ref = self.clusterer.assign_fingerprint(ref, fp, article.published)
        data = fp.to_dict()
        if story_ref == ref:
            return int(self.storage.stories.create(article.id, data, at=self.clock()).id)
        story_id = self.storage.stories.story_of(int(story_ref))
        if story_id is None:  # the first article's story row is missing: start one
            return int(self.storage.stories.create(article.id, data, at=self.clock()).id)
        self.storage.stories.add_article(story_id.id, article.id, at=self.clock())
        try:
            merged = StoryFingerprint.from_dict(story_id.fingerprint).union(fp)
            self.storage.stories.set_fingerprint(story_id.id, merged.to_dict())
        except (KeyError, TypeError, ValueError):
            pass  # a fingerprint from an older format: keep the stored one
        return int(story_id.id)

    def _alert(
        self, article: Article, analysis: Any, match: RuleMatch, story_id: int
    ) -> int | None:
        """Record an alert (or a follow-up in an existing story) and queue its deliveries."""
        from bot.alerts.compose import ArticleMeta, compose_alert, compose_followup
        from bot.alerts.novelty import new_evidence

        alerts = self.storage.alerts
        meta = ArticleMeta(
            ref=str(article.id),
            title=article.title,
            source=article.source,
            url=article.url,
            published=article.published,
            article_id=article.id,
        )
        first = alerts.first_in_story(story_id, match.rule_id)
        if first is None or first.article_id == article.id:
            if not match.new:
                return None
            message = compose_alert(match, meta, analysis)
            parent = None
            kind = DeliveryKind.IMMEDIATE
        else:
            earlier = [
                a.message.get("extra", {}).get("facts", {})
                for a in alerts.for_story(story_id, match.rule_id)
            ]
            added = new_evidence(match.rule_id, earlier, match.facts)
            message = compose_followup(message_from_jsonable(first.message), match, meta, added)
            parent = first.id
            kind = DeliveryKind.FOLLOWUP
        data = to_jsonable(message)
        data.setdefault("extra", {})["facts"] = to_jsonable(match.facts)
        speakers = match.facts.get("speakers") or []
        alert_id = int(
            alerts.add(
                rule_id=match.rule_id,
                article_id=article.id,
                severity=match.severity,
                tags=match.tags,
                message=data,
                created=self.clock(),
                key=match.key,
                story_id=story_id,
                parent_alert_id=parent,
                new=match.new,
                speaker=speakers[0] if speakers else None,
            )
        )
        self.route(alert_id, message, match, kind=kind, parent_alert_id=parent)
        return alert_id

    def route(
        self,
        alert_id: int,
        message: Message,
        match: RuleMatch,
        *,
        kind: DeliveryKind,
        parent_alert_id: int | None,
    ) -> int:
        """Queue one delivery per subscribed, unmuted channel. Returns how many were new."""
        now = self.clock()
        subs: list[Subscription] = self.storage.subscriptions.matching(
            match.rule_id, match.tags, match.severity, now
        )
        queued = 0
        for sub in subs:
            digest = sub.mode is DeliveryMode.DIGEST and message.kind is MessageKind.ALERT
            queued += bool(
                self.storage.outbox.enqueue(
                    key=f"{alert_id}:{sub.platform}:{sub.workspace}:{sub.channel}",
                    alert_id=alert_id,
                    platform=sub.platform,
                    workspace=sub.workspace,
                    channel=sub.channel,
                    kind=DeliveryKind.DIGEST if digest else kind,
                    now=now,
                    next_attempt=next_digest_time(sub.digest_schedule, sub.tz, now)
                    if digest
                    else None,
                )
            )
        return queued
