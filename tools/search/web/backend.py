"""A web search backend: ask an engine, fetch the top pages, cut them into passages, rank them for the query.

Everything one `search()` does (the engine query, every fetch and retry) shares one time budget; when it is
spent the call returns what it has, and pages not yet fetched fall back to their search snippets.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date
from typing import Literal, Protocol

from ..corpus import Passage, sentence_chunks
from ..local import BM25Index
from .fetch import Fetcher, FetchFailure, Page
from .models import FetchEvent, Outcome, WebResult, WebSettings
from .politeness import Deadline

MAX_PASSAGES_PER_PAGE = 60  # ~5,400 words: the article, not the comment section below it


class EngineUnavailable(Exception):
    """The engine failed in a way that may pass (timeout, rate limit, outage): the step goes on without it."""


class Engine(Protocol):
    """A search engine client. Configuration faults raise SearchError; passing faults EngineUnavailable."""

    name: str
    endpoint: str  # shown in events

    def query(self, query: str, n: int, as_of: date | None, deadline: Deadline) -> list[WebResult]: ...


class WebSearch:
    """`SearchBackend` over a live engine. `events` records every engine call and page fetch, in order."""

    def __init__(
        self,
        engine: Engine,
        settings: WebSettings | None = None,
        *,
        fetcher: Fetcher | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.name = engine.name
        self.settings = settings or WebSettings()
        self.fetcher = fetcher or Fetcher(self.settings)
        self.events: list[FetchEvent] = []
        self._clock = clock
        self._events_lock = threading.Lock()

    def search(self, query: str, k: int = 5, as_of: date | None = None) -> list[Passage]:
        deadline = Deadline(self.settings.budget_s, self._clock)
        pool = ThreadPoolExecutor(max_workers=self.settings.fetch_workers, thread_name_prefix=f"web-{self.name}")
        try:
            results = self._ask_engine(pool, query, as_of, deadline)
            # One entry per page; undated results are kept: the page itself may still reveal a date.
            first = {r.doc_id: r for r in reversed(results)}
            results = [
                r for r in results if first[r.doc_id] is r and not self._too_late(query, r.url, r.published, as_of)
            ]
            passages = self._read_results(pool, query, results, as_of, deadline)
        finally:
            # Never wait for stragglers: each is bounded by its own timeouts and its result is no longer wanted.
            pool.shutdown(wait=False, cancel_futures=True)
        return select_passages(passages, query, k, self.settings.max_passages_per_doc)

    def _note(
        self,
        query: str,
        url: str,
        outcome: Outcome,
        reason: str,
        *,
        kind: Literal["search", "fetch"] = "fetch",
        started: float | None = None,
        status: int | None = None,
        attempts: int = 0,
    ) -> None:
        seconds = round(self._clock() - started, 3) if started is not None else 0.0
        event = FetchEvent(
            kind=kind,
            url=url,
            query=query,  # parallel research branches share this backend: the query tells them apart
            status=status,
            outcome=outcome,
            reason=reason,
            attempts=attempts,
            seconds=seconds,
        )
        with self._events_lock:
            self.events.append(event)

    def _too_late(self, query: str, url: str, published: date | None, as_of: date | None) -> bool:
        """Published after `as_of` (recorded as dropped). Undated pages are kept: nothing says they are late."""
        if not (as_of and published and published > as_of):
            return False
        self._note(query, url, "dropped", f"published {published} after as-of {as_of}")
        return True

    def _ask_engine(
        self, pool: ThreadPoolExecutor, query: str, as_of: date | None, deadline: Deadline
    ) -> list[WebResult]:
        started = self._clock()
        url = f"{self.engine.endpoint}?q={query}"
        future = pool.submit(self.engine.query, query, self.settings.results_per_query, as_of, deadline)
        try:
            results = future.result(timeout=deadline.remaining())
        except FutureTimeout:
            self._note(query, url, "failed", "no answer within the time budget", kind="search", started=started)
            return []
        except EngineUnavailable as exc:
            self._note(query, url, "failed", str(exc), kind="search", started=started)
            return []
        self._note(query, url, "ok", f"{len(results)} results", kind="search", started=started)
        return results

    def _read_results(
        self,
        pool: ThreadPoolExecutor,
        query: str,
        results: list[WebResult],
        as_of: date | None,
        deadline: Deadline,
    ) -> list[Passage]:
        """Passages for every result: fetched article text for the top ones, the snippet for the rest."""
        to_fetch = [r for r in results[: self.settings.fetch_top] if r.content is None]
        futures = {r.doc_id: pool.submit(self._fetch, query, r, deadline) for r in to_fetch}
        done, _ = wait(futures.values(), timeout=deadline.remaining())
        passages: list[Passage] = []
        for result in results:
            text, published = result.snippet, result.published
            future = futures.get(result.doc_id)
            if result.content is not None:
                text = result.content
                self._note(query, result.url, "provided", "page text from the engine")
            elif future is not None and future not in done:
                future.cancel()
                self._note(
                    query, result.url, "fallback", "time budget spent before the page arrived; snippet used"
                )
            elif future is not None and (page := future.result()) is not None:
                text, published = page.text, published or page.published
            if not self._too_late(query, result.url, published, as_of):
                passages.extend(passages_for(result, text, published))
        return passages

    def _fetch(self, query: str, result: WebResult, deadline: Deadline) -> Page | None:
        """Fetch one page; every ending is recorded, and any failure means "use the snippet" (None)."""
        started = self._clock()
        try:
            page = self.fetcher.fetch(result.url, deadline)
        except FetchFailure as exc:
            outcome: Outcome = "refused" if exc.refused else "fallback"
            reason = f"{exc.reason}; snippet used"
            self._note(
                query, result.url, outcome, reason, started=started, status=exc.status, attempts=exc.attempts
            )
            return None
        except Exception as exc:  # a page that breaks the extractor must not end the research step
            reason = f"extraction failed: {type(exc).__name__}: {exc}; snippet used"
            self._note(query, result.url, "fallback", reason, started=started)
            return None
        words = len(page.text.split())
        if words < self.settings.min_article_words:
            reason = f"only {words} words of article text; snippet used"
            self._note(
                query, result.url, "fallback", reason, started=started, status=page.status, attempts=page.attempts
            )
            return None
        notes = [f"{words} words"]
        if page.truncated:
            notes.append(f"body cut at {self.settings.max_bytes} bytes")
        if page.url != result.url:
            notes.append(f"redirected to {page.url}")
        self._note(
            query, result.url, "ok", "; ".join(notes), started=started, status=page.status, attempts=page.attempts
        )
        return page


def passages_for(result: WebResult, text: str, published: date | None) -> list[Passage]:
    """Sentence-aligned passages with ids stable per URL: "web-<sha1(url)[:10]>#<n>"."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    chunks = sentence_chunks("\n".join(line for line in lines if line))[:MAX_PASSAGES_PER_PAGE]
    return [
        Passage(
            id=f"{result.doc_id}#{i}",
            doc_id=result.doc_id,
            text=chunk,
            title=result.title,
            publisher=result.publisher,
            url=result.url,
            published=published,
        )
        for i, chunk in enumerate(chunks, 1)
    ]


def select_passages(passages: list[Passage], query: str, k: int, per_doc: int) -> list[Passage]:
    """The k passages that best match the query (BM25), at most `per_doc` from any one page."""
    ranked = BM25Index(passages).search(query, len(passages))
    taken: Counter[str] = Counter()
    chosen: list[Passage] = []
    for passage in ranked:
        if taken[passage.doc_id] < per_doc:
            taken[passage.doc_id] += 1
            chosen.append(passage)
            if len(chosen) == k:
                break
    return chosen
