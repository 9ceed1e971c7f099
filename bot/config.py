"""Settings from the environment or `.env`, read once at start-up and passed in.

Every setting is listed, commented, in `.env.example`. Secrets are kept as `Secret` so they
never show up in logs, reprs or error messages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from bot.domain.errors import ConfigError


class Secret(str):
    """A string that hides itself in repr, str and f-strings; `.value` is the only way in."""

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"

    def __str__(self) -> str:
        return "***" if self else ""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    @property
    def value(self) -> str:
        return str.__str__(self)


def _secret(value: str | None) -> Secret | None:
    return Secret(value) if value else None


@dataclass(frozen=True)
class Settings:
    """Everything Redline can be configured with. Defaults run the bot with no setup."""

    data_dir: Path = Path("var")
    db_path: Path = Path("var/redline.db")
    rules_dir: Path = Path("rules")
    sources_file: Path = Path("sources.yaml")
    poll_tick_s: float = 5.0  # how often the scheduler looks for due sources
    default_interval_s: int = 900
    fetch_timeout_s: float = 20.0
    fetch_max_bytes: int = 10 * 1024 * 1024
    fetch_max_redirects: int = 5
    fetch_concurrency: int = 20
    allow_private_urls: bool = False
    url_allowlist: tuple[str, ...] = ()
    log_level: str = "INFO"
    tz: str = "UTC"
    burst_limit: int = 10  # alerts per channel per minute before "+N more" folding
    story_window_days: float = 3.0
    console: bool | None = None  # None: console output when no chat token is set
    # Slack
    slack_bot_token: Secret | None = field(default=None, repr=False)
    slack_app_token: Secret | None = field(default=None, repr=False)
    slack_signing_secret: Secret | None = field(default=None, repr=False)
    slack_http_port: int = 3000
    slack_http_host: str = "0.0.0.0"  # 127.0.0.1 behind a reverse proxy on the same host
    slack_api_base_url: str | None = None  # test-only: a local fake Web API
    slack_admin_group: str | None = None  # user group id allowed to manage subscriptions
    # Discord
    discord_token: Secret | None = field(default=None, repr=False)
    discord_guild_id: int | None = None
    discord_api_base: str | None = None  # test-only: a local fake REST API
    discord_gateway_url: str | None = None  # test-only: a local fake gateway

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    @property
    def console_enabled(self) -> bool:
        if self.console is not None:
            return self.console
        return not (self.slack_enabled or self.discord_enabled)

    def describe(self) -> dict[str, str]:
        """The settings as text for `status`, with secrets masked."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Secret):
                value = "set" if value else "not set"
            elif value is None and f.name.endswith(("token", "secret")):
                value = "not set"
            out[f.name] = str(value)
        return out


_ENV = "REDLINE_"


def _bool(name: str, raw: str) -> bool:
    v = raw.strip().lower()
    if v in {"1", "true", "yes", "on"}:
        return True
    if v in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _num(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}.") from None


def load_settings(
    env: Mapping[str, str] | None = None, *, dotenv: Path | None = Path(".env")
) -> Settings:
    """Build Settings from `env` (default: os.environ, after loading `.env` if present).

    Raises:
        ConfigError: a setting has an invalid value.
    """
    if env is None:
        if dotenv is not None and dotenv.is_file():
            from dotenv import load_dotenv

            load_dotenv(dotenv, override=False)
        env = os.environ

    def get(name: str) -> str | None:
        v = env.get(name)
        return v if v not in (None, "") else None

    kw: dict[str, object] = {}
    data_dir = Path(get(_ENV + "DATA_DIR") or "var")
    kw["data_dir"] = data_dir
    kw["db_path"] = Path(get(_ENV + "DB") or data_dir / "redline.db")
    if (v := get(_ENV + "RULES_DIR")) is not None:
        kw["rules_dir"] = Path(v)
    if (v := get(_ENV + "SOURCES_FILE")) is not None:
        kw["sources_file"] = Path(v)
    numeric: dict[str, tuple[str, type[int] | type[float]]] = {
        "POLL_TICK": ("poll_tick_s", float),
        "DEFAULT_INTERVAL": ("default_interval_s", int),
        "FETCH_TIMEOUT": ("fetch_timeout_s", float),
        "FETCH_MAX_BYTES": ("fetch_max_bytes", int),
        "FETCH_MAX_REDIRECTS": ("fetch_max_redirects", int),
        "FETCH_CONCURRENCY": ("fetch_concurrency", int),
        "BURST_LIMIT": ("burst_limit", int),
        "STORY_WINDOW_DAYS": ("story_window_days", float),
        "SLACK_HTTP_PORT": ("slack_http_port", int),
    }
    for suffix, (attr, kind) in numeric.items():
        name = (_ENV + suffix) if not suffix.startswith("SLACK") else suffix
        if (v := get(name)) is not None:
            kw[attr] = _num(name, v, kind)
    if (v := get(_ENV + "ALLOW_PRIVATE_URLS")) is not None:
        kw["allow_private_urls"] = _bool(_ENV + "ALLOW_PRIVATE_URLS", v)
    if (v := get(_ENV + "URL_ALLOWLIST")) is not None:
        kw["url_allowlist"] = tuple(h.strip() for h in v.split(",") if h.strip())
    if (v := get(_ENV + "CONSOLE")) is not None:
        kw["console"] = _bool(_ENV + "CONSOLE", v)
    if (v := get(_ENV + "LOG_LEVEL")) is not None:
        kw["log_level"] = v.upper()
    if (v := get(_ENV + "TZ")) is not None:
        kw["tz"] = v
    kw["slack_bot_token"] = _secret(get("SLACK_BOT_TOKEN"))
    kw["slack_app_token"] = _secret(get("SLACK_APP_TOKEN"))
    kw["slack_signing_secret"] = _secret(get("SLACK_SIGNING_SECRET"))
    kw["slack_api_base_url"] = get("SLACK_API_BASE_URL")
    kw["slack_admin_group"] = get("SLACK_ADMIN_GROUP")
    if v := get("SLACK_HTTP_HOST"):
        kw["slack_http_host"] = v.strip()
    kw["discord_token"] = _secret(get("DISCORD_TOKEN"))
    if (v := get("DISCORD_GUILD_ID")) is not None:
        kw["discord_guild_id"] = int(_num("DISCORD_GUILD_ID", v, int))
    kw["discord_api_base"] = get("DISCORD_API_BASE")
    kw["discord_gateway_url"] = get("DISCORD_GATEWAY_URL")
    settings = Settings(**kw)  # type: ignore[arg-type]
    if settings.slack_enabled and not (settings.slack_app_token or settings.slack_signing_secret):
        raise ConfigError(
            "SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor "
            "SLACK_SIGNING_SECRET (HTTP mode) is; set one of them."
        )
    return settings
