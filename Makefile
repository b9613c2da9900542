# Two commands for a fresh machine: `make run` and `make test`. Both create .venv and install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
CORPUS ?= $(SHARED)/corpus/cablegate-site-2011-04-25.tar.xz
ROUTES ?= $(SHARED)/corpus/ids/route2name.csv
KNOWN_IDS ?= $(SHARED)/corpus/ids/cable2month.csv.gz
PYTEST_ARGS ?=

.PHONY: run test bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/cables parse --summary --routes $(ROUTES) --known-ids $(KNOWN_IDS) $(CORPUS)

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/parse.py --corpus $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis
