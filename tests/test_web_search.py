"""Web search backends on recorded responses: ddgs, tavily and searxng, selection, as-of, errors, lazy imports.

Engine replies come from tests/cassettes/ (the real wire formats, written for these tests); pages come from an
httpx.MockTransport, and DNS from a table. Nothing here reaches the network.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import ddgs.http_client
import httpx
import pytest
from vantage.graph import cli
from vantage.tools.errors import SearchError
from vantage.tools.search import BACKENDS, make_search
from vantage.tools.search.web import WebSearch, guard, packages
from vantage.tools.search.web.ddgs_search import DdgsEngine
from vantage.tools.search.web.fetch import Fetcher
from vantage.tools.search.web.models import WebSettings, parse_published, publisher_of
from vantage.tools.search.web.politeness import RetryPolicy
from vantage.tools.search.web.searxng_search import SearxngEngine
from vantage.tools.search.web.tavily_search import TavilyEngine

CASSETTES = Path(__file__).parent / "cassettes"
ARTICLE = (CASSETTES / "article.html").read_bytes()
WIRE = "https://www.example-wire.com/world/istanbul-talks"
LEDGER = "https://dailyledger.example.org/news/second-round"
KYIV = "https://kyiv-post.example.net/politics/ultimatum"
QUERY = "Istanbul talks prisoner exchange"


def cassette(name: str) -> Any:
    return json.loads((CASSETTES / name).read_text(encoding="utf-8"))


def web_id(url: str) -> str:
    return "web-" + hashlib.sha1(url.encode()).hexdigest()[:10]


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "resolve_host", lambda host, port: ["93.184.216.34"])


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Pages:
    """The web the fetcher sees: a URL -> response table; anything else is a 404. Records what was asked."""

    def __init__(self, pages: dict[str, bytes] | None = None) -> None:
        self.pages = pages or {}
        self.requested: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requested.append(str(request.url))
        body = self.pages.get(str(request.url))
        if body is None:
            return httpx.Response(404)
        return httpx.Response(200, content=body, headers={"content-type": "text/html; charset=utf-8"})

    def fetcher(self, settings: WebSettings | None = None) -> Fetcher:
        return Fetcher(settings, transport=httpx.MockTransport(self), sleep=Sleeps())


# --- ddgs -----------------------------------------------------------------------------------------------------


class _DdgsReply:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code = status
        self.content = body
        self.text = body.decode()


class DdgsCassette:
    """Plays a recorded exchange to ddgs at its HTTP-client level: (method, url) -> recorded response."""

    def __init__(self, name: str) -> None:
        self.replies: dict[tuple[str, str], _DdgsReply] = {}
        for item in cassette(name)["interactions"]:
            reply = item["response"]
            body = json.dumps(reply["json"]) if "json" in reply else reply["body"]
            self.replies[(item["request"]["method"], item["request"]["url"])] = _DdgsReply(
                reply["status"], body.encode()
            )
        self.requests: list[tuple[str, str, dict[str, Any]]] = []

    def request(self, client: object, method: str, url: str, *args: Any, **kwargs: Any) -> _DdgsReply:
        self.requests.append((method, url, kwargs))
        return self.replies.get((method, url), _DdgsReply(500, b""))


@pytest.fixture
def ddgs_cassette(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(name: str) -> DdgsCassette:
        player = DdgsCassette(name)
        monkeypatch.setattr(
            ddgs.http_client.HttpClient, "request", lambda self, *a, **kw: player.request(self, *a, **kw)
        )
        return player

    return install


def test_ddgs_news_results_become_dated_cited_passages(ddgs_cassette: Any) -> None:
    player = ddgs_cassette("ddgs_news.json")
    pages = Pages({WIRE: ARTICLE})
    backend = WebSearch(DdgsEngine(backend="duckduckgo"), fetcher=pages.fetcher())
    hits = backend.search(QUERY, k=4)

    news_call = next(r for r in player.requests if r[1] == "https://duckduckgo.com/news.js")
    assert news_call[2]["params"]["q"] == QUERY
    wire = [h for h in hits if h.url == WIRE]
    assert wire and wire[0].doc_id == web_id(WIRE) and wire[0].id.startswith(web_id(WIRE) + "#")
    assert wire[0].publisher == "Example Wire" and wire[0].published == date(2025, 5, 16)
    assert any("1,000 prisoners each" in h.text for h in wire)  # from the fetched article, not the snippet
    kyiv = next(h for h in hits if h.url == KYIV)
    assert kyiv.publisher == "kyiv-post.example.net"  # no source given: the domain
    assert kyiv.text.startswith("Kyiv said Moscow's demand")  # 404 on fetch: the snippet
    assert len(hits) <= 4 and len({h.id for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    outcomes = {e.url: e.outcome for e in backend.events if e.kind == "fetch"}
    assert outcomes == {WIRE: "ok", LEDGER: "fallback", KYIV: "fallback"}
    assert all(e.query == QUERY for e in backend.events)  # parallel branches' events stay apart


def test_ddgs_ids_are_stable_across_searches(ddgs_cassette: Any) -> None:
    ddgs_cassette("ddgs_news.json")
    first = WebSearch(DdgsEngine(backend="duckduckgo"), fetcher=Pages({WIRE: ARTICLE}).fetcher())
    second = WebSearch(DdgsEngine(backend="duckduckgo"), fetcher=Pages({WIRE: ARTICLE}).fetcher())
    ids = [h.id for h in first.search(QUERY, k=4)]
    assert ids and ids == [h.id for h in second.search(QUERY, k=4)]


def test_ddgs_as_of_drops_later_news(ddgs_cassette: Any) -> None:
    ddgs_cassette("ddgs_news.json")
    pages = Pages({WIRE: ARTICLE})
    hits = WebSearch(DdgsEngine(backend="duckduckgo"), fetcher=pages.fetcher()).search(
        QUERY, k=6, as_of=date(2025, 5, 20)
    )
    assert hits and LEDGER not in {h.url for h in hits}  # dated 4 June
    assert LEDGER not in pages.requested  # filtered before any fetch
    assert all(h.published is None or h.published <= date(2025, 5, 20) for h in hits)


def test_ddgs_falls_back_to_text_search_when_news_is_empty(ddgs_cassette: Any) -> None:
    player = ddgs_cassette("ddgs_text.json")
    backend = WebSearch(DdgsEngine(backend="duckduckgo"), fetcher=Pages().fetcher())
    hits = backend.search("Black Sea Grain Initiative Turkey", k=3)
    assert [h.url for h in hits] == ["https://www.example-think.org/analysis/black-sea"]  # the ad is gone
    assert hits[0].publisher == "example-think.org" and hits[0].published is None
    assert hits[0].title == "Black Sea grain deal: what its end means"
    assert ("POST", "https://html.duckduckgo.com/html/") in {(m, u) for m, u, _ in player.requests}


def test_ddgs_outage_is_recorded_and_the_step_goes_on(ddgs_cassette: Any) -> None:
    ddgs_cassette("ddgs_text.json").replies.clear()  # every request answers HTTP 500
    backend = WebSearch(DdgsEngine(backend="duckduckgo"), fetcher=Pages().fetcher())
    assert backend.search(QUERY, k=3) == []
    assert [(e.kind, e.outcome) for e in backend.events] == [("search", "failed")]
    assert "ddgs found nothing" in backend.events[0].reason


# --- tavily ---------------------------------------------------------------------------------------------------


class TavilyApi:
    """Tavily's /search endpoint on a mock transport: replays the cassette after the scripted failures."""

    def __init__(self, *failures: httpx.Response) -> None:
        self.failures = list(failures)
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url == httpx.URL("https://api.tavily.com/search")
        assert request.headers["authorization"] == "Bearer tvly-test-key"
        self.bodies.append(json.loads(request.content))
        if self.failures:
            return self.failures.pop(0)
        return httpx.Response(200, json=cassette("tavily_search.json"))


def tavily(api: TavilyApi, pages: Pages, sleeps: Sleeps | None = None) -> WebSearch:
    engine = TavilyEngine(
        "tvly-test-key", transport=httpx.MockTransport(api), sleep=Sleeps() if sleeps is None else sleeps
    )
    return WebSearch(engine, fetcher=pages.fetcher())


def test_tavily_uses_its_page_text_and_fetches_only_what_it_lacks() -> None:
    api, pages = TavilyApi(), Pages({KYIV: ARTICLE})
    backend = tavily(api, pages)
    hits = backend.search(QUERY, k=5, as_of=date(2025, 5, 20))

    sent = api.bodies[0]
    assert sent["query"] == QUERY and sent["topic"] == "news" and sent["include_raw_content"] == "text"
    assert sent["end_date"] == "2025-05-20" and sent["max_results"] == 8
    assert pages.requested == [KYIV]  # the only result without raw_content
    by_url = {h.url: h for h in hits}
    assert LEDGER not in by_url  # published 2 June, after as-of
    assert by_url[WIRE].published == date(2025, 5, 16) and by_url[WIRE].publisher == "example-wire.com"
    assert "largest swap of the war" in " ".join(h.text for h in hits if h.url == WIRE)
    assert by_url[KYIV].published == date(2025, 5, 16)  # undated result: the page's own date
    events = {e.url: e.outcome for e in backend.events if e.kind == "fetch"}
    assert events[WIRE] == "provided" and events[KYIV] == "ok"


def test_tavily_as_of_uses_the_page_date_for_undated_results() -> None:
    backend = tavily(TavilyApi(), Pages({KYIV: ARTICLE}))
    assert backend.search(QUERY, k=5, as_of=date(2025, 5, 10)) == []
    dropped = [e for e in backend.events if e.outcome == "dropped"]
    assert {e.url for e in dropped} == {WIRE, LEDGER, KYIV}  # two by the engine's dates, one by the page's
    assert all("after as-of 2025-05-10" in e.reason for e in dropped)


def test_tavily_retries_a_server_error_then_succeeds() -> None:
    sleeps = Sleeps()
    api = TavilyApi(httpx.Response(502, json={"detail": {"error": "bad gateway"}}))
    hits = tavily(api, Pages(), sleeps).search(QUERY, k=3)
    assert hits and len(api.bodies) == 2 and len(sleeps) == 1


def test_tavily_rate_limit_exhausts_retries_and_the_step_goes_on() -> None:
    limited = [httpx.Response(429, json={"detail": {"error": "rate limit"}}) for _ in range(3)]
    backend = tavily(TavilyApi(*limited), Pages())
    assert backend.search(QUERY, k=3) == []
    assert backend.events[-1].outcome == "failed" and "429" in backend.events[-1].reason


def test_tavily_bad_key_is_a_one_line_error_naming_the_variable() -> None:
    api = TavilyApi(httpx.Response(401, json={"detail": {"error": "Unauthorized: missing or invalid API key."}}))
    with pytest.raises(SearchError, match="TAVILY_API_KEY"):
        tavily(api, Pages()).search(QUERY, k=3)


# --- searxng --------------------------------------------------------------------------------------------------


class SearxApi:
    def __init__(self, *failures: httpx.Response) -> None:
        self.failures = list(failures)
        self.params: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.copy_with(query=None) == httpx.URL("http://searx.local:8080/search")
        self.params.append(dict(request.url.params))
        if self.failures:
            return self.failures.pop(0)
        return httpx.Response(200, json=cassette("searxng_search.json"))


def searxng(api: SearxApi, pages: Pages, sleeps: Sleeps | None = None) -> WebSearch:
    engine = SearxngEngine(
        "http://searx.local:8080/",
        transport=httpx.MockTransport(api),
        sleep=Sleeps() if sleeps is None else sleeps,
    )
    return WebSearch(engine, fetcher=pages.fetcher())


def test_searxng_results_with_domain_publishers_and_as_of() -> None:
    undated = ARTICLE.replace(b'<meta property="article:published_time" content="2025-05-16T12:00:00Z">', b"")
    undated = undated.replace(b", 16 May 2025", b"")
    api, pages = SearxApi(), Pages({KYIV: undated})
    hits = searxng(api, pages).search(QUERY, k=6, as_of=date(2025, 5, 20))

    assert api.params[0] == {"q": QUERY, "format": "json", "categories": "news", "pageno": "1"}
    by_url = {h.url: h for h in hits}
    reuters = "https://www.reuters-example.com/world/europe/istanbul-talks-2025-05-16/"
    assert by_url[reuters].publisher == "reuters-example.com"
    assert by_url[reuters].published == date(2025, 5, 16)
    assert LEDGER not in by_url  # published 2 June
    assert by_url[KYIV].published is None  # undated everywhere: kept
    assert not any(h.url.startswith("magnet:") for h in hits)


def test_searxng_honours_retry_after_on_503() -> None:
    sleeps = Sleeps()
    api = SearxApi(httpx.Response(503, headers={"retry-after": "1"}))
    assert searxng(api, Pages(), sleeps).search(QUERY, k=2)
    assert sleeps == [1.0] and len(api.params) == 2


def test_searxng_without_json_format_says_how_to_fix_it() -> None:
    with pytest.raises(SearchError, match=r"format=json.*settings\.yml.*SEARXNG_URL"):
        searxng(SearxApi(httpx.Response(403, text="Forbidden")), Pages()).search(QUERY, k=2)


def test_searxng_unreachable_is_recorded_and_the_step_goes_on() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    backend = WebSearch(
        SearxngEngine("http://searx.local:8080", transport=httpx.MockTransport(refuse)), fetcher=Pages().fetcher()
    )
    assert backend.search(QUERY, k=2) == []
    assert "cannot reach SearxNG at http://searx.local:8080/search" in backend.events[-1].reason


# --- selection, configuration errors, parsing, lazy imports ---------------------------------------------------


def test_backends_are_selected_by_name_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(BACKENDS) == {"local", "ddgs", "tavily", "searxng"}
    monkeypatch.setenv("VANTAGE_SEARCH", "ddgs")
    assert make_search().name == "ddgs"
    monkeypatch.setenv("TAVILY_API_KEY", "tvly-x")
    monkeypatch.setenv("SEARXNG_URL", "http://localhost:8888")
    assert make_search("tavily").name == "tavily"
    searx = make_search("searxng")
    assert isinstance(searx, WebSearch) and searx.engine.endpoint == "http://localhost:8888/search"


@pytest.mark.parametrize(
    ("backend", "env", "value", "message"),
    [
        ("tavily", "TAVILY_API_KEY", None, "--search tavily needs TAVILY_API_KEY"),
        ("tavily", "TAVILY_API_KEY", "  ", "--search tavily needs TAVILY_API_KEY"),
        ("searxng", "SEARXNG_URL", None, "--search searxng needs SEARXNG_URL"),
        ("searxng", "SEARXNG_URL", "localhost:8080", "SEARXNG_URL must be an http"),
    ],
)
def test_missing_or_bad_configuration_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, backend: str, env: str, value: str | None, message: str
) -> None:
    if value is None:
        monkeypatch.delenv(env, raising=False)
    else:
        monkeypatch.setenv(env, value)
    with pytest.raises(SearchError, match=message):
        make_search(backend)


def test_missing_client_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = packages.importlib.util.find_spec
    monkeypatch.setattr(packages.importlib.util, "find_spec", lambda name: None if name == "ddgs" else real(name))
    with pytest.raises(SearchError, match=r"--search ddgs needs the 'ddgs' package: pip install 'vantage\[web\]'"):
        make_search("ddgs")


def test_cli_without_tavily_key_prints_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TAVILY_API_KEY", raising=False)
    monkeypatch.setattr(sys, "argv", ["vantage", "run", "Istanbul talks?", "--search", "tavily"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert [line for line in err.splitlines() if line.strip()] == [
        "vantage: error: --search tavily needs TAVILY_API_KEY set to your Tavily API key"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-05-16T14:05:00", date(2025, 5, 16)),
        ("2025-05-16T23:30:00Z", date(2025, 5, 16)),
        ("Fri, 16 May 2025 12:00:00 GMT", date(2025, 5, 16)),
        ("2025-05-16", date(2025, 5, 16)),
        (1747396800, date(2025, 5, 16)),
        ("3 hours ago", None),
        ("", None),
        (None, None),
    ],
)
def test_published_dates_parse_from_every_engine_format(value: object, expected: date | None) -> None:
    assert parse_published(value) == expected


def test_publisher_is_the_domain_without_www() -> None:
    assert publisher_of("https://www.reuters.com/world/x") == "reuters.com"
    assert publisher_of("https://apnews.com/article/x") == "apnews.com"
    assert publisher_of("https://m.example.co.uk/a") == "example.co.uk"


def test_local_search_does_not_import_the_web_clients(corpus_file: Path) -> None:
    code = (
        "import sys\n"
        "from vantage.tools.search import make_search\n"
        f"make_search('local', {str(corpus_file)!r}).search('Istanbul talks', 2)\n"
        "heavy = [m for m in ('ddgs', 'trafilatura', 'tavily', 'vantage.tools.search.web') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_retry_policy_backoff_is_bounded() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=4.0)
    delays = [policy.delay(n) for n in range(1, 8)]
    assert all(0.5 <= d <= 4.0 for d in delays)
    assert max(delays[3:]) <= 4.0 and min(delays[3:]) >= 2.0  # capped step, still half fixed


def test_a_whole_run_on_web_search_cites_urls_publishers_and_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_fixtures import CLAIMS, DRAFT, PLAN, stakeholder_reply
    from scripted import RoutedFakeChatModel
    from vantage.graph import runner

    ids = {"t-001#1": web_id(WIRE) + "#1", "t-002#1": web_id(LEDGER) + "#1"}
    ids |= {"t-003#1": ids["t-001#1"], "t-004#1": ids["t-002#1"]}

    def on_web(reply: object) -> Any:
        text = json.dumps(reply)
        for corpus_id, evidence_id in ids.items():
            text = text.replace(corpus_id, evidence_id)
        return json.loads(text)

    routes = [("Plan research", PLAN), ("atomic factual claims", on_web(CLAIMS))]
    routes += [(f"Actor to analyse: {a}", on_web(stakeholder_reply(a))) for a in ("Ukraine", "Russia", "Turkey")]
    routes.append(("Write an assessment", on_web(DRAFT)))
    backend = tavily(TavilyApi(), Pages({KYIV: ARTICLE}))
    monkeypatch.setattr(runner, "make_search", lambda name, corpus: backend)

    request = runner.RunRequest(question="Russia and Ukraine talks in Istanbul: your assessment?", search="tavily")
    report = runner.execute(request, chat_model=RoutedFakeChatModel(routes=routes))

    assert report.run is not None and report.run.search == "tavily"
    wire = next(s for s in report.sources if s.url == WIRE)
    assert wire.doc_id == web_id(WIRE) and wire.publisher == "example-wire.com"
    assert str(wire.published) == "2025-05-16"
    assert {s.url for s in report.sources} <= {WIRE, LEDGER, KYIV}
