"""Settings: defaults, precedence, validation messages, and keeping the token out of sight."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import (
    REST_OF_DAY,
    ConfigError,
    Secret,
    Settings,
    load_settings,
    settings_markdown_table,
    settings_table,
    unrecognised_env_vars,
)

# Shaped like a real bot token (user id . timestamp . signature) but not one.
FAKE_TOKEN = ".".join(
    ("MTA1NzY1NDMyMTA5ODc2NTQzMg", "GaBcDe", "fake-signature-not-a-real-token-xx")
)


def write_toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strikebot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_with_an_empty_environment() -> None:
    settings = load_settings({}, require_token=False)

    assert settings.knowledge_dir == Path("knowledge")
    assert settings.data_dir == Path("data")
    assert settings.db_path == Path("data") / "strikebot.sqlite3"
    assert settings.token is None
    assert settings.discord_api_base is None
    assert settings.discord_gateway is None
    assert settings.health_enabled is True
    assert (settings.health_host, settings.health_port) == ("127.0.0.1", 8080)
    assert (settings.log_level, settings.log_format, settings.log_file) == ("INFO", "kv", None)
    assert settings.gaps_retention_days == 90
    assert settings.auto_answer_cooldown_seconds == 60
    assert settings.announce_grace == REST_OF_DAY
    assert settings.timezone is None
    assert settings.clock_override is None
    assert settings.sync_commands is True
    assert settings.dev_guild_id is None
    assert settings.config_file is None


def test_every_environment_variable_is_read() -> None:
    env = {
        "STRIKEBOT_KNOWLEDGE": "/srv/kb",
        "STRIKEBOT_DATA_DIR": "/var/lib/strikebot",
        "STRIKEBOT_DB": "/tmp/other.sqlite3",
        "DISCORD_TOKEN": FAKE_TOKEN,
        "STRIKEBOT_DISCORD_API_BASE": "http://127.0.0.1:9000/api/v10",
        "STRIKEBOT_DISCORD_GATEWAY": "ws://127.0.0.1:9001",
        "STRIKEBOT_HEALTH_ENABLED": "no",
        "STRIKEBOT_HEALTH_HOST": "0.0.0.0",
        "STRIKEBOT_HEALTH_PORT": "0",
        "STRIKEBOT_LOG_LEVEL": "debug",
        "STRIKEBOT_LOG_FORMAT": "JSON",
        "STRIKEBOT_LOG_FILE": "/var/log/strikebot.log",
        "STRIKEBOT_GAPS_RETENTION_DAYS": "30",
        "STRIKEBOT_AUTO_ANSWER_COOLDOWN": "0",
        "STRIKEBOT_ANNOUNCE_GRACE": "45",
        "STRIKEBOT_TIMEZONE": "Europe/London",
        "STRIKEBOT_FAKE_NOW": "2026-11-21T10:00:00Z",
        "STRIKEBOT_SYNC_COMMANDS": "off",
        "STRIKEBOT_DEV_GUILD": "123456789012345678",
    }
    settings = load_settings(env, require_token=True)

    assert settings.knowledge_dir == Path("/srv/kb")
    assert settings.data_dir == Path("/var/lib/strikebot")
    assert settings.db_path == Path("/tmp/other.sqlite3")
    assert settings.token is not None and settings.token.reveal() == FAKE_TOKEN
    assert settings.discord_api_base == "http://127.0.0.1:9000/api/v10"
    assert settings.discord_gateway == "ws://127.0.0.1:9001"
    assert settings.health_enabled is False
    assert (settings.health_host, settings.health_port) == ("0.0.0.0", 0)
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    assert settings.log_file == Path("/var/log/strikebot.log")
    assert settings.gaps_retention_days == 30
    assert settings.auto_answer_cooldown_seconds == 0
    assert settings.announce_grace == timedelta(minutes=45)
    assert settings.timezone == ZoneInfo("Europe/London")
    assert settings.clock_override == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert settings.sync_commands is False
    assert settings.dev_guild_id == 123456789012345678


def test_database_follows_the_data_dir_unless_set() -> None:
    settings = load_settings({"STRIKEBOT_DATA_DIR": "/state"}, require_token=False)
    assert settings.db_path == Path("/state/strikebot.sqlite3")


def test_an_empty_variable_counts_as_unset() -> None:
    settings = load_settings(
        {"STRIKEBOT_HEALTH_PORT": " ", "DISCORD_TOKEN": "  ", "STRIKEBOT_LOG_LEVEL": ""},
        require_token=False,
    )
    assert (settings.health_port, settings.token, settings.log_level) == (8080, None, "INFO")


def test_clock_override_keeps_its_offset() -> None:
    settings = load_settings(
        {"STRIKEBOT_FAKE_NOW": "2026-11-21T10:00:00+01:00"}, require_token=False
    )
    assert settings.clock_override == datetime(2026, 11, 21, 9, tzinfo=UTC)
    assert settings.clock_override is not None
    assert settings.clock_override.utcoffset() == timedelta(hours=1)


def test_toml_file_sets_values_and_environment_wins(tmp_path: Path) -> None:
    path = write_toml(
        tmp_path,
        'knowledge_dir = "kb"\nlog_format = "json"\nhealth_port = 9100\n'
        "sync_commands = false\nannounce_grace = 15\n",
    )
    settings = load_settings({"STRIKEBOT_HEALTH_PORT": "9200"}, path, require_token=False)

    assert settings.knowledge_dir == tmp_path / "kb"  # relative to the file, not the cwd
    assert settings.log_format == "json"
    assert settings.health_port == 9200
    assert settings.sync_commands is False
    assert settings.announce_grace == timedelta(minutes=15)
    assert settings.config_file == path


def test_config_file_can_be_named_by_environment(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'log_level = "WARNING"\n')
    settings = load_settings({"STRIKEBOT_CONFIG": str(path)}, require_token=False)
    assert (settings.log_level, settings.config_file) == ("WARNING", path)


def test_explicit_config_path_beats_the_environment(tmp_path: Path) -> None:
    chosen = write_toml(tmp_path, 'log_level = "ERROR"\n')
    settings = load_settings(
        {"STRIKEBOT_CONFIG": str(tmp_path / "missing.toml")}, chosen, require_token=False
    )
    assert settings.log_level == "ERROR"


def test_unknown_toml_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'log_levle = "DEBUG"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, path, require_token=False)
    message = str(caught.value)
    assert "'log_levle'" in message and str(path) in message and "'log_level'" in message


@pytest.mark.parametrize("key", ["token", "discord_token", "token_file"])
def test_token_is_refused_in_the_toml_file_without_echoing_it(tmp_path: Path, key: str) -> None:
    path = write_toml(tmp_path, f'{key} = "{FAKE_TOKEN}"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, path, require_token=False)
    message = str(caught.value)
    assert "DISCORD_TOKEN_FILE" in message and repr(key) in message
    assert FAKE_TOKEN not in message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "log_level = \n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_settings({}, path, require_token=False)
    assert str(path) in str(caught.value)


def test_missing_config_file_names_where_it_came_from(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="STRIKEBOT_CONFIG") as caught:
        load_settings({"STRIKEBOT_CONFIG": str(missing)}, require_token=False)
    assert str(missing) in str(caught.value)


@pytest.mark.parametrize(
    ("env_var", "value"),
    [
        ("STRIKEBOT_HEALTH_PORT", "abc"),
        ("STRIKEBOT_HEALTH_PORT", "-1"),
        ("STRIKEBOT_HEALTH_PORT", "70000"),
        ("STRIKEBOT_HEALTH_PORT", "80.5"),
        ("STRIKEBOT_GAPS_RETENTION_DAYS", "0"),
        ("STRIKEBOT_AUTO_ANSWER_COOLDOWN", "-5"),
        ("STRIKEBOT_LOG_LEVEL", "LOUD"),
        ("STRIKEBOT_LOG_FORMAT", "xml"),
        ("STRIKEBOT_TIMEZONE", "Mars/Olympus_Mons"),
        ("STRIKEBOT_FAKE_NOW", "2026-11-21T10:00:00"),
        ("STRIKEBOT_FAKE_NOW", "next tuesday"),
        ("STRIKEBOT_ANNOUNCE_GRACE", "soon"),
        ("STRIKEBOT_ANNOUNCE_GRACE", "-10"),
        ("STRIKEBOT_HEALTH_ENABLED", "maybe"),
        ("STRIKEBOT_SYNC_COMMANDS", "2"),
        ("STRIKEBOT_DEV_GUILD", "0"),
        ("STRIKEBOT_DISCORD_API_BASE", "127.0.0.1:9000"),
        ("STRIKEBOT_DISCORD_GATEWAY", "http://127.0.0.1:9001"),
    ],
)
def test_bad_environment_value_names_the_variable(env_var: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({env_var: value}, require_token=False)
    message = str(caught.value)
    assert env_var in message
    assert repr(value) in message  # shows what was wrong...
    assert message.rstrip().endswith(".")  # ...and ends with what to do


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('health_port = "abc"', "health_port"),
        ("health_port = true", "health_port"),
        ("gaps_retention_days = -3", "gaps_retention_days"),
        ('timezone = "Nowhere/Town"', "timezone"),
        ("sync_commands = 1.5", "sync_commands"),
    ],
)
def test_bad_toml_value_names_key_file_and_variable(tmp_path: Path, line: str, key: str) -> None:
    path = write_toml(tmp_path, line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({}, path, require_token=False)
    message = str(caught.value)
    assert f"'{key}'" in message and str(path) in message and "STRIKEBOT_" in message


def test_token_from_file_is_stripped(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(FAKE_TOKEN + "\n", encoding="utf-8")
    settings = load_settings({"DISCORD_TOKEN_FILE": str(token_file)}, require_token=True)
    assert settings.token == Secret(FAKE_TOKEN)


def test_token_is_masked_everywhere_but_reveal() -> None:
    settings = load_settings({"DISCORD_TOKEN": FAKE_TOKEN}, require_token=True)
    assert settings.token is not None
    assert repr(settings.token) == str(settings.token) == "Secret('********')"
    assert f"{settings.token}" == "Secret('********')"
    assert FAKE_TOKEN not in repr(settings)
    assert settings.token.reveal() == FAKE_TOKEN


def test_missing_token_is_an_error_only_when_required() -> None:
    assert load_settings({}, require_token=False).token is None
    with pytest.raises(ConfigError, match="DISCORD_TOKEN_FILE"):
        load_settings({}, require_token=True)


def test_both_token_sources_is_an_error_that_hides_the_token(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(FAKE_TOKEN, encoding="utf-8")
    env = {"DISCORD_TOKEN": FAKE_TOKEN, "DISCORD_TOKEN_FILE": str(token_file)}
    with pytest.raises(ConfigError, match="both DISCORD_TOKEN and DISCORD_TOKEN_FILE") as caught:
        load_settings(env, require_token=False)
    assert FAKE_TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"), [("", "empty"), (f"Bot {FAKE_TOKEN}", "'Bot '"), ("a b c", "space")]
)
def test_bad_token_file_is_explained_without_its_contents(
    tmp_path: Path, content: str, expected: str
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected) as caught:
        load_settings({"DISCORD_TOKEN_FILE": str(token_file)}, require_token=True)
    message = str(caught.value)
    assert str(token_file) in message and "DISCORD_TOKEN_FILE" in message
    assert FAKE_TOKEN not in message and "a b c" not in message


def test_unreadable_token_file_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN_FILE"):
        load_settings({"DISCORD_TOKEN_FILE": str(tmp_path / "absent")}, require_token=True)


def test_token_pasted_into_another_setting_is_not_echoed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STRIKEBOT_LOG_LEVEL") as caught:
        load_settings(
            {"DISCORD_TOKEN": FAKE_TOKEN, "STRIKEBOT_LOG_LEVEL": FAKE_TOKEN}, require_token=True
        )
    assert FAKE_TOKEN not in str(caught.value)
    # Also when the token is not configured at all: the token-shaped value is still hidden.
    path = write_toml(tmp_path, f'log_format = "{FAKE_TOKEN}"\n')
    with pytest.raises(ConfigError, match="log_format") as caught:
        load_settings({}, path, require_token=False)
    assert FAKE_TOKEN[:20] not in str(caught.value)


def test_settings_table_has_one_row_per_field_and_no_strays() -> None:
    field_names = [field.name for field in dataclasses.fields(Settings)]
    rows = settings_table()
    assert [row.name for row in rows] == field_names
    env_vars = [row.env_var for row in rows]
    assert len(set(env_vars)) == len(env_vars)
    assert all(row.meaning and row.default for row in rows)


def test_settings_table_documents_the_variables_actually_read() -> None:
    # Setting each documented variable to garbage must be rejected (or, for free-form
    # text and paths, accepted): either way it must not be silently ignored.
    rows = {row.name: row.env_var for row in settings_table()}
    assert rows["health_port"] == "STRIKEBOT_HEALTH_PORT"
    for name, env_var in rows.items():
        if name in {"token", "config_file"}:
            continue
        try:
            settings = load_settings({env_var: "x"}, require_token=False)
        except ConfigError as error:
            assert env_var in str(error)
        else:
            assert getattr(settings, name) in {"x", Path("x")}, name


def test_markdown_table_lists_every_variable() -> None:
    table = settings_markdown_table()
    for row in settings_table():
        for env_var in row.env_var.split(" or "):
            assert f"`{env_var}`" in table
    assert "| `token` | `DISCORD_TOKEN` or `DISCORD_TOKEN_FILE` |" in table


def test_unrecognised_variables_are_reported_for_warning() -> None:
    env = {"STRIKEBOT_LOGLEVEL": "DEBUG", "STRIKEBOT_LOG_LEVEL": "DEBUG", "HOME": "/root"}
    assert unrecognised_env_vars(env) == ["STRIKEBOT_LOGLEVEL"]


def test_settings_are_immutable() -> None:
    settings = load_settings({}, require_token=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.health_port = 1  # type: ignore[misc]


def test_fixed_offset_zone_is_not_a_zone_name() -> None:
    # "+01:00" is an offset, not a place; DST rules need a real zone name.
    with pytest.raises(ConfigError, match="STRIKEBOT_TIMEZONE"):
        load_settings({"STRIKEBOT_TIMEZONE": "+01:00"}, require_token=False)
