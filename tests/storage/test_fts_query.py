"""The user-query translator: supported syntax, nasty inputs, and a property test."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.errors import QueryError
from bot.storage import Storage
from bot.storage.fts_query import MAX_TERMS, parse, to_match
from tests.storage.conftest import add, draft

NASTY = [
    'Kremlin"',
    "(",
    ")",
    "NEAR(a b)",
    "a AND",
    "OR b",
    "a OR",
    "NOT",
    "NOT a",
    '"; DROP TABLE articles; --',
    "*",
    "-",
    "--",
    '""',
    '"',
    "title:kremlin",
    "col:",
    "^kremlin",
    "kremlin + moscow",
    "a*b*c",
    "\x00\x1b",
    "kremlin\x00moscow",
    "\ud800kremlin",
    "x" * 10_000,
    "kremlin " * 5_000,
    '"' * 9_999,
    "(((((" * 2_000,
]


def _runs(conn: sqlite3.Connection, raw: str) -> None:
    """to_match either raises QueryError or yields an expression FTS5 accepts as it is."""
    try:
        match = to_match(raw)
    except QueryError as e:
        assert str(e).endswith(".")
        return
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()


@pytest.mark.parametrize("raw", NASTY, ids=lambda r: repr(r[:20]))
def test_nasty_inputs_are_valid_fts5_or_a_query_error(fts: sqlite3.Connection, raw: str) -> None:
    _runs(fts, raw)


@pytest.mark.parametrize("raw", NASTY, ids=lambda r: repr(r[:20]))
def test_nasty_inputs_through_search_never_raise_sqlite_errors(storage: Storage, raw: str) -> None:
    add(storage, draft(1, title="Kremlin warns", text="a b c moscow"))
    try:
        hits = storage.articles.search(raw)
    except QueryError:
        return
    assert isinstance(hits, list)


def test_the_drop_table_attempt_is_just_words(storage: Storage) -> None:
    add(storage, draft(1, title="Drop table", text="An articles table was dropped."))
    hits = storage.articles.search('"; DROP TABLE articles; --')
    assert [h.article.title for h in hits] == ["Drop table"]
    assert storage.articles.count() == 1


@pytest.mark.parametrize("raw", ["(", "*", "-", "", "   ", "\x00\x1b", '"', "NOT", "OR AND"])
def test_nothing_searchable_is_a_query_error(raw: str) -> None:
    with pytest.raises(QueryError):
        to_match(raw)


def test_only_exclusions_is_a_query_error_that_says_so() -> None:
    with pytest.raises(QueryError, match="exclude"):
        to_match("-kremlin NOT moscow")


def test_words_are_quoted_and_joined_with_and() -> None:
    assert to_match("kremlin moscow") == '("kremlin") AND ("moscow")'


def test_phrases_prefixes_or_and_exclusions() -> None:
    groups, excluded = parse('"storm shadow" missil* OR rocket -drone NOT "air defence"')
    assert [[(t.text, t.prefix) for t in g] for g in groups] == [
        [("storm shadow", False)],
        [("missil", True), ("rocket", False)],
    ]
    assert [t.text for t in excluded] == ["drone", "air defence"]
    assert to_match("missil* OR rocket -drone") == '(("missil" * OR "rocket")) NOT ("drone")'


def test_lowercase_or_and_not_are_words() -> None:
    groups, excluded = parse("war or peace not")
    assert [g[0].text for g in groups] == ["war", "or", "peace", "not"]
    assert excluded == []


def test_a_stray_quote_inside_a_word_splits_it() -> None:
    groups, _ = parse('say"s')
    assert to_match('say"s') == '("say") AND ("s")'
    assert len(groups) == 2


def test_operator_words_inside_text_are_plain_words() -> None:
    assert to_match("NEAR(a b)") == '("NEAR") AND ("a") AND ("b")'


def test_terms_are_capped() -> None:
    groups, _ = parse(" ".join(f"w{i}" for i in range(MAX_TERMS * 3)))
    assert len(groups) == MAX_TERMS


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=200))
def test_any_text_is_valid_fts5_or_a_query_error(fts: sqlite3.Connection, raw: str) -> None:
    _runs(fts, raw)


_PIECES = [*'ab "()*-:^+NEAROTD\x00{}', "OR", "NOT", " AND ", " OR ", "NEAR", "ab*"]
_SYNTAXY = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=_SYNTAXY)
def test_syntax_heavy_text_is_valid_fts5_or_a_query_error(
    fts: sqlite3.Connection, raw: str
) -> None:
    _runs(fts, raw)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=100))
def test_search_returns_a_list_or_raises_query_error(storage: Storage, raw: str) -> None:
    if storage.articles.count() == 0:
        add(storage, draft(1, title="Kremlin warns", text="a b c moscow"))
    try:
        result = storage.articles.search(raw)
    except QueryError:
        return
    assert isinstance(result, list)
