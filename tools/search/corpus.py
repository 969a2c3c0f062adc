"""The offline corpus: JSONL source documents, validated line by line, cut into passages."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import SearchError
from ..text import split_sentences

PASSAGE_MAX_WORDS = 90


def datasets_dir() -> Path:
    """`VANTAGE_DATASETS`, else the repository's own datasets/ folder."""
    env = os.environ.get("VANTAGE_DATASETS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "datasets"


class CorpusDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = Field(min_length=1, max_length=300)
    publisher: str = Field(min_length=1, max_length=120)
    url: str | None = None
    published: date
    text: str = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL or null")
        return value


class Passage(BaseModel):
    """A retrievable span of one document, with the source metadata a citation needs."""

    model_config = ConfigDict(frozen=True)

    id: str  # "<doc id>#<n>", stable for a given corpus text
    doc_id: str
    text: str
    title: str
    publisher: str
    url: str | None
    published: date | None
    score: float = 0.0


def load_corpus(paths: list[Path]) -> list[CorpusDocument]:
    """Read every JSONL file; the first bad line stops with its file, line and field."""
    if not paths:
        raise SearchError("no corpus files found (expected datasets/corpus/*.jsonl or --corpus PATH)")
    docs: list[CorpusDocument] = []
    seen: dict[str, str] = {}
    for path in paths:
        if not path.is_file():
            raise SearchError(f"corpus file not found: {path}")
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    doc = CorpusDocument.model_validate(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SearchError(f"{where}: not valid JSON ({exc.msg})") from exc
                except ValidationError as exc:
                    err = exc.errors()[0]
                    field = ".".join(str(p) for p in err["loc"]) or "line"
                    raise SearchError(f"{where}: field {field!r}: {err['msg']}") from exc
                if doc.id in seen:
                    raise SearchError(f"{where}: duplicate document id {doc.id!r} (first in {seen[doc.id]})")
                seen[doc.id] = where
                docs.append(doc)
    return docs


def corpus_paths(corpus: str | Path | None) -> list[Path]:
    """`--corpus` may name a JSONL file or a folder of them; default is datasets/corpus/."""
    root = Path(corpus) if corpus else datasets_dir() / "corpus"
    if root.is_dir():
        return sorted(root.glob("*.jsonl"))
    if not root.exists():
        raise SearchError(f"corpus not found: {root}")
    return [root]


def sentence_chunks(text: str, max_words: int = PASSAGE_MAX_WORDS) -> list[str]:
    """Group whole sentences into chunks of at most ~max_words words (a longer sentence stays whole).

    A line break also ends a sentence, so a headline without a full stop does not run into the next line.
    """
    chunks: list[list[str]] = [[]]
    for sentence in (s for line in text.splitlines() for s in split_sentences(line)):
        current = chunks[-1]
        size = sum(len(s.split()) for s in current)
        if current and size + len(sentence.split()) > max_words:
            chunks.append([sentence])
        else:
            current.append(sentence)
    return [" ".join(chunk) for chunk in chunks if chunk]


def passages_of(doc: CorpusDocument) -> list[Passage]:
    """Group whole sentences into passages of at most ~PASSAGE_MAX_WORDS words."""
    return [
        Passage(
            id=f"{doc.id}#{i}",
            doc_id=doc.id,
            text=chunk,
            title=doc.title,
            publisher=doc.publisher,
            url=doc.url,
            published=doc.published,
        )
        for i, chunk in enumerate(sentence_chunks(doc.text), 1)
    ]
