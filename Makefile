# The two commands of the README: `make run` and `make test`. Everything else helps them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
IDP_PORT ?= 9400
PO_FILES := $(wildcard portal/i18n/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint format translations extract-messages bench clean help

help:
	@echo "make run    - install, migrate, load the 20 tenants and demo data, serve http://127.0.0.1:$(PORT)"
	@echo "make test   - install with dev extras and run the whole suite (unit, integration, browser)"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - speed goals (reported, not asserted)"

# One virtualenv for running and testing; reinstalled when the dependencies change.
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 12), "Python 3.12 is required (see .python-version)"'
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

portal/i18n/%/LC_MESSAGES/messages.mo: portal/i18n/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -d portal/i18n -D messages -l $*

translations: $(MO_FILES)

run: $(VENV)/.installed translations
	@mkdir -p var
	$(BIN)/portal db upgrade
	$(BIN)/portal tenants sync
	$(BIN)/portal demo seed
	@# The local identity provider runs beside the portal; Ctrl-C stops both.
	@trap 'kill 0' EXIT; \
	  export PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)}; \
	  export PORTAL_OIDC_ISSUER=$${PORTAL_OIDC_ISSUER:-http://localhost:$(IDP_PORT)}; \
	  $(BIN)/portal idp --port $(IDP_PORT) & \
	  $(BIN)/portal serve --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed translations
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy portal

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Collect every translatable string of templates/ and portal/, and merge it into the three catalogues.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k N_ -o portal/i18n/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i portal/i18n/messages.pot -d portal/i18n -D messages

# National-scale benchmark (issue 9): fresh database under var/bench/ (or BENCH_DATABASE_URL), seed,
# baseline and portal under uvicorn, wrk; writes bench/results/. Never part of `make test`.
bench: $(VENV)/.installed translations
	$(BIN)/python bench/rules_bench.py
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache $(MO_FILES)
