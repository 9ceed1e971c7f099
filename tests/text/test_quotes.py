"""Quote extraction and speaker attribution, scored on the seeds and on new sentences."""

from __future__ import annotations

import unicodedata

import pytest

from bot.text.lexicon import Lexicons
from bot.text.quotes import extract_quotes
from bot.text.sentences import split_sentences
from bot.text.types import Quote
from tests.text.seedtext import expected, seed_article, seed_names

# Quotes the labels in expected.yaml leave out, attributed by reading the seeds: each is a
# further quoted sentence right after a labelled quote of the same speaker.
REVIEWED = {
    "000_69cb0963fede10d4.txt": [
        {"speaker": "Olaf Scholz", "starts": "We have made a small adjustment"},
    ],
    "004_c8a401f571122ff9.txt": [
        {"speaker": "Volodymyr Zelensky", "starts": "The United States, the United Kingdom"},
        {"speaker": "John Kirby", "starts": "We’ll keep the conversations"},
    ],
}
# Quoted words that are nobody's statement (the comments after the quotes list).
NOBODY = {
    "001_e69eb9d007a3607d.txt": ["cordon sanitaire", "premeditated terrorist missile attack"],
    "003_7d14e2113ed6ea01.txt": ["fatal consequences"],
    "004_c8a401f571122ff9.txt": ["Worth Billions"],
}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(text.casefold().split())


def surname(name: str | None) -> str | None:
    return name.split()[-1] if name else None


def quotes_of(text: str, lexicons: Lexicons) -> list[Quote]:
    return extract_quotes(
        text, split_sentences(text), lexicons.get("people"), lexicons.get("speech")
    )


def find(quotes: list[Quote], starts: str) -> Quote | None:
    for q in quotes:
        if norm(q.text).startswith(norm(starts)):
            return q
    return None


def test_seed_quotes_recall_precision_and_no_false_names(lexicons: Lexicons) -> None:
    labels = expected()["quotes"]
    found_right = total = 0
    predicted = correct = 0
    for name in seed_names():
        _title, text = seed_article(name)
        quotes = quotes_of(text, lexicons)
        truth = labels[name] + REVIEWED.get(name, [])
        nobody = NOBODY.get(name, [])
        for label in labels[name]:
            total += 1
            q = find(quotes, label["starts"])
            if q is not None and surname(q.speaker) == surname(label["speaker"]):
                found_right += 1
        for q in quotes:
            predicted += 1
            label = next((t for t in truth if norm(q.text).startswith(norm(t["starts"]))), None)
            if label is not None:
                correct += surname(q.speaker) == surname(label["speaker"])
            elif any(norm(q.text).startswith(norm(n)) for n in nobody):
                correct += q.speaker is None
            # An unlabelled quote counts as a wrong prediction.
        for phrase in nobody:
            q = find(quotes, phrase)
            assert q is None or q.speaker is None, (name, phrase, q.speaker)
        for label in labels[name]:
            if label["speaker"] is None:
                q = find(quotes, label["starts"])
                assert q is not None and q.speaker is None and q.anonymous, (name, label)
    recall = found_right / total
    precision = correct / predicted
    assert recall >= 0.90, recall
    assert precision >= 0.95, precision


def test_quote_offsets_point_inside_the_marks(lexicons: Lexicons) -> None:
    for name in seed_names():
        _title, text = seed_article(name)
        sentences = split_sentences(text)
        for q in quotes_of(text, lexicons):
            assert text[q.start : q.end] == q.text
            assert text[q.start - 1] in '"“' or text[q.start - 1].isspace()
            s = sentences[q.sentence_index]
            assert s.start <= q.start < s.end


def one(text: str, lexicons: Lexicons) -> Quote:
    quotes = quotes_of(text, lexicons)
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"We will not do that," said Defense Secretary Lloyd Austin.', "Lloyd Austin"),
        ("“It is a mistake,” Peskov told reporters on Tuesday.", "Dmitry Peskov"),
        ('Kremlin spokesman Dmitry Peskov said: "This is a dangerous step."', "Dmitry Peskov"),
        ("The decision was “long overdue,” according to Andriy Yermak.", "Andriy Yermak"),
        ('"Putin cannot be allowed to win," Sunak said in London.', "Rishi Sunak"),
        (
            "British Prime Minister Keir Starmer said on Friday that Ukraine had “the right to "
            "defend itself.”",
            "Keir Starmer",
        ),
        (
            "Blinken rejected claims by Lavrov that the West was “at war with Russia.”",
            "Sergey Lavrov",
        ),
        (
            "Mr. Zelenskiy, speaking in Kyiv, described the limits as “absurd.”",
            "Volodymyr Zelensky",
        ),
        (
            "French President Emmanuel Macron backed Kyiv's right to “neutralise” the sites.",
            "Emmanuel Macron",
        ),
        ("“Will they listen?” asked Kaja Kallas.", "Kaja Kallas"),
        ("Asked about Zelensky's remarks, Kirby said: “We have been clear.”", "John Kirby"),
        (
            "Sullivan, who met Yermak in Kyiv on Monday, said the talks were “productive.”",
            "Jake Sullivan",
        ),
        ("“The decision is made,” Mr. Scholz said, “and it will not change.”", "Olaf Scholz"),
        (
            "Zelenskiy's chief of staff Andriy Yermak wrote on Telegram: “We need range.”",
            "Andriy Yermak",
        ),
    ],
)
def test_named_speakers(text: str, speaker: str, lexicons: Lexicons) -> None:
    quotes = quotes_of(text, lexicons)
    assert quotes
    for q in quotes:
        assert q.speaker == speaker, q
        assert q.anonymous is False


def test_pronoun_takes_the_last_named_speaker(lexicons: Lexicons) -> None:
    text = (
        "Stoltenberg spoke in Brussels on Monday. He met Kuleba later.\n\n"
        '"Allies must decide for themselves," he said.'
    )
    assert one(text, lexicons).speaker == "Jens Stoltenberg"


def test_pronoun_without_any_earlier_speaker_is_nobody(lexicons: Lexicons) -> None:
    assert one('"We will see," he said.', lexicons).speaker is None


def test_quote_continued_over_paragraphs(lexicons: Lexicons) -> None:
    text = (
        "“The first part of a long statement goes here.\n\n"
        "“And the second part ends it,” Scholz said in Berlin."
    )
    quotes = quotes_of(text, lexicons)
    assert [q.speaker for q in quotes] == ["Olaf Scholz", "Olaf Scholz"]


def test_following_quote_in_a_paragraph_keeps_the_speaker(lexicons: Lexicons) -> None:
    text = '"One thing is clear," Macron said. "We will not send troops."'
    assert [q.speaker for q in quotes_of(text, lexicons)] == ["Emmanuel Macron"] * 2


def test_standalone_quote_after_a_named_statement(lexicons: Lexicons) -> None:
    text = "Kirby said the policy had not moved. “Nothing has changed.”"
    assert one(text, lexicons).speaker == "John Kirby"


def test_anonymous_source_does_not_leak_a_name(lexicons: Lexicons) -> None:
    q = one(
        '"Biden will not budge," a senior administration official said, adding that Blinken '
        "agreed.",
        lexicons,
    )
    assert q.speaker is None and q.anonymous
    q = one(
        'A US official, who asked not to be named, said Zelensky\'s request was "not realistic."',
        lexicons,
    )
    assert q.speaker is None and q.anonymous
    q = one(
        "People familiar with the talks said the plan was “premature,” adding that Scholz "
        "disagreed.",
        lexicons,
    )
    assert q.speaker is None and q.anonymous


def test_reported_words_belong_to_whoever_said_them(lexicons: Lexicons) -> None:
    # The sources relay Scholz's own word: the quote is his, not theirs.
    q = one("People familiar with the talks said Scholz had called the plan “premature.”", lexicons)
    assert q.speaker == "Olaf Scholz"


@pytest.mark.parametrize(
    "text",
    [
        "Russia called the decision “a dangerous escalation.”",
        "Moscow warned of a “harsh response” after the strike.",
        'Putin announced a so-called "special military operation" in 2022.',
        "Zelensky said Ukraine would build a “buffer zone” — a term critics dislike.",
    ],
)
def test_not_a_named_statement(text: str, lexicons: Lexicons) -> None:
    quotes = quotes_of(text, lexicons)
    assert len(quotes) == 1
    if "buffer zone" in text:
        # A person's paraphrase containing a quoted term is still attributed to them.
        assert quotes[0].speaker == "Volodymyr Zelensky"
    else:
        assert quotes[0].speaker is None


def test_unknown_person_is_not_named(lexicons: Lexicons) -> None:
    q = one('"We are ready," said Colonel Ivan Petrenko.', lexicons)
    assert q.speaker is None


def test_unknown_speaker_does_not_inherit_the_previous_one(lexicons: Lexicons) -> None:
    text = (
        '"We will respond," Medvedev wrote. "It is an escalation," a senior lawmaker, '
        'Leonid Slutsky, said. "Nothing more."\n\n'
        'Viktor Petrov, a deputy, said: "The West is at war."'
    )
    quotes = quotes_of(text, lexicons)
    assert [q.speaker for q in quotes] == ["Dmitry Medvedev", None, None, None]
    assert not any(q.anonymous for q in quotes)


def test_son_is_not_his_father(lexicons: Lexicons) -> None:
    q = one('Donald Trump Jr. wrote that the plan was "insane."', lexicons)
    assert q.speaker == "Donald Trump Jr."


def test_single_quotes_are_not_quotes(lexicons: Lexicons) -> None:
    assert quotes_of("Kyiv can ‘never’ get enough weapons – Zelensky", lexicons) == []
    assert quotes_of("It is 'fine', he said.", lexicons) == []


def test_straight_quotes_and_inch_marks(lexicons: Lexicons) -> None:
    text = 'A 12" screen. "It works," Rutte said. "Truly."'
    quotes = quotes_of(text, lexicons)
    assert [q.text for q in quotes] == ["It works", "Truly."]
    assert [q.speaker for q in quotes] == ["Mark Rutte", "Mark Rutte"]


def test_unclosed_quote_ends_with_its_paragraph(lexicons: Lexicons) -> None:
    text = "Healey said: “We are reviewing it\n\nThe next paragraph is not quoted."
    q = one(text, lexicons)
    assert q.text == "We are reviewing it"
    assert q.speaker == "John Healey"
