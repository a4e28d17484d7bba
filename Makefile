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

# The whole suite on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL at the same time
# (each pytest runs on one core; the PostgreSQL run's output follows once both have ended).
test: $(VENV)/.installed-dev
	@pg_rc=0; pg_log=$$(mktemp); \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -p no:cacheprovider >"$$pg_log" 2>&1 & pg_pid=$$!; \
	fi; \
	echo "== SQLite"; env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider; sqlite_rc=$$?; \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
		wait $$pg_pid; pg_rc=$$?; echo "== PostgreSQL: $$TEST_DATABASE_URL"; cat "$$pg_log"; \
	fi; \
	rm -f "$$pg_log"; [ $$sqlite_rc -eq 0 ] && [ $$pg_rc -eq 0 ]

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy thuocdo tests bench
	env -u DATABASE_URL $(BIN)/python -m django makemigrations --check --dry-run --settings=thuocdo.settings

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/engine.py
