"""Evidence ledger helpers: ranking, prompt formatting, and id-constrained output schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints
from vantage.tools.search import BM25Index

from .state import Evidence

EVIDENCE_IDS = "x-evidence-ids"

# Output-schema building blocks. Every generated field is bounded: small models ramble. A sentence
# must open with a capital and close with punctuation, so a reply cut at the length cap is refused
# rather than published as a fragment.
SENTENCE_PATTERN = r"^[A-Z0-9\"“][^\n]{8,220}[.!?\"”]$"
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SENTENCE_PATTERN)]
EvidenceIds = Annotated[list[str], Field(max_length=3, json_schema_extra={EVIDENCE_IDS: True})]


class CitedSentence(BaseModel):
    text: Sentence
    evidence_ids: EvidenceIds = Field(default_factory=list)


def literal(text: str) -> str:
    """Escape regex metacharacters for a JSON-schema pattern. llama.cpp's converter rejects
    escapes it does not know (such as a backslash before a space), so escape only what is needed."""
    return "".join("\\" + ch if ch in ".^$*+?()[]{}|\\" else ch for ch in text)


def constrain_ids(schema: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """Return a copy of `schema` whose evidence-id lists may only hold `ids` (a JSON-schema enum),
    so a constrained decoder cannot emit an id outside the ledger."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: walk(v) for k, v in node.items()}
            if node.pop(EVIDENCE_IDS, False):
                node["items"] = {"type": "string", "enum": list(ids)} if ids else {"type": "string"}
            return node
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def rank(ledger: dict[str, Evidence], query: str, k: int) -> list[Evidence]:
    """The k ledger items most relevant to `query` (BM25 over the run's own evidence)."""
    items = sorted(ledger.values(), key=lambda e: e.id)
    hits = BM25Index(list(items)).search(query, k)
    found = [ledger[h.id] for h in hits]
    if len(found) < k:  # BM25 can score short queries at zero; keep the prompt from starving
        found += [e for e in items if e not in found][: k - len(found)]
    return found


def _data(text: str) -> str:
    # Source text is data: it must not be able to close or open the evidence wrapper.
    return text.replace("<", "‹").replace(">", "›")


def format_evidence(items: list[Evidence], max_chars: int = 600) -> str:
    lines = []
    for e in items:
        when = e.published.isoformat() if e.published else "undated"
        lines.append(f"[{e.id}] ({_data(e.publisher)}, {when}) {_data(e.text[:max_chars])}")
    return "\n".join(lines)


def valid_ids(ids: list[str], ledger: dict[str, Evidence]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i in ledger))
