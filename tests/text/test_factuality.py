"""Factuality of a span from cues in its clause, on seed key sentences and new ones."""

from __future__ import annotations

import pytest

from bot.text.factuality import classify, cue_hits
from bot.text.lexicon import Lexicons
from bot.text.sentences import split_sentences
from bot.text.types import Factuality
from tests.text.seedtext import seed_article, seed_names

N, R, H, B, A = (
    Factuality.NEGATED,
    Factuality.REQUESTED,
    Factuality.HYPOTHETICAL,
    Factuality.BACKGROUND,
    Factuality.ASSERTED,
)


def fact(sentence_text: str, word: str, lexicons: Lexicons, nth: int = 0) -> Factuality:
    sentences = split_sentences(sentence_text)
    at = -1
    for _ in range(nth + 1):
        at = sentence_text.index(word, at + 1)
    sentence = next(s for s in sentences if s.start <= at < s.end)
    return classify(sentence_text, sentence, (at, at + len(word)), lexicons.get("factuality"))


# Key sentences of the seeds (see the comments in expected.yaml), with the verb that
# carries the policy change and the factuality a reader gives it.
SEED_KEYS = [
    ("000", "rejected calls by Ukrainian President", "lift", N),
    ("000", "rejected calls by Ukrainian President", "allow", N),
    ("000", "But Biden in May partially", "lifted", B),
    ("000", "Great Britain said this week", "allow", H),
    ("001", "has refused to further loosen", "loosen", N),
    ("001", "sees no reason to allow", "allow", N),
    ("001", "sees no reason to allow", "permission", R),
    ("001", "Washington approved Ukrainian cross-border", "approved", B),
    ("001", "Biden said at the time", "permitting", B),
    ("001", "Ukraine is allowed to strike some", "allowed", A),
    ("001", "however, has insisted that all restrictions", "lifted", R),
    ("001", "had no plans to loosen", "loosen", N),
    ("002", "President Joe Biden has lifted restrictions", "lifted", A),
    ("002", "Biden faced mounting pressure", "relax", R),
    ("002", "has consistently urged supporters", "permit", R),
    ("002", "was reportedly advocating for Biden", "relax", R),
    ("002", "has repeatedly called for members", "reassess", R),
    ("003", "remains firm that American weapons", "authorized", B),
    ("003", "would not be permitted", "permitted", N),
    ("003", "We're not authorizing strikes 200", "authorizing", N),
    ("003", "Ukraine urged its partners", "allow", R),
    ("004", "are preparing to ask the Biden", "lift", R),
    ("004", "administration previously lifted", "lifted", B),
    ("004", "publicly demanding further allowances", "allowances", R),
    ("004", "have been wary of allowing", "allowing", N),
]


@pytest.mark.parametrize(("prefix", "anchor", "word", "want"), SEED_KEYS)
def test_seed_key_sentences(
    prefix: str, anchor: str, word: str, want: Factuality, lexicons: Lexicons
) -> None:
    name = next(n for n in seed_names() if n.startswith(prefix))
    title, text = seed_article(name)
    if anchor not in text:
        text = title  # the cleaner may have taken this sentence as the headline
    sentences = split_sentences(text)
    sentence = next(s for s in sentences if anchor in s.text)
    at = sentence.start + sentence.text.index(word, sentence.text.index(anchor[:10]))
    got = classify(text, sentence, (at, at + len(word)), lexicons.get("factuality"))
    assert got is want, sentence.text


NEW_SENTENCES = [
    # negated
    ("The White House declined to lift the ban on Thursday.", "lift", N),
    ("Berlin has ruled out sending Taurus missiles to Kyiv.", "sending", N),
    ("Officials said there would be no change to the guidance on strikes.", "change", N),
    ("The Pentagon won't expand the zone, a spokesman said.", "expand", N),
    ("London has yet to approve the request.", "approve", N),
    ("Washington is unwilling to loosen the rules.", "loosen", N),
    ("Scholz again rebuffed calls to supply the missiles.", "supply", N),
    ("The US never authorized attacks on Russian airfields.", "authorized", N),
    # requested
    ("Kyiv has pressed its allies to permit deeper strikes.", "permit", R),
    ("Zelensky renewed his appeal for permission to hit airbases.", "permission", R),
    ("Lawmakers called on the administration to ease the limits.", "ease", R),
    ("Ukraine is seeking approval to use ATACMS inside Russia.", "approval", R),
    ("The letter demands that the Pentagon relax its policy.", "relax", R),
    ("Kuleba made the case for lifting restrictions on Tuesday.", "lifting", R),
    # hypothetical
    ("The administration could loosen the rules within weeks.", "loosen", H),
    ("Paris might allow its missiles to be used against bases.", "allow", H),
    ("Officials are weighing whether to expand the permission.", "expand", H),
    ("If Russia escalates, Britain would lift its remaining curbs.", "lift", H),
    ("A shift in policy is possible, one diplomat said.", "shift", H),
    ("Washington is expected to approve the change soon.", "approve", H),
    ("The allies may authorize strikes on airfields.", "authorize", H),
    # background
    ("In early June, Washington eased the restrictions.", "eased", B),
    ("The policy had been in place since 2022.", "policy", B),
    ("Biden first allowed such strikes last year.", "allowed", B),
    ("The rules were previously loosened for Kharkiv.", "loosened", B),
    ("Back in May, the Pentagon approved limited strikes.", "approved", B),
    ("That guidance, issued months ago, still stands.", "guidance", B),
    # asserted
    ("Kyiv fired the missiles after London gave permission, reports said.", "permission", A),
    ("Biden on Sunday authorized Ukraine to strike deep inside Russia.", "authorized", A),
    ("Britain has lifted its restrictions on Storm Shadow, the ministry said.", "lifted", A),
    ("The Pentagon confirmed the change on Monday.", "change", A),
    ("Germany approved the use of its weapons near Kharkiv.", "approved", A),
    # clause boundaries keep cues to their own clause
    ("Kyiv had asked for months, but Washington now allows the strikes.", "allows", A),
    ("Biden, who did not want escalation, lifted the restrictions.", "lifted", A),
    ("The US lifted the ban; Germany refused to follow.", "lifted", A),
    ("The US lifted the ban; Germany refused to follow.", "follow", N),
    ("Scholz, however, rejected the idea, while Macron endorsed it.", "endorsed", A),
    # a negation after the span does not negate it
    ("Ukraine is allowed to strike, officials said, though not with ATACMS.", "allowed", A),
]


@pytest.mark.parametrize(("text", "word", "want"), NEW_SENTENCES)
def test_new_sentences(text: str, word: str, want: Factuality, lexicons: Lexicons) -> None:
    assert fact(text, word, lexicons) is want


def test_precedence_and_hits(lexicons: Lexicons) -> None:
    text = "In May, officials refused calls to lift the ban."
    [sentence] = split_sentences(text)
    at = text.index("lift")
    hits = cue_hits(text, sentence, (at, at + 4), lexicons.get("factuality"))
    assert hits == {N, R, B}
    assert classify(text, sentence, (at, at + 4), lexicons.get("factuality")) is N


def test_span_outside_the_sentence_is_clamped(lexicons: Lexicons) -> None:
    text = "Washington never approved it."
    [sentence] = split_sentences(text)
    assert classify(text, sentence, (500, 600), lexicons.get("factuality")) is N
    assert classify(text, sentence, (-5, 0), lexicons.get("factuality")) is A
