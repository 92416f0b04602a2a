# Ficarchive: `make run` and `make test` are the two commands of the README.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run test test-sqlite test-postgres lint system-deps node-deps scaleout scaleout-check scaleout-loadtest loadtest bench screenshots clean messages compilemessages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

# Migrate, load the demo works the first time, serve with gunicorn on http://$(HOST):$(PORT).
run: install
	$(VENV)/bin/ficarchive migrate --noinput -v0
	$(VENV)/bin/ficarchive demo
	$(VENV)/bin/ficarchive serve --host $(HOST) --port $(PORT)

# What the tests need from Debian (Chromium, Calibre, epubcheck, PostgreSQL), when missing.
system-deps:
	bash scripts/system-deps.sh

# axe-core for the accessibility browser tests (package.json, pinned in package-lock.json).
# Without npm the tests that need it skip.
node-deps:
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; else echo "node-deps: npm missing; axe tests will skip" >&2; fi

lint: install-dev
	$(VENV)/bin/ruff check ficarchive config conftest.py
	$(VENV)/bin/ruff format --check ficarchive config conftest.py
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test FICARCHIVE_HOME=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run -v1
	$(VENV)/bin/mypy ficarchive config

# The privacy matrix again with the in-process bitmap index on (it is off under the test
# settings, so other apps' tests roll back freely), to prove both engines keep the gate.
BITMAP_SUITE := ficarchive/core/tests/test_visibility_matrix.py

test-sqlite: install-dev
	env -u DATABASE_URL FICARCHIVE_HOME=$$(mktemp -d) $(VENV)/bin/pytest -q -p no:randomly
	env -u DATABASE_URL FICARCHIVE_HOME=$$(mktemp -d) FICARCHIVE_BITMAPS=1 $(VENV)/bin/pytest -q -p no:randomly $(BITMAP_SUITE)

# Browser flows (marker `browser`) run once, on SQLite: what they add over the other tests is
# the browser, and the database code under them runs on PostgreSQL in every other test.
test-postgres: install-dev
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -q -m "not browser"
	FICARCHIVE_BITMAPS=1 bash scripts/with-postgres.sh $(VENV)/bin/pytest -q $(BITMAP_SUITE)

# The whole suite on SQLite, then again on a throwaway PostgreSQL on loopback.
test: install-dev system-deps node-deps lint test-sqlite test-postgres

# PostgreSQL + Redis + two app servers + a worker + nginx, all on loopback (docs/deploy.md).
scaleout: install
	bash deploy/scaleout.sh

# 200 concurrent readers and writers against `ficarchive serve` (DURATION, USERS, WORKERS).
scaleout-check: install
	bash deploy/scaleout.sh all

loadtest: install
	bash deploy/loadtest.sh

# The load test through nginx across the two app servers of `make scaleout` (USERS, DURATION).
scaleout-loadtest: install
	bash deploy/scaleout.sh loadtest

bench: install-dev
	$(PY) -m ficarchive.works.bench

# Screenshots of the main pages for docs/screenshots/ (desktop and phone, light and dark):
# a fresh demo archive served on loopback, photographed by Chromium through Playwright.
screenshots: install-dev
	env -u DATABASE_URL $(PY) scripts/screenshots.py

# Translations (issue 18): each app with a locale/ folder keeps its own catalogues there.
# `make messages` refreshes them from the code (GNU gettext's xgettext and msgmerge, from
# scripts/system-deps.sh); translate the new entries, then `make compilemessages` and commit
# the .po and .mo files both, so `make run` needs no gettext (a test checks they agree).
LOCALE_APPS := $(patsubst %/locale,%,$(wildcard ficarchive/*/locale))
LANGS := -l fr -l ar
# django-admin, not `python -m django`: run from an app folder, the latter would put the
# folder first on sys.path, and core/html.py would stand in for the standard library's html.
DJANGO_ADMIN = PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=config.settings.test \
	FICARCHIVE_HOME=$$(mktemp -d) $(abspath $(dir $(PY)))/django-admin

messages: install
	@for app in $(LOCALE_APPS); do \
	  echo "messages: $$app"; \
	  ( cd $$app && $(DJANGO_ADMIN) makemessages $(LANGS) --no-location --no-obsolete -v0 && \
	    $(DJANGO_ADMIN) makemessages -d djangojs $(LANGS) --no-location --no-obsolete -v0 ) || exit 1; \
	done

compilemessages: install
	@for app in $(LOCALE_APPS); do \
	  ( cd $$app && $(DJANGO_ADMIN) compilemessages -v0 ) || exit 1; \
	done

clean:
	rm -rf $(VENV)
