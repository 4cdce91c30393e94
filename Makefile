# The two commands a newcomer needs: `make run` and `make test`. Everything else follows from them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# A Python >= 3.12: $(PYTHON) if given, else the first suitable interpreter found by the script.
PYTHON ?= $(shell ./scripts/find-python)

# Development defaults (embedded PostgreSQL, console email) apply only with DEBUG on.
run test lint format migrations: export DEBUG ?= true

.PHONY: help run test serve worker lint format migrations check-deploy clean bench

help:
	@echo "make run     — установить всё, поднять БД, загрузить демо-данные и запустить портал на http://127.0.0.1:8000"
	@echo "make test    — установить всё и прогнать весь набор тестов"
	@echo "make serve   — запуск как в production (gunicorn + WhiteNoise)"
	@echo "make worker  — обработчик фоновых задач (письма) для production"
	@echo "make lint    — ruff check, ruff format --check и mypy"
	@echo "make bench   — страницы портала против «голого» Django (нужны wrk, Redis и DATABASE_URL)"

# Production installs only what production runs (requirements/prod.txt): no embedded
# PostgreSQL, test or lint tools. A development venv (`make run`/`make test`) has both.
$(VENV)/.installed-prod: requirements/prod.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Нужен Python 3.12 или новее: не найден ни один из python3.14/3.13/3.12." >&2; \
	  exit 1; fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/prod.txt
	@touch $@

# Prometheus counters of every process of this instance (gunicorn workers, the tasks worker,
# cron commands) are kept in files here and added up at each scrape (see lkk/metrics.py).
serve worker: export PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/.metrics

$(VENV)/.installed: requirements/dev.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Нужен Python 3.12 или новее: не найден ни один из python3.14/3.13/3.12." >&2; \
	  echo "Установите его или укажите путь: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12" >&2; \
	  exit 1; fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --verbosity 0
	$(PY) manage.py runserver 127.0.0.1:8000  # ends with the demo logins (lkk's runserver)

test: $(VENV)/.installed
	$(PY) -m pytest

# gunicorn sync workers, 2 × cores + 1 unless WEB_CONCURRENCY says otherwise: each serves one
# request at a time and part of it waits for PostgreSQL and Redis (see README, «Benchmarks»).
serve: $(VENV)/.installed-prod
	@mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py migrate --no-input
	$(VENV)/bin/gunicorn lkk.wsgi --bind $${BIND:-127.0.0.1:8000} --workers $${WEB_CONCURRENCY:-$$((2 * $$(nproc) + 1))} \
	  --access-logfile - --access-logformat '%(t)s %(m)s %(U)s %(s)s %(B)s %(M)sms [%({x-request-id}o)s]'

worker: $(VENV)/.installed-prod
	@mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"
	$(PY) manage.py db_worker

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=$${DATABASE_URL:-postgres://localhost/lkk} $(VENV)/bin/mypy  # settings only: no connection

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

# Production-like servers side by side with a bare Django app; needs wrk, Redis on 127.0.0.1 and
# DATABASE_URL naming a database the benchmark may migrate and seed (see benchmarks/pages.py).
bench: $(VENV)/.installed
	$(PY) benchmarks/pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pgdata staticfiles .pytest_cache .mypy_cache .metrics .coverage
