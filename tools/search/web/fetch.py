"""Fetch one page safely and reduce it to article text.

Redirects are followed by hand so the guard sees every hop; bodies are streamed and cut at a byte cap; only
HTML and plain text are read; 429/5xx are retried with backoff inside the caller's time budget. Any failure is
a `FetchFailure` whose reason the caller records before falling back to the search snippet.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import httpx
from pydantic import BaseModel

from .guard import UnsafeURLError, check_url, guarded_transport
from .models import WebSettings, parse_published
from .politeness import RETRY_STATUSES, Deadline, HostLimiter, RetriesExhausted, Retryable, with_retries

USER_AGENT = "vantage/0.1 (research agent; +https://github.com/vantage)"
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchFailure(Exception):
    """A page that could not be used; `refused` marks a guard refusal rather than a fault."""

    def __init__(self, reason: str, *, status: int | None = None, attempts: int = 0, refused: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.attempts = attempts
        self.refused = refused


class Page(BaseModel):
    url: str  # after redirects
    status: int
    text: str
    title: str | None = None
    published: date | None = None
    truncated: bool = False
    attempts: int = 1


class _Reply(BaseModel):
    status: int
    location: str | None = None
    content_type: str = ""
    body: bytes = b""
    encoding: str | None = None
    truncated: bool = False


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def extract_article(body: bytes, content_type: str, url: str, encoding: str | None) -> Page:
    """Article text (and title/date when the page states them) from an HTML or plain-text body."""
    if media_type(content_type) not in HTML_TYPES:
        return Page(url=url, status=200, text=body.decode(encoding or "utf-8", errors="replace"))
    import trafilatura  # heavy: loaded only when a page is actually fetched

    doc = trafilatura.bare_extraction(
        body,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # Dates only from the page's metadata: the text-scanning fallback mistakes a year in the prose
        # ("since 2022") for the publication date, which would wrongly drop pages under --as-of.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not getattr(doc, "text", None):
        return Page(url=url, status=200, text="")
    return Page(url=url, status=200, text=doc.text, title=doc.title, published=parse_published(doc.date))


class Fetcher:
    def __init__(
        self,
        settings: WebSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        limiter: HostLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or WebSettings()
        self.limiter = limiter or HostLimiter(self.settings.per_host)
        self.sleep = sleep
        self.client = httpx.Client(
            transport=transport or guarded_transport(),
            follow_redirects=False,
            trust_env=False,
            # identity: the byte cap then bounds what is held in memory, with no decompression bomb possible.
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html, text/plain;q=0.8",
                "Accept-Encoding": "identity",
            },
        )

    def fetch(self, url: str, deadline: Deadline) -> Page:
        """The page at `url` as article text; raises FetchFailure (refused=True for the guard)."""
        current, attempts = url, 0
        for _hop in range(self.settings.max_redirects + 1):
            try:
                check_url(current)
                reply, tries = self._get_with_retries(current, deadline)
            except UnsafeURLError as exc:
                raise FetchFailure(str(exc), attempts=attempts, refused=True) from exc
            attempts += tries
            if reply.location is None:
                page = extract_article(reply.body, reply.content_type, current, reply.encoding)
                return page.model_copy(
                    update={"status": reply.status, "truncated": reply.truncated, "attempts": attempts}
                )
            current = str(httpx.URL(current).join(reply.location))
        raise FetchFailure(f"more than {self.settings.max_redirects} redirects", attempts=attempts)

    def _get_with_retries(self, url: str, deadline: Deadline) -> tuple[_Reply, int]:
        try:
            return with_retries(
                lambda n: self._get_once(url, deadline, n), self.settings.retry, deadline, self.sleep
            )
        except RetriesExhausted as exc:
            raise FetchFailure(exc.reason, status=exc.status, attempts=exc.attempts) from exc

    def _get_once(self, url: str, deadline: Deadline, attempt: int) -> _Reply:
        host = httpx.URL(url).host
        with self.limiter.slot(host, deadline.remaining()) as acquired:
            if not acquired:
                raise FetchFailure(f"no free slot for {host} within the time budget", attempts=attempt - 1)
            left = deadline.remaining()
            if left <= 0:
                raise FetchFailure("time budget spent before the request", attempts=attempt - 1)
            timeout = httpx.Timeout(
                min(self.settings.read_timeout_s, left), connect=min(self.settings.connect_timeout_s, left)
            )
            try:
                with self.client.stream("GET", url, timeout=timeout) as response:
                    return self._read(response, attempt, deadline)
            except httpx.TimeoutException as exc:
                raise FetchFailure(f"timed out ({type(exc).__name__})", attempts=attempt) from exc
            except httpx.HTTPError as exc:
                raise FetchFailure(f"request failed: {type(exc).__name__}: {exc}", attempts=attempt) from exc

    def _read(self, response: httpx.Response, attempt: int, deadline: Deadline) -> _Reply:
        status = response.status_code
        if response.is_redirect:
            return _Reply(status=status, location=response.headers["location"])
        if status in RETRY_STATUSES:
            raise Retryable(f"HTTP {status}", status=status, retry_after=response.headers.get("retry-after"))
        if not response.is_success:
            raise FetchFailure(f"HTTP {status}", status=status, attempts=attempt)
        content_type = response.headers.get("content-type", "")
        if media_type(content_type) not in TEXT_TYPES:
            shown = media_type(content_type) or "none"
            raise FetchFailure(
                f"content type {shown} refused (only text/html and text/plain)", status=status, attempts=attempt
            )
        cap = self.settings.max_bytes
        body = bytearray()
        truncated = False
        for chunk in response.iter_bytes():
            if deadline.expired:
                # The read timeout bounds each chunk, not the whole body: a server dripping bytes stops here.
                raise FetchFailure("time budget spent while reading the body", status=status, attempts=attempt)
            body.extend(chunk)
            if len(body) > cap:
                # Keep the first `cap` bytes and stop reading: the article text is near the top of a page.
                truncated = True
                del body[cap:]
                break
        return _Reply(
            status=status,
            content_type=content_type,
            body=bytes(body),
            encoding=response.charset_encoding,
            truncated=truncated,
        )
