"""Run one question through the graph: validate input, wire dependencies, stream progress,
collect usage, and return the report with its run record."""

from __future__ import annotations

import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, Field
from vantage.evals.verifiers import Verifier, make_verifier
from vantage.tools.errors import InputError
from vantage.tools.models import ModelOptions, make_chat_model, parse_spec
from vantage.tools.search import SearchBackend, make_search

from .builder import build_graph
from .perspectives import Perspective, get_perspective
from .promptset import prompt_set_hash
from .registry import Registry, RunRecord, home, open_checkpointer, open_registry
from .report import Report, RunInfo, render_markdown
from .settings import Budgets
from .state import RunState
from .trace import TraceRecorder
from .trace_io import node_reads
from .trace_otel import export_if_configured

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
    if node == "dispatch":
        return f"stakeholders: {', '.join(update['stakeholders']) or 'none named in the evidence'}"
    if node == "stakeholders":
        return ", ".join(v.actor for v in update["views"])
    if node == "synthesis":
        r: Report = update["report"]
        return f"{len(r.what_we_know)} facts, {len(r.sources)} sources, {update['dropped_sentences']} dropped"
    return ""


@dataclass(frozen=True)
class _Wiring:
    request: RunRequest
    model: BaseChatModel
    model_id: str
    search: SearchBackend
    verifier: Verifier
    perspective: Perspective


def _wire(request: RunRequest, chat_model: BaseChatModel | None, model_id: str | None = None) -> _Wiring:
    """Check every input before the model is loaded, so bad input fails fast."""
    perspective = get_perspective(request.perspective)
    search = make_search(request.search, request.corpus)
    if request.verifier not in (None, "llm"):
        make_verifier(request.verifier)  # an unknown verifier fails before the model loads
    spec = parse_spec(request.model)
    model = chat_model or make_chat_model(spec, ModelOptions())
    verifier = make_verifier(request.verifier, model)  # `llm` judges with the run's own model
    if model_id is None and chat_model is not None:
        model_id = getattr(chat_model, "model_id", type(chat_model).__name__)
    return _Wiring(request, model, model_id or spec.model_id, search, verifier, perspective)


def execute(
    request: RunRequest,
    *,
    chat_model: BaseChatModel | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
    model_id: str | None = None,
) -> Report:
    """Run the graph, checkpointed and traced under `run_id` in the state folder (see registry.py).
    `model_id` names `chat_model` in the run's record when its own attributes do not (a client
    built from a model spec, as `vantage eval` does)."""
    question = validate_question(request.question)
    request = request.model_copy(update={"question": question})
    wiring = _wire(request, chat_model, model_id)
    run_id = run_id or uuid.uuid4().hex[:12]
    if progress:
        progress(
            "start", f"{wiring.perspective.signature} · model {wiring.model_id} · search {wiring.search.name}", 0.0
        )
    record = RunRecord(
        id=run_id,
        started=datetime.now(UTC),
        question=question,
        perspective=wiring.perspective.id,
        status="running",
        model_id=wiring.model_id,
        prompt_hash=prompt_set_hash(),
        request=request.model_dump(mode="json"),
        custom_model=chat_model is not None,
    )
    state = RunState(
        question=question, perspective=wiring.perspective, as_of=request.as_of, budgets=request.budgets
    )
    folder = home()
    with open_registry(folder) as registry, open_checkpointer(folder) as saver:
        registry.create_run(record)
        graph = build_graph(wiring.model, wiring.search, wiring.verifier, checkpointer=saver)
        return _drive(registry, graph, record, wiring, state, progress, attempt=1)


def resume(run_id: str, *, chat_model: BaseChatModel | None = None, progress: Progress | None = None) -> Report:
    """Continue a killed or failed run from its last checkpoint; finished nodes are not run again
    (nor finished branches of an unfinished fan-out: LangGraph keeps their writes)."""
    folder = home()
    with open_registry(folder) as registry, open_checkpointer(folder) as saver:
        record = registry.get_run(run_id)
        if record.status == "done":
            raise InputError(f"run {record.id} already finished; `vantage trace {record.id}` shows it")
        if record.status == "running":
            raise InputError(f"run {record.id} is still running (pid {record.pid} on {record.host})")
        if record.custom_model and chat_model is None:
            raise InputError(
                f"run {record.id} ran on an in-process model ({record.model_id}), not a model spec; "
                "resume it from Python with that model"
            )
        request = RunRequest.model_validate(record.request)
        wiring = _wire(request, chat_model)
        graph = build_graph(wiring.model, wiring.search, wiring.verifier, checkpointer=saver)
        started = graph.get_state({"configurable": {"thread_id": record.id}}).created_at is not None
        if progress:
            where = "its last checkpoint" if started else "the start (it died before its first checkpoint)"
            progress("resume", f"run {record.id} from {where} · model {wiring.model_id}", 0.0)
        attempt = registry.begin_attempt(record.id)
        graph_input = (
            None
            if started
            else RunState(
                question=request.question,
                perspective=wiring.perspective,
                as_of=request.as_of,
                budgets=request.budgets,
            )
        )
        return _drive(registry, graph, record, wiring, graph_input, progress, attempt=attempt)


def _drive(
    registry: Registry,
    graph: Any,
    record: RunRecord,
    wiring: _Wiring,
    graph_input: RunState | None,
    progress: Progress | None,
    *,
    attempt: int,
) -> Report:
    recorder = TraceRecorder(
        registry,
        record.id,
        model_id=wiring.model_id,
        reads=node_reads(graph),
        attempt=attempt,
        wall_offset_s=record.wall_time_s,
    )
    config: RunnableConfig = {
        "callbacks": [recorder],
        "recursion_limit": 60,
        "max_concurrency": wiring.request.budgets.max_concurrency,
        "run_name": "vantage",
        "configurable": {"thread_id": record.id},
        "metadata": {"run_id": record.id},
    }
    final: dict[str, Any] = {}
    t0 = time.perf_counter()
    try:
        # durability="sync": a step's checkpoint is on disk before the next step starts, so a kill
        # at any moment loses at most the steps still running.
        for mode, chunk in graph.stream(graph_input, config, stream_mode=["updates", "values"], durability="sync"):
            if mode == "values":
                final = chunk
            elif progress:
                for node, update in chunk.items():
                    if update:
                        progress(node, _summary(node, update), time.perf_counter() - t0)
        final = final or graph.get_state(config).values
        report: Report = final["report"]
    except KeyboardInterrupt:
        registry.finish_run(record.id, "interrupted", recorder.wall_time(), "interrupted by the user")
        export_if_configured(registry, record.id)
        raise
    except BaseException as exc:
        registry.finish_run(record.id, "failed", recorder.wall_time(), f"{type(exc).__name__}: {exc}")
        export_if_configured(registry, record.id)
        raise
    wall_time = recorder.wall_time()
    registry.finish_run(record.id, "done", wall_time)
    export_if_configured(registry, record.id)
    # A resumed run's record carries the usage of its earlier attempts (zero for a new run).
    report.run = RunInfo(
        run_id=record.id,
        model_id=wiring.model_id,
        prompt_hash=prompt_set_hash(),
        search=wiring.search.name,
        verifier=wiring.verifier.name,
        started_at=record.started,
        wall_time_s=round(wall_time, 2),
        llm_calls=record.llm_calls + recorder.total.llm_calls,
        prompt_tokens=record.prompt_tokens + recorder.total.prompt_tokens,
        completion_tokens=record.completion_tokens + recorder.total.completion_tokens,
        dropped_sentences=final.get("dropped_sentences", 0),
        demoted_sentences=final.get("demoted_sentences", 0),
        draft_checks=list(final.get("draft_checks", [])),
        fact_check_rounds=final.get("fact_check_rounds", 0),
        evidence_items=len(final.get("evidence", {})),
        degraded=list(final.get("degraded", [])),
        budgets=wiring.request.budgets.model_dump(),
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
