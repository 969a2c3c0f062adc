"""The --html trace page in headless Chromium (Debian's package; `make browser` installs it), driven
over the DevTools protocol: every node execution has a visible bar, clicking a node's bar opens
its details and shows its prompt, and a screenshot of the page is saved with the test's output."""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from pathlib import Path
from typing import Any

import pytest
from graph_fixtures import scripted_model
from vantage.graph import cli
from vantage.graph.registry import open_registry
from vantage.graph.runner import RunRequest, execute
from vantage.graph.trace_view import load_trace
from websockets.sync.client import connect

CHROMIUM = Path("/usr/bin/chromium")
QUESTION = "Russia says it is ready to resume talks with Ukraine in Istanbul. What is your assessment?"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,1000",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (run `make browser`)"
)


class DevTools:
    """The least of the Chrome DevTools protocol: commands, one awaited event, JS evaluation."""

    def __init__(self, ws_url: str) -> None:
        self.ws = connect(ws_url, max_size=None, open_timeout=30)
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def _receive(self) -> dict[str, Any]:
        return json.loads(self.ws.recv(timeout=30))

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        self.ws.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._receive())

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        x, y = self.js(
            f"(() => {{const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.left + Math.min(r.width / 2, 10), r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def start_chromium(profile: Path) -> tuple[subprocess.Popen[bytes], str]:
    browser = subprocess.Popen(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + 30
    while not (port_file.exists() and port_file.read_text().strip()):
        assert browser.poll() is None, f"chromium exited with {browser.returncode}"
        assert time.monotonic() < deadline, "chromium did not open its DevTools port"
        time.sleep(0.05)
    port = port_file.read_text().split()[0]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
        pages = [t for t in json.load(response) if t["type"] == "page"]
    return browser, pages[0]["webSocketDebuggerUrl"]


def png_facts(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the image data (a blank page has few)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def write_page(corpus: Path, page: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    report = execute(RunRequest(question=QUESTION, corpus=str(corpus)), chat_model=scripted_model())
    assert report.run is not None
    monkeypatch.setattr(sys, "argv", ["vantage", "trace", report.run.run_id, "--html", str(page)])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 0 and page.exists()
    with open_registry() as registry:
        return [v.execution.node for v in load_trace(registry, report.run.run_id).executions]


def test_trace_page_renders_every_node_and_expands_to_the_prompt(
    tmp_path: Path, corpus_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VANTAGE_HOME", str(tmp_path / "home"))
    page = tmp_path / "trace.html"
    executions = write_page(corpus_file, page, monkeypatch)

    browser, ws_url = start_chromium(tmp_path / "profile")
    try:
        tools = DevTools(ws_url)
        tools.send("Page.enable")
        tools.send("Page.navigate", url=page.as_uri())
        tools.wait_for("Page.loadEventFired")

        bars = tools.js(
            "[...document.querySelectorAll('.gantt a.bar')].map(b => {const r = b.getBoundingClientRect();"
            " return {node: b.dataset.node, width: r.width, height: r.height, shown: b.checkVisibility()}; })"
        )
        assert sorted(b["node"] for b in bars) == sorted(executions)
        assert all(b["shown"] and b["width"] > 0 and b["height"] > 0 for b in bars), bars

        prompt = "details.node[data-node=synthesis] pre.prompt"
        assert tools.js(f"document.querySelector('{prompt}').checkVisibility()") is False
        tools.click(".gantt a.bar[data-node=synthesis]")
        assert tools.js("document.querySelector('details.node[data-node=synthesis]').open") is True
        shown = tools.js(
            f"[...document.querySelectorAll('{prompt}')].filter(p => p.checkVisibility()).map(p => p.textContent)"
        )
        assert any("Write an assessment of this question for Ukraine." in text for text in shown)
        assert tools.js("location.hash").startswith("#x")

        size = tools.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = tools.send(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 3000), "scale": 1},
        )
        tools.ws.close()
    finally:
        browser.terminate()
        browser.wait(timeout=30)

    screenshot = tmp_path / "trace-synthesis-expanded.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    width, height, distinct = png_facts(screenshot.read_bytes())
    assert width >= 1000 and height >= 800 and distinct > 50, (width, height, distinct)
    print(f"screenshot: {screenshot}")
