"""Summaries: two or three opening sentences of reporting prose, never furniture."""

from __future__ import annotations

import pytest

pytest.importorskip("bot.text.analysis")

from bot.alerts.summary import summarise
from bot.text.sentences import split_sentences
from tests.alerts.seeds import analysed, load_seed, raw_body, seed_names

# The page furniture expected.yaml lists for the seeds (its closing comment).
FURNITURE = (
    "ua en ru",
    "Phoro: Getty Images",
    "No strikes on Moscow or the Kremlin",
    "Response to Putin's claims",
    "Strikes on Russia",
    "Read more",
    "Kiev can ‘never’ get enough weapons",
    "RELATED:",
)


def _sentences_of(summary: str, body: str) -> list[str]:
    """The body's sentences the summary is made of (each one whole, in order)."""
    return [s.text for s in split_sentences(body) if s.text in summary]


@pytest.mark.parametrize("name", seed_names())
def test_seed_summary_is_two_or_three_whole_sentences_within_600_chars(name: str) -> None:
    seed = load_seed(name)
    summary = summarise(seed.analysis)
    assert 0 < len(summary) <= 600
    parts = _sentences_of(summary, seed.analysis.text)
    assert 2 <= len(parts) <= 3
    assert " ".join(parts) == summary  # nothing but whole sentences, nothing cut


@pytest.mark.parametrize("name", seed_names())
def test_seed_summary_skips_furniture_even_in_uncleaned_text(name: str) -> None:
    summary = summarise(analysed(raw_body(name)))
    assert 0 < len(summary) <= 600
    for furniture in FURNITURE:
        assert furniture.strip() not in summary
    assert "date 20" not in summary


@pytest.mark.parametrize("name", seed_names())
def test_seed_summary_has_no_quote_fragments(name: str) -> None:
    summary = summarise(load_seed(name).analysis)
    # A fragment starts or ends inside quote marks: an odd number of straight quotes, or a
    # closing curly quote before any opening one.
    assert summary.count('"') % 2 == 0
    assert summary.count("“") == summary.count("”")


def test_seed_summary_starts_with_the_lead() -> None:
    # Every seed's first body sentence is reporting prose (checked by reading them).
    for name in seed_names():
        seed = load_seed(name)
        first = next(s for s in seed.analysis.sentences if s.text.endswith("."))
        assert summarise(seed.analysis).startswith(first.text), name


def test_headings_bylines_datelines_and_asides_are_skipped() -> None:
    text = (
        "Missile policy\n\n"
        "By Anna Keller and Tom Price, Wire Service\n\n"
        "KYIV, Ukraine (Wire) — Ukraine received the first German missiles on Monday.\n\n"
        "(RELATED: Five things to know about long-range missiles.)\n\n"
        "The delivery came a week after Berlin changed its policy. Officials said more would follow."
    )
    summary = summarise(analysed(text))
    assert summary == (
        "Ukraine received the first German missiles on Monday. "
        "The delivery came a week after Berlin changed its policy. "
        "Officials said more would follow."
    )


def test_sentences_that_are_only_quotes_are_skipped() -> None:
    text = (
        "Chancellor Olaf Scholz defended the decision on Tuesday.\n\n"
        '"We have thought about this for a long time. It is the right step," Scholz said.\n\n'
        '"There is no going back."\n\n'
        "Opposition parties welcomed the change. They had called for it since spring."
    )
    summary = summarise(analysed(text))
    assert summary == (
        "Chancellor Olaf Scholz defended the decision on Tuesday. "
        "Opposition parties welcomed the change. They had called for it since spring."
    )


def test_an_article_of_quotes_still_gets_a_summary() -> None:
    text = '"We will not stop," Zelensky said.\n\n"We need more," he added.'
    summary = summarise(analysed(text))
    assert summary.startswith('"We will not stop,"')


def test_summary_stops_at_a_sentence_boundary_within_the_limit() -> None:
    first = "Germany changed its policy on Tuesday. "
    second = "It had resisted for months, citing the risk of escalation with Moscow. "
    third = "The change was agreed with allies in Washington and Paris and takes effect now."
    summary = summarise(analysed(first + second + third), max_chars=len(first + second) + 10)
    assert summary == (first + second).strip()


def test_a_first_sentence_longer_than_the_limit_is_cut_at_a_word_with_an_ellipsis() -> None:
    long = "Germany said " + "that the missiles would arrive soon and " * 30 + "end."
    summary = summarise(analysed(long), max_chars=120)
    assert len(summary) <= 120
    assert summary.endswith("…")
    assert long.startswith(summary[:-1])
    assert long[len(summary) - 1] == " "  # the cut falls between words


def test_empty_article_gives_empty_summary() -> None:
    assert summarise(analysed("")) == ""
