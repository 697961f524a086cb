"""Log lines: one per event, parseable in both formats, and never carrying a secret."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest

from bot.logging_setup import REDACTED, Redactor, configure_logging, with_fields

SECRET = "s3cret-value-configured"
# Shaped like a bot token but never configured as a secret: the safety net must catch it.
TOKEN_SHAPED = ".".join(
    ("MTA1NzY1NDMyMTA5ODc2NTQzMg", "GaBcDe", "fake-signature-not-a-real-token-xx")
)
KV_PAIR = re.compile(r'([^\s=]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?: |$)')
KV_UNESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
LOGGERS_TOUCHED = ("", "discord", "discord.client", "discord.gateway", "aiohttp.access")
Format = Literal["kv", "json"]


def parse_kv(line: str) -> dict[str, str]:
    """An independent reader of the key=value format: the whole line must be pairs."""
    pairs: dict[str, str] = {}
    position = 0
    while position < len(line):
        match = KV_PAIR.match(line, position)
        assert match, f"not key=value at {line[position:]!r}"
        key, raw = match.groups()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", lambda m: KV_UNESCAPES[m.group(1)], raw[1:-1])
        pairs[key] = raw
        position = match.end()
    return pairs


def parse(line: str, fmt: Format) -> dict[str, object]:
    if fmt == "json":
        parsed: dict[str, object] = json.loads(line)
        return parsed
    return dict(parse_kv(line))


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved_handlers = list(root.handlers)
    saved_levels = {name: logging.getLogger(name).level for name in LOGGERS_TOUCHED}
    yield
    for handler in [h for h in root.handlers if h not in saved_handlers]:
        root.removeHandler(handler)
        handler.close()
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


def configure(tmp_path: Path, fmt: Format, level: str = "INFO") -> Path:
    log_file = tmp_path / "logs" / "bot.log"
    configure_logging(level, fmt, log_file, secrets=[SECRET])
    return log_file


def lines_of(log_file: Path) -> list[str]:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_file.read_text(encoding="utf-8").splitlines()


def test_kv_line_has_the_documented_shape(tmp_path: Path) -> None:
    log_file = configure(tmp_path, "kv")
    logging.getLogger("bot.x").info("message text", extra=with_fields(fact_id=12, ok=True))

    [line] = lines_of(log_file)
    assert re.fullmatch(
        r"ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=INFO logger=bot\.x "
        r'event="message text" fact_id=12 ok=true',
        line,
    )
    stamp = datetime.fromisoformat(parse_kv(line)["ts"])
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)


@pytest.mark.parametrize("fmt", ["kv", "json"])
def test_awkward_values_round_trip(tmp_path: Path, fmt: Format) -> None:
    log_file = configure(tmp_path, fmt)
    event = 'said "strike!" \\ then\nleft = gone'
    fields = {"quote": 'a "b"', "empty": "", "spaces": "x y", "eq": "k=v", "tab": "a\tb"}
    logging.getLogger("bot.x").warning(event, extra=with_fields(**fields, count=3))

    [line] = lines_of(log_file)
    parsed = parse(line, fmt)
    assert parsed["event"] == event
    assert parsed["level"] == "WARNING" and parsed["logger"] == "bot.x"
    for key, value in fields.items():
        assert parsed[key] == value
    assert parsed["count"] == (3 if fmt == "json" else "3")


def test_json_keeps_native_types(tmp_path: Path) -> None:
    log_file = configure(tmp_path, "json")
    logging.getLogger("bot.x").info("e", extra=with_fields(n=2, ratio=0.5, ok=False, none=None))
    [line] = lines_of(log_file)
    parsed = json.loads(line)
    assert (parsed["n"], parsed["ratio"], parsed["ok"], parsed["none"]) == (2, 0.5, False, None)


@pytest.mark.parametrize("fmt", ["kv", "json"])
def test_a_field_cannot_overwrite_the_event_keys(tmp_path: Path, fmt: Format) -> None:
    log_file = configure(tmp_path, fmt)
    logging.getLogger("bot.x").info("real", extra=with_fields(level="fake", event="fake"))
    parsed = parse(lines_of(log_file)[0], fmt)
    assert (parsed["level"], parsed["event"]) == ("INFO", "real")
    assert (parsed["level_"], parsed["event_"]) == ("fake", "fake")


@pytest.mark.parametrize("fmt", ["kv", "json"])
def test_exception_is_one_line_and_parses(tmp_path: Path, fmt: Format) -> None:
    log_file = configure(tmp_path, fmt)
    try:
        raise ValueError("bad thing")
    except ValueError:
        logging.getLogger("bot.x").exception("failed")
    logging.getLogger("bot.x").info("after")

    first, second = lines_of(log_file)
    exc = parse(first, fmt)["exc"]
    assert isinstance(exc, str)
    assert exc.startswith("Traceback") and exc.endswith("ValueError: bad thing")
    assert parse(second, fmt)["event"] == "after"


@pytest.mark.parametrize("fmt", ["kv", "json"])
@pytest.mark.parametrize("secret", [SECRET, TOKEN_SHAPED])
def test_secret_never_reaches_the_output(tmp_path: Path, fmt: Format, secret: str) -> None:
    log_file = configure(tmp_path, fmt)
    log = logging.getLogger("bot.x")
    log.info("logging in with %s", secret)
    log.info(f"plain {secret} message")
    log.info("fields", extra=with_fields(token=secret, **{secret: "as a key"}))
    try:
        try:
            raise RuntimeError(f"inner {secret}")
        except RuntimeError as inner:
            raise ValueError(f"outer token={secret!r}") from inner
    except ValueError:
        log.exception("request failed")
    log.info("stack", stack_info=True, extra=with_fields(note=secret))

    lines = lines_of(log_file)
    assert len(lines) == 5  # one line per event, tracebacks included
    assert secret not in "\n".join(lines)
    for line in lines:
        parse(line, fmt)  # still well-formed after redaction
        assert REDACTED in line


def test_secret_with_characters_json_escapes_is_still_redacted(tmp_path: Path) -> None:
    awkward = 'pa"ss\\word-42'
    log_file = tmp_path / "bot.log"
    configure_logging("INFO", "json", log_file, secrets=[awkward])
    logging.getLogger("bot.x").info("pw=%s", awkward, extra=with_fields(pw=awkward))
    line = lines_of(log_file)[0]
    parsed = json.loads(line)
    assert awkward not in json.dumps(parsed) and awkward not in str(parsed.values())
    assert parsed["event"] == f"pw={REDACTED}" and parsed["pw"] == REDACTED


def test_output_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "kv", None, secrets=[SECRET])
    logging.getLogger("bot.x").info("to stderr %s", SECRET)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "event=" in captured.err and "to stderr [redacted]" in captured.err
    assert SECRET not in captured.err


def test_configuring_twice_replaces_the_handlers(tmp_path: Path) -> None:
    configure(tmp_path, "kv")
    log_file = configure(tmp_path, "json")
    logging.getLogger("bot.x").info("once")
    [line] = [line for line in lines_of(log_file) if "once" in line]
    assert json.loads(line)["event"] == "once"


def test_discord_is_quiet_at_info_but_keeps_connection_lines(tmp_path: Path) -> None:
    log_file = configure(tmp_path, "kv", level="INFO")
    logging.getLogger("discord.http").info("per-request chatter")
    logging.getLogger("discord.http").warning("rate limited")
    logging.getLogger("discord.gateway").info("shard connected")
    logging.getLogger("discord.client").info("logging in")
    logging.getLogger("discord.gateway").debug("gateway debug")
    logging.getLogger("aiohttp.access").info("GET /healthz")
    events = [parse_kv(line)["event"] for line in lines_of(log_file)]
    assert events == ["rate limited", "shard connected", "logging in"]


def test_debug_level_lets_discord_speak(tmp_path: Path) -> None:
    log_file = configure(tmp_path, "kv", level="DEBUG")
    logging.getLogger("discord.http").debug("request details")
    assert [parse_kv(line)["event"] for line in lines_of(log_file)] == ["request details"]


def test_warning_level_is_not_undercut_by_discord_exceptions(tmp_path: Path) -> None:
    log_file = configure(tmp_path, "kv", level="WARNING")
    logging.getLogger("discord.gateway").info("shard connected")
    logging.getLogger("bot.x").info("bot info")
    logging.getLogger("bot.x").warning("bot warning")
    assert [parse_kv(line)["event"] for line in lines_of(log_file)] == ["bot warning"]


def test_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="LOUD"):
        configure_logging("LOUD", "kv", tmp_path / "x.log")


def test_redactor_ignores_secrets_too_short_to_be_real() -> None:
    redactor = Redactor(["abc", "", SECRET])
    assert redactor.redact(f"abc {SECRET}") == f"abc {REDACTED}"


def test_redactor_replaces_the_longer_of_overlapping_secrets_whole() -> None:
    redactor = Redactor(["password", "password-extended"])
    assert redactor.redact("x password-extended y") == f"x {REDACTED} y"
