"""Collects every validation error of a rule file, each with file:line, rule and key."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.errors import RuleError
from bot.text.yamlsource import KeyPath, line_of


def key_text(path: KeyPath) -> str:
    """A key path as a reader writes it: match.all[0].lexicon."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


@dataclass(slots=True)
class Issues:
    """The errors found in one file so far; validation goes on after each one."""

    file: str
    lines: dict[KeyPath, int]
    rule: str | None = None
    errors: list[RuleError] = field(default_factory=list)

    def line(self, path: KeyPath) -> int:
        """The line of `path` (or of its nearest ancestor), 1 when unknown."""
        return line_of(self.lines, path) or 1

    def add(self, message: str, path: KeyPath) -> None:
        """Record an error at `path`."""
        self.errors.append(
            RuleError(
                message,
                file=self.file,
                line=self.line(path),
                rule=self.rule,
                key=key_text(path) or None,
            )
        )

    def __bool__(self) -> bool:
        return bool(self.errors)
