"""SIGKILL a real run process mid-way, resume it, and get the report a clean run gets, without
re-running what had finished."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from graph_fixtures import scripted_model
from vantage.graph.registry import open_checkpointer, open_registry, serde_allowlist
from vantage.graph.report import Report
from vantage.graph.runner import RunRequest, execute, resume
from vantage.graph.state import RunState, StakeholderTask
from vantage.tools.errors import InputError

QUESTION = "Russia says it is ready to resume talks with Ukraine in Istanbul. What is your assessment?"
CHILD = Path(__file__).with_name("resume_child.py")
MARKERS = {
    "plan": "Plan research",
    "fact_check": "atomic factual claims",
    "stakeholders": "Actor to analyse:",
    "synthesis": "Write an assessment",
}


@pytest.fixture(autouse=True)
def state_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("VANTAGE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def checkpoints_read_back_whole(caplog: pytest.LogCaptureFixture):
    """A type missing from the checkpointer's allowlist comes back as a bare dict, with only a log
    line to say so: resuming must not log one."""
    yield
    blocked = [r.getMessage() for r in caplog.records if "deserializ" in r.getMessage().lower()]
    assert not blocked, blocked


def sent(prompts: list[str]) -> dict[str, int]:
    """How many prompts of each node a model was sent."""
    return {node: sum(marker in p for p in prompts) for node, marker in MARKERS.items()}


def comparable(report: Report) -> dict:
    """The report minus what differs between any two runs: its id and its timing."""
    data = json.loads(report.model_dump_json())
    for key in ("run_id", "started_at", "wall_time_s"):
        data["run"].pop(key)
    return data


def wait_for(condition: Callable[[], bool], child: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if child.poll() is not None:
            raise AssertionError(f"the run process exited ({child.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def hanging_in(run_id: str, node: str, marker: str) -> bool:
    """The run's process is stuck in an LLM call of `node` whose prompt has `marker`."""
    with open_registry() as registry:
        return any(
            c.node == node and c.status == "running" and any(marker in m.content for m in c.messages)
            for c in registry.calls(run_id)
        )


def saved_branch_writes(run_id: str, channel: str) -> int:
    """Tasks of the current step whose writes to `channel` are in the checkpoint."""
    with open_checkpointer() as saver:
        readable = saver.with_allowlist(serde_allowlist(RunState, StakeholderTask))
        saved = readable.get_tuple({"configurable": {"thread_id": run_id}})
    return len({task for task, ch, _ in (saved.pending_writes or []) if ch == channel}) if saved else 0


def kill_mid_run(run_id: str, corpus: Path, block: str, ready: Callable[[], bool]) -> None:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), run_id, str(corpus), QUESTION],
        env={**os.environ, "VANTAGE_TEST_BLOCK": block},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(ready, child, f"the run hung on {block!r}")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


def test_resume_after_sigkill_skips_finished_nodes(corpus_file: Path) -> None:
    kill_mid_run(
        "killed-in-synthesis",
        corpus_file,
        MARKERS["synthesis"],
        lambda: hanging_in("killed-in-synthesis", "synthesis", MARKERS["synthesis"]),
    )
    with open_registry() as registry:
        assert registry.get_run("killed-in-synthesis").status == "interrupted"

    model = scripted_model()
    resumed = resume("killed-in-synthesis", chat_model=model)
    assert sent(model.prompts) == {"plan": 0, "fact_check": 0, "stakeholders": 0, "synthesis": 1}

    clean_model = scripted_model()
    clean = execute(RunRequest(question=QUESTION, corpus=str(corpus_file)), chat_model=clean_model)
    assert sent(clean_model.prompts)["stakeholders"] >= 2
    assert comparable(resumed) == comparable(clean)

    with open_registry() as registry:
        record = registry.get_run("killed-in-synthesis")
        syntheses = [e for e in registry.node_execs(record.id) if e.node == "synthesis"]
    assert record.status == "done" and record.attempts == 2
    assert [(e.attempt, e.status) for e in syntheses] == [(1, "interrupted"), (2, "done")]
    assert resumed.run is not None and resumed.run.llm_calls == record.llm_calls == len(clean_model.prompts)


def test_resume_mid_fanout_reruns_only_the_unfinished_branch(corpus_file: Path) -> None:
    hung = "Actor to analyse: Turkey"
    kill_mid_run(
        "killed-in-fanout",
        corpus_file,
        hung,
        lambda: (
            hanging_in("killed-in-fanout", "stakeholders", hung)
            and saved_branch_writes("killed-in-fanout", "views") == 2
            # fact_check runs in the same step as the stakeholder branches: wait for its writes too
            and saved_branch_writes("killed-in-fanout", "claims") == 1
        ),
    )
    model = scripted_model()
    resumed = resume("killed-in-fanout", chat_model=model)
    assert sent(model.prompts) == {"plan": 0, "fact_check": 0, "stakeholders": 1, "synthesis": 1}
    assert any(hung in p for p in model.prompts)

    clean = execute(RunRequest(question=QUESTION, corpus=str(corpus_file)), chat_model=scripted_model())
    assert comparable(resumed) == comparable(clean)


def test_resume_refuses_finished_runs_and_unknown_ids(corpus_file: Path) -> None:
    execute(RunRequest(question=QUESTION, corpus=str(corpus_file)), chat_model=scripted_model(), run_id="fine")
    with pytest.raises(InputError, match="already finished"):
        resume("fine", chat_model=scripted_model())
    with pytest.raises(InputError, match="is not a known run"):
        resume("nope")
    with pytest.raises(InputError, match="already exists"):
        execute(RunRequest(question=QUESTION, corpus=str(corpus_file)), chat_model=scripted_model(), run_id="fine")
