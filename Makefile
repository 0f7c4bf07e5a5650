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

.PHONY: run test test-sqlite test-postgres lint venv setup demo lock messages openapi clean

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

# Run once, on SQLite: the tests that never touch the database (the pure lens engine and
# its calibration set, the match rule, the casework workflow, the local picture's
# disclosure control, the translation files, the import layers, the catalogue fuzzing;
# the image's commands and the benchmark scripts use a SQLite database of their own) and
# the browser tests and served processes (the same views the test client runs on both
# databases). Running them again on PostgreSQL proves nothing new and would push the
# suite past its time budget.
RUN_ONCE = --ignore=tests/rules --ignore=tests/calibration \
	--ignore=tests/coordination/test_similarity.py \
	--ignore=tests/coordination/test_network.py --ignore=tests/access/test_names.py \
	--ignore=tests/test_translations.py --ignore=tests/browser --ignore=tests/casework \
	--ignore=tests/insight --ignore=tests/ops/test_container.py \
	--ignore=tests/ops/test_serve.py --ignore=tests/test_layers.py \
	--ignore=tests/core/test_cli.py --ignore=tests/test_bench_pages.py \
	--ignore=tests/registry/test_bench_recompute.py --ignore=tests/catalogue/test_fuzz.py \
	--ignore=tests/core/test_bench_scripts.py

test-postgres: venv
	@echo "== tests on PostgreSQL ($(PG_URL)), without the ones run once"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -p no:cacheprovider $(RUN_ONCE)

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
