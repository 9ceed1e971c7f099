"""Settings: defaults, parsing, clear errors, and secrets that never print."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Secret, load_settings
from bot.domain.errors import ConfigError


def test_defaults_need_nothing() -> None:
    s = load_settings({})
    assert s.db_path == Path("var/redline.db")
    assert s.console_enabled and not s.slack_enabled and not s.discord_enabled


def test_values_are_parsed() -> None:
    s = load_settings(
        {
            "REDLINE_DATA_DIR": "/tmp/x",
            "REDLINE_POLL_TICK": "0.5",
            "DISCORD_TOKEN": "abc",
            "DISCORD_GUILD_ID": "42",
            "REDLINE_URL_ALLOWLIST": "a.example, b.example",
        }
    )
    assert s.db_path == Path("/tmp/x/redline.db")
    assert s.poll_tick_s == 0.5
    assert s.discord_enabled and not s.console_enabled
    assert s.discord_guild_id == 42
    assert s.url_allowlist == ("a.example", "b.example")


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"REDLINE_POLL_TICK": "soon"}, "REDLINE_POLL_TICK"),
        ({"REDLINE_CONSOLE": "maybe"}, "REDLINE_CONSOLE"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
    ],
)
def test_bad_values_are_one_sentence(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_secrets_never_print() -> None:
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-very-secret", "SLACK_APP_TOKEN": "xapp-hidden"})
    assert isinstance(s.slack_bot_token, Secret)
    for text in (
        repr(s),
        str(s),
        repr(s.slack_bot_token),
        str(s.slack_bot_token),
        f"{s.slack_app_token}",
        "%s" % s.slack_app_token,  # noqa: UP031 - the old style must mask too
        str(s.describe()),
    ):
        assert "very-secret" not in text and "hidden" not in text
    assert s.slack_bot_token is not None and s.slack_bot_token.value == "xoxb-very-secret"


def test_slack_http_host_is_configurable() -> None:
    assert load_settings({}).slack_http_host == "0.0.0.0"
    assert load_settings({"SLACK_HTTP_HOST": " 127.0.0.1 "}).slack_http_host == "127.0.0.1"


def test_every_setting_read_is_in_env_example() -> None:
    """A setting the code reads but .env.example does not list is a setting nobody finds."""
    import re
    from pathlib import Path

    import bot.config as config

    source = Path(config.__file__).read_text()
    read = set(re.findall(r'"((?:SLACK|DISCORD)_[A-Z_]+)"', source))
    read |= {"REDLINE_" + s for s in re.findall(r'_ENV \+ "([A-Z_]+)"', source)}
    read |= {"REDLINE_" + s for s in re.findall(r'"([A-Z_]+)": \("', source) if "SLACK" not in s}
    example = (Path(__file__).parents[1] / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    assert read, "the pattern found no setting names in bot/config.py"
    assert sorted(read - listed) == []
