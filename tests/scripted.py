"""Scripted chat models for tests: langchain-core's fake chat model, routed by prompt."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

Reply = dict[str, Any] | str
Route = Callable[[str], Reply | None]


class RoutedFakeChatModel(GenericFakeChatModel):
    """A GenericFakeChatModel whose reply depends on the prompt, so parallel branches get the
    reply meant for them whatever order they run in. Records every prompt it was sent."""

    routes: list[tuple[str, Reply]]
    prompts: list[str] = Field(default_factory=list)
    messages: Any = iter(())  # unused: replies come from `routes`
    model_id: str = "scripted"

    def model_post_init(self, context: Any) -> None:
        object.__setattr__(self, "_lock", threading.Lock())

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        prompt = "\n".join(str(m.content) for m in messages)
        with self._lock:
            self.prompts.append(prompt)
        for marker, reply in self.routes:
            if marker in prompt:
                text = reply if isinstance(reply, str) else json.dumps(reply)
                message = AIMessage(
                    text,
                    usage_metadata={
                        "input_tokens": len(prompt.split()),
                        "output_tokens": len(text.split()),
                        "total_tokens": len(prompt.split()) + len(text.split()),
                    },
                )
                return ChatResult(generations=[ChatGeneration(message=message)])
        raise AssertionError(f"no scripted reply for prompt: {prompt[:300]}")


def cited(text: str, *ids: str) -> dict[str, Any]:
    return {"text": text, "evidence_ids": list(ids)}
