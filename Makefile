# Two commands matter: `make site` builds site/ from data/, `make test` runs every test.
# Both make their own virtualenv in .venv and install pinned versions (constraints.txt).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The browser tests drive Debian's chromium: Playwright must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: site test golden bench lighthouse runtime serve clean system-deps

site: $(STAMP)
	$(BIN)/cakupan build

# Preview while editing: rebuilds on every change and reloads the page (Ctrl-C stops it).
serve: $(STAMP)
	$(BIN)/cakupan serve

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

# Rewrite the golden site after an intended change to the output; review the diff.
golden: $(STAMP)
	CAKUPAN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

bench: $(STAMP)
	$(BIN)/python bench/run

# Lighthouse mobile on every page type, served gzipped under /cakupan/ (npm installs Lighthouse
# into bench/lighthouse/; Debian's chromium). A benchmark: docs/performance.md has its table.
lighthouse: $(STAMP)
	$(BIN)/python bench/lighthouse.py

# Rebuild the chart runtime, generator/site/vega.js (committed: builds need no npm), after editing
# runtime/: npm installs package-lock.json's exact versions, esbuild bundles runtime/charts.js.
runtime:
	cd runtime && npm ci --no-audit --no-fund && node build.mjs

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The HTML checker needs Java and the browser tests Debian's chromium; as root
# on Debian they are installed when missing, elsewhere install them yourself.
system-deps:
	@sh tools/system-deps

clean:
	rm -rf $(VENV) site .pytest_cache
