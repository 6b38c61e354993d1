# alliance-kit: `make serve` to use the kit, `make test` to run every test.
# Each target sets up what it needs first (a virtual environment in .venv).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
# nbgrader shells out to alembic, so the environment's bin/ must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: serve test check lint format bench chromium clean help translations hub-proxy

help:
	@echo "make serve   set up and serve the kit on http://127.0.0.1:$(PORT)/"
	@echo "make test    set up and run the whole test suite (lint, content, notebooks, browser)"
	@echo "make bench   run the benchmarks (not part of the tests)"
	@echo "make check   validate every content file (every resource needs its Dutch version)"
	@echo "make translations  extract interface text, update each language's catalogue, compile"
	@echo "make hub-proxy     install JupyterHub's Node.js proxy beside .venv (needs npm)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# jsonschema's optional IRI check (rfc3987-syntax, pulled in by Jupyter's format extras) builds
# some 35 parsers each time a process imports it: about 2 s of CPU on every kit start and every
# nbgrader command. No Jupyter or kit schema checks IRIs, and jsonschema simply skips the check
# without it, so the environment goes without.
SLOW_IMPORTS := rfc3987-syntax

$(VENV)/.serve-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m pip uninstall --quiet -y $(SLOW_IMPORTS)
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip uninstall --quiet -y $(SLOW_IMPORTS)
	touch $@ $(VENV)/.serve-installed

# Kernels import the kit from this checkout (an editable install), and pip compiles only what it
# copies into the environment. Where PYTHONDONTWRITEBYTECODE is set (many images set it), every
# kernel would compile the kit's modules again, about 0.1 s of CPU each: compile them ahead.
# Quick when nothing changed.
COMPILE_KIT := $(BIN)/python -m compileall -q -j 0 tools/alliance_kit

serve: $(VENV)/.serve-installed
	@$(COMPILE_KIT)
	$(BIN)/alliance-kit serve --port $(PORT) $(ARGS)

check: $(VENV)/.serve-installed
	$(BIN)/alliance-kit check

chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif sudo -n true 2>/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium package, and this user cannot install it."; \
		echo "Ask an administrator to run:  sudo apt-get install chromium   then run 'make test' again."; \
		exit 1; \
	fi

# JupyterHub's own proxy, the Node.js configurable-http-proxy, for the hub (deploy/jupyterhub):
# a room of 30 passes through it in half the time the Python port takes (README). It goes
# beside the environment, not into the system; without npm the hub uses the Python port.
CHP_VERSION := 5.3.0
NODE_PROXY  := $(VENV)/proxy/node_modules/.bin/configurable-http-proxy
hub-proxy: $(NODE_PROXY)
$(NODE_PROXY): | $(BIN)/python
	@if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/proxy \
		  configurable-http-proxy@$(CHP_VERSION) \
		|| echo "npm could not install configurable-http-proxy: the hub uses the Python proxy."; \
	else \
		echo "No Node.js/npm here: the hub uses the Python proxy (slower for a room, see README)."; \
	fi

# Two pytest-xdist workers, each taking whole test files (a file's tests share one served kit):
# most of a browser test is waiting for a page, so two run in the time of little more than one.
# `make test PYTEST_WORKERS=` runs them one after another.
PYTEST_WORKERS ?= --numprocesses=2 --dist=loadfile
test: $(VENV)/.test-installed chromium $(NODE_PROXY)
	@$(COMPILE_KIT)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Interface text: Babel extracts what is marked _() in the code and templates (babel.cfg), merges
# it into each language's catalogue (translators edit the .po files) and compiles the .mo files
# the kit reads. Add a language with LANGS="nl de".
LOCALE := tools/alliance_kit/locale
LANGS  ?= $(patsubst $(LOCALE)/%/LC_MESSAGES,%,$(wildcard $(LOCALE)/*/LC_MESSAGES))
translations: $(VENV)/.serve-installed
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project=alliance-kit \
	  --copyright-holder="alliance-kit contributors" --width=100 -o $(LOCALE)/alliance_kit.pot .
	for lang in $(LANGS); do \
	  if [ -f $(LOCALE)/$$lang/LC_MESSAGES/alliance_kit.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching --width=100 -D alliance_kit -i $(LOCALE)/alliance_kit.pot -d $(LOCALE) -l $$lang; \
	  else \
	    $(BIN)/pybabel init --width=100 -D alliance_kit -i $(LOCALE)/alliance_kit.pot -d $(LOCALE) -l $$lang; \
	  fi; \
	done
	$(BIN)/pybabel compile --statistics -D alliance_kit -d $(LOCALE)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.test-installed chromium $(NODE_PROXY)
	@$(COMPILE_KIT)
	$(BIN)/python -m tests.benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
