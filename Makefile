# Two commands for a fresh machine: `make serve` and `make test`. Everything else is a step.
# Each step installs what it needs, once (stamp files), so running again is quick.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SYS_STAMP  := build/.system-deps
export PYTHONDONTWRITEBYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test test-unit test-browser validate rules fuzz bench clean setup

serve: site ## build, then serve with live reload at http://127.0.0.1:8000
	$(VENV)/bin/mkdocs serve -a 127.0.0.1:8000

site: $(PY_STAMP) $(NODE_STAMP) ## validate policy/ and build site/ atomically
	$(PY) -m scripts.build_site

validate: $(PY_STAMP) ## check every file in policy/, report every problem
	$(PY) -m scripts.validate_policy

rules: $(PY_STAMP) ## write build/rules.json (for the command-line calculator)
	$(PY) -m scripts.rules_bundle build/rules.json

test: $(SYS_STAMP) site ## the whole suite: unit, policy, browser
	$(PY) -m pytest

test-unit: $(PY_STAMP) ## fast tests only, no browser
	$(PY) -m pytest -m "not browser"

test-browser: $(SYS_STAMP) site ## browser tests only
	$(PY) -m pytest -m browser

fuzz: $(PY_STAMP) ## long property-based runs
	FUZZ_EXAMPLES=5000 FUZZ_POLICY_EXAMPLES=1000 $(PY) -m pytest -m "not browser" -k "fuzz or property" -q

bench: $(SYS_STAMP) site ## print speed and size numbers, write build/bench.json
	$(PY) -m scripts.bench

setup: $(PY_STAMP) $(NODE_STAMP) $(SYS_STAMP)

$(PY_STAMP): requirements.txt calculator/pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -e calculator
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for Playwright (it cannot download its own browser here), a CJK font, and
# Java for the Nu HTML checker (npm vnu-jar).
$(SYS_STAMP):
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! command -v java >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei default-jre-headless >/dev/null; \
	fi
	mkdir -p build && touch $@

clean:
	rm -rf site build dist test-results
