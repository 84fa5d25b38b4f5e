# wiki IA_SaNSeS — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
DEV := DJANGO_SETTINGS_MODULE=config.settings.dev
TEST := DJANGO_SETTINGS_MODULE=config.settings.test

.PHONY: help install demo serve services services-stop test lint format check-migrations bench messages translations clean

help:
	@echo "make demo           start the wiki with demo content (SQLite, no other server) on http://$(HOST):$(PORT)"
	@echo "make test           install and start PostgreSQL, Redis, Elasticsearch, Chromium; run every test"
	@echo "make services       start the three services for development (services-stop stops them)"
	@echo "make bench          run the benchmarks and print their figures"

# The venv is rebuilt only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# setuptools' editable-install banner (site/ next to the packages) is noise here.
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

demo: install
	$(DEV) $(BIN)/python manage.py migrate --noinput -v 0
	$(DEV) $(BIN)/python manage.py load_initial_data
	$(DEV) $(BIN)/python manage.py load_demo_study
	$(DEV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@$(DEV) $(BIN)/python manage.py demo_accounts --url http://$(HOST):$(PORT)/
	@$(DEV) $(BIN)/python -m config.serve $(HOST) $(PORT)

serve: install
	$(DEV) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

services:
	bash services/up.sh

services-stop:
	bash services/down.sh

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(TEST) $(BIN)/python manage.py makemigrations --check --dry-run

test: install node_modules/axe-core/axe.min.js
	bash services/up.sh
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check-migrations
	$(TEST) $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	bash services/up.sh postgres redis elasticsearch
	@status=0; for script in benchmarks/bench_*.py; do echo "== $$script"; \
		$(TEST) $(BIN)/python $$script || { echo "!! $$script missed a target"; status=1; }; done; exit $$status

# Refresh the French catalogues after changing UI strings (needs gettext), fill them from
# .i18n/*.json (work in progress, not committed) and compile them.
translations: messages
	$(BIN)/python site/locale/fill_po.py .
	$(DEV) $(BIN)/python manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0

messages: install
	$(DEV) $(BIN)/python manage.py makemessages -l fr --ignore='.venv/*' --ignore='node_modules/*' --ignore='staticfiles/*' -v 0
	$(DEV) $(BIN)/python manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
