"""Local search: corpus validation with file/line errors, passages, BM25, as-of filter, reuse."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from vantage.tools.errors import SearchError
from vantage.tools.search import load_corpus, local_search, make_search
from vantage.tools.search.corpus import CorpusDocument, passages_of


def test_search_returns_relevant_passages_with_metadata(corpus_file: Path) -> None:
    hits = make_search("local", corpus_file).search("prisoner exchange Istanbul talks", k=2)
    assert hits[0].doc_id == "t-001"
    assert hits[0].id == "t-001#1"
    assert hits[0].publisher == "Reuters" and hits[0].published == date(2025, 5, 16)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_as_of_excludes_later_sources(corpus_file: Path) -> None:
    hits = make_search("local", corpus_file).search("talks Istanbul Turkey host", k=5, as_of=date(2025, 5, 20))
    assert hits and all(h.published <= date(2025, 5, 20) for h in hits)
    assert "t-003" not in {h.doc_id for h in hits}


def test_index_is_built_once_per_corpus(corpus_file: Path) -> None:
    assert local_search(corpus_file) is local_search(corpus_file)


def test_unknown_backend_lists_available() -> None:
    with pytest.raises(SearchError, match="available: local"):
        make_search("bing")


def test_passages_are_whole_sentences_with_stable_ids() -> None:
    sentence = "Delegations met in Istanbul to discuss a ceasefire and prisoner exchanges on Friday."
    doc = CorpusDocument(
        id="x-1",
        title="t",
        publisher="p",
        url=None,
        published=date(2025, 1, 1),
        text=" ".join([sentence] * 20),
    )
    passages = passages_of(doc)
    assert len(passages) > 1
    assert [p.id for p in passages] == [f"x-1#{i}" for i in range(1, len(passages) + 1)]
    assert all(p.text.endswith(".") and len(p.text.split()) <= 90 for p in passages)
    assert [p.id for p in passages_of(doc)] == [p.id for p in passages]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", r"mini\.jsonl:2: not valid JSON"),
        (
            json.dumps({"id": "a", "title": "t", "publisher": "p", "url": None, "text": "x"}),
            r"mini\.jsonl:2: field 'published'",
        ),
        (
            json.dumps(
                {
                    "id": "a",
                    "title": "t",
                    "publisher": "p",
                    "url": "ftp://x",
                    "published": "2025-01-01",
                    "text": "x",
                }
            ),
            r"mini\.jsonl:2: field 'url'",
        ),
        (
            json.dumps(
                {
                    "id": "t-1",
                    "title": "t",
                    "publisher": "p",
                    "url": None,
                    "published": "2025-01-01",
                    "text": "x",
                }
            ),
            r"mini\.jsonl:2: duplicate document id 't-1'",
        ),
    ],
)
def test_malformed_corpus_names_file_line_and_field(tmp_path: Path, line: str, expected: str) -> None:
    good = json.dumps(
        {"id": "t-1", "title": "t", "publisher": "p", "url": None, "published": "2025-01-01", "text": "fine"}
    )
    path = tmp_path / "mini.jsonl"
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SearchError, match=expected):
        load_corpus([path])


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchError, match="corpus not found"):
        make_search("local", tmp_path / "nope.jsonl")
