# make setup: create .venv and install everything; make run: play on the embedded defaults;
# make test: every test. Each target is quick when run again (stamp files skip done work).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-python bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "imprompt needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/imprompt serve

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/similarity_bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
