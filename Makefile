# The README's two commands are `make serve` and `make test`; both install what is missing.
SHELL := bash
.DEFAULT_GOAL := help
WASM := scripts/wasm-env.sh
PORT ?= 8080

.PHONY: help setup serve dist test test-native test-wasm test-e2e lint fmt bench eval fuzz

help:
	@echo "make serve  - build the release site and serve it at http://127.0.0.1:$(PORT)"
	@echo "make test   - run every test (native, wasm in Chromium, end-to-end in Chromium)"
	@echo "make dist   - build the release site into dist/ (relative asset URLs)"
	@echo "make bench  - print the figures table (native and in Chromium)"
	@echo "make fuzz   - fuzz the analyzer, share links and simulator (TARGET=analyzer,share,sim EXECS=N SEED=S TIME=SECS)"
	@echo "make eval   - score the analyzer on the labelled set in tests/eval (precision, recall, misses)"

setup:
	@scripts/setup.sh

setup-e2e:
	@scripts/setup.sh --e2e

dist: setup
	$(WASM) trunk build --release

serve: dist
	@echo "Serving dist/ at http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	python3 scripts/serve.py --dir dist --port $(PORT)

lint: setup
	cargo fmt --check
	cargo clippy --no-default-features --all-targets -- -D warnings
	$(WASM) cargo clippy --target wasm32-unknown-unknown --bins --lib -- -D warnings

test-native:
	cargo test --no-default-features

eval:
	cargo build --no-default-features --bin hazard-lab
	python3 scripts/eval.py

test-wasm: setup
	$(WASM) env CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test --target wasm32-unknown-unknown --test wasm

test-e2e: setup-e2e dist
	python3 -m pytest -q tests/schema tests/e2e

test: setup-e2e lint test-native test-wasm test-e2e

bench: setup-e2e dist
	cargo run --profile analyzer --no-default-features --bin hazard-lab -- bench
	python3 tests/e2e/bench.py

# Deterministic fuzzing on stable Rust (src/bin/fuzz.rs). EXECS is per target; TIME (seconds)
# caps each target; crashes are saved to tests/fuzz_crashes/, which `make test` replays.
# The `fuzz` profile is release with panics that unwind and overflow checks on.
TARGET ?= analyzer,share,sim
EXECS ?= 100000
SEED ?= 1
fuzz:
	cargo build --profile fuzz --no-default-features --bin fuzz
	nice -n 10 target/fuzz/fuzz --target $(TARGET) --execs $(EXECS) --seed $(SEED) $(if $(TIME),--time-limit $(TIME))
