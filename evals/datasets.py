"""Schemas and loaders for golden question sets and labeled citation pairs, and the cross-file
checks behind `vantage datasets check`."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from vantage.tools.errors import InputError
from vantage.tools.search.corpus import CorpusDocument, corpus_paths, datasets_dir, load_corpus

NegativeKind = Literal[
    "wrong_number", "wrong_actor", "wrong_date", "negated", "overstated", "related_unsupported", "fabricated"
]
MIN_WORDS, MAX_WORDS = 80, 400


class KeyFact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fact: str = Field(min_length=5)
    sources: list[str] = Field(min_length=1)


class GoldenCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    topic: str
    question: str = Field(min_length=10, max_length=2000)
    perspective: str
    as_of: date
    stakeholders: list[str] = Field(min_length=3)
    key_facts: list[KeyFact] = Field(min_length=3)
    false_claims: list[str] = Field(min_length=1)


class GoldenSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    cases: list[GoldenCase] = Field(min_length=1)


class CitationPair(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    topic: str
    split: Literal["dev", "test"]
    doc_id: str
    passage: str = Field(min_length=10)
    claim: str = Field(min_length=5)
    label: Literal["supported", "not_supported"]
    kind: NegativeKind | None = None


def _where(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"field {'.'.join(str(p) for p in err['loc'])!r}: {err['msg']}"


def load_golden(path: Path) -> GoldenSet:
    """Validate a golden YAML file; errors name the file, the case's line and the field."""
    if not path.is_file():
        raise InputError(f"golden file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping with 'name' and 'cases'")
    lines = {}
    for key, value in root.value if root else []:
        if key.value == "cases" and isinstance(value, yaml.SequenceNode):
            lines = {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    for i, case in enumerate(data.get("cases") or []):
        try:
            GoldenCase.model_validate(case)
        except ValidationError as exc:
            raise InputError(f"{path}:{lines.get(i, '?')}: case {i + 1}: {_where(exc)}") from exc
    try:
        return GoldenSet.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{path}: {_where(exc)}") from exc


def load_pairs(path: Path) -> list[CitationPair]:
    if not path.is_file():
        raise InputError(f"pairs file not found: {path}")
    pairs = []
    for lineno, line in enumerate(path.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            pairs.append(CitationPair.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
        except ValidationError as exc:
            raise InputError(f"{path}:{lineno}: {_where(exc)}") from exc
    return pairs


class TopicCounts(BaseModel):
    documents: int = 0
    golden: int = 0
    pairs_dev: int = 0
    pairs_test: int = 0


class CheckReport(BaseModel):
    topics: dict[str, TopicCounts]
    documents: int
    golden: dict[str, int]
    pairs: int
    supported_share: float
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def check_datasets(root: Path | None = None) -> CheckReport:
    """Validate every dataset file and the references between them. Schema errors raise at once
    (naming file, line, field); cross-reference problems are collected and all reported."""
    root = root or datasets_dir()
    problems: list[str] = []
    topics: dict[str, TopicCounts] = {}
    docs: dict[str, tuple[str, CorpusDocument]] = {}
    for path in corpus_paths(root / "corpus"):
        for doc in load_corpus([path]):
            if doc.id in docs:
                problems.append(f"{path}: document id {doc.id!r} also in {docs[doc.id][0]}")
            docs[doc.id] = (path.stem, doc)
            topics.setdefault(path.stem, TopicCounts()).documents += 1
            words = len(doc.text.split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                problems.append(f"{path}: {doc.id}: text has {words} words (expected {MIN_WORDS}-{MAX_WORDS})")
    seen_texts: dict[str, str] = {}
    for doc_id, (_, doc) in docs.items():
        key = _normalised(doc.text)
        if key in seen_texts:
            problems.append(f"corpus: {doc_id} duplicates the text of {seen_texts[key]}")
        seen_texts[key] = doc_id

    from vantage.graph.actors import canonical_actor
    from vantage.graph.perspectives import load_perspectives

    perspectives = load_perspectives()
    golden_counts: dict[str, int] = {}
    for path in sorted((root / "golden").glob("*.yaml")):
        golden = load_golden(path)
        golden_counts[path.name] = len(golden.cases)
        ids = Counter(c.id for c in golden.cases)
        problems += [f"{path}: case id {i!r} appears {n} times" for i, n in ids.items() if n > 1]
        for case in golden.cases:
            where = f"{path}: case {case.id}"
            if path.stem == "core":
                topics.setdefault(case.topic, TopicCounts()).golden += 1
            if case.perspective not in perspectives:
                problems.append(f"{where}: unknown perspective {case.perspective!r}")
            problems += [
                f"{where}: stakeholder {s!r} is not in datasets/actors.yaml"
                for s in case.stakeholders
                if canonical_actor(s) is None
            ]
            for fact in case.key_facts:
                problems += [
                    f"{where}: key fact cites unknown document {s!r}" for s in fact.sources if s not in docs
                ]

    pairs_path = root / "citations" / "pairs.jsonl"
    pairs = load_pairs(pairs_path)
    split_topics: dict[str, set[str]] = {"dev": set(), "test": set()}
    pair_ids = Counter(p.id for p in pairs)
    problems += [f"{pairs_path}: pair id {i!r} appears {n} times" for i, n in pair_ids.items() if n > 1]
    for p in pairs:
        where = f"{pairs_path}: pair {p.id}"
        counts = topics.setdefault(p.topic, TopicCounts())
        if p.split == "dev":
            counts.pairs_dev += 1
        else:
            counts.pairs_test += 1
        split_topics[p.split].add(p.topic)
        if p.doc_id not in docs:
            problems.append(f"{where}: unknown document {p.doc_id!r}")
        elif p.passage not in docs[p.doc_id][1].text:
            problems.append(f"{where}: passage is not a verbatim span of {p.doc_id}")
        if (p.label == "not_supported") != (p.kind is not None):
            problems.append(f"{where}: negatives need a kind and supported pairs none")
    shared = split_topics["dev"] & split_topics["test"]
    if shared:
        problems.append(f"{pairs_path}: topics in both splits: {', '.join(sorted(shared))}")
    share = sum(p.label == "supported" for p in pairs) / len(pairs) if pairs else 0.0
    if not 0.4 <= share <= 0.6:
        problems.append(f"{pairs_path}: {share:.0%} of pairs are supported; keep labels within 40/60")
    return CheckReport(
        topics=topics,
        documents=len(docs),
        golden=golden_counts,
        pairs=len(pairs),
        supported_share=round(share, 3),
        problems=problems,
    )
