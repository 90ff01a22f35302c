# The README's two commands. `make run` builds byline and serves the example
# site; `make test` runs the whole suite through ctest. Both install missing
# Debian packages first.
BUILD ?= build
JOBS ?= $(shell nproc)
PORT ?= 1313
PREFIX ?= /usr/local

.PHONY: all deps build install run test asan tsan fuzz bench format clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Puts the byline binary in $(PREFIX)/bin (the built-in theme is inside it).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

run: build
	$(BUILD)/byline build -s examples -d examples/public
	$(BUILD)/byline serve -s examples -p $(PORT)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The Debug + AddressSanitizer/UBSan run of the same suite.
asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBYLINE_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -j $(JOBS)

# The tests that run one process's work on many threads, under
# ThreadSanitizer: two sites built side by side, the thread pool, the
# publisher's claims.
tsan: deps
	cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBYLINE_TSAN=ON
	cmake --build build-tsan -j $(JOBS) --target byline_tests
	build-tsan/byline_tests --gtest_filter='BuildTest.TwoSites*:StripedRangeTest.*:ParallelFor*:PublisherTest.OneFileClaimedOnceAcrossThreads'

# The libFuzzer harnesses under fuzz/ (clang, ASan + UBSan), each run for
# FUZZ_SECONDS from the tests' files and the regression corpus; FUZZ_TARGETS
# picks some (e.g. FUZZ_TARGETS="wpautop markdown"). README.md, Fuzzing.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_BUILD ?= build-fuzz
fuzz:
	@./scripts/install-deps.sh fuzz
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DBYLINE_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	bench/compare_hugo.py

format:
	clang-format -i $$(git ls-files 'src/*.h' 'src/*.cc' 'bench/*.cc' 'tests/*.cc')

clean:
	rm -rf $(BUILD) build-asan build-tsan
