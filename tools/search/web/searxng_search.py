"""`searxng` engine: a SearxNG instance's JSON API (SEARXNG_URL), over plain httpx.

The instance is the user's own choice, often on localhost, so it is not subject to the fetch guard.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from ...errors import SearchError
from .backend import EngineUnavailable
from .models import WebResult, web_result
from .politeness import RETRY_STATUSES, Deadline, RetriesExhausted, Retryable, RetryPolicy, with_retries


class SearxngEngine:
    name = "searxng"

    def __init__(
        self,
        base_url: str,
        *,
        categories: str = "news",
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise SearchError(f"SEARXNG_URL must be an http(s) URL, got {base_url!r}")
        self.endpoint = base_url.rstrip("/") + "/search"
        self.categories = categories  # news results carry publishedDate, which `--as-of` needs
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.client = httpx.Client(transport=transport, headers={"Accept": "application/json"})

    def query(self, query: str, n: int, as_of: date | None, deadline: Deadline) -> list[WebResult]:
        params = {"q": query, "format": "json", "categories": self.categories, "pageno": 1}
        try:
            data, _ = with_retries(lambda _n: self._get(params, deadline), self.retry, deadline, self.sleep)
        except RetriesExhausted as exc:
            raise EngineUnavailable(f"searxng: {exc.reason}") from exc
        hits = data.get("results") if isinstance(data, dict) else None
        return [r for r in (_from_hit(hit) for hit in hits or []) if r is not None][:n]

    def _get(self, params: dict[str, Any], deadline: Deadline) -> Any:
        try:
            response = self.client.get(self.endpoint, params=params, timeout=max(deadline.remaining(), 0.1))
        except httpx.TimeoutException as exc:
            raise EngineUnavailable(f"SearxNG at {self.endpoint} timed out") from exc
        except httpx.HTTPError as exc:
            raise EngineUnavailable(f"cannot reach SearxNG at {self.endpoint}: {type(exc).__name__}") from exc
        status = response.status_code
        if status in RETRY_STATUSES:
            raise Retryable(f"HTTP {status}", status=status, retry_after=response.headers.get("retry-after"))
        if status == 403:
            # SearxNG answers 403 when the JSON format is not enabled: the user must change settings.yml.
            raise SearchError(
                f"SearxNG at {self.endpoint} refused format=json (HTTP 403): add 'json' to search.formats "
                "in its settings.yml (SEARXNG_URL)"
            )
        if not response.is_success:
            raise EngineUnavailable(f"SearxNG at {self.endpoint} answered HTTP {status}")
        try:
            return response.json()
        except ValueError as exc:
            raise EngineUnavailable(f"SearxNG at {self.endpoint} did not answer JSON") from exc


def _from_hit(hit: Any) -> WebResult | None:
    if not isinstance(hit, dict):
        return None
    return web_result(hit.get("url"), hit.get("title"), hit.get("content"), published=hit.get("publishedDate"))
