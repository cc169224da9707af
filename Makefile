# Customer asset size (客户资产规模) on dbt + DuckDB.
#   make run   - set up .venv, generate the sample data if absent, dbt build, show where the data is
#   make test  - set up the same way, then lint, pytest (package + end-to-end), dbt build with tests
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
SAMPLE := data/sample
# $AUM_DUCKDB_PATH, when set, is the warehouse of `make run` and `make docs` too
WAREHOUSE ?= $(or $(AUM_DUCKDB_PATH),$(CURDIR)/warehouse/customer_aum.duckdb)
SERVING ?= $(or $(AUM_SERVING_PATH),$(CURDIR)/warehouse/serving/customer_aum.duckdb)
TEST_WAREHOUSE := $(CURDIR)/warehouse/test/customer_aum_test.duckdb
DBT_FLAGS := --profiles-dir profiles

.PHONY: help setup sample run test lint pytest dbt-test docs bench bench-smoke lock clean \
	superset-setup superset superset-test chromium data-dictionary

help:
	@echo "make run    set up, generate sample data, build and publish the marts"
	@echo "make test   set up, then run every test (lint, pytest, dbt build + tests, docs)"
	@echo "make bench  benchmark at sizes S, M, L (see bench/README.md)"
	@echo "make superset       Apache Superset on the published sample, http://127.0.0.1:8088"
	@echo "make superset-test  import the dashboard into a fresh Superset, query and screenshot it"

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,semantic]"
	@touch $@

setup: $(BIN)/.installed

# Deterministic sample; the generator skips the work when the folder already holds it.
sample: setup
	$(BIN)/aum-generate-sample --out $(SAMPLE)

# The nightly job on the sample: build, then publish the marts to the serving file BI reads.
run: sample
	@mkdir -p $(dir $(WAREHOUSE))
	AUM_DUCKDB_PATH=$(WAREHOUSE) AUM_SERVING_PATH=$(SERVING) $(BIN)/aum-nightly --raw-data-path $(SAMPLE)
	@echo
	@echo "Serving file (what BI reads): $(SERVING) (schema 'marts')"
	@echo "Query a mart, e.g.:"
	@echo "  $(BIN)/python -c \"import duckdb; duckdb.connect('$(SERVING)', read_only=True).sql('select * from marts.fct_customer_assets_monthly limit 10').show()\""
	@echo "Query a metric: DBT_PROFILES_DIR=profiles AUM_DBT_TARGET=serving $(BIN)/mf query --metrics financial_aum --group-by metric_time__month --order metric_time__month"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check aum_engine aum_nightly bench models pytests scripts superset
	@mkdir -p warehouse
	AUM_DUCKDB_PATH=$(CURDIR)/warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

pytest: setup
	$(BIN)/pytest -q

# The full build on the sample data, with every data test and unit test, then the docs: every
# column described, the data dictionary current, the docs site rendered in headless Chromium.
dbt-test: sample chromium
	@rm -f $(dir $(TEST_WAREHOUSE))*.duckdb && mkdir -p $(dir $(TEST_WAREHOUSE))
	AUM_DUCKDB_PATH=$(TEST_WAREHOUSE) $(DBT) build $(DBT_FLAGS) --vars '{raw_data_path: $(SAMPLE)}' --target-path target/test
	AUM_DUCKDB_PATH=$(TEST_WAREHOUSE) $(DBT) docs generate $(DBT_FLAGS) --vars '{raw_data_path: $(SAMPLE)}' --target-path target/test
	$(BIN)/python scripts/check_docs.py target/test
	$(BIN)/python scripts/data_dictionary.py target/test --check
	$(BIN)/python scripts/check_docs_site.py target/test --screenshot target/test/docs_lineage.png

# Regenerate docs/data-dictionary.md from the marts' YAML and docs/glossary.yml.
data-dictionary: setup
	$(DBT) parse $(DBT_FLAGS) --target-path target/dictionary -q
	$(BIN)/python scripts/data_dictionary.py target/dictionary

test: lint pytest dbt-test bench-smoke

docs: sample
	AUM_DUCKDB_PATH=$(WAREHOUSE) $(DBT) docs generate $(DBT_FLAGS) --vars '{raw_data_path: $(SAMPLE)}'

bench: setup
	$(BIN)/python -m bench.run --sizes S M L

bench-smoke: setup
	$(BIN)/python -m bench.run --sizes XS --no-lower-bound-check

lock:
	{ head -2 constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^aum-engine'; } > constraints.tmp
	mv constraints.tmp constraints.txt

clean:
	rm -rf target logs warehouse $(SAMPLE)

# --- Apache Superset (its own virtual environment: its pins clash with dbt's) -----------------
SUPERSET_VENV := .venv-superset
SUPERSET_BIN := $(SUPERSET_VENV)/bin

$(SUPERSET_BIN)/.installed: superset/requirements.txt
	$(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_BIN)/pip install --quiet --upgrade pip
	$(SUPERSET_BIN)/pip install --quiet -r superset/requirements.txt
	@touch $@

superset-setup: $(SUPERSET_BIN)/.installed

# Headless Chromium and its driver from the Debian registry (fonts-noto-cjk for Chinese labels).
chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver fonts-noto-cjk >/dev/null; }

superset: run superset-setup
	AUM_SERVING_PATH=$(SERVING) $(SUPERSET_BIN)/python superset/local.py serve

superset-test: run superset-setup chromium
	AUM_SERVING_PATH=$(SERVING) $(SUPERSET_BIN)/pytest -q -p no:cacheprovider superset/tests
