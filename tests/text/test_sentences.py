"""Sentence splitting: abbreviations, quotes, headings, and every seed's boundaries."""

from __future__ import annotations

import itertools

import pytest

from bot.text.sentences import split_sentences
from tests.text.seedtext import raw_body


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. Army said so. Then it left.", ["The U.S. Army said so.", "Then it left."]),
        (
            "He flew to Washington, D.C. The city was quiet.",
            ["He flew to Washington, D.C.", "The city was quiet."],
        ),
        ("He met U.S. officials on Monday.", ["He met U.S. officials on Monday."]),
        (
            "Gen. Mark Milley spoke. Mr. Smith agreed.",
            ["Gen. Mark Milley spoke.", "Mr. Smith agreed."],
        ),
        ("He was No. 2 in the party. It mattered.", ["He was No. 2 in the party.", "It mattered."]),
        ("Prices rose 3.5 percent. Then fell.", ["Prices rose 3.5 percent.", "Then fell."]),
        ("John F. Kennedy died. He was 46.", ["John F. Kennedy died.", "He was 46."]),
        ("He paused... and went on. Next.", ["He paused... and went on.", "Next."]),
        ("The war… it goes on. Yes.", ["The war… it goes on.", "Yes."]),
        ("“Will they?” she asked. Nobody knew.", ["“Will they?” she asked.", "Nobody knew."]),
        (
            '"We will not," Biden said. "Never."',
            ['"We will not," Biden said.', '"Never."'],
        ),
        (
            "“The talks are over.” The envoy left.",
            ["“The talks are over.”", "The envoy left."],
        ),
        ('"Is it over?" The aide shrugged.', ['"Is it over?"', "The aide shrugged."]),
        ("Talks end at 5 p.m. Tuesday in Kyiv.", ["Talks end at 5 p.m. Tuesday in Kyiv."]),
        ("It sank on Jan. 5 near the coast.", ["It sank on Jan. 5 near the coast."]),
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        (
            "Strikes (on targets in Russia.) Then more.",
            ["Strikes (on targets in Russia.)", "Then more."],
        ),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_tricky_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_paragraphs_and_headings() -> None:
    text = "A heading without a stop\nFirst body sentence. Second one.\n\nA new paragraph."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "A heading without a stop",
        "First body sentence.",
        "Second one.",
        "A new paragraph.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2]
    assert [s.index for s in sentences] == [0, 1, 2, 3]
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_carriage_returns_and_indentation_are_trimmed() -> None:
    sentences = split_sentences("  One.\r\n  Two.  ")
    assert [s.text for s in sentences] == ["One.", "Two."]


# The first words of every sentence of each seed, written down by reading the articles.
SEED_SENTENCES = {
    "000_69cb0963fede10d4.txt": [
        "President Joe Biden on",
        '"If he had the',
        "It wouldn't,\" Biden said",
        '"The question is: What',
        '"I got him more',
        "I'm following the advice",
        "And we're making a",
        "That's a logical thing",
        "In the final hours",
        "Since Russia's invasion of",
        "But Biden in May",
        "Great Britain said this",
        "But other countries like",
        '"There has been a',
        '"We have made a',
        '"It remains our task',
        "This requires us to",
    ],
    "001_e69eb9d007a3607d.txt": [
        "The US president has",
        "The US sees no",
        "Washington approved Ukrainian cross-border",
        "Biden said at the",
        "Russia launched its offensive",
        "Read more",
        "Kiev can ‘never’ get",
        "According to the Washington",
        "Pentagon officials later also",
        "Ukraine’s Vladimir Zelensky, however,",
        "Speaking at a press",
        "“We’ve allowed Zelensky to",
        "It wouldn’t.”",
        "He added that Kiev",
        "President Vladimir Putin has",
        "Meanwhile, the US has",
        "In late June, Moscow",
        "Russia claimed that Washington",
        "Commenting on the tragedy,",
        "He said that, while",
    ],
    "002_fb25c39db1756503.txt": [
        "President Joe Biden has",
        "Biden faced mounting pressure",
        "“The president recently directed",
        "The official emphasized that",
        "A second US official",
        "Ukrainian President Volodymyr Zelensky",
        "Some nations, like Britain",
        "US Secretary of State",
        "Blinken, who visited Kyiv",
        "As NATO talks commence",
        "French President Emmanuel Macron",
        "Pressure is mounting ahead",
        "Biden is set to",
    ],
    "003_7d14e2113ed6ea01.txt": [
        "ua en ru",
        "Biden clarifies stance on",
        "Biden clarifies stance on",
        "President Joe Biden remains",
        "No strikes on Moscow",
        "When asked whether American-made",
        "\"They're authorized to be",
        "We're not authorizing strikes",
        "Response to Putin's claims",
        "The American leader also",
        "\"I've known him for",
        "He's concerned me for",
        "He's not a decent",
        "He's a dictator, and",
        "We're not talking about",
        "Strikes on Russia",
        "Following the escalation of",
        "Some partners approved this",
        "Meanwhile, President Joe Biden",
        "However, this permission does",
        "After this authorization, Russia",
    ],
    "004_c8a401f571122ff9.txt": [
        "Ukrainian officials are preparing",
        "The Biden administration previously",
        "Ukrainian officials are now",
        "(RELATED: ‘Worth Billions’: Defense",
        "“There should be no",
        "“The United States, the",
        "We need decisions.”",
        "Ukrainian defense officials are",
        "U.S. officials have been",
        "White House National Security",
        "“This is not a",
        "“We’ll keep the conversations",
        "And I have no",
        "The Russia-Ukraine war —",
        "It isn’t clear whether",
    ],
}


@pytest.mark.parametrize("name", sorted(SEED_SENTENCES))
def test_seed_sentence_boundaries(name: str) -> None:
    text = raw_body(name)
    sentences = split_sentences(text)
    starts = SEED_SENTENCES[name]
    assert len(sentences) == len(starts), [s.text[:30] for s in sentences]
    for sentence, start in zip(sentences, starts, strict=True):
        assert sentence.text.startswith(start), (sentence.text[:60], start)
        assert text[sentence.start : sentence.end] == sentence.text
    # Every non-space character belongs to exactly one sentence.
    covered = sum(len(s.text) for s in sentences)
    gaps = "".join(text[a.end : b.start] for a, b in itertools.pairwise(sentences))
    assert not gaps.strip()
    assert covered + len(gaps) == len(text.strip())
