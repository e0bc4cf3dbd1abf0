# One command each: `make example` sets up and runs generx on the IL2 page; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup example test lint models

$(BIN)/generx: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/generx

example: setup
	$(BIN)/generx extract examples/genatlas_IL2.txt

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Rebuild every shipped artifact from ../shared/data (about 2 hours on 2 cores).
models: setup
	$(BIN)/pip install --quiet -e ".[build]"
	$(BIN)/python models/build.py --shared ../shared/data
