"""Model factory: spec parsing, fail-fast errors, and the embedded model's verified assembly."""

from __future__ import annotations

import hashlib
import sys
import types
from pathlib import Path

import pytest
from langchain_openai import ChatOpenAI
from vantage.tools.embedded import EmbeddedModel, assemble, check_gguf
from vantage.tools.errors import ModelError
from vantage.tools.models import make_chat_model, parse_spec


@pytest.mark.parametrize(
    ("spec", "kind", "model_id"),
    [
        ("local", "embedded", "local"),
        ("local:small", "embedded", "local:small"),
        ("local:/models/x.gguf", "gguf", "local:x.gguf"),
        ("openai:gpt-4.1-mini", "provider", "openai:gpt-4.1-mini"),
        ("anthropic:claude-sonnet-4-5", "provider", "anthropic:claude-sonnet-4-5"),
        ("ollama:qwen2.5", "provider", "ollama:qwen2.5"),
        ("http://127.0.0.1:8080/v1", "openai_compatible", "http://127.0.0.1:8080/v1#default"),
    ],
)
def test_parse_spec_accepts_every_documented_form(spec: str, kind: str, model_id: str) -> None:
    parsed = parse_spec(spec)
    assert parsed.kind == kind
    assert parsed.model_id == model_id


def test_default_spec_comes_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANTAGE_MODEL", "openai:gpt-4.1")
    assert parse_spec(None).raw == "openai:gpt-4.1"
    monkeypatch.delenv("VANTAGE_MODEL")
    assert parse_spec(None).raw == "local"


@pytest.mark.parametrize("spec", ["foo:bar", "gpt-4", "local:model.bin", "openai:"])
def test_unknown_specs_are_clear_errors(spec: str) -> None:
    with pytest.raises(ModelError, match="unknown"):
        parse_spec(spec)


def test_openai_without_key_fails_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelError, match="OPENAI_API_KEY"):
        make_chat_model(parse_spec("openai:gpt-4.1-mini"))


def test_openai_with_key_builds_a_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    model = make_chat_model(parse_spec("openai:gpt-4.1-mini"))
    assert isinstance(model, ChatOpenAI)
    assert model.temperature == 0.0 and model.seed == 7


def test_missing_provider_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "x")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(ModelError, match=r"vantage\[anthropic\]"):
        make_chat_model(parse_spec("anthropic:claude-sonnet-4-5"))


def test_base_url_builds_openai_compatible_client() -> None:
    model = make_chat_model(parse_spec("http://127.0.0.1:9/v1"))
    assert isinstance(model, ChatOpenAI)
    assert str(model.openai_api_base).startswith("http://127.0.0.1:9/v1")


def test_local_gguf_must_exist_and_be_gguf(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        check_gguf(tmp_path / "missing.gguf")
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"NOPE" + b"\0" * 16)
    with pytest.raises(ModelError, match="not a GGUF"):
        check_gguf(bogus)


def _fake_parts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, chunks: list[bytes]) -> str:
    prefix = "vantage_test_part"
    for i, chunk in enumerate(chunks, 1):
        path = tmp_path / f"part{i}.bin"
        path.write_bytes(chunk)
        module = types.ModuleType(f"{prefix}{i}")
        module.get_part_path = lambda p=path: str(p)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, f"{prefix}{i}", module)
    return prefix


def test_assembly_verifies_hash_and_is_cached(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chunks = [b"GGUF" + b"a" * 100, b"b" * 50]
    prefix = _fake_parts(monkeypatch, tmp_path, chunks)
    digest = hashlib.sha256(b"".join(chunks)).hexdigest()
    model = EmbeddedModel(name="tiny", package_prefix=prefix, parts=2, sha256=digest, pip_hint="-")
    target = assemble(model, tmp_path / "cache")
    assert target.read_bytes() == b"".join(chunks)
    first = target.stat().st_mtime_ns
    assert assemble(model, tmp_path / "cache").stat().st_mtime_ns == first  # not rebuilt


def test_hash_mismatch_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    prefix = _fake_parts(monkeypatch, tmp_path, [b"GGUF", b"tampered"])
    model = EmbeddedModel(name="tiny", package_prefix=prefix, parts=2, sha256="0" * 64, pip_hint="reinstall")
    with pytest.raises(ModelError, match="sha256"):
        assemble(model, tmp_path / "cache")
    assert not (tmp_path / "cache" / "tiny.gguf").exists()


def test_missing_part_package_names_it(tmp_path: Path) -> None:
    model = EmbeddedModel(
        name="tiny", package_prefix="no_such_pkg_part", parts=1, sha256="0" * 64, pip_hint="pip install them"
    )
    with pytest.raises(ModelError, match="no_such_pkg_part1"):
        assemble(model, tmp_path)
