"""Run one question through the graph: validate input, wire dependencies, stream progress,
collect usage, and return the report with its run record."""

from __future__ import annotations

import os
import time
import unicodedata
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field
from vantage.evals.verifiers import make_verifier
from vantage.tools.errors import InputError
from vantage.tools.models import ModelOptions, make_chat_model, parse_spec
from vantage.tools.search import make_search
from vantage.tools.usage import UsageTracker

from .builder import build_graph
from .perspectives import get_perspective
from .promptset import prompt_set_hash
from .report import Report, RunInfo, render_markdown
from .settings import Budgets
from .state import RunState

MAX_QUESTION_CHARS = 2000
DEFAULT_QUESTION = (
    "Russia says it is ready to resume talks with Ukraine in Istanbul. "
    "What is your most up-to-date and in-depth assessment?"
)

Progress = Callable[[str, str, float], None]  # (node, summary, seconds since start)


class RunRequest(BaseModel):
    question: str
    perspective: str = "ua-01"
    as_of: date | None = None
    model: str | None = None
    search: str | None = None
    corpus: str | None = None
    verifier: str | None = None
    budgets: Budgets = Field(default_factory=Budgets)


def validate_question(question: object) -> str:
    if not isinstance(question, str):
        raise InputError("the question must be text")
    text = question.strip()
    if not text:
        raise InputError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(f"the question has {len(text)} characters; the limit is {MAX_QUESTION_CHARS}")
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\t")
    if controls or "\ufffd" in text:
        raise InputError("the question contains control or undecodable characters; pass plain text")
    if not any(ch.isalpha() for ch in text):
        raise InputError("the question has no words")
    return text


def home() -> Path:
    return Path(os.environ.get("VANTAGE_HOME", ".vantage"))


def _summary(node: str, update: dict[str, Any]) -> str:
    if node == "plan":
        return f"{len(update['sub_queries'])} sub-queries; stakeholders: {', '.join(update['stakeholders'])}"
    if node == "research":
        return f"+{len(update['evidence'])} passages"
    if node == "fact_check":
        claims = update["claims"]
        ok = sum(c.verdict == "supported" for c in claims)
        extra = f"; {len(update['follow_up_queries'])} follow-up queries" if update["follow_up_queries"] else ""
        return f"{ok}/{len(claims)} claims supported{extra}"
    if node == "stakeholders":
        return ", ".join(v.actor for v in update["views"])
    if node == "synthesis":
        r: Report = update["report"]
        return f"{len(r.what_we_know)} facts, {len(r.sources)} sources, {update['dropped_sentences']} dropped"
    return ""


def execute(
    request: RunRequest,
    *,
    chat_model: BaseChatModel | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
) -> Report:
    """Run the graph. Every input is checked before the model is loaded, so bad input fails fast."""
    question = validate_question(request.question)
    perspective = get_perspective(request.perspective)
    search = make_search(request.search, request.corpus)
    verifier = make_verifier(request.verifier)
    spec = parse_spec(request.model)
    model = chat_model or make_chat_model(spec, ModelOptions())
    model_id = spec.model_id if chat_model is None else getattr(chat_model, "model_id", type(chat_model).__name__)

    run_id = run_id or uuid.uuid4().hex[:12]
    if progress:
        progress("start", f"{perspective.signature} · model {model_id} · search {search.name}", 0.0)
    tracker = UsageTracker()
    graph = build_graph(model, search, verifier)
    started, t0 = datetime.now(UTC), time.perf_counter()
    state = RunState(question=question, perspective=perspective, as_of=request.as_of, budgets=request.budgets)
    config = {
        "callbacks": [tracker],
        "recursion_limit": 60,
        "run_name": "vantage",
        "configurable": {"thread_id": run_id},
        "metadata": {"run_id": run_id},
    }
    final: dict[str, Any] = {}
    for mode, chunk in graph.stream(state, config, stream_mode=["updates", "values"]):
        if mode == "values":
            final = chunk
        elif progress:
            for node, update in chunk.items():
                if update:
                    progress(node, _summary(node, update), time.perf_counter() - t0)

    report: Report = final["report"]
    report.run = RunInfo(
        run_id=run_id,
        model_id=model_id,
        prompt_hash=prompt_set_hash(),
        search=search.name,
        verifier=verifier.name,
        started_at=started,
        wall_time_s=round(time.perf_counter() - t0, 2),
        llm_calls=tracker.total.llm_calls,
        prompt_tokens=tracker.total.prompt_tokens,
        completion_tokens=tracker.total.completion_tokens,
        dropped_sentences=final.get("dropped_sentences", 0),
        demoted_sentences=final.get("demoted_sentences", 0),
        fact_check_rounds=final.get("fact_check_rounds", 0),
        evidence_items=len(final.get("evidence", {})),
        degraded=list(final.get("degraded", [])),
        budgets=request.budgets.model_dump(),
    )
    return report


def write_outputs(report: Report, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.md").write_text(render_markdown(report), encoding="utf-8")
    (out_dir / "report.json").write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return out_dir


def stats_line(report: Report) -> str:
    r = report.run
    assert r is not None
    return (
        f"run {r.run_id} · {r.wall_time_s:.1f} s · {r.llm_calls} LLM calls · "
        f"{r.prompt_tokens:,} prompt + {r.completion_tokens:,} completion tokens · model {r.model_id} · "
        f"prompts {r.prompt_hash}"
    )
