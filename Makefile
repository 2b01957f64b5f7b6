# The two entry points are `make serve` and `make test`; everything else is a step they call.
SHELL := /bin/bash
SWIFT ?= swift
PORT ?= 5000
DATA_DIR ?= ./mixbit-data

.PHONY: serve test deps build-release test-swift clean

deps:
	@scripts/install-deps.sh

build-release: deps
	$(SWIFT) build -c release --product mixbit

serve: build-release
	mkdir -p $(DATA_DIR)
	.build/release/mixbit serve --port $(PORT) --backend-store-uri sqlite:///$(DATA_DIR)/mixbit.db \
		--artifacts-destination $(DATA_DIR)/artifacts --workers 1

test: deps test-swift

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build

# Real models for the engine tests (git-ignored under models/); skips what is already there.
.PHONY: models
models:
	@scripts/fetch-models.sh
