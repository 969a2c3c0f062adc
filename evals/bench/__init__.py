"""`make bench`: what a report costs (time, tokens, memory) and what the graph adds on top of the
model. Run with `python -m vantage.evals.bench`; writes bench.json and bench.md."""
