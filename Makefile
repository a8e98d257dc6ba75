# Two entry points for a fresh machine (Python 3.11+, git, make):
#   make run   — install, load the demo into the embedded SQLite database, serve the API
#   make test  — install with test tools, lint, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint bench vendor release-fixture clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Byte-compiled as a regular (not editable) install is: every `cbec` process — a server, each
# command of the README's examples — then loads cbec from .pyc files instead of compiling its
# sources, which nothing writes back when PYTHONDONTWRITEBYTECODE is set (up to date: a second).
install: $(VENV)/.installed
	$(BIN)/python -m compileall -q -j 0 cbec

run: install
	$(BIN)/cbec demo
	$(BIN)/cbec serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/ingest.py --one-core
	$(BIN)/python bench/filing.py --one-core
	$(BIN)/python bench/ledger.py --one-core --entries 1000000
	$(BIN)/python bench/customs.py --one-core
	$(BIN)/python bench/screening.py --one-core
	$(BIN)/python bench/compliance.py --one-core
	$(BIN)/python bench/analytics.py --one-core
	$(BIN)/python bench/analytics_forecast.py  # its goal is set for 2 CPUs: not pinned
	$(BIN)/python bench/startup.py --one-core
	$(BIN)/python bench/console.py
	$(BIN)/python bench/reconcile.py
	$(BIN)/python bench/abuse.py
	$(BIN)/python bench/http_orders.py --one-core
	$(BIN)/python bench/workers.py  # PostgreSQL from CBEC_BENCH_POSTGRES; skipped without
	$(BIN)/python bench/connectors.py --one-core
	$(BIN)/python bench/webhooks.py
	$(BIN)/python bench/einvoice.py --one-core
	$(BIN)/python bench/tracking.py

# refresh the browser assets in cbec/static/vendor from the npm registry (cbec/static/vendor.json)
vendor: install
	$(BIN)/python tools/vendor.py

# before tagging a release: the database of this version that later versions' upgrade test
# starts from (tests/fixtures/releases/<version>; tools/release_fixture.py)
release-fixture: install
	$(BIN)/python tools/release_fixture.py $(if $(VERSION),--version $(VERSION))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
