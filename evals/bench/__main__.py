"""`python -m vantage.evals.bench` (`make bench`): measure, then write bench.json and bench.md.

python -m vantage.evals.bench                    # everything, ~13 min on 2 cores
python -m vantage.evals.bench --skip-embedded    # the graph alone and scoring, ~1 min
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from vantage.tools.search.corpus import datasets_dir

from ..datasets import load_golden
from .measure import embedded, scoring, scripted
from .table import BenchResult, Machine, render, targets


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vantage.evals.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--golden", type=Path, default=datasets_dir() / "golden" / "smoke.yaml")
    parser.add_argument("--repeats", type=int, default=2, help="cold runs per case on the embedded model")
    parser.add_argument("--scripted-repeats", type=int, default=5, help="runs per case and mode, scripted")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per call of the scripted model")
    parser.add_argument("--reports", type=int, default=100, help="reports to score for the throughput figure")
    parser.add_argument("--skip-embedded", action="store_true", help="skip the embedded-model runs")
    parser.add_argument("--out", type=Path, default=Path(".vantage") / "bench")
    args = parser.parse_args(argv)

    from datetime import UTC, datetime

    started = datetime.now(UTC)
    golden = load_golden(args.golden)
    with tempfile.TemporaryDirectory(prefix="vantage-bench-") as tmp:
        work = Path(tmp)
        _log(f"bench: graph alone on a scripted model ({args.latency:g} s per call)")
        graph_alone, reports = scripted(golden.cases, args.latency, args.scripted_repeats, work, _log)
        model = None
        if not args.skip_embedded:
            _log(f"bench: {golden.name} on the embedded model, {args.repeats} cold repeat(s)")
            model, reports = embedded(args.golden, golden.cases, args.repeats, work, _log)
        _log("bench: scoring throughput")
        scored = scoring(reports, golden.cases, args.reports, _log)
    result = BenchResult(
        started_at=started,
        machine=Machine.here(),
        golden=str(args.golden),
        embedded=model,
        scripted=graph_alone,
        scoring=scored,
        targets=targets(model, graph_alone, scored),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
    table = render(result)
    (args.out / "bench.md").write_text(table, encoding="utf-8")
    print(table)
    _log(f"bench: wrote {args.out / 'bench.json'} and {args.out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
