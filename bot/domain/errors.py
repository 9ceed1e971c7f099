"""One error tree: everything Redline raises on purpose derives from RedlineError.

Every message is one clear sentence meant for a user; callers show `str(err)` and never a
traceback. Unexpected exceptions are wrapped `from e` at layer boundaries.
"""

from __future__ import annotations


class RedlineError(Exception):
    """Base of every error Redline raises on purpose."""


class ConfigError(RedlineError):
    """A setting is missing or invalid."""


class SourceError(RedlineError):
    """A source could not be fetched or parsed."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class FetchError(SourceError):
    """The HTTP fetch of a feed failed (network, status, size, redirects)."""


class ParseError(SourceError):
    """A feed or article body could not be parsed."""


class StorageError(RedlineError):
    """The database refused an operation."""


class NotFoundError(RedlineError):
    """A named thing (source, article, rule, subscription) does not exist."""


class QueryError(RedlineError):
    """A user's search query cannot be run."""


class RuleError(RedlineError):
    """A rule or lexicon file is invalid; the message names file:line, rule and key."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        rule: str | None = None,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.rule = rule
        self.key = key
        self.detail = message
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        parts = []
        if rule:
            parts.append(f"rule '{rule}'")
        if key:
            parts.append(f"key '{key}'")
        ctx = (" (" + ", ".join(parts) + ")") if parts else ""
        super().__init__(f"{where}{message}{ctx}")


class DeliveryError(RedlineError):
    """A chat platform refused or failed a post."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class PermissionDeniedError(RedlineError):
    """The user may not do this in this channel."""
