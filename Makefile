# The two commands of README.md's quick start, and a few helpers.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build demo demo-spark test asan fuzz check bench format clean wheel test-wheel

deps:
	./tools/install-deps.sh

# ccache, when installed, serves unchanged files from any checkout on this
# machine (paths are taken relative to the checkout).
CCACHE := $(shell command -v ccache)
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
LAUNCHER := $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(LAUNCHER)
	cmake --build $(BUILD) -j $(JOBS)

# Analyses the sample logs bundled in the repo, stores their KPIs in a local
# Delta lake, reads one table back, shows the diff `fix` would make to the
# sample PySpark jobs (a dry run: nothing is written), and ends by writing
# the lake's HTML report and printing its path.
demo: build
	$(BUILD)/prometheus analyze testdata/eventlogs
	$(BUILD)/prometheus observe --source testdata/eventlogs --store $(BUILD)/demo-lake
	$(BUILD)/prometheus show prometheus_applications --store $(BUILD)/demo-lake --format csv
	$(BUILD)/prometheus fix --recommendations testdata/fix-demo/recommendations.json --repo testdata/pyspark
	$(BUILD)/prometheus recommend --store $(BUILD)/demo-lake > /dev/null
	$(BUILD)/prometheus report --store $(BUILD)/demo-lake --out $(BUILD)/demo-report.html
	@echo "The lake's HTML report: $(abspath $(BUILD))/demo-report.html"

# One scenario on the real Spark, end to end (tools/spark_fixes.py --demo):
# runs a job that misses a broadcast with event logging, analyses its log,
# applies the fix to a copy of its code, runs that again and prints the
# before/after figures. Needs the Spark venv of tools/install-deps.sh.
demo-spark: build
	@test -x .venv/bin/python || { echo "demo-spark: no Spark venv at .venv; run ./tools/install-deps.sh (or ./dev demo --spark) first" >&2; exit 2; }
	.venv/bin/python tools/spark_fixes.py --demo --prometheus $(BUILD)/prometheus missed_broadcast

# Builds and runs the whole test suite (unit, conformance and acceptance; the
# wheel first, for the Spark suite runs the distributed observe with it),
# the wheel's own tests, then the unit tests again under the sanitizers (asan).
test: build wheel
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-wheel
	$(MAKE) asan

# The Python package (python/, pyproject.toml): scikit-build-core and nanobind
# build the wheel in .venv-wheel without build isolation (the versions of
# requirements-wheel.txt, nothing fetched) into build-wheel/ (beside build/,
# so ccache serves `make build`'s objects: same compiler name, flags and
# relative paths; pip would otherwise pass Python's x86_64-linux-gnu-g++);
# auditwheel then bundles the Debian libraries it links into
# build-wheel/wheelhouse (README, "The Python package").
WHEEL_DIR := build-wheel
wheel:
	@test -x .venv-wheel/bin/auditwheel || { echo "wheel: no .venv-wheel; run ./tools/install-deps.sh" >&2; exit 2; }
	rm -rf $(WHEEL_DIR)/dist $(WHEEL_DIR)/wheelhouse
	CC=cc CXX=c++ CMAKE_GENERATOR="Unix Makefiles" CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) CMAKE_ARGS="$(LAUNCHER)" \
	  .venv-wheel/bin/pip wheel --no-build-isolation --no-deps --disable-pip-version-check \
	  -w $(WHEEL_DIR)/dist .
	PATH="$(CURDIR)/.venv-wheel/bin:$$PATH" .venv-wheel/bin/auditwheel repair \
	  --disable-isa-ext-check -w $(WHEEL_DIR)/wheelhouse $(WHEEL_DIR)/dist/*.whl
	@ls -l $(WHEEL_DIR)/wheelhouse/*.whl

# The wheel installed into a fresh venv with its tests' pinned packages
# (.cache/wheel-test from tools/install-deps.sh, offline): python/tests
# (pytest, against the binary) and the behaviour goldens through
# `python -m prometheus`.
test-wheel: build wheel
	rm -rf $(WHEEL_DIR)/venv
	/usr/bin/python3 -m venv $(WHEEL_DIR)/venv
	$(WHEEL_DIR)/venv/bin/pip install -q --disable-pip-version-check --no-index \
	  --find-links .cache/wheel-test --require-hashes -r requirements-wheel-test.txt
	$(WHEEL_DIR)/venv/bin/pip install -q --disable-pip-version-check --no-index --no-deps \
	  $(WHEEL_DIR)/wheelhouse/*.whl
	cd $(WHEEL_DIR) && PROMETHEUS_BINARY=$(abspath $(BUILD))/prometheus \
	  venv/bin/python -m pytest -p no:cacheprovider $(CURDIR)/python/tests
	python3 tools/behaviour_goldens.py $(WHEEL_DIR)/venv/bin/python -I -m prometheus

# The libFuzzer targets (fuzz/targets.h), built with clang into build-fuzz
# and run FUZZ_SECONDS each on seed corpora made from ../shared/eventlogs,
# rules/ and testdata/ (tools/fuzz.py); a crash's input is kept in
# build-fuzz/crashes/ to be added to testdata/fuzz/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_CXX ?= clang++-19
fuzz:
	CXX=$(FUZZ_CXX) cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROMETHEUS_FUZZ=ON \
	  -DPROMETHEUS_BUILD_TESTS=OFF -DPROMETHEUS_BUILD_BENCHMARKS=OFF $(LAUNCHER)
	cmake --build build-fuzz -j $(JOBS) --target fuzz_targets
	python3 tools/fuzz.py --build build-fuzz --seconds $(FUZZ_SECONDS)

# The unit tests under AddressSanitizer and UndefinedBehaviorSanitizer, in
# their own build folder (about three times slower than `make test`).
# LeakSanitizer needs ptrace, which some containers forbid: then leaks are
# not checked, and it says so.
asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	  -DCMAKE_C_FLAGS="-fsanitize=address,undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
	  -DPROMETHEUS_BUILD_BENCHMARKS=OFF $(LAUNCHER)
	cmake --build build-asan -j $(JOBS) --target prometheus_tests prometheus
	@leaks=1; if ASAN_OPTIONS=detect_leaks=1 build-asan/prometheus_tests --gtest_filter='Stake.*' 2>&1 \
	  | grep -q 'LeakSanitizer has encountered a fatal error'; then leaks=0; \
	  echo "asan: LeakSanitizer cannot run in this container (no ptrace): leaks are not checked"; fi; \
	  ASAN_OPTIONS=detect_leaks=$$leaks LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  build-asan/prometheus_tests --gtest_brief=1

bench: build
	python3 bench/omen_bench.py --prometheus $(BUILD)/prometheus --baseline $(BUILD)/bench/simdjson_baseline

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'bench/*.cc')

clean:
	rm -rf $(BUILD)
