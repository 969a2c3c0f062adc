"""What web search passes around: engine results, fetch events for the trace, and the tunable limits."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from .politeness import RetryPolicy

MAX_TITLE_CHARS = 300
Outcome = Literal["ok", "provided", "fallback", "refused", "dropped", "failed"]


class WebResult(BaseModel):
    """One search-engine hit, before its page is fetched."""

    model_config = ConfigDict(frozen=True)

    url: str
    title: str
    snippet: str = ""
    publisher: str
    published: date | None = None
    content: str | None = None  # page text when the engine supplies it (Tavily raw_content)

    @property
    def doc_id(self) -> str:
        return web_doc_id(self.url)


class FetchEvent(BaseModel):
    """One search call or page fetch and how it ended; read by the run trace."""

    kind: Literal["search", "fetch"]
    url: str
    query: str = ""  # the research query that caused it
    status: int | None = None
    outcome: Outcome
    reason: str = ""
    attempts: int = 0
    seconds: float = 0.0


class WebSettings(BaseModel):
    """Limits for one backend. `budget_s` bounds a whole `search()` call: engine query plus page fetches."""

    budget_s: float = Field(default=25.0, gt=0)
    results_per_query: int = Field(default=8, ge=1, le=20, description="engine hits asked for")
    fetch_top: int = Field(default=5, ge=0, le=10, description="pages fetched per search")
    max_passages_per_doc: int = Field(default=2, ge=1)
    max_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    max_redirects: int = Field(default=5, ge=0)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    read_timeout_s: float = Field(default=10.0, gt=0)
    per_host: int = Field(default=2, ge=1)
    fetch_workers: int = Field(default=4, ge=1)
    min_article_words: int = Field(default=40, ge=0, description="shorter extractions fall back to the snippet")
    retry: RetryPolicy = Field(default_factory=RetryPolicy)


def web_doc_id(url: str) -> str:
    """Stable per URL (fragment ignored), so the same page gets the same evidence ids in every run."""
    return "web-" + hashlib.sha1(url.split("#", 1)[0].encode("utf-8")).hexdigest()[:10]


def publisher_of(url: str) -> str:
    """The site's domain as its publisher: "https://www.reuters.com/x" -> "reuters.com"."""
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    return host or "unknown"


def parse_published(value: object) -> date | None:
    """A date from whatever an engine sends: ISO 8601, RFC 2822, or a Unix timestamp. Unknown -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def clean_title(title: str | None, url: str) -> str:
    text = " ".join((title or "").split())
    return (text or url)[:MAX_TITLE_CHARS]


def web_result(
    url: object,
    title: object,
    snippet: object = "",
    *,
    publisher: object = None,
    published: object = None,
    content: str | None = None,
) -> WebResult | None:
    """One engine hit as a WebResult, normalised the same way for every engine; None unless the URL
    is http(s). The publisher falls back to the URL's domain."""
    link = str(url or "")
    if not link.startswith(("http://", "https://")):
        return None
    return WebResult(
        url=link,
        title=clean_title(str(title) if title else None, link),
        snippet=str(snippet or ""),
        publisher=str(publisher or "").strip() or publisher_of(link),
        published=parse_published(published),
        content=content,
    )
