# Every target installs what it needs on first use: a fresh clone needs only python3 and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# No telemetry, no LangSmith tracing, no hub downloads: this runs offline.
export DEEPEVAL_TELEMETRY_OPT_OUT := 1
export LANGSMITH_TRACING := false
export HF_HUB_OFFLINE := 1

.PHONY: install run test lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,embedding]'
	touch $(STAMP)

install: $(STAMP)

## run: answer the default question (Istanbul talks, UA-01) on the embedded model; ARGS="..." to change
run: $(STAMP)
	$(BIN)/vantage run $(ARGS)

## browser: Debian's chromium for the trace page's browser test (tests/test_trace_browser.py)
.PHONY: browser
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

## test: datasets check, lint, unit tests, the integration test on the embedded model, then the
## regression gate (the smoke set against the committed baseline; see `gate`)
test: $(STAMP) browser
	$(BIN)/vantage datasets check
	$(BIN)/ruff check .
	$(BIN)/pytest -q $(PYTEST_ARGS)
	$(MAKE) --no-print-directory gate

GOLDEN_SMOKE := datasets/golden/smoke.yaml
BASELINE := evals/baselines/smoke-local.json
GATE_OUT := .vantage/gate

## gate: the smoke golden set on the embedded model, compared with the committed baseline;
## fails naming each metric that fell by more than its tolerance (evals/tolerances.json)
.PHONY: gate baseline
gate: $(STAMP)
	rm -rf $(GATE_OUT)
	$(BIN)/vantage eval --golden $(GOLDEN_SMOKE) --out $(GATE_OUT)
	$(BIN)/vantage eval compare $(BASELINE) $(GATE_OUT)

## baseline: refresh the committed baseline after an intended change (fresh generations, no cache)
baseline: $(STAMP)
	rm -rf .vantage/baseline
	$(BIN)/vantage eval --golden $(GOLDEN_SMOKE) --no-cache --out .vantage/baseline
	mkdir -p $(dir $(BASELINE)) && cp .vantage/baseline/results.json $(BASELINE)

## bench: cost per report on the embedded model, the graph's own overhead and fan-out on a scripted
## model, scoring throughput, replay time, peak memory; writes .vantage/bench/bench.{json,md} (~10 min)
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m vantage.evals.bench $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check graph tools evals tests

format: $(STAMP)
	$(BIN)/ruff format graph tools evals tests

clean:
	rm -rf $(VENV) .vantage .pytest_cache .ruff_cache
