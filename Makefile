# Yiwang. The README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := yiwang.project.settings

.PHONY: demo test install system-deps lint typecheck imports migrations-check test-sqlite \
	test-postgres test-browser openapi-snapshot serve worker bench lock clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed

system-deps:
	scripts/system-deps.sh

## make demo: install, create the embedded database, load the demo city, run worker + server.
demo: install
	mkdir -p var
	$(BIN)/yiwang migrate --noinput
	$(BIN)/yiwang collectstatic --noinput -v 0
	$(BIN)/yiwang demo
	$(BIN)/yiwang worker --queue-name default > var/worker.log 2>&1 & echo $$! > var/worker.pid
	@echo "Serving on http://$(HOST):$(PORT)/ (worker log: var/worker.log; Ctrl-C stops both)"
	trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --blocking-threads 1 \
		--workers 1 yiwang.project.wsgi:application

## make test: every check and test, on SQLite, PostgreSQL and in Chromium.
test: install system-deps node_modules/.installed lint typecheck imports migrations-check \
	test-sqlite test-postgres test-browser

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install
	$(BIN)/mypy src tests

imports: install
	$(BIN)/lint-imports

migrations-check: install
	YIWANG_DATA_DIR=$$(mktemp -d) $(BIN)/yiwang makemigrations --check --dry-run

test-sqlite: install
	$(BIN)/pytest -q -n 2

test-postgres: install system-deps
	scripts/with-postgres.sh $(BIN)/pytest -q -n 2

# `-m browser` on the command line replaces the `-m 'not browser'` of pyproject's addopts.
# Screenshots of failures land in test-artifacts/, emptied first so that only this run's remain.
test-browser: install system-deps node_modules/.installed
	rm -rf test-artifacts
	$(BIN)/pytest -q -m browser tests/browser

## make serve / make worker: the application server and the task worker, one of each (see
## docs/operations.md for several servers).
serve: install
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --blocking-threads 1 \
		--workers 1 yiwang.project.wsgi:application

worker: install
	$(BIN)/yiwang worker

## make openapi-snapshot: rewrite tests/snapshots/openapi.json from the running code (review the diff).
openapi-snapshot: install
	$(BIN)/python -m tests.openapi

## make messages: regenerate and compile src/yiwang/locale/en (needs GNU gettext; settings unset so LOCALE_PATHS can't redirect it).
.PHONY: messages
messages: install
	cd src/yiwang && mkdir -p locale && env -u DJANGO_SETTINGS_MODULE ../../$(BIN)/django-admin makemessages \
		-l en --no-obsolete --ignore "*/tests/*" --ignore "*/migrations/*"
	cd src/yiwang && env -u DJANGO_SETTINGS_MODULE ../../$(BIN)/django-admin compilemessages -l en

bench: install
	@echo "see bench/README.md"

lock:
	$(BIN)/pip freeze --exclude-editable --disable-pip-version-check | sort > requirements.lock

clean:
	rm -rf $(VENV) node_modules var test-artifacts
