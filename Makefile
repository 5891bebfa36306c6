# dm_roi: revenue per chat of Instagram DM automation, as a dbt project.
# `make help` lists the targets. The two that matter:
#   make build   set everything up and build the demo warehouse
#   make test    run every test (what CI runs)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir . --project-dir .
# The warehouse file: DBT_DUCKDB_PATH if set, else dm_roi.duckdb here (the profile's own default).
# Not exported: make and a plain `dbt` then render the same profile, and dbt's partial parse
# survives switching between them.
WAREHOUSE := $(or $(DBT_DUCKDB_PATH),dm_roi.duckdb)
export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: help venv build-spark test-spark java-check build test test-dbt test-unit lint lint-fix pre-commit-install pytest gx freshness docs seed-data data bench bench-identity clean lock browser dashboard export metrics metrics-list

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned dependencies of requirements.lock

build: $(STAMP) ## Build seeds, models and data tests into the DuckDB file
	$(BIN)/python scripts/check_seeds.py
	$(DBT) build $(DBT_FLAGS)
	@echo "Warehouse: $(WAREHOUSE) (schemas raw, staging, intermediate, marts, test_failures)"

test: $(STAMP) browser ## Run every test: dbt build (data + unit tests) and the GX checkpoint on a throwaway warehouse, sqlfluff, pytest (with the browser test)
	$(MAKE) --no-print-directory test-dbt lint pytest

test-dbt: $(STAMP) ## dbt build (seeds, models, data + unit tests), then the GX checkpoint, on a throwaway DuckDB file
	$(BIN)/python scripts/check_seeds.py
	@tmp=$$(mktemp -d); \
	DBT_DUCKDB_PATH=$$tmp/test.duckdb $(DBT) build $(DBT_FLAGS) --target-path $$tmp/target \
	&& $(BIN)/python -m quality.gx_checkpoint --warehouse $$tmp/test.duckdb --output-dir reports/test/gx; rc=$$?; \
	rm -rf $$tmp; exit $$rc

test-unit: $(STAMP) ## Only the dbt unit tests, on a throwaway warehouse (seeds loaded, models built empty)
	@tmp=$$(mktemp -d); export DBT_DUCKDB_PATH=$$tmp/test.duckdb; \
	$(DBT) seed $(DBT_FLAGS) --target-path $$tmp/target \
	&& $(DBT) run $(DBT_FLAGS) --target-path $$tmp/target --empty \
	&& $(DBT) test $(DBT_FLAGS) --target-path $$tmp/target --select "test_type:unit"; rc=$$?; \
	rm -rf $$tmp; exit $$rc

lint: $(STAMP) ## sqlfluff lint of models, analyses and the SQL tests; ruff check and ruff format --check of the Python
	$(BIN)/sqlfluff lint models analyses tests --processes 2
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-fix: $(STAMP) ## sqlfluff fix and ruff fix + format (rewrites files)
	$(BIN)/sqlfluff fix models analyses tests --processes 2
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

pre-commit-install: $(STAMP) ## Install the git pre-commit hook that runs the checks of make lint (.pre-commit-config.yaml)
	$(BIN)/pre-commit install

# Two workers, one test module each at a time (--dist loadfile keeps a module's fixtures in one
# process): a dbt run on the demo data is mostly single-threaded Python, so the two cores halve it.
pytest: $(STAMP) browser ## pytest suite on 2 workers (drives dbt against throwaway DuckDB files; the page's test drives headless Chromium)
	$(BIN)/pytest -q tests/python -n 2 --dist loadfile -m "not spark" --durations=12

gx: $(STAMP) ## Great Expectations checkpoint on the warehouse (make build first): reports/gx/index.html
	$(BIN)/python -m quality.gx_checkpoint --warehouse $(WAREHOUSE) --output-dir reports/gx

# Debian's chromium and chromium-driver: the page's PDF and its browser test. Installed with
# apt-get only when one is missing (as root, or through sudo); nothing ever downloads a browser.
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: ## Install Debian's chromium and chromium-driver (apt-get) if /usr/bin/chromium or /usr/bin/chromedriver is missing
	@if [ ! -x $(CHROMIUM) ] || [ ! -x $(CHROMEDRIVER) ]; then \
		echo "Installing chromium and chromium-driver with apt-get"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; \
	fi

PERIOD ?=
dashboard: $(STAMP) browser ## The managers' page from the marts (make build first): reports/dashboard/dashboard.html + .pdf [PERIOD=2026-09 | 2026-W40 | week]
	$(BIN)/python -m dashboard --warehouse $(WAREHOUSE) --out-dir reports/dashboard $(if $(PERIOD),--period $(PERIOD))

# OUT is make data's folder too (data/generated): make export has its own default unless OUT is given.
EXPORT_OUT = $(if $(filter-out file undefined default,$(origin OUT)),$(OUT),reports/export)
export: $(STAMP) ## Every public mart as Parquet and CSV (make build first): reports/export/ [OUT=folder]
	$(DBT) parse $(DBT_FLAGS) --quiet
	$(BIN)/python -m dashboard.export --manifest target/manifest.json --warehouse $(WAREHOUSE) --out $(EXPORT_OUT)

# The semantic layer (models/semantic/, MetricFlow's `mf`, README "The semantic layer"). `mf` reads
# profiles.yml and target/semantic_manifest.json of the directory it runs in, and the warehouse
# the profile names (DBT_DUCKDB_PATH, as for every target): dbt parse first writes the manifest
# with that warehouse's relations.
METRICS ?= revenue_per_chat
GRAIN ?= month
MF_ARGS ?=
metrics: $(STAMP) ## Query the semantic layer (make build first): mf query by metric_time__GRAIN [METRICS=revenue_per_chat,aov GRAIN=month|week|day|quarter|year MF_ARGS='--csv out.csv']
	$(DBT) parse $(DBT_FLAGS) --quiet
	$(BIN)/mf query --metrics $(METRICS) --group-by metric_time__$(GRAIN) --order metric_time__$(GRAIN) $(MF_ARGS)

metrics-list: $(STAMP) ## List the semantic layer's metrics and the dimensions they can be grouped by
	$(DBT) parse $(DBT_FLAGS) --quiet
	$(BIN)/mf list metrics

freshness: $(STAMP) ## Source freshness of the raw exports (always stale on the autumn-2026 demo data; never fails make)
	-$(DBT) source freshness $(DBT_FLAGS)

bench: $(STAMP) ## Benchmark at 10k, 100k, 1M generated sessions (read floor, dbt run/build, slowest models, identity +/- 100k chain) -> docs/benchmarks.md (long)
	$(BIN)/python scripts/benchmark.py --output docs/benchmarks.md

bench-identity: $(STAMP) ## Benchmark identity resolution on 1M records, with and without a 10,000-record chain (~5 min)
	$(BIN)/python scripts/benchmark_identity.py

docs: $(STAMP) ## dbt docs generate (browse with: .venv/bin/dbt docs serve --profiles-dir .)
	$(DBT) docs generate $(DBT_FLAGS)

SESSIONS ?= 10000
OUT ?= data/generated
FORMAT ?= parquet
data: $(STAMP) ## Generate raw tables at any size: make data SESSIONS=100000 OUT=/tmp/dm_data [FORMAT=csv] [ARGS='--parts daily --chain 1000']
	$(BIN)/python -m scripts.datagen --sessions $(SESSIONS) --out $(OUT) --format $(FORMAT) $(ARGS)

seed-data: ## Regenerate the demo CSVs in seeds/ (deterministic)
	$(PYTHON) scripts/generate_demo_data.py

lock: ## Recompile requirements.lock from requirements.in in a clean venv
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv && .lockvenv/bin/pip install -q -r requirements.in
	{ echo "# Generated from requirements.in with: pip install -r requirements.in && pip freeze"; echo "# Python 3.11. Regenerate with: make lock"; .lockvenv/bin/pip freeze; } > requirements.lock
	rm -rf .lockvenv

clean: ## Remove the warehouse, dbt artefacts and logs (keeps .venv)
	rm -rf target logs reports dm_roi.duckdb dm_roi.duckdb.wal .spark

# --- Spark (issue 12): optional, nothing of it is needed for make build or make test ---------------
# .venv-spark holds requirements.lock plus requirements-spark.lock (dbt-spark[session], pyspark 4),
# so .venv stays exactly requirements.lock. Spark's warehouse and Derby metastore: .spark/ here
# (DBT_SPARK_HOME). One Spark process at a time per DBT_SPARK_HOME (Derby locks its metastore).
SPARK_VENV := .venv-spark
SPARK_BIN := $(SPARK_VENV)/bin
SPARK_STAMP := $(SPARK_VENV)/.installed
SPARK_HOME_DIR := $(or $(DBT_SPARK_HOME),$(CURDIR)/.spark)

java-check: ## Check that Java 17 or later is on PATH (Spark 4 needs it)
	@command -v java >/dev/null || { echo "Spark needs Java 17 or later and no java is on PATH: install it (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME/PATH"; exit 1; }
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); \
	if [ -z "$$v" ] || [ "$$v" -lt 17 ]; then echo "Spark 4 needs Java 17 or later; java -version says: $$(java -version 2>&1 | head -1)"; exit 1; fi

$(SPARK_STAMP): requirements.lock requirements-spark.lock
	@$(MAKE) --no-print-directory java-check
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-spark.lock
	@touch $(SPARK_STAMP)

build-spark: $(SPARK_STAMP) java-check ## Install .venv-spark (dbt-spark, pyspark 4) and dbt build --target spark on the demo seeds (Spark local[2], warehouse in .spark/)
	DBT_SPARK_HOME=$(SPARK_HOME_DIR) $(SPARK_BIN)/dbt build $(DBT_FLAGS) --target spark --target-path target/spark
	@echo "Spark warehouse: $(SPARK_HOME_DIR)/warehouse (metastore $(SPARK_HOME_DIR)/derby)"

test-spark: $(SPARK_STAMP) java-check ## Spark = DuckDB: dbt build --target spark (demo seeds, every test), a generated data set and the native export formats, every public mart and the identity map compared row for row (~29 min)
	$(SPARK_BIN)/pytest -q -m spark tests/python/test_spark_equality.py -p no:cacheprovider
