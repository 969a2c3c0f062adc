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
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: answer the default question (Istanbul talks, UA-01) on the embedded model; ARGS="..." to change
run: $(STAMP)
	$(BIN)/vantage run $(ARGS)

## test: datasets check, lint, unit tests and the integration test on the embedded model
test: $(STAMP)
	$(BIN)/vantage datasets check
	$(BIN)/ruff check .
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check graph tools evals tests

format: $(STAMP)
	$(BIN)/ruff format graph tools evals tests

clean:
	rm -rf $(VENV) .vantage .pytest_cache .ruff_cache
