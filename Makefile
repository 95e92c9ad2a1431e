# Two entry points for a fresh machine: `make run` (service on embedded defaults) and `make test`.
# Each installs what it needs itself: the system packages (scripts/install-system.sh: root or sudo; it
# prints the command to run when it cannot install), the venv and the official artifacts.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
HASH    = $(shell sha256sum pyproject.toml | cut -c1-12)
#: the runtime only (make run) and everything with the test tools (make test)
RUNTIME = $(VENV)/.runtime-$(HASH)
STAMP   = $(VENV)/.installed-$(HASH)

.PHONY: install install-runtime standards run test lint typecheck pytest bench clean

install-runtime: $(RUNTIME)

$(RUNTIME): pyproject.toml
	scripts/install-system.sh runtime
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	rm -f $(VENV)/.runtime-*
	touch $(RUNTIME)

install: $(STAMP)

$(STAMP): pyproject.toml
	scripts/install-system.sh ci
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* $(VENV)/.runtime-*
	touch $(STAMP) $(RUNTIME)

standards: install
	$(BIN)/nordubl standards install

run: install-runtime
	$(BIN)/nordubl standards install
	$(BIN)/nordubl serve

lint: install
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

typecheck: install
	$(BIN)/mypy

pytest: standards
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

bench: standards
	$(BIN)/python bench/validate.py

clean:
	rm -rf $(VENV) xsd/standards
