# Two entry points for a fresh machine: `make run` (service on embedded defaults) and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: install standards run test lint typecheck pytest bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

standards: install
	$(BIN)/nordubl standards install

run: standards
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
