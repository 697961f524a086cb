"""REST faults on demand: rate limits, server errors and slow answers for matching routes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


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

    def rate_limit(
        self,
        route: str,
        *,
        method: str | None = None,
        count: int = 1,
        retry_after: float = 0.2,
        scope: str = "user",
        is_global: bool = False,
    ) -> FaultRule:
        """The next ``count`` matching requests get 429 (route like ``/channels/{id}/messages``)."""
        rule = FaultRule(
            FaultKind.RATE_LIMIT, compile_route(route), method, count,
            retry_after=retry_after, scope=scope, is_global=is_global, status=429,
        )  # fmt: skip
        return self.add(rule)

    def server_error(
        self, route: str, *, method: str | None = None, count: int = 1, status: int = 500
    ) -> FaultRule:
        """The next ``count`` matching requests get ``status`` (500, 502, 503, 504)."""
        rule = FaultRule(FaultKind.SERVER_ERROR, compile_route(route), method, count, status=status)
        return self.add(rule)

    def slow(
        self, route: str, *, delay: float, method: str | None = None, count: int = 1
    ) -> FaultRule:
        """The next ``count`` matching requests are answered normally after ``delay`` s."""
        rule = FaultRule(FaultKind.DELAY, compile_route(route), method, count, delay=delay)
        return self.add(rule)

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
