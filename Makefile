# gongshi — two commands on a fresh machine (Python 3.11+, git, make):
#   make site   build the site into site/
#   make test   run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test lint serve serve-fast check gates changed-code install install-test clean audit bench bench-quick

# Builds into .site-builds/ and swaps the `site` link to it in one rename, one build at a time
# (gongshi/staff/publish.py): a failed or killed build leaves the previous site whole.
site: $(VENV)/.site-installed
	$(BIN)/python -m gongshi.staff.publish --site site

test: lint
	$(BIN)/python -m pytest

# Lint and format check (settings in pyproject.toml); `$(BIN)/ruff format .` applies the formatting.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

SERVE_ADDR ?= 127.0.0.1:8000
serve: $(VENV)/.site-installed
	$(BIN)/mkdocs serve --strict --livereload -a $(SERVE_ADDR)

# Faster preview for large content: re-renders only the pages an edit changed. Restart it after editing
# mkdocs.yml or the theme overrides; `make serve` stays the exact preview.
serve-fast: $(VENV)/.site-installed
	$(BIN)/mkdocs serve --dirty --no-strict --livereload

check: $(VENV)/.site-installed
	$(BIN)/gongshi check

# Site gates on the built site (links, Nu Html Checker, axe-core, no request to another host), without the code
# tests: what the content workflow runs after `make site`. FORMAT=github prints GitHub annotations.
FORMAT ?= text
gates: $(VENV)/.test-installed
	$(BIN)/gongshi gates site --format $(FORMAT)

# Path filter of the check workflow: prints code=true when BASE..HEAD changes anything but content/. A county's
# own pages (docs/) may carry HTML and files beside them: a pull request touching docs/ runs the code tests too.
CONTENT_PATHS := ^content/
# Any file name: NUL-separated (-z), so git quotes no name (a Chinese file name is content like any other); a rename
# counts both its old and its new path (--no-renames); a base or head git does not know means code.
changed-code:
	@git rev-parse -q --verify "$(BASE)^{commit}" >/dev/null && git rev-parse -q --verify "$(HEAD)^{commit}" >/dev/null \
	  || { echo code=true; exit 0; }; \
	if git diff --no-renames --name-only -z "$(BASE)" "$(HEAD)" | grep -qzvE '$(CONTENT_PATHS)'; \
	then echo code=true; else echo code=false; fi

# Build-speed benchmark (bench/README.md): synthetic content of N projects, gongshi vs plain Material vs Hugo.
SIZES ?= 100,1000,10000
REPEAT ?= 3
bench: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py --sizes $(SIZES) --repeat $(REPEAT)

bench-quick: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py --sizes 100,1000 --repeat 1

install: $(VENV)/.site-installed
install-test: $(VENV)/.test-installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Hash-pinned installs from the lock files in requirements/, then gongshi itself. A lock file lists every package
# (pip-compile --allow-unsafe), so pip resolves nothing (--no-deps: it would look up a dependency written with an
# extra, e.g. `CacheControl[filecache]>=0.13`, as an unpinned requirement and refuse it); `pip check` then proves
# that every dependency is there.
LOCKED := $(PIP) install --require-hashes --no-deps -r
$(VENV)/.site-installed: $(BIN)/python requirements/build.lock requirements/site.lock pyproject.toml
	$(LOCKED) requirements/build.lock
	$(LOCKED) requirements/site.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check -q
	@touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements/test.lock
	$(LOCKED) requirements/test.lock
	$(BIN)/python -m pip check -q
	@touch $@

$(VENV)/.bench-installed: $(VENV)/.test-installed requirements/bench.lock
	$(LOCKED) requirements/bench.lock
	$(BIN)/python -m pip check -q
	@touch $@

# Regenerate the lock files after changing dependencies in pyproject.toml.
lock: $(BIN)/python
	$(PIP) install pip-tools==7.6.2
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements/site.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --extra test -c requirements/site.lock -o requirements/test.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --extra bench -c requirements/test.lock -o requirements/bench.lock pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe -o requirements/build.lock requirements/build.in

# Known vulnerabilities in every pinned dependency (PyPI's advisory data). --strict: a package that
# cannot be looked up fails the audit instead of passing silently.
audit: $(VENV)/.test-installed
	$(BIN)/pip-audit --strict --require-hashes --disable-pip \
	  -r requirements/build.lock -r requirements/site.lock -r requirements/test.lock

clean:
	rm -rf site site.tmp .site-builds .site.link $(VENV)
