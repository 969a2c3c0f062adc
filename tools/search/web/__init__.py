"""Live web search: `ddgs`, `tavily` and `searxng` behind the `SearchBackend` interface, with guarded fetch.

Client libraries (ddgs, tavily-python, trafilatura) are imported only when a web backend is made or used,
so local search never loads them.
"""

from __future__ import annotations

import os

from ...errors import SearchError
from .backend import Engine, EngineUnavailable, WebSearch
from .fetch import Fetcher, FetchFailure, Page
from .guard import UnsafeURLError, check_url
from .models import FetchEvent, WebResult, WebSettings
from .packages import require

WEB_BACKENDS = ("ddgs", "tavily", "searxng")


def _env(name: str, backend: str, what: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SearchError(f"--search {backend} needs {name} set to {what}")
    return value


def make_engine(name: str) -> Engine:
    if name == "ddgs":
        from .ddgs_search import DdgsEngine

        return DdgsEngine()
    if name == "tavily":
        from .tavily_search import TavilyEngine

        return TavilyEngine(_env("TAVILY_API_KEY", name, "your Tavily API key"))
    if name == "searxng":
        from .searxng_search import SearxngEngine

        return SearxngEngine(_env("SEARXNG_URL", name, "your SearxNG instance, e.g. http://localhost:8080"))
    raise SearchError(f"unknown web search backend {name!r}; available: {', '.join(WEB_BACKENDS)}")


def make_web_search(name: str, settings: WebSettings | None = None) -> WebSearch:
    engine = make_engine(name)
    require("trafilatura", "trafilatura", name)  # page extraction, needed by every web backend
    return WebSearch(engine, settings)


__all__ = [
    "WEB_BACKENDS",
    "Engine",
    "EngineUnavailable",
    "FetchEvent",
    "FetchFailure",
    "Fetcher",
    "Page",
    "UnsafeURLError",
    "WebResult",
    "WebSearch",
    "WebSettings",
    "check_url",
    "make_web_search",
]
