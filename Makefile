# mxconform — thin wrapper around CMake. The two commands that do everything on a fresh
# Debian machine (as root they install what is missing with apt-get):
#   make run    build, then the main job (a conformance run of the reference)
#   make test   build, then every CTest test
# Long tiers: make exhaustive (all 2^32 f32 inputs, every format x rounding x overflow, per
# libmxref code path); make bench (throughput tables).
BUILD ?= build
OUT ?= out
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DMXC_WERROR=ON
endif

.PHONY: all deps deps-peers configure build run test exhaustive bench fuzz sanitize peers peers-every install clean

all: build

deps:
	@sh scripts/deps.sh

# the optional packages of the peers (scripts/peers.py): Eigen, NumPy, torch, node + onnxruntime-node
deps-peers:
	@sh scripts/deps.sh peers

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p $(OUT)
	@sh scripts/run.sh $(BUILD) $(OUT)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

exhaustive: build
	@mkdir -p $(OUT)
	@sh scripts/exhaustive.sh $(BUILD) $(OUT) $(JOBS)

bench: build
	@$(BUILD)/mxbench
	@$(BUILD)/mxbench_peers
	@$(BUILD)/mxbench_dot

# Fuzzing with libFuzzer (clang): every fuzz target for FUZZ_SECONDS each (FUZZ_CPU=1: CPU
# seconds, for a busy machine).
FUZZ_SECONDS ?= 60
FUZZ_CPU ?=
fuzz: deps
	@sh scripts/fuzz.sh $(FUZZ_SECONDS) $(if $(filter 1,$(FUZZ_CPU)),--cpu)

# Third-party implementations (scripts/peers.py: LLVM APFloat, CUDA host headers, ml_dtypes,
# gfloat, microxcaling, ONNX Runtime; each where installed, the rest skipped with one line;
# `make deps-peers` installs what they need): the standard tier with profile detection and
# the findings table -> reports/peers/.
peers: build
	@sh scripts/peers.sh $(BUILD)

# Every f32 input of every combination each available peer answers (hours: an ABI target
# 1.5-10 min per combination, a process target 4-25 min); resumable, the rows already in
# reports/peers/sweeps.tsv are left; PEERS_ONLY=name limits it. Then the report's tables.
peers-every: build
	@sh scripts/peers.sh sweeps $(BUILD) every
	@sh scripts/peers.sh readme $(BUILD)

# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize: deps
	@sh scripts/sanitize.sh

# Install mxconform, libmxref (static and shared), the headers, mxref.pc, the CMake package,
# the vectors and the man page under PREFIX (DESTDIR honoured, for packaging).
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(OUT)
