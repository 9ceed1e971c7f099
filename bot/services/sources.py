"""Adding and removing sources: the YAML file is the declaration, SQLite keeps the state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.domain.errors import ConfigError, NotFoundError
from bot.domain.models import SourceKind, SourceSpec


def add_source(settings: Any, *, name: str, location: str, interval: str = "15m") -> SourceSpec:
    """Validate and declare a new source in the sources file.

    Raises:
        ConfigError: a bad name, interval or location; SourceError: a refused URL.
    """
    from bot.feeds.sources_file import add_source as write_source
    from bot.feeds.sources_file import load_sources, parse_interval
    from bot.feeds.urls import check_url

    name = name.strip()
    if not name or any(c.isspace() for c in name):
        raise ConfigError("A source name must be one word, like 'bbc-world'.")
    seconds = parse_interval(interval)
    if seconds is None or seconds <= 0:
        raise ConfigError(f"'{interval}' is not an interval; use 30s, 15m or 1h.")
    if location.startswith(("http://", "https://")) or "://" in location:
        check_url(
            location,
            allow_private=settings.allow_private_urls,
            allowlist=settings.url_allowlist,
        )
        spec = SourceSpec(name, SourceKind.FEED, location, seconds)
    else:
        path = Path(location).expanduser()
        if not path.exists():
            raise ConfigError(f"There is no file or folder at {location}.")
        spec = SourceSpec(name, SourceKind.DIRECTORY, str(path.resolve()), seconds)
    if any(s.name == name for s in load_sources(settings.sources_file)):
        raise ConfigError(f"A source called '{name}' exists already; remove it first.")
    write_source(settings.sources_file, spec)
    return spec


def remove_source(settings: Any, *, name: str) -> None:
    """Remove a source from the sources file (its stored articles stay).

    Raises:
        NotFoundError: no source has that name.
    """
    from bot.feeds.sources_file import load_sources
    from bot.feeds.sources_file import remove_source as drop_source

    if not any(s.name == name for s in load_sources(settings.sources_file)):
        raise NotFoundError(f"There is no source called '{name}'; `sources list` shows them.")
    drop_source(settings.sources_file, name)
