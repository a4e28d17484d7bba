# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

# The site under gunicorn with a background worker beside it (jobs, the daily backup).
run: $(VENV)/.installed
	$(BIN)/thuocdo migrate --noinput
	$(BIN)/thuocdo demo --if-empty
	THUOCDO_DEMO=true $(BIN)/thuocdo serve 127.0.0.1:8000 --with-worker

# The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set.
test: $(VENV)/.installed-dev
	env -u DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy thuocdo tests bench
	env -u DATABASE_URL $(BIN)/python -m django makemigrations --check --dry-run --settings=thuocdo.settings

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/engine.py
