"""Turn a `--model` / `VANTAGE_MODEL` string into a LangChain chat model.

Accepted specs:
  local                 embedded Qwen2.5-Coder-0.5B-Instruct Q4 (default)
  local:small           embedded Qwen2.5-Coder-1.5B-Instruct Q4 (extra `small`)
  local:PATH.gguf       any GGUF file on disk, served by the embedded runtime
  openai:MODEL          init_chat_model conventions; needs OPENAI_API_KEY
  anthropic:MODEL       needs ANTHROPIC_API_KEY and the `anthropic` extra
  ollama:MODEL          needs the `ollama` extra and a running Ollama (OLLAMA_HOST)
  http(s)://HOST/v1     any OpenAI-compatible server (model name from VANTAGE_MODEL_NAME)
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

from .errors import ModelError

DEFAULT_SEED = 7
DEFAULT_TIMEOUT_S = 300.0

_PROVIDERS = {
    # provider: (env var holding the key or None, python module, pip extra)
    "openai": ("OPENAI_API_KEY", "langchain_openai", "langchain-openai"),
    "anthropic": ("ANTHROPIC_API_KEY", "langchain_anthropic", "vantage[anthropic]"),
    "ollama": (None, "langchain_ollama", "vantage[ollama]"),
}
SPEC_HELP = (
    "use local, local:small, local:PATH.gguf, openai:MODEL, anthropic:MODEL, ollama:MODEL "
    "or an OpenAI-compatible base URL such as http://127.0.0.1:8080/v1"
)


class ModelSpec(BaseModel):
    """A parsed model spec; `model_id` is what runs and eval results record."""

    kind: Literal["embedded", "gguf", "provider", "openai_compatible"]
    raw: str
    provider: str | None = None
    name: str | None = None
    path: Path | None = None
    base_url: str | None = None

    @property
    def model_id(self) -> str:
        if self.kind == "embedded":
            return self.raw
        if self.kind == "gguf":
            return f"local:{self.path.name if self.path else ''}"
        if self.kind == "openai_compatible":
            return f"{self.base_url}#{self.name}"
        return f"{self.provider}:{self.name}"


class ModelOptions(BaseModel):
    """Decoding settings: temperature 0 and a fixed seed make a run repeatable."""

    temperature: float = 0.0
    seed: int = DEFAULT_SEED
    timeout_s: float = Field(default=DEFAULT_TIMEOUT_S, gt=0)
    max_retries: int = Field(default=1, ge=0)
    parallel: int = Field(default=2, ge=1, le=8, description="llama.cpp slots for the embedded model")


def parse_spec(spec: str | None) -> ModelSpec:
    raw = (spec or os.environ.get("VANTAGE_MODEL") or "local").strip()
    if raw in ("local", "local:small"):
        return ModelSpec(kind="embedded", raw=raw)
    if raw.startswith("local:"):
        path = Path(raw.removeprefix("local:")).expanduser()
        if path.suffix != ".gguf":
            raise ModelError(f"unknown local model {raw!r}: {SPEC_HELP}")
        return ModelSpec(kind="gguf", raw=raw, path=path)
    if raw.startswith(("http://", "https://")):
        name = os.environ.get("VANTAGE_MODEL_NAME", "default")
        return ModelSpec(kind="openai_compatible", raw=raw, base_url=raw.rstrip("/"), name=name)
    provider, sep, name = raw.partition(":")
    if sep and name and provider in _PROVIDERS:
        return ModelSpec(kind="provider", raw=raw, provider=provider, name=name)
    raise ModelError(f"unknown model spec {raw!r}: {SPEC_HELP}")


def make_chat_model(spec: ModelSpec, options: ModelOptions | None = None) -> BaseChatModel:
    """Build the chat model; fail fast (before any work) on missing keys, packages or files."""
    options = options or ModelOptions()
    if spec.kind in ("embedded", "gguf"):
        return _embedded_model(spec, options)
    if spec.kind == "openai_compatible":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=spec.name or "default",
            base_url=spec.base_url,
            api_key=os.environ.get("OPENAI_API_KEY", "not-needed"),
            temperature=options.temperature,
            seed=options.seed,
            timeout=options.timeout_s,
            max_retries=options.max_retries,
        )
    key_var, module, extra = _PROVIDERS[spec.provider or ""]
    if key_var and not os.environ.get(key_var):
        raise ModelError(f"--model {spec.raw} needs {key_var}; set it in the environment")
    if importlib.util.find_spec(module) is None:
        raise ModelError(f"--model {spec.raw} needs the {module} package: pip install {extra}")
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, object] = {"temperature": options.temperature, "timeout": options.timeout_s}
    if spec.provider == "openai":
        kwargs |= {"seed": options.seed, "max_retries": options.max_retries}
    if spec.provider == "ollama":
        kwargs = {"temperature": options.temperature, "seed": options.seed}
    try:
        return init_chat_model(spec.raw, **kwargs)
    except Exception as exc:  # provider packages raise their own validation errors
        raise ModelError(f"--model {spec.raw}: {exc}".splitlines()[0]) from exc


def _embedded_model(spec: ModelSpec, options: ModelOptions) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    from .embedded import EMBEDDED, assemble, check_gguf, start_server

    gguf = assemble(EMBEDDED[spec.raw]) if spec.kind == "embedded" else check_gguf(spec.path)
    handle = start_server(gguf, parallel=options.parallel, seed=options.seed)
    return ChatOpenAI(
        model=handle.model_id,
        base_url=handle.base_url,
        api_key="local",  # the loopback server takes none; the client insists on a value
        temperature=options.temperature,
        seed=options.seed,
        timeout=options.timeout_s,
        max_retries=options.max_retries,
    )
