"""A folder of article files as a source: *.txt and *.md as text, *.html through html_to_text.

Each file becomes one ArticleDraft with a stable `file://` URL. A file that cannot be
decoded is skipped with a warning; one bad file never hides the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.errors import SourceError
from bot.domain.models import ArticleDraft, FetchResult, FetchStatus, SourceState
from bot.text.clean import html_to_text, split_seed_file

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".html", ".htm")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _markdown_to_text(text: str) -> str:
    """Markdown's markup off: headings keep their words, links their text."""
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def _decode(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        log.warning("skipping %s: it is not UTF-8 text", path.name)
    except OSError as e:
        log.warning("skipping %s: %s", path.name, e.strerror or e)
    return None


def read_article_file(path: Path, *, source: str) -> ArticleDraft | None:
    """One article file as a draft, or None when it cannot be read or holds no text."""
    raw = _decode(path)
    if raw is None:
        return None
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        raw = html_to_text(raw)
    elif suffix == ".md":
        raw = _markdown_to_text(raw)
    title, text, day = split_seed_file(raw)
    if not title and not text:
        log.warning("skipping %s: it holds no text", path.name)
        return None
    published = datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
    absolute = path.resolve()
    return ArticleDraft(
        source=source,
        title=title,
        text=text,
        url=absolute.as_uri(),
        published=published,
        path=str(absolute),
    )


def article_files(location: str | Path) -> list[Path]:
    """The article files at `location` (a folder, sorted by name, or one file).

    Raises:
        SourceError: the path does not exist or is not a readable article file.
    """
    path = Path(location).expanduser()
    if path.is_dir():
        return sorted(
            (p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()),
            key=lambda p: p.name,
        )
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            kinds = ", ".join(SUFFIXES)
            raise SourceError(f"{path.name} is not an article file ({kinds}).", permanent=True)
        return [path]
    raise SourceError(f"There is no file or folder at {path}.")


def read_articles(location: str | Path, *, source: str) -> list[ArticleDraft]:
    """Every article under `location` (a folder or a single file, as `redline ingest FILE`).

    Raises:
        SourceError: the path does not exist or is not an article file.
    """
    drafts = []
    for path in article_files(location):
        draft = read_article_file(path, source=source)
        if draft is not None:
            drafts.append(draft)
    return drafts


def fingerprint(files: list[Path]) -> str:
    """A digest of names, sizes and modification times: unchanged files, same digest."""
    digest = hashlib.sha256()
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def _poll(state: SourceState) -> FetchResult:
    try:
        files = article_files(state.location)
    except SourceError as e:
        return FetchResult(FetchStatus.ERROR, error=str(e), permanent=e.permanent)
    tag = fingerprint(files)
    if state.etag == tag:
        return FetchResult(FetchStatus.NOT_MODIFIED, etag=tag)
    drafts = []
    for path in files:
        draft = read_article_file(path, source=state.name)
        if draft is not None:
            drafts.append(draft)
    return FetchResult(FetchStatus.OK, drafts=tuple(drafts), etag=tag)


async def fetch_directory(state: SourceState) -> FetchResult:
    """Poll a directory source; NOT_MODIFIED when no file was added, removed or changed.

    The fingerprint of the folder is kept in the source's `etag`. Never raises for a
    missing folder: that is a FetchResult ERROR.
    """
    return await asyncio.to_thread(_poll, state)
