"""Slack text safety: escaping, mention neutralising and length clipping for Block Kit.

Article text is untrusted: a feed can carry `<!channel>` or `@here`, and Slack would ping a
whole workspace with it. Everything that comes from an article or a command reply passes
through `safe()` before it reaches a mrkdwn or plain_text field.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# U+2060 WORD JOINER: invisible, keeps "@here" readable but stops Slack from parsing it.
_JOINER = "\u2060"

# Slack's own markup: <!here>, <!channel|label>, <!subteam^S1|@team>, <@U123|name>, <#C1|x>.
_SPECIAL = re.compile(r"<(?P<sigil>[!@#])(?P<body>[^<>|]*)(?:\|(?P<label>[^<>]*))?>")
_BARE_BROADCAST = re.compile(r"(?<![\w@])@(?=(channel|here|everyone)\b)", re.IGNORECASE)


def _special(m: re.Match[str]) -> str:
    """Rewrite one Slack control sequence as inert, readable text."""
    sigil, body, label = m.group("sigil"), m.group("body"), m.group("label")
    if sigil == "#":
        return "#" + (label or body)
    if sigil == "!":
        if body.startswith("subteam^"):
            name = (label or body.split("^", 1)[1]).lstrip("@")
        elif body.startswith("date^"):
            # <!date^…|fallback> is harmless formatting; keep only its fallback text.
            return label or ""
        else:
            name = (label or body).lstrip("@")
        return "@" + _JOINER + name
    return "@" + _JOINER + (label or body).lstrip("@")


def neutralise(text: str) -> str:
    """Turn every mention or broadcast in `text` into text that cannot notify anyone."""
    text = _SPECIAL.sub(_special, text)
    return _BARE_BROADCAST.sub("@" + _JOINER, text)


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe(text: str) -> str:
    """Neutralise mentions, then escape: the form every untrusted string takes in mrkdwn."""
    return escape(neutralise(text))


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")
_WEB_URL = re.compile(r"^https?://[^\s<>|]+$", re.IGNORECASE)


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending in "…" when it was longer.

    Never leaves half an escape sequence (`&am`) at the cut.
    """
    if len(text) <= limit:
        return text
    cut = _PARTIAL_ENTITY.sub("", text[: max(limit - 1, 0)])
    return cut.rstrip() + ELLIPSIS


def link(url: str, label: str) -> str:
    """A mrkdwn link `<url|label>`; `label` must already be safe()."""
    target = escape(url.replace("|", "%7C").replace(" ", "%20"))
    return f"<{target}|{label}>"


def is_web_url(url: str | None) -> bool:
    """Only http(s) links become buttons or links; anything else stays text."""
    return url is not None and _WEB_URL.match(url) is not None
