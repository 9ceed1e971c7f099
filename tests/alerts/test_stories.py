"""Stories: the seeds' ground truth, plus invented outlets reporting one event."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

pytest.importorskip("bot.text.analysis")

from bot.alerts.fingerprint import StoryFingerprint
from bot.alerts.stories import (
    StoryClusterer,
    fingerprint,
    same_story,
    shared_numbers,
    shared_quote_run,
)
from tests.alerts import articles
from tests.alerts.seeds import analysed, expected, load_seed, seed_names

TUESDAY = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _groups(stories: dict[str, list[str]]) -> set[frozenset[str]]:
    return {frozenset(refs) for refs in stories.values()}


def _expected_groups() -> set[frozenset[str]]:
    return {frozenset(group) for group in expected()["stories"]}


def _date_order(names: list[str]) -> list[str]:
    """Dated seeds by date, then the undated ones, each by name."""
    seeds = [load_seed(n) for n in names]
    return [
        s.name for s in sorted(seeds, key=lambda s: (s.when is None, s.when or TUESDAY, s.name))
    ]


def test_seed_stories_come_out_exactly_in_date_order() -> None:
    clusterer = StoryClusterer(window_days=3.0)
    ids = {}
    for name in _date_order(seed_names()):
        seed = load_seed(name)
        ids[name] = clusterer.assign(name, seed.analysis, seed.when)
    assert _groups(clusterer.stories()) == _expected_groups()
    for group in expected()["stories"]:
        # The story id is the ref of the story's first article in arrival order.
        first = min(group, key=_date_order(seed_names()).index)
        assert {ids[name] for name in group} == {first}


def test_seed_stories_do_not_depend_on_arrival_order() -> None:
    clusterer = StoryClusterer()
    for name in reversed(seed_names()):
        seed = load_seed(name)
        clusterer.assign(name, seed.analysis, seed.when)
    assert _groups(clusterer.stories()) == _expected_groups()


def test_every_seed_pair_is_judged_as_the_ground_truth_says() -> None:
    together = {frozenset(p) for g in expected()["stories"] for p in itertools.combinations(g, 2)}
    for a, b in itertools.combinations(seed_names(), 2):
        sa, sb = load_seed(a), load_seed(b)
        same, reason = same_story(
            fingerprint(sa.analysis),
            fingerprint(sb.analysis),
            a_when=sa.when,
            b_when=sb.when,
            window=timedelta(days=3),
        )
        assert same == (frozenset((a, b)) in together), (a, b, reason)
        assert reason


def test_a_quote_recalled_as_background_does_not_tie_stories() -> None:
    # One seed recalls, "at the time", words another seed reports being said: the recalled
    # words must not be part of the recalling article's fingerprint.
    recalled = fingerprint(analysed(articles.RECALLED))
    reported = fingerprint(analysed(articles.WIRE))
    assert recalled.quote_shingles == ()
    assert shared_quote_run(recalled, reported) == []


# --- invented outlets ---------------------------------------------------------------------


def _judge(text_a: str, text_b: str, gap: timedelta = timedelta(hours=5)) -> tuple[bool, str]:
    return same_story(
        fingerprint(analysed(text_a)),
        fingerprint(analysed(text_b)),
        a_when=TUESDAY,
        b_when=TUESDAY + gap,
        window=timedelta(days=3),
    )


def test_a_syndicated_copy_with_a_new_headline_and_an_edited_paragraph_is_the_same_story() -> None:
    a = fingerprint(analysed(articles.WIRE, title="Germany lifts missile limits for Ukraine"))
    b = fingerprint(analysed(articles.SYNDICATED, title="Scholz U-turn on long-range strikes"))
    same, reason = same_story(a, b, a_when=TUESDAY, b_when=TUESDAY + timedelta(hours=2))
    assert same
    assert "near-duplicate" in reason


def test_an_own_words_report_sharing_the_quote_is_the_same_story() -> None:
    same, reason = _judge(articles.WIRE, articles.OWN_WORDS)
    assert same
    assert "quote" in reason
    # The shared words are the quote's, longer than the six-word minimum.
    run = shared_quote_run(
        fingerprint(analysed(articles.WIRE)), fingerprint(analysed(articles.OWN_WORDS))
    )
    assert " ".join(run).startswith("ukraine may use the weapons we supply")


def test_same_names_and_figures_without_a_quote_is_the_same_story() -> None:
    same, reason = _judge(articles.WIRE, articles.SAME_FIGURES)
    assert same
    assert "48 missile" in reason


def test_same_people_and_places_with_other_numbers_is_another_story() -> None:
    same, _ = _judge(articles.WIRE, articles.SAME_PEOPLE)
    assert not same


def test_the_same_topic_a_week_later_is_another_story() -> None:
    same, reason = _judge(articles.WIRE, articles.WEEK_LATER, gap=timedelta(days=7))
    assert not same
    assert "days apart" in reason


def test_even_a_copy_a_week_later_is_another_story() -> None:
    same, _ = _judge(articles.WIRE, articles.SYNDICATED, gap=timedelta(days=7))
    assert not same


def test_an_undated_article_is_compared_with_every_date() -> None:
    a = fingerprint(analysed(articles.WIRE))
    b = fingerprint(analysed(articles.SYNDICATED))
    assert same_story(a, b, a_when=TUESDAY, b_when=None)[0]
    assert same_story(a, b, a_when=None, b_when=None)[0]


def test_generic_distances_weigh_less_than_event_numbers() -> None:
    a = StoryFingerprint(numbers=("48 missile",), generic_numbers=("300 km", "19 km"))
    b = StoryFingerprint(generic_numbers=("300 km", "19 km", "48 missile"))
    shared, score = shared_numbers(a, b)
    assert shared == {"48 missile", "300 km", "19 km"}
    assert score == pytest.approx(2.0)  # 1 for the event number, 0.5 for each distance


# --- the clusterer ------------------------------------------------------------------------


def test_clusterer_groups_outlets_and_keeps_other_events_apart() -> None:
    clusterer = StoryClusterer()
    assert clusterer.assign("wire", analysed(articles.WIRE), TUESDAY) == "wire"
    hour = timedelta(hours=1)
    assert clusterer.assign("copy", analysed(articles.SYNDICATED), TUESDAY + hour) == "wire"
    assert clusterer.assign("own", analysed(articles.OWN_WORDS), TUESDAY + 2 * hour) == "wire"
    assert clusterer.assign("merz", analysed(articles.RECALLED), TUESDAY + 3 * hour) == "merz"
    later = TUESDAY + timedelta(days=7)
    assert clusterer.assign("strike", analysed(articles.WEEK_LATER), later) == "strike"
    assert clusterer.stories() == {
        "wire": ["wire", "copy", "own"],
        "merz": ["merz"],
        "strike": ["strike"],
    }
    assert "near-duplicate" in (clusterer.reason("copy") or "")
    assert clusterer.reason("wire") == "first article of a new story"


def test_clusterer_keeps_an_article_seen_twice_in_its_story() -> None:
    clusterer = StoryClusterer()
    clusterer.assign("wire", analysed(articles.WIRE), TUESDAY)
    assert clusterer.assign("own", analysed(articles.OWN_WORDS), TUESDAY) == "wire"
    assert clusterer.assign("own", analysed(articles.SAME_PEOPLE), TUESDAY) == "wire"


def test_clusterer_seeded_from_storage_joins_new_articles_to_stored_stories() -> None:
    stored = fingerprint(analysed(articles.WIRE)).to_dict()
    clusterer = StoryClusterer()
    clusterer.add_existing("17", StoryFingerprint.from_dict(stored), TUESDAY)
    assert clusterer.assign("copy", analysed(articles.SYNDICATED), TUESDAY) == "17"
    assert clusterer.assign("other", analysed(articles.SAME_PEOPLE), TUESDAY) == "other"


def test_clusterer_prune_forgets_stories_outside_the_window() -> None:
    clusterer = StoryClusterer(window_days=3.0)
    clusterer.assign("wire", analysed(articles.WIRE), TUESDAY)
    clusterer.assign("undated", analysed(articles.SAME_PEOPLE), None)
    assert clusterer.prune(TUESDAY + timedelta(days=4)) == 1
    assert set(clusterer.stories()) == {"undated"}


def test_clusterer_prunes_itself_in_a_long_run() -> None:
    from bot.alerts import stories

    clusterer = StoryClusterer(window_days=1.0)
    empty = StoryFingerprint()
    start = TUESDAY
    for i in range(stories.PRUNE_EVERY):
        clusterer.assign_fingerprint(f"a{i}", empty, start + timedelta(hours=i))
    newest = start + timedelta(hours=stories.PRUNE_EVERY - 1)
    kept = clusterer.stories()
    # Everything dated within two windows of the newest article is still there, nothing older.
    assert len(kept) == 2 * 24 + 1
    assert clusterer.story_of("a0") is None
    assert clusterer.story_of(f"a{stories.PRUNE_EVERY - 1}") is not None
    assert all(newest - timedelta(days=2) <= start + timedelta(hours=int(r[1:])) for r in kept)


def test_shared_quote_run_is_the_longest_common_quoted_sequence() -> None:
    from bot.alerts.fingerprint import normalise_words, shingles

    def fp(*quotes: str) -> StoryFingerprint:
        grams = {g for q in quotes for g in shingles(normalise_words(q), 5)}
        return StoryFingerprint(quote_shingles=tuple(sorted(grams)))

    said = "we will not allow strikes on the capital under any circumstances at all"
    a = fp(said, "a separate remark about the winter and the energy grid")
    first_ten = " ".join(said.split()[:10])
    b = fp("he said " + first_ten, "about the winter and the energy grid today")
    assert " ".join(shared_quote_run(a, b)) == first_ten
    assert shared_quote_run(a, fp("nothing in common here at all today")) == []


def _candidates_of(clusterer: StoryClusterer, fp: StoryFingerprint) -> set[int]:
    from bot.alerts.stories import _hashes

    return clusterer._candidates.of(fp, _hashes(fp))


def _brute_force_assign(
    remembered: list[tuple[str, StoryFingerprint, datetime | None]],
    fp: StoryFingerprint,
    when: datetime | None,
) -> str | None:
    """The story a new article joins when it is judged against every remembered article:
    the reference the indexed clusterer must agree with."""
    from bot.alerts import stories

    best: tuple[int, float, int] | None = None
    story: str | None = None
    for i, (story_id, other, other_when) in enumerate(remembered):
        if stories._apart(when, other_when, timedelta(days=3)):
            continue
        strength, _ = stories._judge(fp, other)
        if strength == 0:
            continue
        gap = (
            abs(when - other_when).total_seconds()
            if when is not None and other_when is not None
            else float("inf")
        )
        rank = (strength, -gap, -i)
        if best is None or rank > best:
            best, story = rank, story_id
    return story


def test_indexed_clusterer_agrees_with_judging_every_article() -> None:
    """Candidates come from shared quotes, numbers and MinHash bands; over a crowd of
    articles that tie in all those ways, the result equals judging every pair."""
    import random

    from bot.alerts.fingerprint import NUM_PERM

    rng = random.Random(7)
    base_hashes = [[rng.randrange(1, 2**32) for _ in range(NUM_PERM)] for _ in range(6)]
    people = [f"people:Person {i}" for i in range(8)]
    places = [f"places:Place {i}" for i in range(8)]
    # Forty events, each with its own quote and figures, so that no quote or number is
    # commonplace (held by more than MAX_FEATURE_STORIES stories) and every tie counts.
    quotes = [f"we will hold the line at river number {i}" for i in range(40)]

    def make() -> StoryFingerprint:
        from bot.alerts.fingerprint import normalise_words, shingles

        event = rng.randrange(40)
        kind = rng.random()
        minhash = [rng.randrange(1, 2**32) for _ in range(NUM_PERM)]
        if kind < 0.3:  # a syndicated copy of one of a few wire texts, lightly edited
            src = base_hashes[rng.randrange(len(base_hashes))]
            keep = rng.uniform(0.45, 0.95)
            minhash = [h if rng.random() < keep else m for h, m in zip(src, minhash, strict=True)]
        grams: set[str] = set()
        if rng.random() < 0.3:
            grams = set(shingles(normalise_words(quotes[event]), 5))
        return StoryFingerprint(
            quote_shingles=tuple(sorted(grams)),
            entities=tuple(sorted(set(rng.sample(people, 3) + rng.sample(places, 2)))),
            numbers=tuple(
                sorted({f"{event} km", f"{event + rng.randrange(2)} people", f"{event} day"})
            ),
            minhash=tuple(minhash),
        )

    clusterer = StoryClusterer(window_days=3.0)
    remembered: list[tuple[str, StoryFingerprint, datetime | None]] = []
    joined = 0
    for i in range(400):
        fp = make()
        when = None if i % 17 == 0 else TUESDAY + timedelta(hours=rng.randrange(0, 24 * 8))
        expected_story = _brute_force_assign(remembered, fp, when)
        got = clusterer.assign_fingerprint(f"a{i}", fp, when)
        assert got == (expected_story or f"a{i}"), i
        joined += expected_story is not None
        remembered.append((got, fp, when))
    # The crowd exercised every way of joining, not only new stories.
    assert 50 < joined < 390


def test_a_new_article_is_judged_only_against_articles_it_shares_something_with() -> None:
    from bot.alerts import stories
    from bot.alerts.fingerprint import NUM_PERM

    def fp(i: int, minhash: list[int] | None = None) -> StoryFingerprint:
        return StoryFingerprint(
            entities=("people:A", "people:B", "places:C"),
            numbers=(f"{i} km",),
            minhash=tuple(minhash or [(i * 7919 + j * 104729) % 2**32 for j in range(NUM_PERM)]),
        )

    clusterer = StoryClusterer()
    for i in range(2000):
        clusterer.assign_fingerprint(f"a{i}", fp(i), TUESDAY)
    candidates = _candidates_of(clusterer, fp(1234))
    assert candidates == {1234}  # the one article with the same number
    copy = list(fp(99999).minhash)
    copy[: int(NUM_PERM * 0.8)] = fp(42).minhash[: int(NUM_PERM * 0.8)]
    assert 42 in _candidates_of(clusterer, fp(99999, copy))  # near-duplicate text, via LSH
    assert clusterer.prune(TUESDAY + timedelta(days=4)) == 2000
    assert _candidates_of(clusterer, fp(1234)) == set()
    assert stories.LSH_BANDS * stories.LSH_ROWS == NUM_PERM
    # The candidate search asks for two shared quote 5-grams or two shared numbers; the
    # judge's thresholds must keep needing at least that much.
    assert stories.MIN_QUOTE_RUN > stories.QUOTE_SHINGLE
    assert max(1.0, stories.GENERIC_WEIGHT) < stories.MIN_NUMBER_SCORE


def test_a_commonplace_number_does_not_make_candidates() -> None:
    """Two numbers that articles of many unrelated stories share ("3 people", "5 km") say
    nothing about the event; the same numbers across one big story still do."""
    from bot.alerts import stories

    common = ("3 people", "5 km")
    many = stories.MAX_FEATURE_STORIES + 5
    clusterer = StoryClusterer()
    for i in range(many):  # unrelated stories: no shared entities, so each stands alone
        fp = StoryFingerprint(entities=(f"people:P{i}",), numbers=common)
        assert clusterer.assign_fingerprint(f"u{i}", fp, TUESDAY) == f"u{i}"
    assert _candidates_of(clusterer, StoryFingerprint(numbers=common)) == set()

    clusterer = StoryClusterer()
    shared = ("people:A", "people:B", "places:C")
    for i in range(many):  # one story told by many outlets
        fp = StoryFingerprint(entities=shared, numbers=common)
        assert clusterer.assign_fingerprint(f"o{i}", fp, TUESDAY) == "o0"
    assert len(_candidates_of(clusterer, StoryFingerprint(numbers=common))) == many


def test_near_duplicates_sharing_bands_survive_the_pruning_of_one() -> None:
    from bot.alerts.fingerprint import NUM_PERM

    wire = tuple(range(1000, 1000 + NUM_PERM))
    copy = (*wire[:-3], 7, 8, 9)
    clusterer = StoryClusterer(window_days=1.0)
    old = StoryFingerprint(minhash=wire)
    new = StoryFingerprint(minhash=copy)
    assert clusterer.assign_fingerprint("old", old, TUESDAY) == "old"
    assert clusterer.assign_fingerprint("new", new, TUESDAY + timedelta(hours=20)) == "old"
    assert clusterer.prune(TUESDAY + timedelta(days=1, hours=12)) == 1  # "old" goes
    assert _candidates_of(clusterer, StoryFingerprint(minhash=wire)) == {1}  # "new" stays
    assert clusterer.prune(TUESDAY + timedelta(days=3)) == 1
    assert clusterer._candidates._bands == {}
