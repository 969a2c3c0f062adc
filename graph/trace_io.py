"""What a node reads and writes: the state keys its code reads (found once, from its source) and
short, human-sized summaries of the values it saw and returned."""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
import threading
from collections.abc import Callable, Mapping
from datetime import date
from types import CodeType
from typing import Any

from pydantic import BaseModel

MAX_SUMMARY = 160
_CALL_DEPTH = 3  # how far to follow `helper(state)` calls into helpers


_trees: dict[CodeType, ast.Module | None] = {}
# CPython 3.11's ast.parse is not safe to call from several threads at once (SystemError "AST
# constructor recursion depth mismatch"), and concurrent runs analyse the same nodes: parse once, locked.
_parse_lock = threading.Lock()


def _tree(func: Callable[..., Any]) -> ast.Module | None:
    with _parse_lock:
        code = func.__code__
        if code not in _trees:
            try:
                _trees[code] = ast.parse(textwrap.dedent(inspect.getsource(func)))
            except (OSError, TypeError, SyntaxError):
                _trees[code] = None
        return _trees[code]


def _param_reads(func: Callable[..., Any], param: str, depth: int, seen: set[Any]) -> set[str]:
    """Attributes read from `param` in `func`, following helpers that are handed `param` whole."""
    if func in seen or depth > _CALL_DEPTH:
        return set()
    seen.add(func)
    tree = _tree(func)
    if tree is None:
        return set()
    reads: set[str] = set()
    scope = {**func.__globals__, **inspect.getclosurevars(func).nonlocals}
    for node in ast.walk(tree.body[0]):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == param:
            reads.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            callee = scope.get(node.func.id)
            if not inspect.isfunction(callee):
                continue
            names = list(inspect.signature(callee).parameters)
            passed = [(names[i], a) for i, a in enumerate(node.args) if i < len(names)]
            passed += [(k.arg, k.value) for k in node.keywords if k.arg]
            for name, arg in passed:
                if isinstance(arg, ast.Name) and arg.id == param:
                    reads |= _param_reads(callee, name, depth + 1, seen)
    return reads


_reads: dict[tuple[Any, frozenset[str]], list[str] | None] = {}


def state_reads(func: Callable[..., Any], fields: Mapping[str, Any]) -> list[str] | None:
    """The fields of a node's input (state or Send task) that its code reads; None if unknowable.
    Kept per code object: every run builds its graph anew from the same node code."""
    key = (getattr(func, "__code__", func), frozenset(fields))
    if key not in _reads:
        params = list(inspect.signature(func).parameters)
        found = _param_reads(func, params[0], 0, set()) if params else set()
        _reads[key] = sorted(found & set(fields)) if found else None
    return _reads[key]


def node_reads(graph: Any) -> dict[str, list[str] | None]:
    """Per node of a compiled StateGraph, the input fields it reads."""
    out: dict[str, list[str] | None] = {}
    for name, spec in graph.builder.nodes.items():
        func = getattr(spec.runnable, "func", None)
        fields = getattr(spec.input_schema, "model_fields", {})
        out[name] = state_reads(func, fields) if func is not None and fields else None
    return out


def summarise(value: Any, limit: int = MAX_SUMMARY) -> str:
    """One line that says what a value is without dumping it: lists and ledgers by size and a peek."""
    if isinstance(value, BaseModel):
        label = next((v for v in value.__dict__.values() if isinstance(v, str) and v), "")
        text = f"{type(value).__name__}({label!r})" if label else type(value).__name__
    elif isinstance(value, Mapping):
        text = f"{len(value)} entries" + (f": {', '.join(map(str, list(value)[:4]))}" if value else "")
    elif isinstance(value, list | tuple):
        if value and all(isinstance(v, str) for v in value):
            text = json.dumps(list(value), ensure_ascii=False)
        else:
            kinds = sorted({type(v).__name__ for v in value})
            text = f"{len(value)} items" + (f" ({', '.join(kinds)})" if value else "")
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarise_fields(obj: Any, names: list[str] | None) -> dict[str, str]:
    """Summaries of `names` on a state or task object (all its fields when names is None)."""
    if isinstance(obj, BaseModel):
        data = {k: getattr(obj, k) for k in (names if names is not None else type(obj).model_fields)}
    elif isinstance(obj, Mapping):
        data = {k: obj[k] for k in (names if names is not None else obj) if k in obj}
    else:
        return {}
    return {k: summarise(v) for k, v in data.items()}


def branch_label(inputs: Any) -> str | None:
    """What a fan-out branch works on: the first text field of its Send task (query, actor)."""
    if not isinstance(inputs, BaseModel):
        return None
    return next((v for v in inputs.__dict__.values() if isinstance(v, str)), None)
