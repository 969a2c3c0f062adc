"""`tavily` engine: the official Tavily client (TAVILY_API_KEY). Tavily returns page text itself, so its
results usually need no fetch of ours."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from ...errors import SearchError
from .backend import EngineUnavailable
from .models import WebResult, web_result
from .packages import require
from .politeness import Deadline, RetriesExhausted, Retryable, RetryPolicy, with_retries

TAVILY_API = "https://api.tavily.com"
MAX_CONTENT_CHARS = 40_000  # raw_content can be a whole site dump; the article is at the top


class TavilyEngine:
    name = "tavily"
    endpoint = f"{TAVILY_API}/search"

    def __init__(
        self,
        api_key: str,
        *,
        topic: str = "news",
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        require("tavily", "tavily-python", self.name)
        self.api_key = api_key
        self.topic = topic  # "news" results carry published_date, which `--as-of` needs
        self.retry = retry or RetryPolicy()
        self.transport = transport
        self.sleep = sleep

    def query(self, query: str, n: int, as_of: date | None, deadline: Deadline) -> list[WebResult]:
        try:
            data, _ = with_retries(
                lambda _attempt: asyncio.run(self._search_once(query, n, as_of, deadline.remaining())),
                self.retry,
                deadline,
                self.sleep,
            )
        except RetriesExhausted as exc:
            raise EngineUnavailable(f"tavily: {exc.reason}") from exc
        return [r for r in (_from_hit(hit) for hit in data.get("results") or []) if r is not None]

    async def _search_once(self, query: str, n: int, as_of: date | None, timeout: float) -> dict[str, Any]:
        from tavily import AsyncTavilyClient
        from tavily.errors import (
            BadRequestError,
            ForbiddenError,
            InvalidAPIKeyError,
            UsageLimitExceededError,
        )
        from tavily.errors import TimeoutError as TavilyTimeout

        # A client per call: an httpx.AsyncClient must not outlive the event loop asyncio.run made for it.
        async with httpx.AsyncClient(base_url=TAVILY_API, transport=self.transport, timeout=timeout) as http:
            client = AsyncTavilyClient(api_key=self.api_key, client=http)
            try:
                return await client.search(
                    query,
                    topic=self.topic,
                    max_results=n,
                    include_raw_content="text",
                    end_date=as_of.isoformat() if as_of else None,
                    timeout=max(timeout, 0.1),
                )
            except (InvalidAPIKeyError, ForbiddenError) as exc:
                raise SearchError(f"Tavily refused TAVILY_API_KEY ({type(exc).__name__}: {exc})") from exc
            except UsageLimitExceededError as exc:
                raise Retryable(f"HTTP 429 (rate or usage limit: {exc})", status=429) from exc
            except BadRequestError as exc:
                raise EngineUnavailable(f"tavily rejected the query: {exc}") from exc
            except httpx.HTTPStatusError as exc:
                status = exc.response.status_code
                if status >= 500:
                    retry_after = exc.response.headers.get("retry-after")
                    raise Retryable(f"HTTP {status}", status=status, retry_after=retry_after) from exc
                raise EngineUnavailable(f"tavily answered HTTP {status}") from exc
            except (TavilyTimeout, httpx.TimeoutException) as exc:
                raise EngineUnavailable("tavily timed out") from exc
            except httpx.HTTPError as exc:
                raise EngineUnavailable(f"cannot reach Tavily: {type(exc).__name__}: {exc}") from exc


def _from_hit(hit: dict[str, Any]) -> WebResult | None:
    raw = (hit.get("raw_content") or "").strip()
    return web_result(
        hit.get("url"),
        hit.get("title"),
        hit.get("content"),
        published=hit.get("published_date"),
        content=raw[:MAX_CONTENT_CHARS] or None,
    )
