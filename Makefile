# Two commands for a fresh machine: `make run` and `make test`. Both create .venv and install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
CORPUS ?= $(SHARED)/corpus/cablegate-site-2011-04-25.tar.xz
ROUTES ?= $(SHARED)/corpus/ids/route2name.csv
KNOWN_IDS ?= $(SHARED)/corpus/ids/cable2month.csv.gz
# The archive `make run` fills and serves, and where it serves it.
DB ?= cables.db
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Sources whose ingest into $(DB) ran to its end, one CORPUS value a line.
INGESTED = $(DB).ingested

.PHONY: run ingest test bench bench-web install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The install compiles the parser's modules with mypyc (setup.py), and a compiled module is imported
# in place of its .py: a change to a source the compiler reads (the parser and the modules it
# imports) builds them again.
$(VENV)/.installed: pyproject.toml setup.py $(wildcard src/cables/parse/*.py src/cables/*.py) | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: ingest
	$(BIN)/cables serve --db '$(DB)' --host '$(HOST)' --port '$(PORT)' --warm

# CORPUS goes into the archive once. The line in $(INGESTED) is written only when `cables ingest`
# finished: with status 0, or 1 (some documents failed) with its report printed in full. An
# interrupted ingest leaves no line, so the next `make run` runs it again and it resumes (ingest is
# idempotent: what was stored comes back unchanged). A new CORPUS value is ingested into the same
# archive as a release of its own; set DB=… (a SQLite file) for a separate archive. A deleted
# archive takes its list with it.
ingest: install
	@if [ ! -e '$(DB)' ]; then rm -f '$(INGESTED)'; fi; \
	if grep -qxF -- '$(CORPUS)' '$(INGESTED)' 2>/dev/null; then \
	  echo "$(DB) holds $(CORPUS) already (remove its line from $(INGESTED) to ingest it again)"; \
	elif [ ! -e '$(CORPUS)' ]; then \
	  echo "CORPUS $(CORPUS) does not exist: name a mirror, dump, folder or page" >&2; exit 1; \
	else \
	  echo "Ingesting $(CORPUS) into $(DB): once, the next make run reuses it"; \
	  $(BIN)/cables ingest --db '$(DB)' --routes '$(ROUTES)' --known-ids '$(KNOWN_IDS)' \
	    --json '$(CORPUS)' > '$(DB).ingest.json'; status=$$?; \
	  if [ $$status -gt 1 ] || ! $(BIN)/python -m json.tool '$(DB).ingest.json' >/dev/null 2>&1; then \
	    echo "The ingest did not finish (status $$status): make run resumes it." >&2; exit 1; \
	  fi; \
	  if [ $$status -eq 1 ]; then \
	    echo "Some documents could not be read: see $(DB).ingest.json"; \
	  fi; \
	  echo '$(CORPUS)' >> '$(INGESTED)'; \
	  $(BIN)/cables releases --db '$(DB)'; \
	fi

# --dist loadgroup keeps the tests of one xdist_group (the live site's) in one worker, which
# starts the server and the browser once.
test: install
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/parse.py --corpus $(CORPUS)

bench-web: install
	$(BIN)/python bench/web.py --corpus $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis .mypy_cache
	find src -name '*.so' -delete
