"""The live rule set: loaded once, reloaded when files in rules/ change.

An invalid edit is reported (log, console, `status`) and the last good rule set keeps
running, so a typo in chat or an editor never silences the desk.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.domain.errors import RedlineError
from bot.domain.models import utcnow
from bot.domain.ports import Clock

log = logging.getLogger(__name__)


@dataclass
class RuleHealth:
    """What `status` says about the rule set."""

    ok: bool = False
    rules: int = 0
    lexicons: int = 0
    loaded_at: datetime | None = None
    errors: list[str] = field(default_factory=list)  # of the last failed reload, if any
    failed_at: datetime | None = None


Loader = Callable[[Path], Any]  # returns a loaded rule set, raises RedlineError


class RuleBook:
    """Holds the current rule set; `reload()` swaps it only when the new one is valid."""

    def __init__(self, rules_dir: Path, *, loader: Loader, clock: Clock = utcnow) -> None:
        self.rules_dir = rules_dir
        self._loader = loader
        self._clock = clock
        self.current: Any = None
        self.health = RuleHealth()
        self.listeners: list[Callable[[RuleHealth], None]] = []

    def reload(self) -> bool:
        """Load rules_dir; keep the previous set on failure. Returns whether it changed."""
        try:
            ruleset = self._loader(self.rules_dir)
        except RedlineError as e:
            errors = [str(x) for x in getattr(e, "errors", [])] or [str(e)]
            self.health.errors = errors
            self.health.failed_at = self._clock()
            self.health.ok = self.current is not None
            log.error("rules in %s not reloaded: %s", self.rules_dir, "; ".join(errors))
            self._notify()
            return False
        self.current = ruleset
        self.health = RuleHealth(
            ok=True,
            rules=len(getattr(ruleset, "rules", ())),
            lexicons=len(getattr(ruleset, "lexicons", ()) or ()),
            loaded_at=self._clock(),
        )
        log.info("loaded %d rules from %s", self.health.rules, self.rules_dir)
        self._notify()
        return True

    def _notify(self) -> None:
        for cb in self.listeners:
            cb(self.health)

    async def watch(self, stop: asyncio.Event) -> None:
        """Reload whenever a file under rules_dir changes, until `stop` is set."""
        from watchfiles import awatch

        try:
            async for _changes in awatch(self.rules_dir, stop_event=stop, debounce=300, step=100):
                self.reload()
        except FileNotFoundError:
            log.error("rules folder %s does not exist; live reload is off", self.rules_dir)
