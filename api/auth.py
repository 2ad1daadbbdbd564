"""Who is calling: API keys with roles for staff and integrators, access codes for citizens.

Staff send ``X-API-Key: hoso_...`` (or ``Authorization: Bearer hoso_...``). ``admin`` may do
everything. Citizens have no account: they send their dossier code in the path and the access
code printed on their receipt in ``X-Access-Code``; wrong codes are counted per dossier and
client, in Redis when one is configured (so every API process shares the count), else in this
process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from api.errors import ApiError


@dataclass(frozen=True)
class Principal:
    """An authenticated staff member or system (from its API key)."""

    key_id: str
    name: str
    role: str

    @property
    def actor(self) -> str:
        """How the event log names this caller."""
        return f"{self.role}:{self.name}"


def authorize(principal: Principal | None, roles: tuple[str, ...]) -> Principal:
    """The principal if its role is one of ``roles`` (admin always is); else 401/403."""
    if principal is None:
        raise ApiError(
            401,
            "unauthorized",
            "an API key is required: send it in the X-API-Key header "
            "(create one with `hoso keys create --role ROLE --name NAME`)",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    if principal.role != "admin" and principal.role not in roles:
        raise ApiError(
            403,
            "forbidden",
            f"this call needs the role {' or '.join(roles)}; the key {principal.key_id!r} "
            f"has the role {principal.role!r}",
        )
    return principal


def presented_key(x_api_key: str | None, authorization: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


# --- access-code attempts --------------------------------------------------------------------
class AttemptLimiter(Protocol):
    """Counts failed attempts per key over a sliding window."""

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again (0: it may try now)."""
        ...

    def failed(self, key: str) -> None: ...

    def succeeded(self, key: str) -> None: ...


class MemoryLimiter:
    """In-process window (the embedded single-process default)."""

    def __init__(self, max_failures: int, window_seconds: int) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, key: str) -> int:
        now = time.monotonic()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                return 0
            return max(1, int(times[0] + self.window - now) + 1)

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class RedisLimiter:
    """A fixed window per key in Redis (``INCR`` + ``EXPIRE``), shared by all API processes."""

    def __init__(self, url: str, max_failures: int, window_seconds: int) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.max_failures = max_failures
        self.window = window_seconds

    @staticmethod
    def _key(key: str) -> str:
        return f"hoso:access-failures:{key}"

    def retry_after(self, key: str) -> int:
        count = self.client.get(self._key(key))
        if count is None or int(count) < self.max_failures:
            return 0
        ttl = int(self.client.ttl(self._key(key)))
        return max(1, ttl)

    def failed(self, key: str) -> None:
        pipe = self.client.pipeline()
        pipe.incr(self._key(key))
        pipe.expire(self._key(key), self.window, nx=True)
        pipe.execute()

    def succeeded(self, key: str) -> None:
        self.client.delete(self._key(key))


def make_limiter(broker_url: str | None, max_failures: int, window_seconds: int) -> AttemptLimiter:
    """Redis when the broker is Redis (all API processes share it), else in-process."""
    if broker_url and broker_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisLimiter(broker_url, max_failures, window_seconds)
    return MemoryLimiter(max_failures, window_seconds)
