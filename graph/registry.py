"""The run registry: one SQLite file under the state folder recording every run, every node
execution and every LLM call, beside LangGraph's own checkpoint file for the same run ids.

Writes come from fan-out threads and from many runs at once (the eval runner), so each Registry
holds one connection behind a lock, and SQLite's WAL journal plus a busy timeout lets separate
runs (separate connections, separate processes) share the file.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel, Field
from vantage.tools.errors import InputError, VantageError

Status = Literal["running", "done", "failed", "interrupted"]
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, started TEXT NOT NULL, question TEXT NOT NULL, perspective TEXT NOT NULL,
    status TEXT NOT NULL, error TEXT, wall_time_s REAL NOT NULL DEFAULT 0, model_id TEXT NOT NULL,
    prompt_hash TEXT NOT NULL, request TEXT NOT NULL, custom_model INTEGER NOT NULL DEFAULT 0,
    pid INTEGER NOT NULL, host TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS node_execs (
    id TEXT PRIMARY KEY, run_id TEXT NOT NULL, node TEXT NOT NULL, step INTEGER NOT NULL,
    task TEXT NOT NULL, branch TEXT, attempt INTEGER NOT NULL, started REAL NOT NULL, ended REAL,
    status TEXT NOT NULL, retries INTEGER NOT NULL DEFAULT 0, reads TEXT NOT NULL, writes TEXT NOT NULL,
    error TEXT
);
CREATE INDEX IF NOT EXISTS node_execs_run ON node_execs (run_id, started);
CREATE TABLE IF NOT EXISTS llm_calls (
    id TEXT PRIMARY KEY, run_id TEXT NOT NULL, exec_id TEXT, node TEXT NOT NULL, started REAL NOT NULL,
    ended REAL, status TEXT NOT NULL, model_id TEXT NOT NULL, messages TEXT NOT NULL, params TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '', prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0, retry INTEGER NOT NULL DEFAULT 0, error TEXT
);
CREATE INDEX IF NOT EXISTS llm_calls_run ON llm_calls (run_id, started);
"""

# Usage is summed from the calls themselves, so the run row can never disagree with its trace.
_RUN_SELECT = """
SELECT r.*, COALESCE(u.calls, 0) AS llm_calls, COALESCE(u.prompt, 0) AS prompt_tokens,
       COALESCE(u.completion, 0) AS completion_tokens
FROM runs r LEFT JOIN (
    SELECT run_id, COUNT(*) AS calls, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion
    FROM llm_calls WHERE status = 'done' GROUP BY run_id
) u ON u.run_id = r.id
"""


class RunRecord(BaseModel):
    id: str
    started: datetime
    question: str
    perspective: str
    status: Status
    error: str | None = None
    wall_time_s: float = 0.0
    model_id: str
    prompt_hash: str
    request: dict[str, Any] = Field(description="the RunRequest, so `vantage resume` can rebuild the run")
    custom_model: bool = Field(default=False, description="ran on an in-process model object, not a spec")
    pid: int = Field(default_factory=os.getpid)
    host: str = Field(default_factory=socket.gethostname)
    attempts: int = 1
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class NodeExec(BaseModel):
    """One execution of one node: a fan-out branch is one execution; a re-run after resume is another."""

    id: str
    run_id: str
    node: str
    step: int
    task: str = Field(description="LangGraph's task namespace, shared by a task's re-run after resume")
    branch: str | None = Field(default=None, description="what a fan-out branch works on (query, actor)")
    attempt: int = 1
    started: float
    ended: float | None = None
    status: Status = "running"
    retries: int = 0
    reads: dict[str, str] = Field(default_factory=dict)
    writes: dict[str, str] = Field(default_factory=dict)
    error: str | None = None


class Message(BaseModel):
    role: str
    content: str


class LLMCall(BaseModel):
    id: str
    run_id: str
    exec_id: str | None
    node: str
    started: float
    ended: float | None = None
    status: Status = "running"
    model_id: str
    messages: list[Message]
    params: dict[str, Any] = Field(default_factory=dict)
    reply: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retry: bool = Field(default=False, description="a structured-output retry within the same node execution")
    error: str | None = None

    @property
    def latency_s(self) -> float | None:
        return None if self.ended is None else self.ended - self.started


def home() -> Path:
    """The state folder: VANTAGE_HOME, else .vantage in the working directory."""
    return Path(os.environ.get("VANTAGE_HOME", ".vantage"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_wal_lock = threading.Lock()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None)
        _use_wal(conn)
        # In WAL mode, NORMAL still survives a killed process (SIGKILL-and-resume relies on that);
        # only a power cut may lose the last commits. FULL would fsync on every trace event.
        conn.execute("PRAGMA synchronous=NORMAL")
    except (OSError, sqlite3.Error) as exc:
        raise VantageError(f"cannot open the run registry {path}: {exc} (VANTAGE_HOME moves it)") from exc
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs an exclusive lock that SQLite fails on at once instead of
    # waiting (busy timeout ignored): one thread at a time here, a short retry against other processes.
    # The mode is stored in the file, so later connections find it set.
    with _wal_lock:
        for attempt in range(100):
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 99:
                    raise
                time.sleep(0.05)


class Registry:
    """Thread-safe: one connection, one lock, autocommit (every event is durable when written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = _connect(path)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, params: Iterable[Any]) -> None:
        with self._lock:
            self._conn.execute(sql, tuple(params))

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    # runs
    def create_run(self, run: RunRecord) -> None:
        if self._read("SELECT 1 FROM runs WHERE id = ?", (run.id,)):
            raise InputError(f"run id {run.id!r} already exists in {self.path}; resume it or pick another id")
        self._write(
            "INSERT INTO runs (id, started, question, perspective, status, error, wall_time_s, model_id, "
            "prompt_hash, request, custom_model, pid, host, attempts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                run.id,
                run.started.isoformat(),
                run.question,
                run.perspective,
                run.status,
                run.error,
                run.wall_time_s,
                run.model_id,
                run.prompt_hash,
                json.dumps(run.request),
                int(run.custom_model),
                run.pid,
                run.host,
                run.attempts,
            ),
        )

    def begin_attempt(self, run_id: str) -> int:
        """Claim a run for a resume in this process; what the dead attempt left running was interrupted."""
        self._write(
            "UPDATE runs SET status = 'running', error = NULL, pid = ?, host = ?, attempts = attempts + 1 "
            "WHERE id = ?",
            (os.getpid(), socket.gethostname(), run_id),
        )
        for table in ("node_execs", "llm_calls"):
            self._write(
                f"UPDATE {table} SET status = 'interrupted' WHERE run_id = ? AND status = 'running'", (run_id,)
            )
        return self._read("SELECT attempts FROM runs WHERE id = ?", (run_id,))[0]["attempts"]

    def set_wall_time(self, run_id: str, wall_time_s: float) -> None:
        self._write("UPDATE runs SET wall_time_s = ? WHERE id = ?", (round(wall_time_s, 2), run_id))

    def finish_run(self, run_id: str, status: Status, wall_time_s: float, error: str | None = None) -> None:
        self._write(
            "UPDATE runs SET status = ?, wall_time_s = ?, error = ? WHERE id = ?",
            (status, round(wall_time_s, 2), error, run_id),
        )
        if status != "done":  # whatever was in flight ended with the run
            for table in ("node_execs", "llm_calls"):
                self._write(
                    f"UPDATE {table} SET status = ? WHERE run_id = ? AND status = 'running'", (status, run_id)
                )

    def _record(self, row: sqlite3.Row) -> RunRecord:
        data = dict(row)
        data["request"] = json.loads(data["request"])
        record = RunRecord.model_validate(data)
        if record.status == "running" and record.host == socket.gethostname() and not _alive(record.pid):
            record.status = "interrupted"  # killed without a chance to say so
        elif record.status == "running" and record.attempts == 1:  # the stored value is as of the last node
            record.wall_time_s = round((datetime.now(UTC) - record.started).total_seconds(), 2)
        return record

    def list_runs(self, limit: int = 20) -> list[RunRecord]:
        rows = self._read(_RUN_SELECT + " ORDER BY r.started DESC LIMIT ?", (limit,))
        return [self._record(r) for r in rows]

    def get_run(self, run_id: str) -> RunRecord:
        """The run with this id, or the only run whose id starts with it."""
        rows = self._read(_RUN_SELECT + " WHERE r.id = ?", (run_id,))
        if not rows:
            rows = self._read(_RUN_SELECT + " WHERE r.id LIKE ? ESCAPE '\\' LIMIT 3", (_like_prefix(run_id),))
        if len(rows) != 1:
            problem = "matches several runs" if rows else "is not a known run"
            raise InputError(f"{run_id!r} {problem} in {self.path} (see `vantage runs`)")
        return self._record(rows[0])

    # node executions and LLM calls
    def node_started(self, e: NodeExec) -> None:
        self._write(
            "INSERT INTO node_execs (id, run_id, node, step, task, branch, attempt, started, status, reads, "
            "writes) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                e.id,
                e.run_id,
                e.node,
                e.step,
                e.task,
                e.branch,
                e.attempt,
                e.started,
                e.status,
                json.dumps(e.reads),
                json.dumps(e.writes),
            ),
        )

    def node_ended(self, e: NodeExec) -> None:
        self._write(
            "UPDATE node_execs SET ended = ?, status = ?, retries = ?, writes = ?, error = ? WHERE id = ?",
            (e.ended, e.status, e.retries, json.dumps(e.writes), e.error, e.id),
        )

    def call_started(self, c: LLMCall) -> None:
        self._write(
            "INSERT INTO llm_calls (id, run_id, exec_id, node, started, status, model_id, messages, params, "
            "retry) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                c.id,
                c.run_id,
                c.exec_id,
                c.node,
                c.started,
                c.status,
                c.model_id,
                json.dumps([m.model_dump() for m in c.messages]),
                json.dumps(c.params, default=str),
                int(c.retry),
            ),
        )

    def call_ended(self, c: LLMCall) -> None:
        self._write(
            "UPDATE llm_calls SET ended = ?, status = ?, reply = ?, prompt_tokens = ?, completion_tokens = ?, "
            "error = ? WHERE id = ?",
            (c.ended, c.status, c.reply, c.prompt_tokens, c.completion_tokens, c.error, c.id),
        )

    def node_execs(self, run_id: str) -> list[NodeExec]:
        rows = self._read("SELECT * FROM node_execs WHERE run_id = ? ORDER BY started", (run_id,))
        return [
            NodeExec.model_validate({**r, "reads": json.loads(r["reads"]), "writes": json.loads(r["writes"])})
            for r in map(dict, rows)
        ]

    def calls(self, run_id: str) -> list[LLMCall]:
        rows = self._read("SELECT * FROM llm_calls WHERE run_id = ? ORDER BY started", (run_id,))
        return [
            LLMCall.model_validate({**r, "messages": json.loads(r["messages"]), "params": json.loads(r["params"])})
            for r in map(dict, rows)
        ]


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@contextmanager
def open_registry(folder: Path | None = None) -> Iterator[Registry]:
    registry = Registry((folder or home()) / "runs.sqlite")
    try:
        yield registry
    finally:
        registry.close()


@contextmanager
def open_checkpointer(folder: Path | None = None) -> Iterator[SqliteSaver]:
    """LangGraph's SQLite checkpointer on a connection of its own (it serialises access with its own
    lock). Its serializer starts strict; build_graph allows exactly the graph's own types."""
    conn = _connect((folder or home()) / "checkpoints.sqlite")
    try:
        yield SqliteSaver(conn, serde=JsonPlusSerializer(allowed_msgpack_modules=None))
    finally:
        conn.close()


def model_types(*roots: Any) -> set[type[BaseModel]]:
    """Every pydantic model class reachable from `roots` through field annotations."""
    found: set[type[BaseModel]] = set()
    pending = list(roots)
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in found:
                continue
            found.add(item)
            pending += [f.annotation for f in item.model_fields.values()]
            pending += [c for c in item.__mro__[1:] if isinstance(c, type) and issubclass(c, BaseModel)]
        else:  # list[X], dict[K, V], X | None, Annotated[X, reducer]: look inside
            pending += typing.get_args(item)
    return {t for t in found if t is not BaseModel}


def serde_allowlist(*roots: Any) -> list[tuple[str, str]]:
    return sorted((t.__module__, t.__name__) for t in model_types(*roots))
