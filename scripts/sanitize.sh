#!/bin/sh
# make sanitize — the test suite under AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   scripts/sanitize.sh [BUILD_DIR]        (default build-asan)
#
# Configures BUILD_DIR with -DMXC_SANITIZE=ON (every library, tool and test, including the
# fuzz replay binaries, so the committed fuzz corpora and crash reproducers run under the
# sanitizers), builds, and runs the tests that fit in about five minutes on two cores:
# everything except the long sampled/exhaustive proofs and full-tier runs, which exercise
# the same code as their short siblings, only on more inputs.
#
# Environment:
#   SANITIZE_EXCLUDE=REGEX  tests to leave out (default below); "" runs every test
#   SANITIZE_JOBS=N         ctest -j (default nproc)
#   CC                      compiler (default cc; clang works too)
#   CI=true                 adds -DMXC_WERROR=ON; CMAKE_FLAGS adds further cmake options
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build-asan}
JOBS=${SANITIZE_JOBS:-$(nproc 2>/dev/null || echo 2)}
# Long tests: the million-input sampled proofs (on every code path),
# the full-tier conformance runs (their short siblings stay in), the preset-recovery probe
# (probe_end_to_end_through_a_process_target stays), the headless-browser render, and the
# real-library peers (their time is the Python libraries'; the refusal plumbing tests stay).
DEFAULT_EXCLUDE='^(reference_equals_oracle_sampled_|reference_equals_oracle_every_bf16_and_f16_input|reference_equals_oracle_symmetric_int8|block_quantize_reference_equals_oracle_million_blocks|block_scale_reference_equals_oracle_every_16bit_amax|reference_passes_standard_tier_under_|vectors_regenerate_identically|report_renders_in_headless_chromium|dot_reference_equals_oracle_random_models|reference_scalar_path_equals_oracle_sampled_f32|reference_scalar_path_equals_oracle_every_bf16_and_f16_input|block_quantize_scalar_path_equals_oracle_sampled_blocks|probe_recovers_every_preset_exactly|peer_[a-z_]*_real_library_)'
EXCLUDE=${SANITIZE_EXCLUDE-$DEFAULT_EXCLUDE}

sh "$ROOT/scripts/deps.sh"
echo "sanitize: configuring $BUILD (-DMXC_SANITIZE=ON)"
werror=""
[ "${CI:-}" = true ] && werror="-DMXC_WERROR=ON"
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMXC_SANITIZE=ON $werror ${CMAKE_FLAGS:-} >/dev/null
cmake --build "$BUILD" -j "$JOBS"

# Abort on the first report; leaks are findings too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$BUILD"
if [ -n "$EXCLUDE" ]; then
  echo "sanitize: ctest -j $JOBS -E '$EXCLUDE'"
  ctest --output-on-failure -j "$JOBS" -E "$EXCLUDE"
else
  ctest --output-on-failure -j "$JOBS"
fi
