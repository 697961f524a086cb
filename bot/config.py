"""Settings from environment variables and an optional TOML file, validated once at start.

Precedence, highest first: environment variable, TOML file, built-in default. An empty
environment variable counts as unset, because container tooling often writes `NAME=` for
"not configured" and an empty path or port is never what anyone meant.

Everything is checked here so a typo fails the process at start with a message that names
the setting and says how to fix it, rather than surfacing hours later in a cog.
"""

from __future__ import annotations

import difflib
import hmac
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, Literal, NamedTuple, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

T = TypeVar("T")

TOKEN_ENV: Final = "DISCORD_TOKEN"
TOKEN_FILE_ENV: Final = "DISCORD_TOKEN_FILE"
CONFIG_FILE_ENV: Final = "STRIKEBOT_CONFIG"
ENV_PREFIX: Final = "STRIKEBOT_"

LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS: Final = ("kv", "json")
REST_OF_DAY: Final = "rest-of-day"

DEFAULT_KNOWLEDGE_DIR: Final = Path("knowledge")
DEFAULT_DATA_DIR: Final = Path("data")
DB_FILE_NAME: Final = "strikebot.sqlite3"
# Loopback by default: the health endpoint exposes internals and should only be published
# on purpose (set 0.0.0.0 inside a container whose port mapping is the real boundary).
DEFAULT_HEALTH_HOST: Final = "127.0.0.1"
DEFAULT_HEALTH_PORT: Final = 8080
# A quarter: long enough to see which unanswered questions recur across a long strike,
# short enough that members' question text is not kept indefinitely.
DEFAULT_GAPS_RETENTION_DAYS: Final = 90
# One unprompted answer per minute keeps the bot from drowning a busy picket channel.
DEFAULT_AUTO_ANSWER_COOLDOWN_SECONDS: Final = 60
# A late announcement more than a day after its slot is news from yesterday: refuse it.
MAX_ANNOUNCE_GRACE_MINUTES: Final = 24 * 60
# The longest retention a strike could plausibly need; beyond it is almost surely a typo.
MAX_GAPS_RETENTION_DAYS: Final = 3650
MAX_PORT: Final = 65535

# Same shape as logging_setup's safety net (kept separate so the modules stay independent):
# user id (base64) . timestamp . HMAC, all base64url.
_TOKEN_SHAPE: Final = re.compile(r"[A-Za-z0-9_-]{24,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
# Longer values are cut in error messages so one bad line does not flood the terminal.
_MAX_SHOWN_VALUE_CHARS: Final = 60


class ConfigError(Exception):
    """A setting is missing or invalid; the message names it and says what to do."""


class Secret:
    """A string that prints as asterisks, so it cannot leak into logs or tracebacks.

    Only `.reveal()` returns the value; call it at the one place that needs it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the real value, for the one call that hands it to Discord."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))


@dataclass(frozen=True)
class Settings:
    """The validated configuration of one bot process."""

    knowledge_dir: Path
    data_dir: Path
    db_path: Path
    token: Secret | None
    discord_api_base: str | None
    discord_gateway: str | None
    health_enabled: bool
    health_host: str
    health_port: int
    log_level: str
    log_format: Literal["kv", "json"]
    log_file: Path | None
    gaps_retention_days: int
    auto_answer_cooldown_seconds: int
    # A duration, or REST_OF_DAY: post a missed announcement until local midnight.
    announce_grace: timedelta | Literal["rest-of-day"]
    # Only for times not tied to a strike; each strike's own zone comes from strikes.yaml.
    timezone: ZoneInfo | None
    clock_override: datetime | None
    sync_commands: bool
    dev_guild_id: int | None
    config_file: Path | None


class SettingRow(NamedTuple):
    """One line of the README's configuration table."""

    name: str
    env_var: str
    default: str
    meaning: str


_ROWS: Final = (
    SettingRow("knowledge_dir", "STRIKEBOT_KNOWLEDGE", f"./{DEFAULT_KNOWLEDGE_DIR}",
               "Directory of the knowledge base (facts and articles)."),
    SettingRow("data_dir", "STRIKEBOT_DATA_DIR", f"./{DEFAULT_DATA_DIR}",
               "Directory for the bot's own state."),
    SettingRow("db_path", "STRIKEBOT_DB", f"<data_dir>/{DB_FILE_NAME}", "SQLite database file."),
    SettingRow("token", f"{TOKEN_ENV} or {TOKEN_FILE_ENV}", "(none)",
               "Bot token, or a file holding it; required by `strikebot run`. "
               "Never read from the TOML file."),
    SettingRow("discord_api_base", "STRIKEBOT_DISCORD_API_BASE", "(Discord)",
               "Testing only: base URL of a local Discord API double."),
    SettingRow("discord_gateway", "STRIKEBOT_DISCORD_GATEWAY", "(Discord)",
               "Testing only: gateway URL of a local Discord API double."),
    SettingRow("health_enabled", "STRIKEBOT_HEALTH_ENABLED", "true",
               "Serve /healthz and /metrics."),
    SettingRow("health_host", "STRIKEBOT_HEALTH_HOST", DEFAULT_HEALTH_HOST,
               "Address the health server binds."),
    SettingRow("health_port", "STRIKEBOT_HEALTH_PORT", str(DEFAULT_HEALTH_PORT),
               "Port the health server binds; 0 picks a free port."),
    SettingRow("log_level", "STRIKEBOT_LOG_LEVEL", "INFO", "One of " + ", ".join(LOG_LEVELS) + "."),
    SettingRow("log_format", "STRIKEBOT_LOG_FORMAT", "kv",
               "`kv` (key=value lines) or `json` (one object per line)."),
    SettingRow("log_file", "STRIKEBOT_LOG_FILE", "(stderr only)",
               "Also append log lines to this file."),
    SettingRow("gaps_retention_days", "STRIKEBOT_GAPS_RETENTION_DAYS",
               str(DEFAULT_GAPS_RETENTION_DAYS), "Days to keep unanswered questions (>= 1)."),
    SettingRow("auto_answer_cooldown_seconds", "STRIKEBOT_AUTO_ANSWER_COOLDOWN",
               str(DEFAULT_AUTO_ANSWER_COOLDOWN_SECONDS),
               "Seconds a member waits between automatic answers in ask channels (>= 0)."),
    SettingRow("announce_grace", "STRIKEBOT_ANNOUNCE_GRACE", REST_OF_DAY,
               "How late a missed announcement may still be posted: "
               f"`{REST_OF_DAY}` or a number of minutes."),
    SettingRow("timezone", "STRIKEBOT_TIMEZONE", "(none: UTC)",
               "IANA zone (e.g. Europe/London) for times not tied to one strike; "
               "each strike keeps its own zone from strikes.yaml."),
    SettingRow("clock_override", "STRIKEBOT_FAKE_NOW", "(real clock)",
               "Testing only: ISO-8601 datetime with offset the bot treats as now."),
    SettingRow("sync_commands", "STRIKEBOT_SYNC_COMMANDS", "true",
               "Sync slash commands with Discord at start."),
    SettingRow("dev_guild_id", "STRIKEBOT_DEV_GUILD", "(none)",
               "Guild id to sync commands to instantly, for development."),
    SettingRow("config_file", CONFIG_FILE_ENV, "(none)",
               "TOML file with the same setting names (a `--config` path wins)."),
)  # fmt: skip

_ENV_BY_NAME: Final = {row.name: row.env_var for row in _ROWS}
# Keys a TOML file may hold: everything except the token and the file's own name.
_FILE_KEYS: Final = frozenset(_ENV_BY_NAME) - {"token", "config_file"}
_TOKEN_KEYS_IN_FILE: Final = frozenset({"token", "discord_token", "token_file"})


def settings_table() -> list[SettingRow]:
    """Rows (name, env var, default, meaning) so the README's table is checked against code."""
    return list(_ROWS)


def settings_markdown_table() -> str:
    """The configuration table as Markdown, for pasting into (or diffing with) the README."""
    lines = ["| Setting | Environment variable | Default | Meaning |", "|---|---|---|---|"]
    for row in _ROWS:
        env_vars = " or ".join(f"`{name}`" for name in row.env_var.split(" or "))
        lines.append(f"| `{row.name}` | {env_vars} | {row.default} | {row.meaning} |")
    return "\n".join(lines) + "\n"


def unrecognised_env_vars(env: Mapping[str, str]) -> list[str]:
    """STRIKEBOT_* variables no setting reads: likely typos the CLI should warn about."""
    known = set(_ENV_BY_NAME.values())
    return sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in known)


@dataclass(frozen=True)
class _Raw:
    """One setting's unparsed value and where it came from, for error messages."""

    name: str
    value: object
    where: str
    base_dir: Path | None  # relative paths in a TOML file resolve against its directory

    def fail(self, problem: str, fix: str) -> ConfigError:
        shown = repr(self.value)
        if len(shown) > _MAX_SHOWN_VALUE_CHARS:
            shown = shown[:_MAX_SHOWN_VALUE_CHARS] + "..."
        return ConfigError(f"{self.where}: {problem}, got {shown}. {fix}")


class _Sources:
    """Looks settings up in the environment, then the TOML file."""

    def __init__(
        self, env: Mapping[str, str], file_values: dict[str, object], file: Path | None
    ) -> None:
        self._env = env
        self._file_values = file_values
        self._file = file

    def raw(self, name: str) -> _Raw | None:
        env_var = _ENV_BY_NAME[name]
        text = self._env.get(env_var, "")
        if text.strip():
            return _Raw(name, text.strip(), f"{name}: environment variable {env_var}", None)
        if name in self._file_values and self._file is not None:
            where = f"{name}: key '{name}' in {self._file} (or set {env_var})"
            return _Raw(name, self._file_values[name], where, self._file.parent)
        return None

    def get(self, name: str, parse: Callable[[_Raw], T], default: T) -> T:
        raw = self.raw(name)
        return default if raw is None else parse(raw)


def load_settings(
    env: Mapping[str, str], config_file: Path | None = None, *, require_token: bool
) -> Settings:
    """Build validated Settings; raise ConfigError naming the bad setting and the fix.

    `config_file` is the CLI's `--config` path; without it STRIKEBOT_CONFIG names the file.
    `require_token` is for commands that talk to Discord; others may run without one.
    """
    token = _read_token(env, require_token=require_token)
    try:
        return _build_settings(env, config_file, token)
    except ConfigError as error:
        # Values are echoed in messages; make sure a token pasted in the wrong place is not.
        message = str(error)
        if token is not None:
            message = message.replace(token.reveal(), "[redacted]")
        raise ConfigError(_TOKEN_SHAPE.sub("[redacted]", message)) from None


def _build_settings(
    env: Mapping[str, str], config_file: Path | None, token: Secret | None
) -> Settings:
    if config_file is None and env.get(CONFIG_FILE_ENV, "").strip():
        config_file = Path(env[CONFIG_FILE_ENV].strip())
    file_values = _read_toml(config_file) if config_file is not None else {}
    src = _Sources(env, file_values, config_file)
    data_dir = src.get("data_dir", _path, DEFAULT_DATA_DIR)
    return Settings(
        knowledge_dir=src.get("knowledge_dir", _path, DEFAULT_KNOWLEDGE_DIR),
        data_dir=data_dir,
        db_path=src.get("db_path", _path, data_dir / DB_FILE_NAME),
        token=token,
        discord_api_base=src.get("discord_api_base", _url(("http", "https")), None),
        discord_gateway=src.get("discord_gateway", _url(("ws", "wss")), None),
        health_enabled=src.get("health_enabled", _bool, True),
        health_host=src.get("health_host", _text, DEFAULT_HEALTH_HOST),
        health_port=src.get("health_port", _int_between(0, MAX_PORT), DEFAULT_HEALTH_PORT),
        log_level=src.get("log_level", _log_level, "INFO"),
        log_format=src.get("log_format", _log_format, "kv"),
        log_file=src.get("log_file", _path, None),
        gaps_retention_days=src.get(
            "gaps_retention_days",
            _int_between(1, MAX_GAPS_RETENTION_DAYS),
            DEFAULT_GAPS_RETENTION_DAYS,
        ),
        auto_answer_cooldown_seconds=src.get(
            "auto_answer_cooldown_seconds",
            _int_between(0, None),
            DEFAULT_AUTO_ANSWER_COOLDOWN_SECONDS,
        ),
        announce_grace=src.get("announce_grace", _announce_grace, REST_OF_DAY),
        timezone=src.get("timezone", _zone, None),
        clock_override=src.get("clock_override", _aware_datetime, None),
        sync_commands=src.get("sync_commands", _bool, True),
        dev_guild_id=src.get("dev_guild_id", _int_between(1, None), None),
        config_file=config_file,
    )


def _read_token(env: Mapping[str, str], *, require_token: bool) -> Secret | None:
    """The token from DISCORD_TOKEN or the file DISCORD_TOKEN_FILE names; never both."""
    direct = env.get(TOKEN_ENV, "").strip()
    file_name = env.get(TOKEN_FILE_ENV, "").strip()
    if direct and file_name:
        raise ConfigError(
            f"token: both {TOKEN_ENV} and {TOKEN_FILE_ENV} are set. Unset one of them "
            f"(prefer {TOKEN_FILE_ENV}: a file is not visible in the process environment)."
        )
    where = f"token: environment variable {TOKEN_ENV}"
    if file_name:
        where = f"token: file {file_name!r} named by {TOKEN_FILE_ENV}"
        try:
            direct = Path(file_name).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise ConfigError(
                f"{where}: cannot read it ({reason}). Check the path and that the bot's user "
                "may read the file."
            ) from None
        if not direct:
            raise ConfigError(f"{where}: the file is empty. Put the bot token in it.")
    if not direct:
        if require_token:
            raise ConfigError(
                f"token: no bot token. Put the token in a file only the bot's user can read and "
                f"set {TOKEN_FILE_ENV} to its path (or set {TOKEN_ENV})."
            )
        return None
    if direct.lower().startswith("bot "):
        raise ConfigError(f"{where}: remove the 'Bot ' prefix; give the bare token.")
    if any(char.isspace() for char in direct):
        raise ConfigError(f"{where}: the token contains whitespace. Paste it again, unbroken.")
    return Secret(direct)


def _read_toml(path: Path) -> dict[str, object]:
    """The file's keys, after refusing unknown keys and any attempt to hold the token."""
    try:
        with path.open("rb") as file:
            values: dict[str, object] = tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path}: not found. Fix --config or {CONFIG_FILE_ENV}."
        ) from None
    except OSError as error:
        raise ConfigError(f"config file {path}: cannot read it ({error.strerror}).") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"config file {path}: not valid TOML ({error}). Fix the syntax."
        ) from None
    token_keys = sorted(_TOKEN_KEYS_IN_FILE & values.keys())
    if token_keys:
        raise ConfigError(
            f"config file {path}: key {token_keys[0]!r} is not allowed; the token is read from "
            f"the environment only, so config files can be shared safely. Remove the key and "
            f"set {TOKEN_FILE_ENV} to a file holding the token."
        )
    for key in sorted(values.keys() - _FILE_KEYS):
        close = difflib.get_close_matches(key, sorted(_FILE_KEYS), n=1)
        hint = (
            f"Did you mean {close[0]!r}?"
            if close
            else "Valid keys: " + ", ".join(sorted(_FILE_KEYS))
        )
        raise ConfigError(f"config file {path}: unknown key {key!r}. {hint}")
    return values


def _text(raw: _Raw) -> str:
    if isinstance(raw.value, str) and raw.value.strip():
        return raw.value.strip()
    raise raw.fail("expected non-empty text", "Give a value or remove the setting.")


def _path(raw: _Raw) -> Path:
    path = Path(_text(raw)).expanduser()
    if raw.base_dir is not None and not path.is_absolute():
        return raw.base_dir / path
    return path


def _bool(raw: _Raw) -> bool:
    if isinstance(raw.value, bool):
        return raw.value
    text = raw.value.strip().lower() if isinstance(raw.value, str) else None
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise raw.fail("expected true or false", "Use true/false (or 1/0, yes/no, on/off).")


def _int_between(low: int, high: int | None) -> Callable[[_Raw], int]:
    allowed = f"a whole number >= {low}" if high is None else f"a whole number {low}-{high}"

    def parse(raw: _Raw) -> int:
        value: int | None = None
        if isinstance(raw.value, int) and not isinstance(raw.value, bool):
            value = raw.value
        elif isinstance(raw.value, str) and re.fullmatch(r"[+-]?\d+", raw.value.strip()):
            value = int(raw.value)
        if value is None or value < low or (high is not None and value > high):
            raise raw.fail(f"expected {allowed}", f"Set {allowed}, or remove it for the default.")
        return value

    return parse


def _log_level(raw: _Raw) -> str:
    if isinstance(raw.value, str) and raw.value.strip().upper() in LOG_LEVELS:
        return raw.value.strip().upper()
    raise raw.fail("unknown log level", "Use one of " + ", ".join(LOG_LEVELS) + ".")


def _log_format(raw: _Raw) -> Literal["kv", "json"]:
    text = raw.value.strip().lower() if isinstance(raw.value, str) else None
    if text == "kv":
        return "kv"
    if text == "json":
        return "json"
    raise raw.fail("unknown log format", "Use kv or json.")


def _announce_grace(raw: _Raw) -> timedelta | Literal["rest-of-day"]:
    if isinstance(raw.value, str) and raw.value.strip().lower() == REST_OF_DAY:
        return REST_OF_DAY
    try:
        minutes = _int_between(0, MAX_ANNOUNCE_GRACE_MINUTES)(raw)
    except ConfigError:
        raise raw.fail(
            f"expected {REST_OF_DAY!r} or minutes 0-{MAX_ANNOUNCE_GRACE_MINUTES}",
            f"Use {REST_OF_DAY} or a number of minutes.",
        ) from None
    return timedelta(minutes=minutes)


def _zone(raw: _Raw) -> ZoneInfo:
    name = _text(raw)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise raw.fail("unknown time zone", "Use an IANA name such as Europe/London.") from None


def _aware_datetime(raw: _Raw) -> datetime:
    fix = "Use ISO-8601 with an offset, e.g. 2026-11-21T10:00:00+00:00."
    try:
        moment = datetime.fromisoformat(_text(raw))
    except ValueError:
        raise raw.fail("not an ISO-8601 datetime", fix) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise raw.fail("datetime has no time zone offset", fix)
    return moment


def _url(schemes: tuple[str, ...]) -> Callable[[_Raw], str]:
    def parse(raw: _Raw) -> str:
        text = _text(raw)
        parts = urlsplit(text)
        if parts.scheme in schemes and parts.netloc:
            return text
        raise raw.fail(
            "not a URL", f"Use a {'/'.join(schemes)} URL such as {schemes[0]}://127.0.0.1:8000."
        )

    return parse
