"""`status`: sources and their failures, lag, the outbox, and the rule set's health."""

from __future__ import annotations

from typing import Any

from bot.domain.message import Reply, Table


def _ago(app: Any, when: Any) -> str:
    if when is None:
        return "never"
    seconds = int((app.clock() - when).total_seconds())
    if seconds < 0:
        return f"in {-seconds}s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def status_reply(app: Any) -> Reply:
    """A Reply describing the running system (no secret ever appears in it)."""
    storage = app.storage
    health = app.rulebook.health
    counts = storage.sources.article_counts()
    rows = []
    for s in storage.sources.list():
        rows.append(
            (
                s.name,
                str(s.kind),
                str(counts.get(s.name, 0)),
                _ago(app, s.last_ok),
                str(s.failures),
                _ago(app, s.next_poll) if s.next_poll else "now",
                (s.last_error or "")[:80],
            )
        )
    stats = storage.outbox.stats()
    oldest = storage.outbox.oldest_pending()
    lines = [
        f"Articles stored: {storage.articles.count()}; alerts: {storage.alerts.count()}.",
        "Outbox: "
        + ", ".join(f"{k.value} {v}" for k, v in stats.items())
        + (f"; oldest waiting since {_ago(app, oldest)}" if oldest else ""),
    ]
    if health.ok:
        lines.append(f"Rules: {health.rules} loaded {_ago(app, health.loaded_at)}.")
    else:
        lines.append("Rules: none loaded.")
    if health.errors:
        lines.append(
            f"Last rule reload failed {_ago(app, health.failed_at)}; still running the last "
            "good set: " + "; ".join(health.errors[:5])
        )
    for d in storage.outbox.failures(5):
        lines.append(
            f"Delivery {d.state.value}: {d.platform}:{d.channel} after {d.attempts} attempt(s): "
            f"{d.last_error or ''}"
        )
    table = Table(
        ("source", "kind", "articles", "last ok", "failures", "next poll", "last error"),
        tuple(rows),
    )
    return Reply(text="Redline status", title="Status", lines=tuple(lines), table=table)
