# The two commands a newcomer needs: `make run` and `make test`. Both set up
# everything they need on a fresh machine (a virtualenv, pinned packages, the
# frontend build) and skip what is already up to date.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install -q --disable-pip-version-check -c constraints.txt
# Tests run on the real stack: PostgreSQL and Redis at their local defaults.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0
# Server-side translations: the .po files are the source, the .mo files are built.
CATALOGS := $(wildcard locale/*/LC_MESSAGES/django.po)
FRONTEND_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test test-faults lint fmt typecheck migrate bench bench-peers interop install install-dev frontend lock \
	oidc-provider \
	messages messages-update

run: install frontend messages migrate  ## Serve the UI and API on $PORT (default 8000) with the export worker
	$(BIN)/python manage.py seed_demo
	scripts/serve

test: install-dev frontend messages oidc-provider lint typecheck  ## Lint, type-check, then every test (unit, API, worker, browser)
	scripts/ensure-test-tools
	if [ -f frontend/package.json ]; then cd frontend && npm test --silent; fi
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	DATA_DIR=$${DATA_DIR:-$(CURDIR)/var/test} \
	$(BIN)/pytest

# Run by .ci/run after `make test`: each test really stops a component of its own (a Redis
# server, a PostgreSQL cluster, a tmpfs on DATA_DIR), never the shared ones. Needs root.
test-faults: install-dev  ## The fault tests (about 2 minutes)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	DATA_DIR=$${DATA_DIR:-$(CURDIR)/var/test} \
	$(BIN)/pytest -m faults

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	if [ -f frontend/package.json ] && [ -d frontend/node_modules ]; then cd frontend && npm run lint --silent; fi

typecheck: install-dev
	$(BIN)/mypy annotations/services annotations/selectors annotations/validation.py \
		annotations/patching.py annotations/parsers.py annotations/tasks.py annotations/errors.py \
		annotations/files.py \
		annotations/agreement annotations/merging.py annotations/formats \
		annotations/suggesting annotations/project_archive
	if [ -f frontend/package.json ] && [ -d frontend/node_modules ]; then cd frontend && npm run typecheck --silent; fi

fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/python manage.py migrate --no-input

bench: install-dev  ## Print the benchmark figures (see bench/README.md)
	scripts/bench

# Optional, never part of `make test`: doccano and Label Studio from PyPI into var/peers/.
bench-peers: install-dev  ## Install the peers if missing, then the side-by-side table
	$(BIN)/python bench/peers/install.py
	$(BIN)/python bench/peers/compare.py

interop: install-dev  ## Round-trip a test set through real doccano and Label Studio
	$(BIN)/python bench/peers/install.py
	$(BIN)/python bench/peers/interop.py
	$(BIN)/python bench/peers/interop_attribution.py

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(VENV)/.runtime: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip==26.3
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

frontend: frontend/dist/.built
frontend/dist/.built: $(FRONTEND_SOURCES)
	if [ -f frontend/package.json ]; then \
		cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
		mkdir -p dist && touch dist/.built; \
	fi

# The single sign-on tests' OpenID provider (the oidc-provider npm package, run with node).
oidc-provider: tests/oidc_provider/node_modules/.installed
tests/oidc_provider/node_modules/.installed: tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	cd tests/oidc_provider && npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(CATALOGS:.po=.mo)  ## Compile the server-side translations
%.mo: %.po | $(VENV)/.runtime
	scripts/ensure-gettext
	$(BIN)/python manage.py compilemessages -l $(word 2,$(subst /, ,$@)) --ignore=.venv --ignore=frontend --ignore=var

messages-update: install  ## After changing a server-side string: re-extract (then translate what is new)
	scripts/ensure-gettext
	$(BIN)/python manage.py makemessages -l id

lock:  ## Re-pin every transitive dependency after changing requirements*.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	(echo "# Every transitive dependency, pinned (regenerate with \`make lock\`)."; \
	 $(BIN)/pip freeze --exclude-editable) > constraints.txt
