"""Replay for evals: LLM replies cached in SQLite, keyed by model id, call parameters and the full prompt.

Re-running an eval with unchanged prompts replays every call; a changed prompt misses only the
calls whose text changed. Calls that failed (a reply cut off at its token cap, which llama.cpp's
server reports as an error) are recorded too, so a replay takes the same retry path without
generating the failed reply again. LangChain's own key (the serialised model) carries the embedded server's
loopback port, which changes every process, so the key is rebuilt from what decides the reply:
the model id, the sampling and output parameters, and the prompt.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.language_models import BaseChatModel

# Connection details and secrets do not change a reply.
_NOT_IN_KEY = {
    "openai_api_base",
    "openai_api_key",
    "base_url",
    "api_key",
    "timeout",
    "max_retries",
    "request_timeout",
}


class ReplayCache(BaseCache):
    def __init__(self, path: Path, model_id: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.cache import SQLiteCache

        path.parent.mkdir(parents=True, exist_ok=True)
        self._store = SQLiteCache(database_path=str(path))
        self.model_id = model_id
        self.hits = 0
        self.misses = 0
        self._failures = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._failures.execute("CREATE TABLE IF NOT EXISTS vantage_failures (key TEXT PRIMARY KEY, error TEXT)")
        self._lock = threading.Lock()

    def _failure_key(self, call: str) -> str:
        return hashlib.sha256(f"{self.model_id}\x00{call}".encode()).hexdigest()

    def failure(self, call: str) -> str | None:
        """The recorded error of a call that failed before (`call` describes it whole), or None."""
        with self._lock:
            row = self._failures.execute(
                "SELECT error FROM vantage_failures WHERE key = ?", (self._failure_key(call),)
            ).fetchone()
        if row is not None:
            self.hits += 1
        return row[0] if row else None

    def record_failure(self, call: str, error: str) -> None:
        with self._lock, self._failures:
            self._failures.execute(
                "INSERT OR REPLACE INTO vantage_failures VALUES (?, ?)", (self._failure_key(call), error)
            )

    def key(self, llm_string: str) -> str:
        head, _, call = llm_string.partition("---")
        try:
            params = json.loads(head).get("kwargs", {})
        except json.JSONDecodeError:
            params = {"raw": head}
        kept = {k: v for k, v in params.items() if k not in _NOT_IN_KEY}
        return json.dumps({"model": self.model_id, "params": kept}, sort_keys=True, default=str) + "---" + call

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        with warnings.catch_warnings():  # langchain-community's pending change of its loads() default
            warnings.simplefilter("ignore")
            found = self._store.lookup(prompt, self.key(llm_string))
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        self._store.update(prompt, self.key(llm_string), return_val)

    def clear(self, **kwargs: Any) -> None:
        self._store.clear()
        with self._lock, self._failures:
            self._failures.execute("DELETE FROM vantage_failures")


def with_replay(model: BaseChatModel, path: Path, model_id: str) -> ReplayCache:
    """Attach a replay cache to `model` (in place) and return it, for its hit and miss counts."""
    cache = ReplayCache(path, model_id)
    model.cache = cache
    return cache
