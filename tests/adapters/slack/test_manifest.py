"""The Slack manifest and docs stay true to the code: scopes, command, settings, subcommands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.adapters.slack.commands import COMMAND, SUBCOMMANDS

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "slack-manifest.yaml"
DOC = ROOT / "docs" / "slack.md"
ADAPTER = ROOT / "bot" / "adapters" / "slack"

# Web API method -> the bot scope it needs (Slack's method reference).
SCOPE_OF = {
    "chat_postMessage": "chat:write",
    "users_info": "users:read",
    "usergroups_users_list": "usergroups:read",
    "conversations_info": "channels:read",
}


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_manifest_declares_the_command_socket_mode_and_interactivity() -> None:
    m = manifest()
    (command,) = m["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert command["should_escape"] is False
    assert len(command["description"]) <= 100
    assert m["settings"]["socket_mode_enabled"] is True
    # Link buttons send a click payload the app must acknowledge.
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert "event_subscriptions" not in m["settings"]


def test_every_web_api_call_the_adapter_makes_has_its_scope() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    source = "\n".join(p.read_text(encoding="utf-8") for p in ADAPTER.glob("*.py"))
    used = set(re.findall(r"client\.(\w+)\(", source))
    assert {"chat_postMessage", "users_info", "usergroups_users_list"} <= used
    for method in used & SCOPE_OF.keys():
        assert SCOPE_OF[method] in scopes, method
    assert "commands" in scopes


def test_docs_list_every_scope_setting_and_subcommand() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for scope in manifest()["oauth_config"]["scopes"]["bot"]:
        assert f"`{scope}`" in doc, scope
    config = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    for setting in sorted(set(re.findall(r'"(SLACK_[A-Z_]+)"', config))):
        assert f"`{setting}`" in doc, setting
    for name in SUBCOMMANDS:
        assert f"/redline {name}" in doc, name
    assert "connections:write" in doc
