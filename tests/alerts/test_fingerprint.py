"""Story fingerprints: what they keep, and that they survive storage as JSON."""

from __future__ import annotations

import json

import pytest

from bot.alerts.fingerprint import (
    NUM_PERM,
    StoryFingerprint,
    fingerprint,
    minhash_similarity,
    minhash_values,
    normalise_words,
    shingles,
)
from tests.alerts import articles
from tests.alerts.seeds import analysed


def test_normalise_words_folds_case_apostrophes_and_brackets() -> None:
    assert normalise_words("What’s the best use of the weaponry [Zelensky] HAS?") == [
        "what's", "the", "best", "use", "of", "the", "weaponry", "zelensky", "has",
    ]  # fmt: skip


def test_shingles_are_overlapping_word_ngrams() -> None:
    assert shingles(["a", "b", "c", "d"], 3) == ["a b c", "b c d"]
    assert shingles(["a", "b"], 3) == ["a b"]
    assert shingles([], 3) == []


def test_fingerprint_keeps_quotes_entities_and_numbers() -> None:
    fp = fingerprint(analysed(articles.WIRE))
    # Scholz's quote (26 words) gives 22 five-word shingles; Peskov's (7 words) 3.
    assert "may use the weapons we" in fp.quote_shingles
    assert "a dangerous and deliberate escalation" in fp.quote_shingles
    assert {"people:Olaf Scholz", "people:Volodymyr Zelensky", "people:Dmitry Peskov"} <= set(
        fp.entities
    )
    assert "48 missile" in fp.numbers
    assert "300 km" in set(fp.numbers) | set(fp.generic_numbers)
    assert len(fp.minhash) == NUM_PERM


def test_a_number_before_a_function_word_counts_nothing() -> None:
    fp = fingerprint(
        analysed(
            "Between 5 to 7 buses ran on Monday; 12 on the list were cancelled, 40 buses late."
        )
    )
    assert "40 buse" in fp.numbers  # plurals lose a final "s" only
    assert not any(n.split()[1] in {"to", "on"} for n in fp.numbers)


def test_fingerprint_round_trips_through_json() -> None:
    fp = fingerprint(analysed(articles.WIRE))
    again = StoryFingerprint.from_dict(json.loads(json.dumps(fp.to_dict())))
    assert again == fp


@pytest.mark.parametrize(
    "data",
    [{}, {"format": 99}, {"format": 1, "minhash": [1, 2, 3]}, ["not", "a", "dict"]],
)
def test_from_dict_rejects_what_it_did_not_write(data: object) -> None:
    with pytest.raises(ValueError):
        StoryFingerprint.from_dict(data)  # type: ignore[arg-type]


def test_minhash_estimates_jaccard_of_word_shingles() -> None:
    words = [f"w{i}" for i in range(400)]
    half = words[:200] + [f"x{i}" for i in range(200)]
    # Exact shingle Jaccard: 197 shared 4-grams of 397 + 397 - 197 = 597 distinct.
    estimate = minhash_similarity(minhash_values(words), minhash_values(half))
    assert estimate == pytest.approx(197 / 597, abs=0.12)
    assert minhash_similarity(minhash_values(words), minhash_values(words)) == 1.0
    assert minhash_values([]) == ()
    assert minhash_similarity((), ()) == 0.0


def test_union_is_the_story_of_both_articles() -> None:
    a = fingerprint(analysed(articles.WIRE))
    b = fingerprint(analysed(articles.SAME_PEOPLE))
    both = a.union(b)
    assert set(both.entities) == set(a.entities) | set(b.entities)
    assert set(both.numbers) == set(a.numbers) | set(b.numbers)
    # The union's MinHash is the MinHash of the union of shingles: at least as similar to each.
    assert minhash_similarity(both.minhash, a.minhash) >= minhash_similarity(b.minhash, a.minhash)
    assert StoryFingerprint().union(a).minhash == a.minhash
