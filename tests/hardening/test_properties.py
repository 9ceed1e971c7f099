"""Property tests: the text analysis and the lookup path take any string without failing.

They complement tests/text/test_analysis.py and tests/storage/test_fts_query.py: here every
offset the analysis reports must slice to the text it claims, on text built to contain
quotes, distances and names; and the whole lookup (filters, query parser, FTS5 table) is
driven with any string, lone surrogates included.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.errors import RedlineError
from bot.domain.models import ArticleDraft
from bot.services.lookup import run_lookup
from bot.storage import Storage
from bot.storage.fts_query import to_match
from bot.text.analysis import analyse
from bot.text.lexicon import Lexicons, load_lexicons
from tests.hardening.conftest import LEXICONS

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Pieces that make the analysers work: quote marks, speech verbs, numbers and units, names.
_PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    "'",
    " said ",
    " told reporters ",
    ", according to ",
    "Olaf Scholz",
    "a US official",
    " 250 km",
    " 60 to 80 km",
    " some 100km",
    " 300 miles",
    " up to ",
    " inside Russia",
    " Ukraine",
    ". ",
    "? ",
    "…",
    "\n\n",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "é",
    "ß",
    "İ",
    "𝒜",
    "🇺🇦",
    "\x00",
    "\r\n",
]
ARTICLE_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=40).map("".join),
)


@pytest.fixture(scope="module")
def lexicons() -> Lexicons:
    return load_lexicons(LEXICONS)


@PROPERTY
@given(text=ARTICLE_TEXT, title=st.text(max_size=60))
def test_every_offset_slices_to_what_it_claims(lexicons: Lexicons, text: str, title: str) -> None:
    a = analyse(title, text, lexicons)
    for s in a.sentences:
        assert text[s.start : s.end] == s.text
    for q in a.quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert 0 <= q.sentence_index < len(a.sentences)
    for d in a.distances:
        assert 0 <= d.start < d.end <= len(text)
        if d.text:
            assert text[d.start : d.end] == d.text
        assert d.km >= 0
    for name in lexicons:
        for m in a.mentions(name):
            assert 0 <= m.start < m.end <= len(text)
            assert text[m.start : m.end].strip()


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    path: Path = tmp_path_factory.mktemp("lookup") / "r.db"
    store = Storage.open(path)
    for i, (title, text) in enumerate(
        [
            ("Harbour inquiry", "The harbour inquiry heard witnesses on Monday."),
            ("Orchard report", "“We will replant,” the grower said of the orchard."),
            ("Rail strike", "Rail workers struck for 24 hours across the north."),
        ]
    ):
        store.articles.add(
            ArticleDraft(source=f"wire-{i}", title=title, text=text),
            fetched=datetime(2024, 7, 1, tzinfo=UTC),
        )
    yield store
    store.close()


_QUERY_PIECES = [
    *'ab "()*-:^+{}\\',
    "OR",
    "NOT",
    " AND ",
    "NEAR",
    "harbour",
    "rule:",
    "speaker:",
    "source:",
    "since:",
    "since:2024-07-01",
    "source:wire-1",
    "title:",
    "'",
    ";",
    "--",
    "\x00",
    "\ud800",
    "\udfff",
]
QUERY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=50),
    st.lists(st.sampled_from(_QUERY_PIECES), max_size=25).map("".join),
)


@PROPERTY
@given(raw=QUERY)
def test_any_lookup_is_results_or_one_clear_sentence(storage: Storage, raw: str) -> None:
    try:
        hits = run_lookup(storage, raw, limit=5, resolve_speaker=lambda name: None)
    except RedlineError as e:
        message = str(e)
        assert message.strip() and "Traceback" not in message
        return
    assert isinstance(hits, list)


@PROPERTY
@given(raw=QUERY)
def test_any_query_parses_to_fts5_that_runs_or_a_clear_error(
    fts: sqlite3.Connection, raw: str
) -> None:
    try:
        match = to_match(raw)
    except RedlineError as e:
        assert str(e).endswith(".")
        return
    fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
