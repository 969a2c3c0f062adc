"""Politeness towards the sites we fetch: a per-host concurrency limit, backoff on 429/5xx, a time budget."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Deadline:
    """The time left in one research step's budget."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0


class RetryPolicy(BaseModel):
    """Exponential backoff with jitter; a server's Retry-After wins but is capped."""

    max_attempts: int = Field(default=3, ge=1, le=6)
    base_delay_s: float = Field(default=0.5, ge=0)
    max_delay_s: float = Field(default=8.0, ge=0)
    retry_after_cap_s: float = Field(default=10.0, ge=0)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempts count from 1)."""
        hinted = parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.retry_after_cap_s)
        step = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        # Half fixed, half random: spreads out clients that failed together without collapsing to zero.
        return step / 2 + random.uniform(0, step / 2)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HostLimiter:
    """At most `per_host` requests in flight to one host, across every search sharing the backend."""

    def __init__(self, per_host: int = 2) -> None:
        self.per_host = per_host
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def _semaphore(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self.per_host)
            return self._slots[host]

    @contextmanager
    def slot(self, host: str, timeout: float) -> Iterator[bool]:
        """Yields whether a slot was had within `timeout`; the caller gives up when it was not."""
        semaphore = self._semaphore(host.lower())
        acquired = semaphore.acquire(timeout=max(0.0, timeout))
        try:
            yield acquired
        finally:
            if acquired:
                semaphore.release()


class Retryable(Exception):
    """Raised by one attempt that may succeed if tried again later (429, 5xx)."""

    def __init__(self, reason: str, *, status: int | None = None, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    """No attempt succeeded, either because attempts ran out or because the next wait would overrun the budget."""

    def __init__(self, reason: str, *, status: int | None, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.attempts = attempts


def with_retries(
    attempt_once: Callable[[int], T],
    policy: RetryPolicy,
    deadline: Deadline,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[T, int]:
    """Call `attempt_once(attempt)` until it does not raise Retryable; returns (result, attempts used)."""
    for attempt in range(1, policy.max_attempts + 1):
        try:
            return attempt_once(attempt), attempt
        except Retryable as exc:
            if attempt == policy.max_attempts:
                raise RetriesExhausted(
                    f"{exc.reason} after {attempt} attempts", status=exc.status, attempts=attempt
                ) from exc
            delay = policy.delay(attempt, exc.retry_after)
            if delay >= deadline.remaining():
                raise RetriesExhausted(
                    f"{exc.reason}; a retry in {delay:.1f} s would overrun the time budget",
                    status=exc.status,
                    attempts=attempt,
                ) from exc
            sleep(delay)
    raise AssertionError("unreachable: max_attempts >= 1")
