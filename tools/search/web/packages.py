"""Client libraries for web search are an optional extra; a missing one is a one-line error naming it."""

from __future__ import annotations

import importlib.util

from ...errors import SearchError

EXTRA = "web"


def require(module: str, package: str, backend: str) -> None:
    """Fail when the backend is made, before any search, if its client library is not installed."""
    if importlib.util.find_spec(module) is None:
        raise SearchError(
            f"--search {backend} needs the {package!r} package: pip install 'vantage[{EXTRA}]' "
            f"(or pip install {package})"
        )
