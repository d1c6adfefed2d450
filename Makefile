# The whole set-up on a fresh machine is one of these two commands:
#   make demo   build the demo cohort: every handout, both packs and the print kits, in out/demo
#   make test   linters, type checks and the full test suite
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# Debian packages the tests drive: a real browser, PDF tools, fonts for every script shipped.
APT_PACKAGES := chromium poppler-utils fonts-noto-cjk fonts-noto-core postgresql

.PHONY: demo test test-fast lint typecheck system-deps hub-proxy catalogues language clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the package definition changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/bridges demo

system-deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "The tests need these Debian packages:$$missing"; \
	  echo "Install them with: sudo apt-get install$$missing"; \
	  exit 1; \
	fi

# JupyterHub's proxy comes from npm (Debian's nodejs and npm run it); the hub tests find it in .npm.
NPM_PREFIX := .npm
hub-proxy:
	@if [ -x $(NPM_PREFIX)/node_modules/.bin/configurable-http-proxy ] || command -v configurable-http-proxy >/dev/null; then exit 0; fi; \
	if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" != "0" ]; then \
	    echo "The hub tests need npm: sudo apt-get install nodejs npm"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; \
	fi; \
	echo "Installing configurable-http-proxy into $(NPM_PREFIX)"; \
	npm install --silent --no-fund --no-audit --prefix $(NPM_PREFIX) configurable-http-proxy

LINT_PATHS := toolkit tests $(wildcard benchmarks)

lint: $(VENV)/.installed
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

typecheck: $(VENV)/.installed
	$(BIN)/mypy

test: $(VENV)/.installed system-deps hub-proxy lint typecheck
	$(BIN)/pytest

# Everything but the tests marked slow (kernels, WeasyPrint, browsers, wheels): about 3 minutes on 2 cores.
test-fast: $(VENV)/.installed lint typecheck
	$(BIN)/pytest -m "not slow"

# Interface strings: extract from the toolkit, merge into every language's .po,
# compile the .mo files the package ships. Translators edit the .po files.
LOCALES := toolkit/locale
catalogues: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project=Bridges \
	  --copyright-holder="Bridges contributors" -o $(LOCALES)/bridges.pot toolkit
	$(BIN)/pybabel update -i $(LOCALES)/bridges.pot -d $(LOCALES) -D bridges --no-fuzzy-matching
	$(BIN)/pybabel compile -d $(LOCALES) -D bridges --statistics

# A new interface language: `make language LANG=xx` starts its .po from the template (xx as in
# toolkit/languages.py; zh-Hans is stored as zh_Hans). Translate it, then `make catalogues`.
LOCALE_DIR = $(LOCALES)/$(subst -,_,$(LANG))
language: $(VENV)/.installed
ifneq ($(origin LANG),command line)
	$(error name the language: make language LANG=xx)
endif
	@if [ -e $(LOCALE_DIR)/LC_MESSAGES/bridges.po ]; then \
	  echo "$(LOCALE_DIR)/LC_MESSAGES/bridges.po exists; make catalogues updates it"; exit 1; fi
	$(BIN)/pybabel init -i $(LOCALES)/bridges.pot -d $(LOCALES) -D bridges -l $(subst -,_,$(LANG))

clean:
	rm -rf $(VENV) $(NPM_PREFIX) dist build .pytest_cache .mypy_cache .ruff_cache
