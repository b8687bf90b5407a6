# datalk – two commands on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
LAB_ARGS ?=
export DATALK_MIRROR ?=
STAMP := $(VENV)/.installed

.PHONY: install system-deps serve test test-fast lab bench lint clean data

install: $(STAMP) system-deps

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Chybí $(PYTHON) (Python 3.11)."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	$(BIN)/pip install -e ".[dev]"
	touch $(STAMP)

# Debian packages the tests and reports need: Chromium (browser tests, PDF), nginx, poppler,
# npm (axe-core for the accessibility tests, installed into .cache/npm at test time).
system-deps:
	@missing=""; \
	for pkg in chromium nginx poppler-utils fonts-dejavu-core; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Instaluji balíčky Debianu:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q $$missing || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; }; \
	fi

data: install
	$(BIN)/datalk data fetch --all || true

serve: install data
	$(BIN)/datalk serve --port $(PORT) --prerender

test: install
	$(BIN)/datalk data fetch --all
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser and not notebooks"

# JupyterLab on the whole checkout (topics/*.yaml next to notebooks/), opened in notebooks/.
# Headless: make lab LAB_ARGS="--no-browser --port 8890". Czech: Settings → Language → Čeština.
lab: install
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/notebooks \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) $(LAB_ARGS)

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

clean:
	rm -rf .cache reports/output test-artifacts
