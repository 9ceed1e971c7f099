"""`/redline` commands, the same on Slack, Discord and the CLI: parse, check, act, reply.

Adapters build a CommandRequest (with `can_manage` from the platform's permissions) and
render the Reply; every decision is made here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from bot.domain.commands import CommandRequest
from bot.domain.errors import RedlineError
from bot.domain.message import Reply, Table
from bot.domain.records import DeliveryMode, SelectorKind
from bot.services.lookup import run_lookup, split_snippet
from bot.services.parsing import (
    UsageError,
    parse_duration,
    parse_subscribe,
    split_args,
    valid_text,
)
from bot.services.status import status_reply

log = logging.getLogger(__name__)

USAGE = {
    "subscribe": "subscribe <rule|tag|all> [min-severity] [digest hourly|daily HH:MM]",
    "unsubscribe": "unsubscribe [rule|tag|all]",
    "subscriptions": "subscriptions",
    "mute": "mute <rule|all> <duration, like 2h or 1d>",
    "lookup": 'lookup <words, "a phrase", rule:ID speaker:NAME source:NAME since:YYYY-MM-DD>',
    "quotes": "quotes <official>",
    "tracked": "tracked [key]",
    "rules": "rules [show <id>]",
    "why": "why <article-url-or-id> [rule]",
    "status": "status",
    "help": "help",
}
MANAGE = {"subscribe", "unsubscribe", "mute"}


def _fmt_date(d: Any) -> str:
    return d.date().isoformat() if d is not None else "undated"


def _valid_text(request: CommandRequest) -> CommandRequest:
    return replace(
        request,
        name=valid_text(request.name or ""),
        args=valid_text(request.args or ""),
        options={k: valid_text(str(v)) for k, v in request.options.items()},
    )


class CommandService:
    """Implements `CommandHandler` over a built App (storage, rule book, clock)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._handlers: dict[str, Callable[[CommandRequest], Awaitable[Reply]]] = {
            name: getattr(self, f"_{name}") for name in USAGE
        }

    async def handle(self, request: CommandRequest) -> Reply:
        """Run one command; user mistakes come back as one sentence and the usage line."""
        request = _valid_text(request)
        name = (request.name or "help").strip().lower()
        handler = self._handlers.get(name)
        if handler is None:
            return Reply(
                text=f"There is no command '{name}'.",
                error=True,
                usage="/redline " + " | ".join(USAGE),
            )
        if name in MANAGE and not request.can_manage:
            return Reply(
                text="Only people who can manage this channel may change its alerts.",
                error=True,
            )
        if name in MANAGE and request.channel is None:
            return Reply(text="This command needs a channel.", error=True, usage=USAGE[name])
        try:
            return await handler(request)
        except UsageError as e:
            return Reply(text=str(e), error=True, usage="/redline " + USAGE[name])
        except RedlineError as e:
            return Reply(text=str(e), error=True)
        except Exception:
            log.exception(
                "command %s failed (channel %s, user %s)", name, request.channel, request.user
            )
            return Reply(
                text=f"Something went wrong running '{name}'; it has been logged.", error=True
            )

    def complete(self, kind: str, prefix: str, *, limit: int = 25) -> list[str]:
        """Autocompletion for rule ids, tags, selectors and officials."""
        p = prefix.casefold()
        values: list[str] = []
        rules = self._loaded_rules()
        if kind in ("rule", "selector"):
            values += [r.id for r in rules]
        if kind in ("tag", "selector"):
            values += sorted({t for r in rules for t in r.tags})
        if kind == "selector":
            values.append("all")
        if kind == "official":
            values += self._officials()
        return [v for v in values if v.casefold().startswith(p) or p in v.casefold()][:limit]

    # --- helpers -------------------------------------------------------------------------
    def _loaded_rules(self) -> list[Any]:
        ruleset = self.app.rulebook.current
        return list(getattr(ruleset, "rules", ()) or ())

    def _officials(self) -> list[str]:
        ruleset = self.app.rulebook.current
        lexicons = getattr(ruleset, "lexicons", None)
        if lexicons is None or "people" not in lexicons:
            return []
        return sorted(e.name for e in lexicons.get("people").entries)

    def _resolve_person(self, name: str) -> str | None:
        ruleset = self.app.rulebook.current
        lexicons = getattr(ruleset, "lexicons", None)
        if lexicons is None or "people" not in lexicons:
            return None
        resolved: str | None = lexicons.get("people").resolve(name)
        return resolved

    def _opt(self, req: CommandRequest, *names: str) -> str:
        for n in names:
            if req.options.get(n):
                return str(req.options[n])
        return ""

    # --- commands ------------------------------------------------------------------------
    async def _subscribe(self, req: CommandRequest) -> Reply:
        assert req.channel is not None
        text = req.args
        if req.options:
            parts = [self._opt(req, "selector", "rule", "target")]
            if sev := self._opt(req, "min_severity", "severity"):
                parts.append(sev)
            if (digest := self._opt(req, "digest")) and digest != "none":
                parts += ["digest", digest]
                if digest == "daily" and (at := self._opt(req, "at")):
                    parts.append(at)
            text = " ".join(p for p in parts if p)
        rules = self._loaded_rules()
        args = parse_subscribe(
            text,
            known_rules={r.id for r in rules},
            known_tags={t for r in rules for t in r.tags},
        )
        ch = req.channel
        self.app.storage.subscriptions.subscribe(
            platform=ch.platform,
            workspace=ch.workspace,
            channel=ch.channel,
            selector_kind=SelectorKind(args.selector_kind),
            selector=args.selector,
            min_severity=args.min_severity,
            mode=DeliveryMode(args.mode),
            digest_schedule=args.schedule,
            tz=req.tz,
            created_by=req.user,
            now=self.app.clock(),
        )
        what = (
            "all alerts" if args.selector_kind == "all" else f"{args.selector_kind} {args.selector}"
        )
        how = f" as a {args.schedule} digest" if args.mode == "digest" else ""
        sev = f" at {args.min_severity.value} severity or above" if args.min_severity.rank else ""
        return Reply(text=f"This channel is subscribed to {what}{sev}{how}.", ephemeral=False)

    async def _unsubscribe(self, req: CommandRequest) -> Reply:
        assert req.channel is not None
        target = self._opt(req, "selector", "rule", "target") or req.args.strip()
        kind: SelectorKind | None = None
        selector: str | None = None
        if target:
            if target.lower() == "all":
                kind, selector = SelectorKind.ALL, None
            elif ":" in target and target.split(":", 1)[0] in ("rule", "tag"):
                k, selector = target.split(":", 1)
                kind = SelectorKind(k)
                if not selector.strip():
                    raise UsageError(f"Say which {k}, like {k}:name, or all.")
            else:
                ids = {r.id for r in self._loaded_rules()}
                kind = SelectorKind.RULE if target in ids else SelectorKind.TAG
                selector = target
        ch = req.channel
        n = self.app.storage.subscriptions.unsubscribe(
            platform=ch.platform,
            workspace=ch.workspace,
            channel=ch.channel,
            selector_kind=kind,
            selector=selector,
        )
        if n == 0:
            return Reply(text="This channel had no such subscription.")
        return Reply(text=f"Removed {n} subscription(s) from this channel.", ephemeral=False)

    async def _subscriptions(self, req: CommandRequest) -> Reply:
        if req.channel is None:
            subs = self.app.storage.subscriptions.list_all()
        else:
            ch = req.channel
            subs = self.app.storage.subscriptions.list_for_channel(
                ch.platform, ch.workspace, ch.channel
            )
        if not subs:
            return Reply(text="No subscriptions here; try `subscribe all`.")
        rows = tuple(
            (
                f"{s.platform}:{s.channel}",
                s.selector_kind.value
                + ("" if s.selector_kind is SelectorKind.ALL else f" {s.selector}"),
                s.min_severity.value,
                s.digest_schedule or s.mode.value,
            )
            for s in subs
        )
        return Reply(
            text=f"{len(subs)} subscription(s).",
            table=Table(("channel", "selects", "min severity", "delivery"), rows),
        )

    async def _mute(self, req: CommandRequest) -> Reply:
        assert req.channel is not None
        words = split_args(req.args)
        rule = self._opt(req, "rule") or (words[0] if words else "")
        duration = self._opt(req, "duration") or (words[1] if len(words) > 1 else "")
        if not rule or not duration:
            raise UsageError("Say which rule (or all) and for how long.")
        if rule != "all" and rule not in {r.id for r in self._loaded_rules()}:
            raise UsageError(f"There is no rule called '{rule}'.")
        until = self.app.clock() + parse_duration(duration)
        ch = req.channel
        self.app.storage.subscriptions.mute(
            platform=ch.platform,
            workspace=ch.workspace,
            channel=ch.channel,
            rule_id=None if rule == "all" else rule,
            until=until,
        )
        what = "all rules" if rule == "all" else rule
        return Reply(text=f"Muted {what} here until {until:%Y-%m-%d %H:%M} UTC.", ephemeral=False)

    async def _lookup(self, req: CommandRequest) -> Reply:
        query = self._opt(req, "query") or req.args
        hits = await asyncio.to_thread(
            run_lookup, self.app.storage, query, limit=5, resolve_speaker=self._resolve_person
        )
        if not hits:
            return Reply(text="No articles match.")
        lines = []
        for h in hits:
            a = h.article
            snippet = "".join(part for part, _ in split_snippet(h.snippet))
            lines.append(f"#{a.id} {a.title} ({a.source}, {_fmt_date(a.published)}): {snippet}")
        return Reply(text=f"{len(hits)} best match(es):", lines=tuple(lines))

    async def _quotes(self, req: CommandRequest) -> Reply:
        name = self._opt(req, "official", "speaker") or req.args.strip()
        if not name:
            raise UsageError("Say whose statements to show.")
        canonical = self._resolve_person(name)
        if canonical is None:
            return Reply(
                text=f"'{name}' is not in the people lexicon; add them to rules/lexicons/people.yaml.",
                error=True,
            )
        hits = self.app.storage.quotes.by_speaker(canonical, 10)
        if not hits:
            return Reply(text=f"No stored statements by {canonical} yet.")
        lines = tuple(
            f"“{q.text}” — {q.source}, {_fmt_date(q.published)} (#{q.article_id})" for q in hits
        )
        return Reply(text=f"Recent statements by {canonical}:", lines=lines)

    async def _tracked(self, req: CommandRequest) -> Reply:
        key = self._opt(req, "key") or req.args.strip()
        history = self.app.storage.state.tracked_history()
        if key:
            history = [h for h in history if key in (h["key"], h["rule_id"])]
        if not history:
            return Reply(
                text="Nothing tracked yet." if not key else f"Nothing tracked for '{key}'."
            )
        rows = tuple(
            (
                h["rule_id"],
                str(h["key"]),
                str(h["value"]),
                _fmt_date(h.get("at")),
                str(h.get("article_ref") or ""),
            )
            for h in history[-25:]
        )
        return Reply(
            text="Tracked values, oldest first:",
            table=Table(("rule", "key", "value", "at", "article"), rows),
        )

    async def _rules(self, req: CommandRequest) -> Reply:
        words = split_args(req.args)
        action = self._opt(req, "action") or (words[0] if words else "list")
        rule_id = self._opt(req, "rule", "id") or (words[1] if len(words) > 1 else "")
        rules = self._loaded_rules()
        if action == "show":
            rule = next((r for r in rules if r.id == rule_id), None)
            if rule is None:
                raise UsageError(f"There is no rule called '{rule_id}'.")
            lines = (
                f"severity: {rule.severity}",
                "tags: " + ", ".join(rule.tags),
                str(getattr(rule, "description", "") or ""),
            )
            return Reply(text=f"{rule.id}: {rule.title}", lines=lines)
        health = self.app.rulebook.health
        rows = tuple((r.id, r.title, str(r.severity), ", ".join(r.tags)) for r in rules)
        extra = (
            () if not health.errors else ("Last reload failed: " + "; ".join(health.errors[:3]),)
        )
        return Reply(
            text=f"{len(rules)} rule(s) loaded.",
            table=Table(("id", "title", "severity", "tags"), rows),
            lines=extra,
        )

    async def _why(self, req: CommandRequest) -> Reply:
        words = split_args(req.args)
        ref = self._opt(req, "article") or (words[0] if words else "")
        rule_id = self._opt(req, "rule") or (words[1] if len(words) > 1 else "")
        if not ref:
            raise UsageError("Say which article: its id or URL.")
        from bot.services.explain import explain_article

        lines = await asyncio.to_thread(explain_article, self.app, ref, rule_id or None)
        return Reply(text=f"Why the rules did or did not fire on {ref}:", lines=tuple(lines))

    async def _status(self, req: CommandRequest) -> Reply:
        return status_reply(self.app)

    async def _help(self, req: CommandRequest) -> Reply:
        lines = tuple("/redline " + u for u in USAGE.values())
        return Reply(text="Redline commands:", lines=lines)
