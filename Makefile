# Blue Lamp. The README names two commands: `make run` and `make test`.
# Every target does its own set-up, so both work on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CHROMIUM ?= $(shell command -v chromium 2>/dev/null)

.PHONY: run test lint setup assets migrate seed browsers bench accessibility messages clean

run: setup migrate seed
	$(PY) -m webapp serve --host 127.0.0.1 --port 8000

test: setup browsers lint
	$(PY) -m pytest

# The gates that keep the code as the style guide asks: lint rules, one formatting, strict types.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

setup: $(VENV)/.installed node_modules/.installed assets messages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(VENV)/.installed node_modules/.installed
	$(PY) scripts/build_assets.py

messages: $(VENV)/.installed
	$(PY) -m webapp.i18n.build

migrate: setup
	$(PY) -m webapp migrate

seed: migrate
	$(PY) -m webapp seed-demo

# Debian's Chromium for Playwright (Playwright cannot download its own browser here), the fonts
# the PDFs use, poppler for reading PDFs back, and HarfBuzz's subsetter, which WeasyPrint needs
# to embed fonts without a warning.
browsers:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list | grep -qi "liberation sans" \
		|| ! ldconfig -p | grep -q libharfbuzz-subset; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation poppler-utils libharfbuzz-subset0 >/dev/null; \
	fi

bench: setup migrate browsers
	@command -v wrk >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench

# The accessibility suite on its own. Writes test-artifacts/accessibility/report.html (page, check,
# result, a screenshot of each failure) and prints a summary; fails on any failure that
# accessibility/statement.json does not list, or a listed one that is no longer found.
accessibility: setup browsers
	$(PY) -m pytest accessibility -o faulthandler_timeout=600; status=$$?; \
	echo "Accessibility report: test-artifacts/accessibility/report.html"; exit $$status

clean:
	rm -rf $(VENV) node_modules static/dist var .pytest_cache test-artifacts
