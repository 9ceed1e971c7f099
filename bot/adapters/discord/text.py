"""Discord text safety: Markdown escaping, mention neutralising, clipping and links.

Article text is untrusted: a feed can carry `@everyone`, `<@123…>` or Markdown that would
reshape an embed. Everything from an article or a command reply passes through `safe()`
before it reaches an embed; `AllowedMentions.none()` on every send is the second guard.
"""

from __future__ import annotations

import re

import discord

ELLIPSIS = "…"

# Discord's limits for one embed and one message (developer docs, "Embed Limits").
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000  # summed over every embed of one message
EMBEDS_PER_MESSAGE = 10
THREAD_NAME_MAX = 100

_WEB_URL = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)
# A cut inside "\*" would leave a dangling backslash that escapes the ellipsis.
_TRAILING_BACKSLASH = re.compile(r"\\+$")


def neutralise(text: str) -> str:
    """Make `@everyone`, `@here`, `<@id>` and `<@&id>` inert, readable text."""
    return discord.utils.escape_mentions(text)


def escape(text: str) -> str:
    """Escape Discord Markdown so article text is shown as written."""
    return discord.utils.escape_markdown(text)


def safe(text: str) -> str:
    """Neutralise mentions, then escape: the form every untrusted string takes in an embed."""
    return escape(neutralise(text))


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending in "…" when it was longer."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = text[: limit - 1]
    cut = _TRAILING_BACKSLASH.sub("", cut).rstrip()
    return cut + ELLIPSIS


def plain(text: str, limit: int) -> str:
    """Untrusted text for places Discord shows without Markdown (footer, thread name)."""
    return clip(" ".join(neutralise(text).split()), limit)


def is_web_url(url: str | None) -> bool:
    """Only http(s) links become embed links; anything else stays out."""
    return url is not None and len(url) <= 2048 and _WEB_URL.match(url) is not None


def link(label: str, url: str | None) -> str:
    """A Markdown link `[label](url)`; `label` must already be safe(). Plain label if no url."""
    if not is_web_url(url):
        return label
    assert url is not None
    target = url.replace("(", "%28").replace(")", "%29")
    # Brackets in the label would end the link text early.
    label = label.replace("[", "(").replace("]", ")")
    return f"[{label}]({target})"
