"""Parsing of command arguments shared by Slack, Discord and the CLI: one grammar, one place."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.errors import RedlineError
from bot.domain.models import Severity


class UsageError(RedlineError):
    """A command's arguments do not parse; the message is one sentence for the user."""


def valid_text(value: str) -> str:
    """`value` as valid UTF-8: JSON payloads and undecodable argv bytes can carry lone
    surrogates, which SQLite can neither store nor compare."""
    return value.encode("utf-8", "replace").decode("utf-8")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day|w|wk)s?\s*$", re.I)
_UNIT_S = {
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "hr": 3600,
    "d": 86400,
    "day": 86400,
    "w": 604800,
    "wk": 604800,
}


def parse_duration(text: str) -> timedelta:
    """'30s', '15m', '2h', '1d', '1w' -> timedelta.

    Raises:
        UsageError: not a duration.
    """
    m = _DURATION.match(text or "")
    if not m:
        raise UsageError(
            f"'{text}' is not a duration; use a number and a unit, like 30m, 2h or 1d."
        )
    value = float(m.group(1)) * _UNIT_S[m.group(2).lower()]
    if value <= 0:
        raise UsageError("A duration must be longer than zero.")
    return timedelta(seconds=value)


def parse_severity(text: str) -> Severity:
    """'high' -> Severity.HIGH.

    Raises:
        UsageError: unknown severity.
    """
    try:
        return Severity(text.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in Severity)
        raise UsageError(f"'{text}' is not a severity; use one of {names}.") from None


_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class SubscribeArgs:
    selector_kind: str  # rule | tag | all
    selector: str
    min_severity: Severity = Severity.INFO
    mode: str = "immediate"  # immediate | digest
    schedule: str | None = None  # "hourly" | "daily HH:MM"


def split_args(text: str) -> list[str]:
    """Split like a shell, but tolerate unbalanced quotes instead of failing."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.replace('"', " ").replace("'", " ").split()


def parse_subscribe(
    text: str, *, known_rules: set[str], known_tags: set[str], default_kind: str | None = None
) -> SubscribeArgs:
    """`<rule|tag|all> [min-severity] [digest hourly|daily HH:MM]`.

    A selector may be written `rule:ID` or `tag:NAME`; otherwise a known rule id wins over
    a tag of the same name.

    Raises:
        UsageError: missing or unknown selector, bad severity or digest schedule.
    """
    words = split_args(text)
    if not words:
        raise UsageError("Say what to subscribe to: a rule id, a tag, or all.")
    sel = words.pop(0)
    kind = default_kind
    if ":" in sel and sel.split(":", 1)[0] in {"rule", "tag"}:
        kind, sel = sel.split(":", 1)
    if sel.lower() == "all":
        kind, sel = "all", "*"
    elif kind is None:
        if sel in known_rules:
            kind = "rule"
        elif sel in known_tags:
            kind = "tag"
        else:
            raise UsageError(f"There is no rule or tag called '{sel}'; `rules` lists them.")
    elif kind == "rule" and sel not in known_rules:
        raise UsageError(f"There is no rule called '{sel}'; `rules` lists them.")
    elif kind == "tag" and sel not in known_tags:
        raise UsageError(f"There is no tag called '{sel}'; `rules` lists the tags.")
    severity = Severity.INFO
    mode, schedule = "immediate", None
    while words:
        w = words.pop(0).lower()
        if w == "digest":
            if not words:
                raise UsageError("Say how often the digest comes: hourly, or daily HH:MM.")
            freq = words.pop(0).lower()
            if freq == "hourly":
                schedule = "hourly"
            elif freq == "daily":
                at = words.pop(0) if words else "08:00"
                if not _HHMM.match(at):
                    raise UsageError(f"'{at}' is not a time of day; use HH:MM, like 08:00.")
                hh, mm = at.split(":")
                schedule = f"daily {int(hh):02d}:{mm}"
            else:
                raise UsageError(f"'{freq}' is not a digest schedule; use hourly or daily HH:MM.")
            mode = "digest"
        else:
            severity = parse_severity(w)
    return SubscribeArgs(str(kind), sel, severity, mode, schedule)
