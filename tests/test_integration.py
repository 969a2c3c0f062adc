"""The real graph on the embedded model (Qwen2.5-Coder-0.5B via llama.cpp), offline."""

from __future__ import annotations

import pytest
from vantage.graph.report import render_markdown
from vantage.graph.runner import DEFAULT_QUESTION, RunRequest, execute
from vantage.tools.search import local_search

pytestmark = pytest.mark.integration


def test_default_question_on_the_embedded_model() -> None:
    report = execute(RunRequest(question=DEFAULT_QUESTION, perspective="ua-01"))
    markdown = render_markdown(report)
    corpus = local_search(None).documents

    for title in report.section_titles():
        assert f"## {title}" in markdown
    assert report.what_we_know and report.bottom_line and report.watch_and_do

    cited = {s.doc_id for s in report.sources}
    assert len(cited) >= 3 and cited <= set(corpus)
    assert all(corpus[s.doc_id].title == s.title for s in report.sources)
    for point in report.what_we_know:  # every fact is cited
        assert point.citations

    by_n = {s.n: s.doc_id for s in report.sources}
    for quote in report.quotations:
        assert quote.text in corpus[by_n[quote.citation]].text

    assert report.run is not None
    assert report.run.model_id == "local" and report.run.llm_calls >= 4
    assert report.run.prompt_tokens > 0 and report.run.completion_tokens > 0
