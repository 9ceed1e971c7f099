"""Composed alerts, follow-ups, digests and bursts, on seed articles and hand-built matches."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytest.importorskip("bot.text.analysis")

from bot.alerts.compose import (
    EVIDENCE_MAX,
    MAX_QUOTES,
    QUOTE_MAX,
    ArticleMeta,
    compose_alert,
    compose_burst,
    compose_digest,
    compose_followup,
    evidence_runs,
)
from bot.alerts.summary import summarise
from bot.alerts.titles import NONE_RECORDED, TITLE_MAX
from bot.domain.message import Message, MessageKind
from bot.domain.models import Evidence, RuleMatch, Severity, Span
from bot.text.analysis import Analysis
from tests.alerts.seeds import expected, load_seed

SEED_000 = "000_69cb0963fede10d4.txt"
SEED_001 = "001_e69eb9d007a3607d.txt"
SEED_002 = "002_fb25c39db1756503.txt"
URL = "https://news.example/article"


def _meta(name: str, source: str = "Example News") -> ArticleMeta:
    seed = load_seed(name)
    return ArticleMeta(name, seed.title, source, URL, seed.when, 7)


def _evidence(analysis: Analysis, index: int, *words: str) -> Evidence:
    sentence = analysis.sentences[index].text
    marks = []
    for w in words:
        start = sentence.index(w)
        marks.append(Span(start, start + len(w)))
    return Evidence(sentence, tuple(marks), index)


def _match(
    rule_id: str, facts: dict[str, Any], evidence: tuple[Evidence, ...], **kw: Any
) -> RuleMatch:
    defaults: dict[str, Any] = {
        "rule_title": rule_id.replace("-", " ").capitalize(),
        "severity": Severity.HIGH,
        "tags": (),
        "message": "",
        "why": "all conditions held",
    }
    return RuleMatch(rule_id=rule_id, facts=facts, evidence=evidence, **{**defaults, **kw})


def _speakers_of(prefix: str) -> list[str]:
    """Watched speakers expected.yaml says a seed quotes, as canonical names."""
    surnames = [
        surname
        for surname, cases in expected()["rules"]["official-statement"]["by_speaker"].items()
        if prefix in cases["must"]
    ]
    names = {
        q["speaker"] for quotes in expected()["quotes"].values() for q in quotes if q["speaker"]
    }
    return [next(n for n in names if n.endswith(s)) for s in surnames]


def _first_quote(name: str, speaker: str, *, skip: int = 0) -> str:
    starts = [q["starts"] for q in expected()["quotes"][name] if q["speaker"] == speaker]
    return str(starts[skip])


# --- alerts ---------------------------------------------------------------------------------


def test_policy_change_alert_on_a_seed() -> None:
    seed = load_seed(SEED_002)
    truth = expected()["rules"]["restriction-policy-change"]["must"][SEED_002]
    evidence = _evidence(seed.analysis, 0, "lifted restrictions")
    match = _match(
        "restriction-policy-change",
        {
            "actor": truth["actor"],
            "direction": truth["direction"],
            "scope": [truth["scope_mentions"]],
        },
        (evidence,),
        message=f"{truth['actor']} {truth['direction']} limits on strikes inside Russia",
        key=f"{truth['actor']}|{truth['direction']}",
    )
    msg = compose_alert(match, _meta(SEED_002), seed.analysis, story_id="s1")
    assert msg.kind is MessageKind.ALERT
    # A tracked "did it happen" rule has no previous value worth printing.
    assert msg.title == f"US loosened limits on strikes inside Russia — {truth['scope_mentions']}"
    assert msg.summary == summarise(seed.analysis)
    assert msg.evidence_text == evidence.sentence
    assert [r.text for r in msg.evidence if r.mark] == ["lifted restrictions"]
    assert (msg.source, msg.url, msg.date, msg.story_id) == ("Example News", URL, None, "s1")
    assert (msg.severity, msg.rule_id, msg.why) == (Severity.HIGH, match.rule_id, match.why)
    for part in (msg.title, msg.summary, evidence.sentence, "Example News", URL, match.why):
        assert part in msg.fallback


def test_statement_alert_hears_every_speaker_with_a_quote_snippet() -> None:
    seed = load_seed(SEED_000)
    speakers = _speakers_of("000")
    quoted = [q for q in seed.analysis.quotes if q.speaker in speakers]
    evidence = tuple(
        Evidence(seed.analysis.sentences[q.sentence_index].text, (), q.sentence_index)
        for q in quoted
    )
    match = _match(
        "official-statement",
        {"speakers": speakers},
        evidence,
        severity=Severity.MEDIUM,
        message="Quoted: " + ", ".join(speakers),
    )
    msg = compose_alert(match, _meta(SEED_000), seed.analysis)
    assert msg.speakers == tuple(speakers)
    assert len(msg.quotes) == min(MAX_QUOTES, len(speakers))
    assert {q.speaker for q in msg.quotes} == set(speakers[:MAX_QUOTES])
    assert all(len(q.text) <= QUOTE_MAX for q in msg.quotes)
    # The snippet is from the first speaker's first quote of the day.
    first_words = " ".join(_first_quote(SEED_000, speakers[0]).split()[:4])
    assert f"“{first_words}" in msg.title
    assert len(msg.title) <= TITLE_MAX
    assert len(msg.evidence_text) <= EVIDENCE_MAX + 2
    assert msg.date == datetime(2024, 7, 11, tzinfo=UTC)


def test_statement_snippet_prefers_words_said_now_over_words_recalled() -> None:
    seed = load_seed(SEED_001)
    match = _match(
        "official-statement", {"speakers": ["Joe Biden"]}, (), message="Biden on strikes"
    )
    msg = compose_alert(match, _meta(SEED_001), seed.analysis)
    recalled = _first_quote(SEED_001, "Joe Biden")  # "Biden said at the time …"
    said = _first_quote(SEED_001, "Joe Biden", skip=1)
    assert " ".join(recalled.split()[:3]) not in msg.title
    assert f"“{' '.join(said.split()[:3])}" in msg.title


def test_range_alert_says_what_the_range_was() -> None:
    seed = load_seed(SEED_001)
    truth = expected()["rules"]["strike-range"]["must"][SEED_001]
    facts = {k: truth[k] for k in ("km", "value", "unit", "status")}
    match = _match(
        "strike-range", facts, (), message="Permitted strike range: ~100 km inside Russia",
        key="permitted strike range",
    )  # fmt: skip
    first = compose_alert(match, _meta(SEED_001), seed.analysis)
    assert first.title.endswith(f"(was: {NONE_RECORDED})")
    later = compose_alert(match, _meta(SEED_001), seed.analysis, previous=60.0)
    assert later.title.endswith("(was: 60 km)")
    from_state = compose_alert(replace(match, previous=80.5), _meta(SEED_001), seed.analysis)
    assert from_state.title.endswith("(was: 80.5 km)")


def test_long_evidence_is_cut_around_the_marked_words() -> None:
    sentence = "Officials said " + "that talks went on " * 60 + "and Berlin lifted the ban."
    start = sentence.index("lifted the ban")
    runs = evidence_runs((Evidence(sentence, (Span(start, start + 14),), 0),))
    text = "".join(r.text for r in runs)
    assert len(text) <= EVIDENCE_MAX
    assert text.startswith("…")
    assert [r.text for r in runs if r.mark] == ["lifted the ban"]


def test_several_evidence_sentences_are_joined_within_the_limit() -> None:
    items = tuple(
        Evidence(f"Sentence {i} " + "word " * 30 + ".", (Span(0, 8),), i) for i in range(9)
    )
    runs = evidence_runs(items)
    text = "".join(r.text for r in runs)
    assert len(text) <= EVIDENCE_MAX
    assert text.count(" … ") >= 1
    assert sum(r.mark for r in runs) == text.count(" … ") + 1  # one mark per sentence shown


# --- follow-ups, digests, bursts ----------------------------------------------------------------


def _first_alert() -> tuple[Message, RuleMatch]:
    seed = load_seed(SEED_000)
    match = _match(
        "official-statement",
        {"speakers": ["Joe Biden"]},
        (_evidence(seed.analysis, 2, "Biden said"),),
        message="Quoted: Joe Biden",
    )
    return compose_alert(match, _meta(SEED_000), seed.analysis, story_id="000"), match


def test_followup_announces_only_what_it_adds() -> None:
    first, match = _first_alert()
    added = {"speakers": ["Vladimir Putin"]}
    msg = compose_followup(first, match, _meta(SEED_001, source="Other Outlet"), added)
    assert msg.kind is MessageKind.FOLLOWUP
    assert msg.title == "Also reported by Other Outlet — new: speakers Vladimir Putin"
    assert msg.also_reported_by == ("Other Outlet",)
    assert msg.story_id == "000"
    assert msg.evidence  # the evidence for what is new
    assert msg.summary == ""
    assert first.title in msg.fallback


def test_followup_without_news_is_a_plain_also_reported_by() -> None:
    first, match = _first_alert()
    msg = compose_followup(first, match, _meta(SEED_001, source="Other Outlet"), {})
    assert msg.title == "Also reported by Other Outlet"
    assert msg.evidence == ()
    assert msg.url == URL


def _msg(title: str, severity: Severity, day: int) -> Message:
    return Message(
        kind=MessageKind.ALERT,
        title=title,
        severity=severity,
        source="Example News",
        date=datetime(2024, 7, day, tzinfo=UTC),
        rule_id="r",
        rule_title="Rule",
    )


def test_digest_lists_alerts_most_severe_first() -> None:
    msgs = [
        _msg("low one", Severity.LOW, 1),
        _msg("high one", Severity.HIGH, 2),
        _msg("info", Severity.INFO, 3),
    ]
    digest = compose_digest(msgs, period="for 3 July")
    assert digest.kind is MessageKind.DIGEST
    assert digest.title == "3 alerts for 3 July"
    assert [m.title for m in digest.items] == ["high one", "low one", "info"]
    assert digest.severity is Severity.HIGH
    assert digest.date == datetime(2024, 7, 3, tzinfo=UTC)
    assert all(m.title in digest.fallback for m in msgs)
    assert digest.summary == "3 × Rule"


def test_digest_of_nothing_and_of_a_duration() -> None:
    assert compose_digest([], period="today").title == "No alerts today"
    one = compose_digest([_msg("a", Severity.LOW, 1)], period=timedelta(hours=24))
    assert one.title == "1 alert in the last 24 hours"
    week = compose_digest([], period=timedelta(days=7))
    assert week.title == "No alerts in the last 7 days"


def test_burst_shows_a_few_and_counts_the_rest() -> None:
    msgs = [_msg(f"alert {i}", Severity.MEDIUM, 1 + i) for i in range(7)]
    burst = compose_burst(msgs)
    assert burst.kind is MessageKind.BURST
    assert burst.title == "alert 0 (+6 more)"
    assert [m.title for m in burst.items] == ["alert 0", "alert 1", "alert 2"]
    assert burst.summary.startswith("+4 more: alert 3; alert 4")
    assert "+4 more" in burst.fallback


def test_burst_of_one_and_of_none() -> None:
    assert compose_burst([_msg("only", Severity.LOW, 1)]).title == "only"
    with pytest.raises(ValueError):
        compose_burst([])
