# One command each: `make example` sets up and runs generx on the IL2 page; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup example test lint system-deps models

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

# What the tests need beyond the dev extra: headless Chromium and its driver for the HTML report's test
# (Debian packages; no PyPI package ships a browser that works offline). PostgreSQL and redis-server come
# from the dev extra's wheels when the machine has none. As root with apt they are installed; otherwise
# this stops at once, naming what is missing.
SYSTEM_TOOLS := chromium chromedriver
system-deps:
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium chromium-driver (missing:$$missing)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "make test needs:$$missing (Debian/Ubuntu: apt-get install chromium chromium-driver; run as root to let make install them)" >&2; \
	    exit 1; \
	  fi; \
	fi

test: lint system-deps
	$(BIN)/pytest

# Rebuild every shipped artifact from ../shared/data (about 2 hours on 2 cores).
models: setup
	$(BIN)/pip install --quiet -e ".[build]"
	$(BIN)/python models/build.py --shared ../shared/data
