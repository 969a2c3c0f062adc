"""Helper process for tests/test_resume.py: a real `execute()` on the scripted model that hangs in
the LLM call whose prompt contains $VANTAGE_TEST_BLOCK, so the test can SIGKILL it mid-run.

usage: python tests/resume_child.py RUN_ID CORPUS QUESTION   (VANTAGE_HOME says where runs go)
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

# Run as a script, so its own folder (tests/) is on sys.path and the fixtures import directly.
from graph_fixtures import scripted_model
from langchain_core.outputs import ChatResult
from scripted import RoutedFakeChatModel
from vantage.graph.runner import RunRequest, execute


class HangingModel(RoutedFakeChatModel):
    """Replies like the scripted model, except it never answers the prompt with the marker."""

    block: str

    def _generate(self, messages: list[Any], stop: list[str] | None = None, **kwargs: Any) -> ChatResult:
        if any(self.block in str(m.content) for m in messages):
            threading.Event().wait()  # until the test kills this process
        return super()._generate(messages, stop, **kwargs)


def main() -> None:
    run_id, corpus, question = sys.argv[1:4]
    model = HangingModel(routes=scripted_model().routes, block=os.environ["VANTAGE_TEST_BLOCK"])
    execute(RunRequest(question=question, corpus=corpus), chat_model=model, run_id=run_id)


if __name__ == "__main__":
    main()
