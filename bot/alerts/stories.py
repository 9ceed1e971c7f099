"""Stories: articles from different outlets that report the same event.

Two articles report the same event when, within a time window, one is a near-duplicate
of the other (syndicated copy), or both carry the same direct quote and name some of the
same people or places, or they agree strongly on who and where AND on the numbers. A
topic alone (the same people and places, days apart) is not an event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from bot.alerts.fingerprint import (
    NUM_PERM,
    QUOTE_SHINGLE,
    StoryFingerprint,
    fingerprint,
    minhash_similarity,
)
from bot.text.analysis import Analysis

__all__ = [
    "StoryClusterer",
    "StoryFingerprint",
    "fingerprint",
    "same_story",
    "shared_numbers",
    "shared_quote_run",
]

DEFAULT_WINDOW = timedelta(days=3)
NEAR_DUPLICATE = 0.6  # MinHash Jaccard of body shingles
MIN_QUOTE_RUN = 6  # words in a shared quoted sequence
MIN_QUOTE_LETTERS = 24  # ... and enough letters that it is not a string of function words
MIN_SHARED_ENTITIES = 3
MIN_ENTITY_JACCARD = 0.5
MIN_NUMBER_SCORE = 1.5  # shared numbers: 1 each, 0.5 for a generic distance on both sides
GENERIC_WEIGHT = 0.5

# MinHash LSH banding: 32 bands of 4 values find a pair at Jaccard 0.6 with p ~ 0.99, at
# 0.5 with p ~ 0.87; each candidate is then judged on the full MinHash.
LSH_BANDS, LSH_ROWS = 32, 4

# A quote 5-gram or number held by articles of more stories than this is commonplace.
MAX_FEATURE_STORIES = 25

PRUNE_EVERY = 500  # assignments between automatic prunes of articles far behind the newest

# How strongly a reason ties two articles, to pick the best story when several match.
_DUPLICATE, _QUOTE, _FACTS = 3, 2, 1


def shared_quote_run(a: StoryFingerprint, b: StoryFingerprint) -> list[str]:
    """The longest quoted word sequence both fingerprints hold (chained shared 5-grams)."""
    shared = set(a.quote_shingles) & set(b.quote_shingles)
    # Each gram is followed by the shared gram that starts with its last four words; walks
    # start only where no shared gram leads in, so the work stays linear.
    by_head = {" ".join(g.split()[:-1]): g for g in shared}
    tails = {" ".join(g.split()[1:]) for g in shared}
    starts = [g for g in sorted(shared) if " ".join(g.split()[:-1]) not in tails]
    best: list[str] = []
    for gram in starts or sorted(shared):  # a phrase repeated in a loop has no start
        run = gram.split()
        seen = {gram}
        nxt = by_head.get(" ".join(run[1 - QUOTE_SHINGLE :]))
        while nxt is not None and nxt not in seen:
            seen.add(nxt)
            run.append(nxt.rsplit(" ", 1)[-1])
            nxt = by_head.get(" ".join(run[1 - QUOTE_SHINGLE :]))
        if len(run) > len(best):
            best = run
    return best


def shared_numbers(a: StoryFingerprint, b: StoryFingerprint) -> tuple[set[str], float]:
    """The numbers both fingerprints hold, and their weight as evidence of one event."""
    a_all = set(a.numbers) | set(a.generic_numbers)
    b_all = set(b.numbers) | set(b.generic_numbers)
    shared = a_all & b_all
    event = set(a.numbers) | set(b.numbers)
    score = sum(1.0 if n in event else GENERIC_WEIGHT for n in shared)
    return shared, score


def _judge(
    a: StoryFingerprint, b: StoryFingerprint, similarity: float | None = None
) -> tuple[int, str]:
    """(strength, reason); strength 0 means not the same event. `similarity` is the two
    MinHashes' estimated Jaccard when the caller has it already."""
    if similarity is None:
        similarity = minhash_similarity(a.minhash, b.minhash)
    if similarity >= NEAR_DUPLICATE:
        return _DUPLICATE, f"near-duplicate text ({similarity:.0%} of shingles alike)"
    entities = set(a.entities) & set(b.entities)
    run = shared_quote_run(a, b)
    letters = sum(len(w) for w in run)
    if len(run) >= MIN_QUOTE_RUN and letters >= MIN_QUOTE_LETTERS and entities:
        snippet = " ".join(run[:12]) + ("…" if len(run) > 12 else "")
        return _QUOTE, f"shares the quote “{snippet}”"
    union = set(a.entities) | set(b.entities)
    numbers, score = shared_numbers(a, b)
    if (
        len(entities) >= MIN_SHARED_ENTITIES
        and len(entities) / len(union) >= MIN_ENTITY_JACCARD
        and score >= MIN_NUMBER_SCORE
    ):
        names = ", ".join(sorted(e.split(":", 1)[1] for e in entities)[:4])
        return _FACTS, f"same names ({names}) and numbers ({', '.join(sorted(numbers))})"
    return 0, "no shared quote, copied text, or names and numbers in common"


def _apart(a_when: datetime | None, b_when: datetime | None, window: timedelta) -> bool:
    return a_when is not None and b_when is not None and abs(a_when - b_when) > window


def same_story(
    a: StoryFingerprint,
    b: StoryFingerprint,
    *,
    a_when: datetime | None,
    b_when: datetime | None,
    window: timedelta = DEFAULT_WINDOW,
) -> tuple[bool, str]:
    """Whether two articles report the same event, and why (undated ones match any date)."""
    if _apart(a_when, b_when, window):
        assert a_when is not None and b_when is not None
        days = abs(a_when - b_when) / timedelta(days=1)
        return False, f"published {days:.1f} days apart"
    strength, reason = _judge(a, b)
    return strength > 0, reason


@dataclass(frozen=True, slots=True)
class _Member:
    key: int
    story_id: str
    ref: str
    fingerprint: StoryFingerprint
    when: datetime | None
    hashes: Any = None  # the MinHash as a numpy array, compared in one step


class _Candidates:
    """Which remembered articles could be of one story with a new one, without comparing
    it to all of them. `_judge` only ties articles that are near-duplicates (found by
    MinHash LSH banding), that share a quoted run of words (two or more quote 5-grams), or
    that share numbers worth MIN_NUMBER_SCORE (two or more numbers).

    A quote 5-gram or number found in more than MAX_FEATURE_STORIES different stories
    ("3 people", a stock phrase) says nothing about which event an article reports, so it
    stops making candidates; one big story told by many outlets keeps its features.

    Features and bands are kept as Python hashes: a collision only adds a candidate that
    the judge then turns down, and ints cost a fraction of the strings and band values.
    """

    def __init__(self, story_of: Callable[[int], str]) -> None:
        self._story_of = story_of
        self._features: dict[int, list[int]] = {}  # quote 5-gram or number -> keys
        self._commonplace: set[int] = set()
        # one LSH band of a MinHash -> its key, or keys once several share it (most bands
        # belong to one article, and an int costs far less than a list)
        self._bands: dict[int, int | list[int]] = {}

    @staticmethod
    def _feature_hashes(fp: StoryFingerprint) -> tuple[set[int], set[int]]:
        quotes = {hash(("q", g)) for g in fp.quote_shingles}
        numbers = {hash(("n", n)) for n in (*fp.numbers, *fp.generic_numbers)}
        return quotes, numbers

    @staticmethod
    def _band_hashes(hashes: Any) -> list[int]:
        if hashes is None:
            return []
        return [
            hash((band, hashes[band * LSH_ROWS : (band + 1) * LSH_ROWS].tobytes()))
            for band in range(LSH_BANDS)
        ]

    def add(self, key: int, fp: StoryFingerprint, hashes: Any) -> None:
        for features in self._feature_hashes(fp):
            for feature in features:
                if feature in self._commonplace:
                    continue
                keys = self._features.setdefault(feature, [])
                keys.append(key)
                # Now and then (amortised O(1)), see whether the feature has become common.
                if (
                    len(keys) % MAX_FEATURE_STORIES == 1
                    and len(keys) > MAX_FEATURE_STORIES
                    and len({self._story_of(k) for k in keys}) > MAX_FEATURE_STORIES
                ):
                    self._commonplace.add(feature)
                    del self._features[feature]
        for band in self._band_hashes(hashes):
            held = self._bands.get(band)
            if held is None:
                self._bands[band] = key
            elif isinstance(held, int):
                self._bands[band] = [held, key]
            else:
                held.append(key)

    @staticmethod
    def _drop(index: dict[int, Any], item: int, key: int) -> None:
        """Take `key` out of `index[item]` (a key or a list of keys)."""
        held = index.get(item)
        if held == key:
            del index[item]
        elif isinstance(held, list) and key in held:
            held.remove(key)
            if not held:
                del index[item]

    def remove(self, key: int, fp: StoryFingerprint, hashes: Any) -> None:
        for features in self._feature_hashes(fp):
            for feature in features:
                self._drop(self._features, feature, key)
        for band in self._band_hashes(hashes):
            self._drop(self._bands, band, key)

    def _sharing_two(self, features: set[int]) -> set[int]:
        """Keys that hold at least two of `features` (commonplace ones left out)."""
        once: set[int] = set()
        twice: set[int] = set()
        for feature in features:
            keys = self._features.get(feature)
            if keys:
                twice.update(k for k in keys if k in once)
                once.update(keys)
        return twice

    def of(self, fp: StoryFingerprint, hashes: Any) -> set[int]:
        quotes, numbers = self._feature_hashes(fp)
        out = self._sharing_two(quotes) | self._sharing_two(numbers)
        for band in self._band_hashes(hashes):
            held = self._bands.get(band)
            if isinstance(held, int):
                out.add(held)
            elif held:
                out.update(held)
        return out


def _hashes(fp: StoryFingerprint) -> Any:
    return np.asarray(fp.minhash, dtype=np.uint64) if len(fp.minhash) == NUM_PERM else None


class StoryClusterer:
    """Assigns articles to stories in memory; seed it from storage with `add_existing`.

    A new article is judged only against the remembered articles that share a quote, a
    number or near-duplicate text with it (see `_Candidates`), so the cost of assigning
    one grows with the size of its story, not with how many articles the window holds.
    """

    def __init__(self, window_days: float = 3.0) -> None:
        self.window = timedelta(days=window_days)
        self._members: dict[int, _Member] = {}  # in arrival order
        self._candidates = _Candidates(lambda key: self._members[key].story_id)
        self._next_key = 0
        self._story_of: dict[str, str] = {}
        self._reasons: dict[str, str] = {}
        self._latest: datetime | None = None
        self._since_prune = 0

    def _remember(
        self, story_id: str, ref: str, fp: StoryFingerprint, when: datetime | None
    ) -> None:
        key = self._next_key
        self._next_key += 1
        hashes = _hashes(fp)
        # The MinHash is kept once, as a compact array, not as 128 Python ints beside it.
        kept = replace(fp, minhash=()) if hashes is not None else fp
        self._members[key] = _Member(key, story_id, ref, kept, when, hashes)
        self._candidates.add(key, fp, hashes)

    def add_existing(
        self,
        story_id: str,
        fingerprint: StoryFingerprint,
        when: datetime | None,
        *,
        ref: str | None = None,
    ) -> None:
        """Remember a stored story (or one more of its articles) so new articles can join it."""
        member_ref = ref if ref is not None else story_id
        self._remember(story_id, member_ref, fingerprint, when)
        self._story_of.setdefault(member_ref, story_id)

    def assign(self, ref: str, analysis: Analysis, when: datetime | None) -> str:
        """The story id for a new article: an existing story's, or `ref` for a new story."""
        return self.assign_fingerprint(ref, fingerprint(analysis), when)

    def assign_fingerprint(self, ref: str, fp: StoryFingerprint, when: datetime | None) -> str:
        """`assign` for an article already fingerprinted."""
        known = self._story_of.get(ref)
        if known is not None:
            return known  # the same article seen again stays where it is
        best: tuple[int, float, int, _Member, str] | None = None
        hashes = _hashes(fp)
        for key in self._candidates.of(fp, hashes):
            member = self._members[key]
            if _apart(when, member.when, self.window):
                continue
            similarity = (
                0.0
                if hashes is None or member.hashes is None
                else int(np.count_nonzero(hashes == member.hashes)) / NUM_PERM
            )
            strength, reason = _judge(fp, member.fingerprint, similarity)
            if strength == 0:
                continue
            # Prefer the strongest tie, then the closest in time (undated counts as far),
            # then the earliest remembered.
            gap = (
                abs(when - member.when).total_seconds()
                if when is not None and member.when is not None
                else float("inf")
            )
            rank = (strength, -gap, -key)
            if best is None or rank > (best[0], -best[1], -best[2]):
                best = (strength, gap, key, member, reason)
        if best is None:
            story_id, reason = ref, "first article of a new story"
        else:
            story_id, reason = best[3].story_id, f"{best[4]} (with {best[3].ref})"
        self._remember(story_id, ref, fp, when)
        self._story_of[ref] = story_id
        self._reasons[ref] = reason
        self._auto_prune(when)
        return story_id

    def _auto_prune(self, when: datetime | None) -> None:
        """Keep memory bounded in a long-running process: now and then, forget articles
        dated two windows before the newest one (late arrivals within that still match)."""
        if when is not None and (self._latest is None or when > self._latest):
            self._latest = when
        self._since_prune += 1
        if self._since_prune >= PRUNE_EVERY and self._latest is not None:
            self._since_prune = 0
            self.prune(self._latest - self.window)

    def story_of(self, ref: str) -> str | None:
        """The story an article was assigned to, if any."""
        return self._story_of.get(ref)

    def reason(self, ref: str) -> str | None:
        """Why the article joined its story (or started one), for logs and `status`."""
        return self._reasons.get(ref)

    def stories(self) -> dict[str, list[str]]:
        """Every story id with the refs of its articles, in the order they arrived."""
        out: dict[str, list[str]] = {}
        for member in self._members.values():
            refs = out.setdefault(member.story_id, [])
            if member.ref not in refs:
                refs.append(member.ref)
        return out

    def prune(self, now: datetime) -> int:
        """Forget dated articles too old to join anything published from `now` on.

        Returns how many were forgotten; `story_of` and `reason` forget them too.
        """
        cutoff = now - self.window
        old = [m for m in self._members.values() if m.when is not None and m.when < cutoff]
        for member in old:
            del self._members[member.key]
            self._candidates.remove(member.key, member.fingerprint, member.hashes)
        kept = {m.ref for m in self._members.values()}
        for ref in {m.ref for m in old} - kept:
            self._story_of.pop(ref, None)
            self._reasons.pop(ref, None)
        return len(old)
