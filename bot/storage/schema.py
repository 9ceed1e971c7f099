"""Numbered schema migrations, applied in order by sqlite-utils' Migrations runner.

A migration, once released, is never edited: a change to the schema is a new function
appended below. Each one runs in a transaction together with the record of it having run.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("redline")

_INITIAL = (
    """
    CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        location TEXT NOT NULL,
        interval_s INTEGER NOT NULL DEFAULT 900,
        enabled INTEGER NOT NULL DEFAULT 1,
        etag TEXT,
        last_modified TEXT,
        next_poll TEXT,
        last_polled TEXT,
        last_ok TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    )
    """,
    "CREATE INDEX sources_next_poll ON sources (enabled, next_poll)",
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        normalized_url TEXT UNIQUE,
        guid TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        published TEXT,
        fetched TEXT NOT NULL,
        at TEXT NOT NULL,  -- published, else fetched: the date articles are ordered by
        content_hash TEXT NOT NULL UNIQUE,
        path TEXT,
        UNIQUE (source, guid)
    )
    """,
    "CREATE INDEX articles_at ON articles (at, id)",
    "CREATE INDEX articles_source_at ON articles (source, at)",
    # External-content FTS5: the text is stored once, in `articles`; the porter stemmer
    # lets "strike" find "strikes" and "striking".
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    """
    CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        json TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE rule_state (
        rule_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        at TEXT NOT NULL,
        article_ref TEXT,
        PRIMARY KEY (rule_id, key)
    )
    """,
    """
    CREATE TABLE rule_state_history (
        id INTEGER PRIMARY KEY,
        rule_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        at TEXT NOT NULL,
        article_ref TEXT
    )
    """,
    "CREATE INDEX rule_state_history_rule ON rule_state_history (rule_id, id)",
    """
    CREATE TABLE realert (
        rule_id TEXT NOT NULL,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (rule_id, key)
    )
    """,
    """
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        first_article_id INTEGER NOT NULL REFERENCES articles (id),
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        fingerprint TEXT NOT NULL
    )
    """,
    "CREATE INDEX stories_updated ON stories (updated)",
    """
    CREATE TABLE story_articles (
        story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (story_id, article_id)
    )
    """,
    """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        rule_id TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id),
        story_id INTEGER REFERENCES stories (id),
        key TEXT,
        severity TEXT NOT NULL,
        tags TEXT NOT NULL,
        created TEXT NOT NULL,
        message TEXT NOT NULL,
        parent_alert_id INTEGER REFERENCES alerts (id),
        new INTEGER NOT NULL DEFAULT 1,
        speaker TEXT
    )
    """,
    "CREATE INDEX alerts_created ON alerts (created, id)",
    "CREATE INDEX alerts_rule ON alerts (rule_id, created)",
    "CREATE INDEX alerts_story_rule ON alerts (story_id, rule_id, id)",
    "CREATE INDEX alerts_article ON alerts (article_id)",
    """
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        selector_kind TEXT NOT NULL CHECK (selector_kind IN ('rule', 'tag', 'all')),
        selector TEXT NOT NULL,
        min_severity TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('immediate', 'digest')),
        digest_schedule TEXT,
        tz TEXT NOT NULL DEFAULT 'UTC',
        created_by TEXT,
        created TEXT NOT NULL,
        UNIQUE (platform, workspace, channel, selector_kind, selector)
    )
    """,
    "CREATE INDEX subscriptions_selector ON subscriptions (selector_kind, selector)",
    # rule_id '' means every rule: NULL would defeat the primary key's uniqueness.
    """
    CREATE TABLE mutes (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        rule_id TEXT NOT NULL DEFAULT '',
        until TEXT NOT NULL,
        PRIMARY KEY (platform, workspace, channel, rule_id)
    )
    """,
    """
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        alert_id INTEGER REFERENCES alerts (id),
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('immediate', 'digest', 'followup', 'burst')),
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        last_error TEXT,
        created TEXT NOT NULL,
        sent_at TEXT,
        leased_at TEXT,
        remote_ref TEXT,
        thread_ref TEXT
    )
    """,
    "CREATE INDEX deliveries_due ON deliveries (state, next_attempt)",
    "CREATE INDEX deliveries_channel ON deliveries (platform, workspace, channel, created)",
    "CREATE INDEX deliveries_alert ON deliveries (alert_id)",
    """
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        speaker TEXT,
        text TEXT NOT NULL,
        sentence TEXT NOT NULL,
        published TEXT
    )
    """,
    "CREATE INDEX quotes_speaker ON quotes (speaker, published)",
    "CREATE INDEX quotes_article ON quotes (article_id)",
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
)


@migrations()
def m001_initial(db: Database) -> None:
    """Every table the pipeline needs, with the article full-text index."""
    # One statement per execute(): executescript() would commit the migration's
    # transaction half-way.
    for statement in _INITIAL:
        db.execute(statement)


_EXACT_FTS = (
    # A second, unstemmed index for prefix searches; see fts_query.CompiledQuery.
    """
    CREATE VIRTUAL TABLE articles_fts_exact USING fts5 (
        title, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_exact_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts_exact (rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_exact_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts_exact (articles_fts_exact, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_exact_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts_exact (articles_fts_exact, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts_exact (rowid, title, text)
        VALUES (new.id, new.title, new.text);
    END
    """,
    "INSERT INTO articles_fts_exact (articles_fts_exact) VALUES ('rebuild')",
)


@migrations()
def m002_exact_fts(db: Database) -> None:
    """An unstemmed full-text index beside the stemmed one, filled from stored articles."""
    for statement in _EXACT_FTS:
        db.execute(statement)
