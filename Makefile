# The two commands of README.md's quick start, and a few helpers.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build demo test check bench format clean

deps:
	./tools/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

# Installs everything, builds, and analyses the sample logs bundled in the repo.
demo: build
	$(BUILD)/prometheus analyze testdata/eventlogs

# Builds and runs the whole test suite (unit, conformance and acceptance).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	python3 bench/omen_bench.py --prometheus $(BUILD)/prometheus --baseline $(BUILD)/bench/simdjson_baseline

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'bench/*.cc')

clean:
	rm -rf $(BUILD)
