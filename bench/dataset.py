"""A database of N synthetic stored articles, built through the project's storage layer.

    build_articles_db(path, n)

Articles are written with `SqliteArticleStore.add` (de-duplication keys, both FTS indexes,
the same triggers the bot runs), in large transactions so 100,000 take seconds, not
minutes. The text is generated deterministically: a Zipf-like mix of common English
words, news vocabulary and rarer made-up names, so full-text queries see realistic
posting-list lengths (a few words in most articles, most words in few).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.models import ArticleDraft
from bot.storage import Storage

ROOT = Path(__file__).resolve().parents[1]

SEED = 20240611
SOURCES = 40
BATCH = 5_000  # articles per transaction
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 365

COMMON = (
    "the of and to in a is that for on with as was at by it from be has have are "
    "said this not but an after will were they its which their more been would who "
    "also had over about two new first than one could other into up last year week "
    "told officials government people state country minister president military"
).split()

NEWS = (
    "strike missile drone attack defence ministry army forces border region city "
    "talks ceasefire sanctions aid package weapons supply range permission allies "
    "summit parliament vote election budget energy grid pipeline gas oil prices "
    "market inflation bank rates court ruling investigation police arrest protest "
    "refugees hospital school storm flood wildfire earthquake rescue casualties "
    "convoy airbase port bridge railway factory shipyard satellite radar artillery "
    "tank brigade offensive counteroffensive frontline village province capital "
    "embassy envoy diplomat treaty agreement negotiations spokesman statement report "
    "analysts estimate figures data survey poll campaign candidate opposition coalition "
    "reform tariff export import trade deficit growth recession unemployment strike"
).split()

_SYLLABLES = (
    "ka ro mi ten vos lar bel dun zek pra shi nov gor ta lin vek mar os ul dre "
    "bra kin sol het pa mur zan lo cre fis"
).split()


def _made_up_words(rng: random.Random, count: int) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words by rank, and a bag holding each about K / rank^1.05 times (Zipf-like)."""

    words: tuple[str, ...]
    bag: tuple[str, ...]

    @classmethod
    def build(cls, rng: random.Random, rare: int = 4000) -> Vocabulary:
        words = list(dict.fromkeys([*COMMON, *NEWS, *_made_up_words(rng, rare)]))
        scale = len(words) ** 1.05  # the rarest word goes in the bag once
        bag = [
            word
            for rank, word in enumerate(words, start=1)
            for _ in range(max(1, round(scale / rank**1.05)))
        ]
        return cls(tuple(words), tuple(bag))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.bag, k=k)


def vocabulary(seed: int = SEED) -> Vocabulary:
    """The vocabulary `generate_drafts(n, seed=seed)` writes its articles with."""
    return Vocabulary.build(random.Random(seed))


def source_name(i: int) -> str:
    """The name of the i-th synthetic source."""
    return f"wire-{i:02d}"


def generate_drafts(n: int, *, seed: int = SEED) -> Iterator[ArticleDraft]:
    """N distinct synthetic article drafts, deterministic for a given seed."""
    rng = random.Random(seed)
    vocab = Vocabulary.build(rng)  # first use of rng, so vocabulary(seed) is the same
    for i in range(n):
        title_words = vocab.sample(rng, rng.randint(6, 11))
        title = " ".join(title_words).capitalize()
        sentences = []
        for _ in range(rng.randint(5, 9)):
            words = vocab.sample(rng, rng.randint(10, 22))
            sentences.append(" ".join(words).capitalize() + ".")
        source = source_name(i % SOURCES)
        published = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400))
        yield ArticleDraft(
            source=source,
            title=title,
            text=" ".join(sentences),
            url=f"https://{source}.example/news/{i:07d}",
            published=published,
            guid=f"{source}-{i:07d}",
        )


def build_articles_db(path: Path, n: int) -> None:
    """Create (or extend) the database at `path` with `n` synthetic stored articles."""
    storage = Storage.open(path)
    try:
        fetched = START + timedelta(days=SPAN_DAYS)
        drafts = generate_drafts(n)
        remaining = n
        while remaining > 0:
            size = min(BATCH, remaining)
            with storage.atomic():
                for _ in range(size):
                    storage.articles.add(next(drafts), fetched=fetched)
            remaining -= size
    finally:
        storage.close()


def cached_articles_db(target: Path, n: int) -> tuple[float, bool]:
    """A copy at `target` of a database with `n` articles, built once and kept in the temp
    folder between runs; (seconds spent, whether it was cached)."""
    # The file depends on the generator and on the storage code (schema, keys, indexes).
    code = Path(__file__).read_bytes() + b"".join(
        p.read_bytes() for p in sorted((ROOT / "bot" / "storage").rglob("*.py"))
    )
    key = hashlib.sha256(code).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / "redline-bench" / f"articles-{n}-{key}.db"
    start = time.perf_counter()
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        for stale in cache.parent.glob(f"articles-{n}-*"):
            stale.unlink(missing_ok=True)  # built by older code, or left by a broken run
        partial = cache.with_name(f"{cache.stem}.{os.getpid()}.partial")
        build_articles_db(partial, n)
        with contextlib.closing(sqlite3.connect(partial)) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file
            con.execute("PRAGMA journal_mode=DELETE")
        partial.rename(cache)
        cached = False
    else:
        cached = True
    shutil.copyfile(cache, target)
    return time.perf_counter() - start, cached
