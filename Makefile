# alliance-kit: `make serve` to use the kit, `make test` to run every test.
# Each target sets up what it needs first (a virtual environment in .venv).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
# nbgrader shells out to alembic, so the environment's bin/ must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: serve test check lint format bench chromium clean help translations

help:
	@echo "make serve   set up and serve the kit on http://127.0.0.1:$(PORT)/"
	@echo "make test    set up and run the whole test suite (lint, content, notebooks, browser)"
	@echo "make bench   run the benchmarks (not part of the tests)"
	@echo "make check   validate every content file (every resource needs its Dutch version)"
	@echo "make translations  extract interface text, update each language's catalogue, compile"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.serve-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.serve-installed

serve: $(VENV)/.serve-installed
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

test: $(VENV)/.test-installed chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Interface text: Babel extracts what is marked _() in the code and templates (babel.cfg), merges
# it into each language's catalogue (translators edit the .po files) and compiles the .mo files
# the kit reads. Add a language with LANGS="nl de".
LOCALE := tools/alliance_kit/locale
LANGS  ?= $(patsubst $(LOCALE)/%/LC_MESSAGES,%,$(wildcard $(LOCALE)/*/LC_MESSAGES))
translations: $(VENV)/.serve-installed
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project=alliance-kit \
	  --copyright-holder="alliance-kit contributors" -o $(LOCALE)/alliance_kit.pot .
	for lang in $(LANGS); do \
	  if [ -f $(LOCALE)/$$lang/LC_MESSAGES/alliance_kit.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching -D alliance_kit -i $(LOCALE)/alliance_kit.pot -d $(LOCALE) -l $$lang; \
	  else \
	    $(BIN)/pybabel init -D alliance_kit -i $(LOCALE)/alliance_kit.pot -d $(LOCALE) -l $$lang; \
	  fi; \
	done
	$(BIN)/pybabel compile --statistics -D alliance_kit -d $(LOCALE)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.test-installed chromium
	$(BIN)/python -m tests.benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
