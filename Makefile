# Two commands for a fresh machine: `make serve` and `make test`. Everything else is a step.
# Each step installs what it needs, once (stamp files), so running again is quick.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SYS_STAMP  := build/.system-deps
NGINX_STAMP := build/.nginx
PREVIEW_PORT ?= 8080
# TypeScript checks our JavaScript as written (JSDoc types, nothing emitted): the browser code, the
# service worker, the Node scripts
TS_PROJECTS := calculator/web/tsconfig.json calculator/web/tsconfig.sw.json calculator/web/tsconfig.node.json
# Python keeps its compiled modules (__pycache__/, ignored by git), even where the environment says
# not to: each test process then neither compiles our modules nor rewrites the tests' asserts again
export PYTHONDONTWRITEBYTECODE :=
export NO_MKDOCS_2_WARNING := 1
# When a step has already said what is wrong (the validator's problems), stop make without its own
# "make: *** [Makefile:NN: validate] Error 1" line: SIGPIPE ends make silently and still gives the
# caller a non-zero status (141) for scripts and CI. LANG=zh or POLICY_LANG=zh: Chinese first.
QUIET_FAIL = kill -PIPE $$PPID
# One line per step: $(QUIET) runs a command with its output kept aside, and prints that output
# whole (errors, warnings and all) only when the command fails, with its status.
QUIET = quiet() { log=$$(mktemp); "$$@" >"$$log" 2>&1; s=$$?; [ $$s = 0 ] || cat "$$log"; rm -f "$$log"; return $$s; }; quiet
# `make validate` ends with status 1 on a policy problem, as `python -m scripts.policy.cli` does
# and as scripts expect, still without make's line. GNU make exits 1 only in question mode (-q),
# so `make validate` alone runs in it once its Python is installed: the check is a `+` line (run
# even under -q); a problem leaves $(VALIDATE_FAILED), and the line after it, there only then, is
# what -q counts as "something to do": status 1. Before the install, a problem gives 141 as above.
VALIDATE_FAILED := build/.validate-failed
ifeq ($(MAKECMDGOALS),validate)
ifeq ($(shell test $(PY_STAMP) -nt requirements.txt -a $(PY_STAMP) -nt calculator/pyproject.toml && echo ok),ok)
VALIDATE_QUESTION := yes
MAKEFLAGS += -q
endif
endif

.PHONY: serve site preview server-config lint test test-unit test-browser validate validate-check impact rules fuzz bench audit clean setup

serve: site ## build, then serve with live reload at http://127.0.0.1:8000
	$(VENV)/bin/mkdocs serve --dirty -a 127.0.0.1:8000

site: $(PY_STAMP) $(NODE_STAMP) ## validate policy/ and build site/ atomically
	@$(PY) -m scripts.publish || $(QUIET_FAIL)

preview: $(NGINX_STAMP) site ## build, then serve site/ with the production nginx rules at http://127.0.0.1:8080/
	$(PY) -m scripts.server.local_nginx --port $(PREVIEW_PORT)

server-config: $(PY_STAMP) ## rewrite scripts/server/nginx/employment-guide.conf from scripts/server/headers.yaml
	$(PY) -m scripts.server.server_config

validate: validate-check ## check every file in policy/, report every problem (LANG=zh: Chinese first)
	$(if $(shell test -e $(VALIDATE_FAILED) && echo failed),@rm -f $(VALIDATE_FAILED))

validate-check: $(PY_STAMP)
	+@rm -f $(VALIDATE_FAILED); $(PY) -m scripts.policy.cli || { mkdir -p build; touch $(VALIDATE_FAILED) $(if $(VALIDATE_QUESTION),,; $(QUIET_FAIL)); }

impact: $(PY_STAMP) ## what the edit of policy/ changes: figures, people, pages (REV=, SITE=; LANG=zh: in Chinese)
	$(PY) -m scripts.impact.report $(if $(REV),--rev "$(REV)") $(if $(SITE),--site "$(SITE)")

rules: $(PY_STAMP) ## write build/rules.json (for the command-line calculator)
	$(PY) -m scripts.bundle.rules_bundle build/rules.json

test: lint $(SYS_STAMP) $(NGINX_STAMP) site ## the whole suite: lint, unit, policy, browser
	$(PY) -m pytest

lint: $(PY_STAMP) $(NODE_STAMP) ## Python: ruff (ruff.toml), mypy (mypy.ini), the import layering (.importlinter); JavaScript: TypeScript's check (calculator/web/tsconfig*.json)
	@echo "lint: ruff"
	@$(VENV)/bin/ruff check --quiet scripts calculator/src tests
	@echo "lint: mypy"
	@$(QUIET) $(VENV)/bin/mypy
	@for conftest in tests/conftest.py tests/*/conftest.py; do $(QUIET) $(VENV)/bin/mypy "$$conftest" || exit; done
	@echo "lint: import layering"
	@$(QUIET) $(VENV)/bin/lint-imports --no-logo --no-cache
	@echo "lint: TypeScript"
	@for project in $(TS_PROJECTS); do node_modules/.bin/tsc -p $$project || exit 1; done

test-unit: $(PY_STAMP) ## fast tests only, no browser
	$(PY) -m pytest -m "not browser"

test-browser: $(SYS_STAMP) $(NGINX_STAMP) site ## browser tests only
	$(PY) -m pytest -m browser

fuzz: $(PY_STAMP) ## long property-based runs
	FUZZ_EXAMPLES=5000 FUZZ_POLICY_EXAMPLES=1000 $(PY) -m pytest -m "not browser" -k "fuzz or property" -q

bench: $(SYS_STAMP) $(NGINX_STAMP) site ## print speed and size numbers, write build/bench.json and a line of scripts/dev/bench-history.jsonl (ONLY=real,library,stress,serve,phone,suite: those parts)
	$(PY) -m scripts.dev.bench $(if $(ONLY),--only $(ONLY))

audit: $(SYS_STAMP) $(NGINX_STAMP) site ## Lighthouse (mobile) on the main pages, both languages: scores and failed audits
	$(PY) -m scripts.dev.audit

setup: $(PY_STAMP) $(NODE_STAMP) $(SYS_STAMP) $(NGINX_STAMP)

# One pip run for both. Its output is shown, whole, only if it fails: a machine's own pip
# configuration can name an extra index that lacks most packages, and pip then warns "Location
# ... is ignored" for each package it looked up there.
$(PY_STAMP): requirements.txt calculator/pyproject.toml
	@echo "python packages: $(VENV) <- requirements.txt and calculator/"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(QUIET) $(PY) -m pip install --disable-pip-version-check -r requirements.txt -e calculator
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@echo "node packages: node_modules <- package-lock.json"
	@$(QUIET) npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium for Playwright (it cannot download its own browser here): the browser for the
# benchmarks and the audit, its headless shell for the tests (ARCHITECTURE.md D16); a CJK font, and
# Java for the Nu HTML checker (npm vnu-jar). Checked again when this file changes.
$(SYS_STAMP): Makefile
	@echo "system packages: chromium, its headless shell, a CJK font, java (apt-get, only what is missing)"
	@if ! command -v chromium >/dev/null || ! command -v chromium-headless-shell >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! command -v java >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-headless-shell fonts-wqy-microhei default-jre-headless >/dev/null; \
	fi
	@mkdir -p build && touch $@

# Debian's nginx and its brotli module: the browser tests and `make preview` serve site/ with the
# production configuration (run from build/nginx/, the system's nginx is left alone).
$(NGINX_STAMP):
	@echo "system packages: nginx and its brotli module (apt-get, only what is missing)"
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] || [ ! -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null; \
	fi
	@mkdir -p build && touch $@

clean:
	rm -rf site .site-* .site.link-* build dist test-results
