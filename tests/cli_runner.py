"""Run the `vantage` command line in-process, as a test sees it: exit code, stdout, stderr."""

from __future__ import annotations

import sys

import pytest
from vantage.graph import cli


def vantage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["vantage", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err
