"""Shared fixtures. Tests never reach the network: only loopback connections are allowed."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("DEEPEVAL_TELEMETRY_OPT_OUT", "1")
os.environ["LANGSMITH_TRACING"] = "false"
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("ANTHROPIC_API_KEY", None)

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else str(address)
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise OSError(f"tests may not reach the network (tried {host})")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]

ROOT = Path(__file__).resolve().parents[1]

MINI_CORPUS = [
    {
        "id": "t-001",
        "title": "Russia and Ukraine hold first direct talks in Istanbul",
        "publisher": "Reuters",
        "url": None,
        "published": "2025-05-16",
        "text": "Russian and Ukrainian delegations met in Istanbul on 16 May 2025 for their first direct talks "
        "since 2022. The meeting lasted under two hours. Both sides agreed to exchange 1,000 prisoners "
        "each. Ukraine's delegation was led by Rustem Umerov and Russia's by Vladimir Medinsky. Medinsky "
        'said "we are satisfied with the result and are ready to continue contacts."',
    },
    {
        "id": "t-002",
        "title": "Kyiv says Moscow made unacceptable demands",
        "publisher": "Kyiv Independent",
        "url": "https://kyivindependent.com/example",
        "published": "2025-05-17",
        "text": "Ukrainian officials said Russia demanded that Ukraine withdraw its troops from four regions as "
        "a condition for a ceasefire. Kyiv rejected the demand as an ultimatum. Turkey's foreign "
        "minister Hakan Fidan hosted the meeting at Dolmabahce Palace.",
    },
    {
        "id": "t-003",
        "title": "Turkey offers to host further rounds",
        "publisher": "Anadolu Agency",
        "url": None,
        "published": "2025-06-02",
        "text": "Turkish President Recep Tayyip Erdogan said Turkey was ready to host further rounds of talks "
        "between Russia and Ukraine in Istanbul. The second round on 2 June 2025 produced an agreement "
        "to exchange wounded prisoners and those under 25.",
    },
    {
        "id": "t-004",
        "title": "Black Sea grain deal lapses",
        "publisher": "AP",
        "url": None,
        "published": "2023-07-17",
        "text": "Russia withdrew from the Black Sea Grain Initiative on 17 July 2023, ending a deal brokered "
        "by Turkey and the United Nations that had allowed Ukraine to ship grain.",
    },
]


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in MINI_CORPUS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _state_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs made by tests are checkpointed in a temporary state folder, never the repo's .vantage/."""
    if "VANTAGE_HOME" not in os.environ:
        monkeypatch.setenv("VANTAGE_HOME", str(tmp_path_factory.mktemp("vantage-home")))
