"""REST faults on demand: rate limits, server errors and slow answers for matching routes."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

from aiohttp import web

from .payloads import error_payload

RATE_LIMIT_VIA = "1.1 google"
"""discord.py treats a 429 without a ``Via`` header as a Cloudflare ban and does not retry."""


class FaultKind(Enum):
    """What a matching request gets instead of (or before) its normal answer."""

    RATE_LIMIT = "rate_limit"
    SERVER_ERROR = "server_error"
    DELAY = "delay"


@dataclass
class FaultRule:
    """Applies to the next ``remaining`` requests whose method and path match."""

    kind: FaultKind
    path_pattern: re.Pattern[str]
    method: str | None
    remaining: int
    status: int = 500
    retry_after: float = 0.2
    scope: str = "user"
    is_global: bool = False
    delay: float = 0.0
    bucket: str = "double-bucket"
    hits: int = 0

    def applies_to(self, method: str, path: str) -> bool:
        """Whether this rule still has uses left and matches the request."""
        if self.remaining <= 0:
            return False
        if self.method is not None and self.method != method:
            return False
        return self.path_pattern.fullmatch(path) is not None


class FaultPlan:
    """The faults tests have asked for, consumed in the order they were added."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> FaultRule:
        """Queue a rule; returned so a test can check ``rule.hits`` afterwards."""
        self.rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FaultRule | None:
        """Consume one use of the first matching rule, if any."""
        for rule in self.rules:
            if rule.applies_to(method, path):
                rule.remaining -= 1
                rule.hits += 1
                return rule
        return None

    def clear(self) -> None:
        """Forget all rules (used between scenarios)."""
        self.rules.clear()


def compile_route(pattern: str) -> re.Pattern[str]:
    """Turn ``/channels/{id}/messages`` style patterns into a regex; ``*`` spans segments."""
    escaped = re.escape(pattern).replace(r"\*", ".*")
    return re.compile(re.sub(r"\\\{[a-z_]+\\\}", r"[^/]+", escaped))


def json_response(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON reply whose Content-Type is exactly ``application/json``.

    discord.py compares the header for equality; aiohttp's ``json_response`` appends a
    charset and the client then treats the body as text.
    """
    import json

    response = web.Response(
        body=json.dumps(body).encode(), status=status, headers=headers or {}
    )
    response.headers["Content-Type"] = "application/json"
    return response


def rate_limit_response(rule: FaultRule) -> web.Response:
    """A 429 with Discord's body and every rate-limit header a client may read."""
    now = time.time()
    headers = {
        "Retry-After": str(math.ceil(rule.retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{now + rule.retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
        "X-RateLimit-Bucket": rule.bucket,
        "X-RateLimit-Scope": rule.scope,
        "Via": RATE_LIMIT_VIA,
    }
    if rule.is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": rule.retry_after,
        "global": rule.is_global,
        "code": 0,
    }
    return json_response(body, status=429, headers=headers)


def server_error_response(rule: FaultRule) -> web.Response:
    """A 5xx as Discord's edge returns it (JSON for 500, plain text for gateway errors)."""
    if rule.status == 500:
        return json_response(error_payload(0, "500: Internal Server Error"), status=500)
    return web.Response(status=rule.status, text=f"{rule.status} Bad Gateway", content_type="text/plain")
