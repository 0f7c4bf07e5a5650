# Uitbuitingslens: the two commands in the README are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
LENS := $(VENV)/bin/lens
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# The address the server answers on: the links in the work-list e-mails (printed in the
# terminal in development) and the addresses `lens demo` prints point there.
SITE_URL ?= http://$(HOST):$(PORT)
# Development and demo only: production settings refuse DEMO_MODE.
DEV := DEBUG=1 DEMO_MODE=1 SITE_URL=$(SITE_URL)

.PHONY: run test test-sqlite test-postgres test-sqlite-half test-postgres-half lint venv setup demo lock messages openapi clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

venv: $(VENV)/.installed

## Set up the database on SQLite, load the catalogue and demo data, serve at http://$(HOST):$(PORT)
## (127.0.0.1:8000 unless given, e.g. make run PORT=8200)
run: setup
	$(DEV) $(LENS) runserver $(HOST):$(PORT)

setup: venv
	scripts/system-deps.sh --runtime
	$(DEV) $(LENS) migrate --no-input
	$(DEV) $(LENS) demo --url $(SITE_URL)

## All tests, on SQLite and again on PostgreSQL ($(PG_URL))
test: venv
	scripts/system-deps.sh
	scripts/test-both.sh

test-sqlite: venv
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(PY) -m pytest -q -p no:cacheprovider

# Run once in `make test`, not on both databases:
# - PURE: the tests that never touch the database (the pure lens engine and its
#   calibration set, the match rule, the casework workflow, the local picture's disclosure
#   control, the translation files, the import layers, the catalogue fuzzing). They run in
#   the PostgreSQL process, which has less to do, so that both halves end about together.
# - SQLITE_ONCE: the browser tests and served processes (the same views the test client
#   runs on both databases), the image's commands and the benchmark scripts (a SQLite
#   database of their own). They run in the SQLite process.
# Running them on both databases proves nothing new and would push the suite past its
# time budget. `make test-sqlite` alone still runs everything.
INSIGHT_PURE = $(filter-out tests/insight/test_bench%,$(wildcard tests/insight/test_*.py))
PURE = tests/rules tests/calibration tests/casework $(INSIGHT_PURE) \
	tests/coordination/test_similarity.py tests/coordination/test_network.py \
	tests/access/test_names.py tests/test_translations.py tests/test_layers.py \
	tests/catalogue/test_fuzz.py
SQLITE_ONCE = tests/browser tests/insight/test_bench.py tests/insight/test_bench_picture.py \
	tests/ops/test_container.py tests/ops/test_serve.py tests/core/test_cli.py \
	tests/test_bench_pages.py tests/registry/test_bench_recompute.py \
	tests/core/test_bench_scripts.py
RUN_ONCE = $(addprefix --ignore=,$(PURE) $(SQLITE_ONCE))

test-postgres: venv
	@echo "== tests on PostgreSQL ($(PG_URL)), without the ones run once"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -p no:cacheprovider $(RUN_ONCE)

# The two halves of `make test` (scripts/test-both.sh runs them at the same time).
test-sqlite-half: venv
	@echo "== tests on SQLite (the pure tests run in the PostgreSQL half)"
	env -u DATABASE_URL $(PY) -m pytest -q -p no:cacheprovider $(addprefix --ignore=,$(PURE))

test-postgres-half: venv
	@echo "== tests on PostgreSQL ($(PG_URL)) and the pure tests, without the SQLite-only ones"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -p no:cacheprovider $(addprefix --ignore=,$(SQLITE_ONCE))

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# The layers and the pure domain rules (pyproject.toml, docs/design/layers.md)
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=1 $(LENS) makemigrations --check --dry-run
	SECRET_KEY=ci-only-$$(date +%s)-a-long-random-looking-secret-value-for-check-deploy \
	  ALLOWED_HOSTS=lens.example.nl DEBUG=0 SECURE_HSTS_PRELOAD=1 \
	  $(LENS) check --deploy --fail-level WARNING

## Regenerate the .po files (needs gettext) after changing texts
messages: venv
	cd lens && DEBUG=1 ../$(LENS) makemessages -l nl -l en --no-obsolete --add-location file
	DEBUG=1 $(LENS) compilemessages

## Regenerate the committed OpenAPI schema (openapi.yaml) after changing the API
openapi: venv
	DEBUG=1 $(LENS) spectacular --lang en --fail-on-warn --validate --file openapi.yaml

lock:
	rm -rf /tmp/lens-lock && "$$(scripts/find-python.sh)" -m venv /tmp/lens-lock
	/tmp/lens-lock/bin/pip install -q ".[dev]"
	/tmp/lens-lock/bin/pip freeze --exclude uitbuitingslens > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
