"""Process-wide logging: one line per event, key=value or JSON, with secrets redacted.

Call `configure_logging` once at start, before the Discord client exists, and start the
client with `log_handler=None` so discord.py does not install its own handler.

Structured fields ride on the standard `extra` argument under one key, `fields`:

    log.info("answered question", extra=with_fields(fact_id=12, latency_ms=3.1))

Redaction lives in the formatters, not in a `logging.Filter`: filters run before the line
is rendered, so they cannot see the exception text or the final line. Each formatter
redacts every rendered piece (message, fields, traceback) before quoting or JSON-escaping
them, so escaping cannot hide a secret, and then redacts the finished line once more.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal

FIELDS_ATTR: Final = "fields"
REDACTED: Final = "[redacted]"
# Discord bot tokens: base64 user id (24+ chars) . timestamp . HMAC, all base64url. Redacted
# even when not configured as a secret, as a safety net for a token pasted into a message.
DISCORD_TOKEN_PATTERN: Final = re.compile(
    r"[A-Za-z0-9_-]{24,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}"
)
# Shorter "secrets" would redact ordinary words all over the log; real tokens are ~70 chars.
MIN_SECRET_LENGTH: Final = 8

# discord.py loggers and the level each gets when the bot logs at INFO or above.
# Connect, resume and reconnect lines (discord.client, discord.gateway) are a handful per
# hour and are exactly what you need when the bot goes quiet, so they stay at INFO; the
# rest of discord.py logs per-request chatter at INFO/DEBUG and is cut to WARNING.
# aiohttp.access would log every health probe.
_QUIETED_LOGGERS: Final = {
    "discord": logging.WARNING,
    "discord.client": logging.INFO,
    "discord.gateway": logging.INFO,
    "aiohttp.access": logging.WARNING,
}
# Marks handlers this module installed, so a second configure_logging replaces them.
_OWNED_HANDLER_ATTR: Final = "_strikebot_owned"

# Record attributes that are the event itself; never emitted as extra fields.
_CORE_KEYS: Final = ("ts", "level", "logger", "event", "exc", "stack")
_KV_SAFE_VALUE: Final = re.compile(r'[^\s"\\=]+')
_KV_UNSAFE_KEY_CHARS: Final = re.compile(r"[^A-Za-z0-9_.-]")


def with_fields(**fields: object) -> dict[str, object]:
    """The `extra=` argument that attaches structured fields to one log call."""
    return {FIELDS_ATTR: fields}


class Redactor:
    """Replaces configured secrets and anything shaped like a Discord token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        usable = {secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH}
        # Longest first, so a secret containing another is replaced whole.
        self._secrets = sorted(usable, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every secret replaced by [redacted]."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return DISCORD_TOKEN_PATTERN.sub(REDACTED, text)


class _EventFormatter(logging.Formatter):
    """Collects one record's parts, redacted, in a fixed order; subclasses serialise them."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def event_parts(self, record: logging.LogRecord) -> dict[str, object]:
        """ts, level, logger, event, extra fields, then exc/stack if present."""
        redact = self._redactor.redact
        stamp = datetime.fromtimestamp(record.created, UTC)
        parts: dict[str, object] = {
            "ts": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        fields = getattr(record, FIELDS_ATTR, None)
        if isinstance(fields, Mapping):
            for key, value in fields.items():
                name = redact(str(key))
                # A field may not overwrite the event's own keys; it is kept, renamed.
                name = f"{name}_" if name in _CORE_KEYS else name
                parts[name] = _redact_value(value, redact)
        # Rendered here rather than cached in record.exc_text, so no other handler
        # inherits an unredacted traceback from us.
        if record.exc_info:
            parts["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            parts["exc"] = redact(record.exc_text)
        if record.stack_info:
            parts["stack"] = redact(self.formatStack(record.stack_info))
        return parts


class KeyValueFormatter(_EventFormatter):
    """`ts=... level=INFO logger=bot.x event="text" key=value`, one line per record."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one key=value line."""
        pairs = (
            f"{_kv_key(key)}={_kv_value(value)}" for key, value in self.event_parts(record).items()
        )
        return self._redactor.redact(" ".join(pairs))


class JsonFormatter(_EventFormatter):
    """One JSON object per line, with the same keys as the key=value format."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one line of JSON."""
        line = json.dumps(self.event_parts(record), ensure_ascii=False, default=str)
        return self._redactor.redact(line)


def configure_logging(
    level: str,
    fmt: Literal["kv", "json"],
    log_file: Path | None,
    secrets: Iterable[str] = (),
) -> None:
    """Send all logging to stderr (and `log_file`) in one format, redacting `secrets`.

    Safe to call again (e.g. in tests): handlers from an earlier call are replaced.
    """
    numeric_level = logging.getLevelName(level.upper())
    if not isinstance(numeric_level, int):
        raise ValueError(f"unknown log level {level!r}")
    redactor = Redactor(secrets)
    formatter: logging.Formatter = (
        JsonFormatter(redactor) if fmt == "json" else KeyValueFormatter(redactor)
    )
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))

    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _OWNED_HANDLER_ATTR, False)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        handler.setFormatter(formatter)
        # The handler enforces the chosen level even for loggers set lower below.
        handler.setLevel(numeric_level)
        setattr(handler, _OWNED_HANDLER_ATTR, True)
        root.addHandler(handler)
    root.setLevel(numeric_level)
    for name, quiet_level in _QUIETED_LOGGERS.items():
        chosen = numeric_level if numeric_level <= logging.DEBUG else quiet_level
        logging.getLogger(name).setLevel(max(chosen, numeric_level))


def _redact_value(value: object, redact: Callable[[str], str]) -> object:
    """Keep JSON-native scalars as they are; render anything else as redacted text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return redact(str(value))


def _kv_key(key: str) -> str:
    return _KV_UNSAFE_KEY_CHARS.sub("_", key) or "_"


def _kv_value(value: object) -> str:
    """Bare when unambiguous; otherwise double-quoted with \\ \" \\n \\r \\t escaped."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _KV_SAFE_VALUE.fullmatch(text):
        return text
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'
