"""Entry point for `langgraph dev` (langgraph.json loads this file by path, so imports are absolute)."""

from vantage.graph.builder import make_graph

__all__ = ["make_graph"]
