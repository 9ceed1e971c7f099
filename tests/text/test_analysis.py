"""The Analysis object: lead, lazy parts, lookups, caching round trip, robustness, speed."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.errors import RuleError
from bot.text.analysis import Analysis, analyse
from bot.text.lexicon import Lexicons
from bot.text.types import DistanceStatus, Factuality
from tests.text.seedtext import seed_article, seed_names

ARTICLE = (
    "Allies weigh deeper strikes\n\n"
    "Britain on Tuesday allowed Ukraine to strike targets up to 250 km inside Russia. "
    "The decision follows months of pleas from Kyiv.\n\n"
    "“This changes the picture,” Defence Secretary John Healey said. "
    "Germany has refused to send Taurus missiles."
)


@pytest.fixture
def analysis(lexicons: Lexicons) -> Analysis:
    return analyse("Britain widens permission", ARTICLE, lexicons)


def test_lead_skips_headings(analysis: Analysis) -> None:
    lead = [analysis.sentences[i].text for i in analysis.lead]
    assert lead == [
        "Britain on Tuesday allowed Ukraine to strike targets up to 250 km inside Russia.",
        "The decision follows months of pleas from Kyiv.",
    ]


def test_mentions_quotes_distances(analysis: Analysis) -> None:
    people = [m.entry for m in analysis.mentions("people")]
    assert people == ["John Healey"]
    governments = {m.entry for m in analysis.mentions("governments")}
    assert governments == {"UK", "Ukraine", "Russia", "Germany"}
    assert [m.entry for m in analysis.mentions("weapons")] == ["Taurus"]
    [quote] = analysis.quotes
    assert quote.speaker == "John Healey" and quote.text == "This changes the picture"
    [distance] = analysis.distances
    assert (distance.km, distance.status) == (250.0, DistanceStatus.PERMITTED)
    assert analysis.quotes is analysis.quotes  # computed once


def test_unknown_lexicon_is_a_rule_error(analysis: Analysis) -> None:
    with pytest.raises(RuleError, match="unknown lexicon"):
        analysis.mentions("nope")


def test_sentence_at_and_factuality(analysis: Analysis) -> None:
    at = ARTICLE.index("allowed")
    sentence = analysis.sentence_at(at)
    assert sentence is not None and "allowed" in sentence.text
    assert analysis.factuality(sentence.index, (at, at + 7)) is Factuality.ASSERTED
    at = ARTICLE.index("send")
    sentence = analysis.sentence_at(at)
    assert sentence is not None
    assert analysis.factuality(sentence.index, (at, at + 4)) is Factuality.NEGATED
    between = ARTICLE.index("\n\n")
    assert analysis.sentence_at(between) is None
    assert analysis.sentence_at(-1) is None
    assert analysis.sentence_at(len(ARTICLE) + 5) is None


def test_round_trip_through_json(analysis: Analysis, lexicons: Lexicons) -> None:
    data = json.loads(json.dumps(analysis.to_dict()))
    again = Analysis.from_dict(data, lexicons)
    assert again.title == analysis.title and again.text == analysis.text
    assert again.sentences == analysis.sentences
    assert again.lead == analysis.lead
    assert again.quotes == analysis.quotes
    assert again.distances == analysis.distances
    assert again.mentions("people") == analysis.mentions("people")
    bare = Analysis.from_dict(data)
    assert bare.quotes == analysis.quotes
    with pytest.raises(RuleError):
        bare.mentions("people")
    with pytest.raises(ValueError):
        Analysis.from_dict({"format": 999})


def test_missing_analysis_lexicons_do_not_break_analysis() -> None:
    empty = analyse("t", ARTICLE, Lexicons())
    assert [q.speaker for q in empty.quotes] == [None]
    assert [d.status for d in empty.distances] == [DistanceStatus.OTHER]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400), st.text(max_size=40))
def test_any_text_is_analysed(lexicons: Lexicons, text: str, title: str) -> None:
    a = analyse(title, text, lexicons)
    previous_end = 0
    for i, s in enumerate(a.sentences):
        assert s.index == i
        assert previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert text[previous_end : s.start].strip() == ""
        previous_end = s.end
    assert text[previous_end:].strip() == ""
    for q in a.quotes:
        assert 0 <= q.start < q.end <= len(text) and 0 <= q.sentence_index < len(a.sentences)
    for d in a.distances:
        assert 0 <= d.start < d.end <= len(text) and d.km >= 0
    for name in ("people", "factuality", "policy"):
        for m in a.mentions(name):
            assert 0 <= m.start < m.end <= len(text)
    for s in a.sentences:
        assert isinstance(a.factuality(s.index, (s.start, s.end)), Factuality)


@given(st.text(alphabet="\"“”‘’'., \n?!…abcAB", max_size=200))
@settings(max_examples=150, deadline=None)
def test_quote_marks_in_any_order(lexicons: Lexicons, text: str) -> None:
    a = analyse("", text, lexicons)
    for q in a.quotes:
        assert text[q.start : q.end] == q.text and q.text.strip()


def test_speed_per_article(lexicons: Lexicons) -> None:
    articles = [seed_article(n) for n in seed_names()]
    for title, text in articles:  # warm the per-lexicon caches
        assert analyse(title, text, lexicons).quotes is not None
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for title, text in articles:
            a = analyse(title, text, lexicons)
            a.quotes, a.distances, a.mentions("people"), a.mentions("policy")
            for s in a.sentences:
                a.factuality(s.index, (s.start, s.end))
    per_article = (time.perf_counter() - started) / (rounds * len(articles))
    # The goal is about 1 ms; the bound leaves room for slow CI machines.
    assert per_article < 0.05, per_article
