# Glaneur — the two set-up commands of a fresh machine are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8001
DB ?= data/glaneur.db
# The offline mirror was recorded on this date: the demo shows open calls and upcoming events as of then.
DEMO_TODAY ?= 2026-11-20

.PHONY: demo test install install-test browser crawl-demo serve lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Browser tests drive Debian's chromium with Playwright (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installation de chromium (paquet Debian)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

crawl-demo: install
	GLANEUR_TODAY=$(DEMO_TODAY) $(BIN)/glaneur crawl --offline --db $(DB)

demo: crawl-demo
	@echo "Portail : http://127.0.0.1:$(PORT)/  (base $(DB), date de référence $(DEMO_TODAY))"
	$(BIN)/glaneur serve --db $(DB) --port $(PORT)

# axe-core (accessibility tests) from the npm registry, at the version package-lock.json records.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# One worker per core, a test file per worker at a time (its module fixtures and browser stay shared):
# 10:47 on one process, then 6:59 on two, one after the other on the same loaded 2-core machine.
test: install-test browser node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -q -n auto --dist loadfile

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python scripts/bench_all.py

clean:
	rm -rf $(VENV) data/glaneur.db build *.egg-info test-artifacts node_modules
