"""HTTP replies shaped like Discord's: exact JSON content type, error bodies, rate-limit headers."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from aiohttp import web

from .faults import FaultRule
from .payloads import error_payload

RATE_LIMIT_VIA = "1.1 google"
"""discord.py treats a 429 without a ``Via`` header as a Cloudflare ban and does not retry."""
NORMAL_BUCKET_LIMIT = 50
"""High enough that discord.py never pre-emptively waits on a bucket in normal tests."""


def json_response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON reply whose Content-Type is exactly ``application/json``.

    discord.py compares the header for equality; aiohttp's ``json_response`` appends a
    charset and the client then treats the body as text.
    """
    response = web.Response(body=json.dumps(body).encode(), status=status, headers=headers or {})
    response.headers["Content-Type"] = "application/json"
    return response


def error_response(status: int, code: int, message: str, errors: Any = None) -> web.Response:
    """Discord's error JSON (``{"code", "message", "errors"?}``) with the given status."""
    return json_response(error_payload(code, message, errors), status=status)


def no_content() -> web.Response:
    """204, as Discord answers deletes, typing and reactions."""
    return web.Response(status=204)


def bucket_headers(bucket: str) -> dict[str, str]:
    """Rate-limit headers of a successful call, so the client's bucket bookkeeping runs."""
    reset_after = 1.0
    return {
        "X-RateLimit-Limit": str(NORMAL_BUCKET_LIMIT),
        "X-RateLimit-Remaining": str(NORMAL_BUCKET_LIMIT - 1),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }


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


def server_error_response(status: int) -> web.Response:
    """A 5xx as Discord's edge returns it (JSON for 500, plain text from the proxy otherwise)."""
    if status == 500:
        return error_response(500, 0, "500: Internal Server Error")
    return web.Response(status=status, text=f"{status} Bad Gateway", content_type="text/plain")
