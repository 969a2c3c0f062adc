"""The fetch guard and the fetch path: every refusal, redirects, retries, caps, timeouts, budget and politeness.

DNS is never real here: `guard.resolve_host` is replaced by a table, and pages come from httpx.MockTransport.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpcore
import httpx
import pytest
from vantage.tools.search.web import guard
from vantage.tools.search.web.backend import WebSearch
from vantage.tools.search.web.fetch import Fetcher, FetchFailure
from vantage.tools.search.web.guard import GuardedNetworkBackend, UnsafeURLError, check_url
from vantage.tools.search.web.models import WebResult, WebSettings
from vantage.tools.search.web.politeness import Deadline, HostLimiter, RetryPolicy, parse_retry_after

ARTICLE = (Path(__file__).parent / "cassettes" / "article.html").read_bytes()
PUBLIC = "93.184.216.34"
DNS = {
    "news.example.com": [PUBLIC],
    "other.example.com": ["93.184.216.35"],
    "intranet.example.com": ["10.1.2.3"],
    "mixed.example.com": [PUBLIC, "127.0.0.1"],
    "v6only.example.com": ["2606:2800:220:1:248:1893:25c8:1946"],
    "rebind.example.com": ["192.168.0.10"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    table = dict(DNS)

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise UnsafeURLError(f"cannot resolve {host!r}: unknown in the test table")
        return table[host]

    monkeypatch.setattr(guard, "resolve_host", resolve)
    return table


class Sleeps(list[float]):
    """A stand-in for time.sleep that records each delay instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fetcher(
    handler: Callable[[httpx.Request], httpx.Response],
    sleeps: Sleeps | None = None,
    **settings: object,
) -> Fetcher:
    return Fetcher(
        WebSettings(**settings),
        transport=httpx.MockTransport(handler),
        sleep=sleeps if sleeps is not None else Sleeps(),
    )


def html(body: bytes = ARTICLE, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": "text/html; charset=utf-8", **headers})


# --- the guard: schemes and addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://news.example.com/a.txt", "gopher://x/", "data:,x", "/a"]
)
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="is not http or https"):
        check_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.8.9.10:8080/admin", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.5/", "private"),
        ("http://172.16.4.4/", "private"),
        ("https://192.168.1.1/", "private"),
        ("http://[fd12:3456::1]/", "private"),
        ("http://169.254.10.10/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "metadata"),
        ("http://100.100.100.200/latest/meta-data/", "metadata"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "non-public"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[64:ff9b::a00:5]/", "private"),  # NAT64 wrapping 10.0.0.5
        ("http://[2002:a9fe:a9fe::]/", "metadata"),  # 6to4 wrapping 169.254.169.254
    ],
)
def test_non_public_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError, match=reason):
        check_url(url)


def test_hostnames_resolving_to_private_addresses_are_refused() -> None:
    with pytest.raises(UnsafeURLError, match=r"intranet\.example\.com \(10\.1\.2\.3\): a private address"):
        check_url("https://intranet.example.com/wiki")
    # One bad address among good ones is enough: the connection could use any of them.
    with pytest.raises(UnsafeURLError, match=r"127\.0\.0\.1"):
        check_url("https://mixed.example.com/")


def test_public_hosts_pass_with_their_addresses() -> None:
    assert check_url("https://news.example.com/a?b=1") == [PUBLIC]
    assert check_url("http://v6only.example.com:8080/") == [DNS["v6only.example.com"][0]]
    assert check_url(f"http://{PUBLIC}/") == [PUBLIC]


def test_unresolvable_host_is_refused_without_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # back to the real resolve_host, with getaddrinfo itself faked
    calls: list[str] = []

    def no_dns(host: str, *args: object, **kwargs: object) -> list[object]:
        calls.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(UnsafeURLError, match=r"cannot resolve 'nowhere\.invalid'"):
        check_url("https://nowhere.invalid/")
    assert calls == ["nowhere.invalid"]


class _RecordingBackend:
    def __init__(self, unreachable: frozenset[str] = frozenset()) -> None:
        self.calls: list[tuple[str, int]] = []
        self.unreachable = unreachable

    def connect_tcp(self, host: str, port: int, **kwargs: object) -> str:
        self.calls.append((host, port))
        if host in self.unreachable:
            raise httpcore.ConnectError("network unreachable")
        return "stream"


def test_connect_time_check_refuses_a_rebound_name_and_pins_the_vetted_address(
    fake_dns: dict[str, list[str]],
) -> None:
    inner = _RecordingBackend()
    backend = GuardedNetworkBackend(inner)  # type: ignore[arg-type]
    # The name passes the pre-connect check, then DNS changes its answer before the connect.
    fake_dns["rebind.example.com"] = [PUBLIC]
    assert check_url("https://rebind.example.com/") == [PUBLIC]
    fake_dns["rebind.example.com"] = ["192.168.0.10"]
    with pytest.raises(UnsafeURLError, match="private"):
        backend.connect_tcp("rebind.example.com", 443)
    assert backend.connect_tcp("news.example.com", 443) == "stream"
    assert inner.calls == [(PUBLIC, 443)]  # connects to the address it checked, not to the name


# --- the fetch path -------------------------------------------------------------------------------------------


def test_fetch_extracts_article_text_title_and_date() -> None:
    page = fetcher(lambda request: html()).fetch("https://news.example.com/a", Deadline(5))
    assert "exchange 1,000 prisoners each" in page.text
    assert "Markets close higher" not in page.text and "Subscribe" not in page.text  # boilerplate removed
    assert page.title == "Russia and Ukraine agree prisoner exchange at Istanbul talks"
    assert str(page.published) == "2025-05-16"


def test_redirect_to_a_private_address_is_refused_before_connecting() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"location": "http://10.0.0.5/admin"})

    with pytest.raises(FetchFailure, match=r"10\.0\.0\.5.*private") as info:
        fetcher(handler).fetch("https://news.example.com/a", Deadline(5))
    assert info.value.refused
    assert seen == ["https://news.example.com/a"]  # the private hop was never requested


def test_redirect_to_a_name_that_resolves_privately_is_refused() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(301, headers={"location": "https://intranet.example.com/secrets"})

    with pytest.raises(FetchFailure, match=r"intranet\.example\.com") as info:
        fetcher(handler).fetch("https://news.example.com/a", Deadline(5))
    assert info.value.refused and seen == ["news.example.com"]


def test_relative_redirects_are_followed_and_capped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/final":
            return html()
        return httpx.Response(302, headers={"location": "/final"})

    page = fetcher(handler).fetch("https://news.example.com/start", Deadline(5))
    assert page.url == "https://news.example.com/final"

    hops: list[str] = []

    def loop(request: httpx.Request) -> httpx.Response:
        hops.append(request.url.path)
        return httpx.Response(302, headers={"location": f"/hop{len(hops)}"})

    with pytest.raises(FetchFailure, match="more than 5 redirects"):
        fetcher(loop).fetch("https://news.example.com/start", Deadline(5))
    assert len(hops) == 6  # the first request and five redirects, no more


def test_429_then_success_waits_as_the_server_asks() -> None:
    replies = iter([httpx.Response(429, headers={"retry-after": "2"}), html()])
    sleeps = Sleeps()
    page = fetcher(lambda request: next(replies), sleeps).fetch("https://news.example.com/a", Deadline(30))
    assert sleeps == [2.0]
    assert page.attempts == 2 and "1,000 prisoners" in page.text


def test_5xx_backoff_grows_exponentially_with_jitter() -> None:
    replies = iter([httpx.Response(503), httpx.Response(502), html()])
    sleeps = Sleeps()
    policy = RetryPolicy(max_attempts=3, base_delay_s=1.0)
    page = fetcher(lambda request: next(replies), sleeps, retry=policy).fetch(
        "https://news.example.com/a", Deadline(30)
    )
    assert page.attempts == 3
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0


def test_retry_after_is_capped_and_never_overruns_the_budget() -> None:
    assert RetryPolicy(retry_after_cap_s=10).delay(1, "3600") == 10
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    sleeps = Sleeps()
    always_busy = fetcher(lambda request: httpx.Response(429, headers={"retry-after": "8"}), sleeps)
    with pytest.raises(FetchFailure, match="would overrun the time budget"):
        always_busy.fetch("https://news.example.com/a", Deadline(3))
    assert sleeps == []


def test_503_until_retries_run_out() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503)

    sleeps = Sleeps()
    with pytest.raises(FetchFailure, match="HTTP 503 after 3 attempts") as info:
        fetcher(handler, sleeps).fetch("https://news.example.com/a", Deadline(30))
    assert len(calls) == 3 and len(sleeps) == 2
    assert info.value.status == 503 and info.value.attempts == 3


def test_oversized_body_is_cut_at_the_cap_and_reading_stops() -> None:
    chunk = b"Delegations met in Istanbul again and talked for hours. " * 1170  # ~64 KB
    sent: list[int] = []

    def stream() -> Iterator[bytes]:
        for _ in range(60):  # ~3.9 MB on offer
            sent.append(len(chunk))
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=stream(), headers={"content-type": "text/plain; charset=utf-8"})

    cap = 2 * 1024 * 1024
    page = fetcher(handler).fetch("https://news.example.com/big.txt", Deadline(5))
    assert page.truncated
    assert len(page.text.encode()) == cap
    assert sum(sent) <= cap + len(chunk)  # stopped reading right after the cap


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/octet-stream", ""])
def test_non_text_content_types_are_refused_unread(content_type: str) -> None:
    read: list[bytes] = []

    def body() -> Iterator[bytes]:
        read.append(b"x")
        yield b"%PDF-1.7"

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": content_type} if content_type else {}
        return httpx.Response(200, content=body(), headers=headers)

    with pytest.raises(FetchFailure, match=r"content type .* refused"):
        fetcher(handler).fetch("https://news.example.com/report.pdf", Deadline(5))
    assert read == []


def test_timeouts_and_http_errors_are_failures_not_crashes() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(FetchFailure, match="timed out"):
        fetcher(slow).fetch("https://news.example.com/a", Deadline(5))
    with pytest.raises(FetchFailure, match="HTTP 404"):
        fetcher(lambda request: httpx.Response(404)).fetch("https://news.example.com/a", Deadline(5))


# --- politeness and budget across a whole search --------------------------------------------------------------


class StaticEngine:
    name = "static"
    endpoint = "test:static"

    def __init__(self, results: list[WebResult], delay: float = 0.0) -> None:
        self.results = results
        self.delay = delay

    def query(self, query: str, n: int, as_of: object, deadline: Deadline) -> list[WebResult]:
        time.sleep(self.delay)
        return self.results[:n]


def result(url: str, snippet: str = "Delegations met in Istanbul for talks on a prisoner exchange.") -> WebResult:
    return WebResult(url=url, title="Istanbul talks", snippet=snippet, publisher="example.com")


def test_per_host_concurrency_limit_is_honoured() -> None:
    lock = threading.Lock()
    active: dict[str, int] = {}
    peak: dict[str, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        with lock:
            active[host] = active.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), active[host])
        time.sleep(0.05)
        with lock:
            active[host] -= 1
        return html()

    urls = [f"https://news.example.com/{i}" for i in range(6)] + ["https://other.example.com/x"]
    settings = WebSettings(per_host=2, fetch_workers=7, fetch_top=7, results_per_query=7)
    backend = WebSearch(
        StaticEngine([result(u) for u in urls]),
        settings,
        fetcher=Fetcher(settings, transport=httpx.MockTransport(handler), limiter=HostLimiter(2)),
    )
    backend.search("Istanbul prisoner exchange", k=4)
    assert peak["news.example.com"] == 2  # six pages wanted at once, two allowed
    assert sum(e.outcome == "ok" for e in backend.events if e.kind == "fetch") == 7


def test_search_returns_within_its_budget_with_snippets_for_slow_pages() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(1.0)
        return html()

    settings = WebSettings(budget_s=0.3)
    urls = ["https://news.example.com/1", "https://other.example.com/2"]
    backend = WebSearch(
        StaticEngine([result(u) for u in urls]),
        settings,
        fetcher=Fetcher(settings, transport=httpx.MockTransport(slow)),
    )
    started = time.monotonic()
    hits = backend.search("Istanbul prisoner exchange", k=4)
    assert time.monotonic() - started < 0.8
    assert {h.url for h in hits} == set(urls)
    assert all(h.text.startswith("Delegations met in Istanbul") for h in hits)  # the snippets
    fallbacks = [e for e in backend.events if e.outcome == "fallback"]
    assert len(fallbacks) == 2 and all("time budget" in e.reason for e in fallbacks)


def test_an_engine_slower_than_the_budget_yields_nothing_in_time() -> None:
    backend = WebSearch(
        StaticEngine([result("https://news.example.com/1")], delay=1.0),
        WebSettings(budget_s=0.2),
        fetcher=Fetcher(transport=httpx.MockTransport(lambda request: html())),
    )
    started = time.monotonic()
    assert backend.search("Istanbul", k=3) == []
    assert time.monotonic() - started < 0.6
    assert backend.events[-1].kind == "search" and backend.events[-1].outcome == "failed"
    assert "time budget" in backend.events[-1].reason


def test_refused_and_failed_pages_fall_back_to_snippets_and_are_recorded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/moved":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"})
        if request.url.path == "/down":
            return httpx.Response(503)
        return html()

    backend = WebSearch(
        StaticEngine(
            [
                result("https://news.example.com/moved", "Istanbul talks snippet one about prisoners."),
                result("https://other.example.com/down", "Istanbul talks snippet two about prisoners."),
                result("ftp://news.example.com/file", "Istanbul talks snippet three about prisoners."),
            ]
        ),
        fetcher=Fetcher(transport=httpx.MockTransport(handler), sleep=Sleeps()),
    )
    hits = backend.search("Istanbul talks prisoners", k=5)
    assert sorted(h.text for h in hits) == [
        "Istanbul talks snippet one about prisoners.",
        "Istanbul talks snippet three about prisoners.",
        "Istanbul talks snippet two about prisoners.",
    ]
    by_url = {e.url: e for e in backend.events if e.kind == "fetch"}
    assert by_url["https://news.example.com/moved"].outcome == "refused"
    assert "metadata" in by_url["https://news.example.com/moved"].reason
    assert by_url["https://other.example.com/down"].outcome == "fallback"
    assert by_url["https://other.example.com/down"].status == 503
    assert "HTTP 503 after 3 attempts" in by_url["https://other.example.com/down"].reason
    assert by_url["ftp://news.example.com/file"].outcome == "refused"


def test_the_production_transport_refuses_at_connect_time() -> None:
    # Bypasses Fetcher's own pre-check to show the transport alone stops a private address.
    with (
        httpx.Client(transport=guard.guarded_transport()) as client,
        pytest.raises(UnsafeURLError, match="private"),
    ):
        client.get("http://intranet.example.com/")


def test_a_server_dripping_bytes_is_cut_off_at_the_budget() -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.02)
            yield b"Talks went on. "

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=drip(), headers={"content-type": "text/plain"})

    started = time.monotonic()
    with pytest.raises(FetchFailure, match="time budget spent while reading"):
        fetcher(handler).fetch("https://news.example.com/slow.txt", Deadline(0.2))
    assert time.monotonic() - started < 0.5


def test_connect_time_check_tries_each_vetted_address_in_turn(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["dual.example.com"] = ["2606:2800:220:1:248:1893:25c8:1946", PUBLIC]
    inner = _RecordingBackend(unreachable=frozenset({"2606:2800:220:1:248:1893:25c8:1946"}))
    assert GuardedNetworkBackend(inner).connect_tcp("dual.example.com", 443) == "stream"  # type: ignore[arg-type]
    assert [host for host, _ in inner.calls] == ["2606:2800:220:1:248:1893:25c8:1946", PUBLIC]
