"""Run a rule set over article files in date order: what `redline match` and `rules test` do.

Dated files come first, oldest first; undated files follow in the order given (the same
order the pipeline uses), so tracked values move forward in time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from bot.domain.errors import ParseError
from bot.domain.models import RuleMatch
from bot.domain.ports import StateStore
from bot.engine.ruleset import RuleSet
from bot.text import clean
from bot.text.analysis import Analysis, analyse

MAX_FILE_BYTES = 5_000_000
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")

StoryOf = Callable[[str, Analysis, datetime | None], str]


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """One article read from a file: `ref` names it in output and in state."""

    path: Path
    ref: str
    title: str
    text: str
    published: datetime | None

    @property
    def date(self) -> str | None:
        """The publication date as YYYY-MM-DD, or None."""
        return self.published.date().isoformat() if self.published is not None else None


@dataclass(slots=True)
class ArticleResult:
    """An article, its analysis, and the rule matches on it."""

    article: ArticleFile
    analysis: Analysis
    story: str
    matches: list[RuleMatch] = field(default_factory=list)


def _as_utc(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(0), tzinfo=UTC)


def read_article_file(path: Path, ref: str | None = None) -> ArticleFile:
    """Read a seed-style text file (or an HTML page) into title, cleaned text and date.

    Raises:
        ParseError: the file cannot be read, is too large, or is not UTF-8 text.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(f"{path} is {size} bytes, over the {MAX_FILE_BYTES} byte limit.")
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ParseError(f"{path} is not UTF-8 text.") from e
    except OSError as e:
        raise ParseError(f"Cannot read {path}: {e.strerror or e}.") from e
    if path.suffix.lower() in _HTML_SUFFIXES:
        raw = clean.html_to_text(raw)
    title, text, day = clean.split_seed_file(raw)
    return ArticleFile(path, ref or path.name, title, text, _as_utc(day))


def read_article_files(paths: Sequence[Path]) -> list[ArticleFile]:
    """Read files; each is named by its file name unless two share one (then by path)."""
    names = [p.name for p in paths]
    return [read_article_file(p, p.name if names.count(p.name) == 1 else str(p)) for p in paths]


def in_date_order(articles: Sequence[ArticleFile]) -> list[ArticleFile]:
    """Dated articles oldest first, then undated ones in their given order."""
    dated = sorted(
        (a for a in articles if a.published is not None),
        key=lambda a: a.published or datetime.min.replace(tzinfo=UTC),
    )
    return dated + [a for a in articles if a.published is None]


def run_batch(
    ruleset: RuleSet,
    articles: Sequence[ArticleFile],
    *,
    state: StateStore,
    now: datetime,
    story_of: StoryOf | None = None,
) -> list[ArticleResult]:
    """Analyse and match every article in date order against one shared state."""
    out: list[ArticleResult] = []
    for article in in_date_order(articles):
        analysis = analyse(article.title, article.text, ruleset.lexicons)
        story = (
            story_of(article.ref, analysis, article.published) if story_of is not None else None
        ) or article.ref
        matches = ruleset.match(
            analysis,
            ref=article.ref,
            source=None,
            published=article.published,
            state=state,
            now=now,
            story=story,
        )
        out.append(ArticleResult(article, analysis, story, matches))
    return out


def match_record(result: ArticleResult, match: RuleMatch) -> dict[str, Any]:
    """The JSON object `redline match --json` prints for one (article, rule)."""
    return {
        "file": result.article.ref,
        "rule": match.rule_id,
        "new": match.new,
        "facts": match.facts,
        "evidence": [e.sentence for e in match.evidence],
        "story": result.story,
    }


def extract_record(article: ArticleFile, analysis: Analysis) -> dict[str, Any]:
    """The JSON object `redline extract --json` prints for one article."""
    sentences = analysis.sentences
    return {
        "file": article.ref,
        "title": article.title,
        "date": article.date,
        "quotes": [{"speaker": q.speaker, "text": q.text} for q in analysis.quotes],
        "distances": [
            {
                "value": d.value,
                "unit": d.unit,
                "km": d.km,
                "status": d.status.value,
                "sentence": sentences[d.sentence_index].text
                if 0 <= d.sentence_index < len(sentences)
                else "",
            }
            for d in analysis.distances
        ],
    }
