"""invite_url: the scopes and exactly the permissions Redline uses."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bot.adapters.discord.invite import invite_url

# Bit positions from Discord's permission table (developer docs, "Permissions").
VIEW_CHANNEL = 10
SEND_MESSAGES = 11
EMBED_LINKS = 14
READ_MESSAGE_HISTORY = 16
CREATE_PUBLIC_THREADS = 35
SEND_MESSAGES_IN_THREADS = 38


def query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc in {"discord.com", "discordapp.com"}
    return parse_qs(parts.query)


def test_invite_asks_for_bot_and_commands_scopes_and_only_the_needed_permissions() -> None:
    q = query(invite_url(1100000000000000001))
    assert q["client_id"] == ["1100000000000000001"]
    assert set(q["scope"][0].split()) == {"bot", "applications.commands"}
    bits = (
        VIEW_CHANNEL,
        SEND_MESSAGES,
        EMBED_LINKS,
        READ_MESSAGE_HISTORY,
        CREATE_PUBLIC_THREADS,
        SEND_MESSAGES_IN_THREADS,
    )
    assert int(q["permissions"][0]) == sum(1 << b for b in bits)


def test_invite_can_preselect_a_server() -> None:
    q = query(invite_url("42", guild_id=1200000000000000001))
    assert q["client_id"] == ["42"]
    assert q["guild_id"] == ["1200000000000000001"]
