# Tidings: `make run` serves the site with its worker; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install system-deps scale-deps bench-deps test-deps run run-scale test test-sqlite test-postgres lint bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; Tidings needs Python 3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# torch first, pinned, so that no resolver pulls a CUDA build (the CPU wheel is on local disk).
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# Debian packages the tests need: PostgreSQL 15 for the second database, Chromium for browser tests,
# newsboat and tmux for the Google Reader API's real-client tests, Redis for the scale-out shape's test.
system-deps:
	@missing=""; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$$missing postgresql-15"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/newsboat ] || missing="$$missing newsboat"; \
	[ -x /usr/bin/tmux ] || missing="$$missing tmux"; \
	[ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install
	$(BIN)/tidings migrate --no-input
	$(BIN)/tidings load_taxonomy
	$(BIN)/tidings add_starter_sources
	@if [ -n "$(DEMO)" ] && [ "$(DEMO)" != "0" ]; then $(BIN)/tidings load_demo; fi
	$(BIN)/tidings serve --port $(PORT)

# The scale-out shape on this machine: PostgreSQL and Redis in temporary folders on loopback ports, the web server
# (TIDINGS_WSGI_SERVER: gunicorn or granian) with 2 web processes, 2 RQ task workers and the scheduler
# (scripts/scale-stack). Ctrl-C stops and removes all.
scale-deps:
	@missing=""; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$$missing postgresql-15"; \
	[ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Debian packages only the benchmarks need (not `make test`): wrk for bench/web_load.py's load test.
bench-deps:
	@missing=""; \
	[ -x /usr/bin/wrk ] || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run-scale: install scale-deps
	PORT=$(PORT) BIN=$(BIN) scripts/with-postgres scripts/with-redis scripts/scale-stack

test: install system-deps test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup tests

test-postgres: install
	scripts/with-postgres $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup tests

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy src

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) var test-artifacts
