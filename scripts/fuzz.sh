#!/bin/sh
# make fuzz [FUZZ_SECONDS=N] — build the libFuzzer targets (clang, ASan + UBSan) in
# build-fuzz/ and run each for N seconds (default 60) with the dictionary and the committed
# corpus, two at a time (one per core). See fuzz/README.md.
#
#   scripts/fuzz.sh [SECONDS] [--cpu] [--merge]
#
# Environment:
#   FUZZ_TARGETS="a b"   only these targets (default: all)
#   FUZZ_PARALLEL=N      targets run at once (default: nproc, at most 2 per core)
#   FUZZ_BUILD=DIR       build directory (default build-fuzz)
#   OUT=DIR              results (default out): crashes in OUT/fuzz-crashes/<target>/,
#                        logs in OUT/fuzz-logs/<target>.log, summary OUT/fuzz-summary.txt
#                        (seconds: wall clock; cpu-s: CPU seconds, from /usr/bin/time)
#   MXC_FUZZ_TARGET=lib  the vendor library for target_differential (default: the in-tree
#                        libmxref target, which only checks the plumbing)
#   MXC_FUZZ_PROFILE=P   its knobs (default ocp)
#   CI=true              adds -DMXC_WERROR=ON; CMAKE_FLAGS adds further cmake options
# --cpu:   SECONDS are CPU seconds: a target that got less than that (a busy machine) runs
#          again for the seconds it is short, until it has used them (needs /usr/bin/time)
# --merge: afterwards merge the new coverage-increasing inputs into fuzz/corpus/<target>/
#          (minimised with -merge=1; review before committing).
#
# Exit status: 0 when no target found anything, 1 when some did, 2 on setup problems.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=60
MERGE=0
CPU=0
for a in "$@"; do
  case "$a" in
    --merge) MERGE=1 ;;
    --cpu) CPU=1 ;;
    *[!0-9]* | '') echo "usage: scripts/fuzz.sh [SECONDS] [--cpu] [--merge]" >&2; exit 2 ;;
    *) SECS=$a ;;
  esac
done
BUILD=${FUZZ_BUILD:-$ROOT/build-fuzz}
OUT=${OUT:-$ROOT/out}
case "$OUT" in /*) ;; *) OUT=$ROOT/$OUT ;; esac
ALL="convert_differential quantize_differential roundtrip vector_parser profile_parser protocol_parser target_differential dot_differential"
TARGETS=${FUZZ_TARGETS:-$ALL}
NPROC=$(nproc 2>/dev/null || echo 2)
PAR=${FUZZ_PARALLEL:-$NPROC}

# clang and its libFuzzer/sanitizer runtimes (Debian: clang libclang-rt-dev); time: the CPU seconds
MXC_EXTRA_PACKAGES="clang libclang-rt-dev time" sh "$ROOT/scripts/deps.sh" || true
CC_FUZZ=${CC_FUZZ:-clang}
if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
  echo "fuzz: clang not found; as root: apt-get install -y clang libclang-rt-dev" >&2
  exit 2
fi
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! "$CC_FUZZ" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
  cat "$probe/log" >&2
  echo "fuzz: $CC_FUZZ cannot link -fsanitize=fuzzer; as root: apt-get install -y libclang-rt-dev" >&2
  rm -rf "$probe"
  exit 2
fi
rm -rf "$probe"

echo "fuzz: configuring $BUILD (CC=$CC_FUZZ, -DMXC_FUZZ=ON)"
werror=""
[ "${CI:-}" = true ] && werror="-DMXC_WERROR=ON"
# shellcheck disable=SC2086
CC=$CC_FUZZ cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMXC_FUZZ=ON $werror ${CMAKE_FLAGS:-} >/dev/null
build_targets="mxc_fuzz_reftarget"
for t in $TARGETS; do build_targets="$build_targets fuzz_$t replay_$t"; done
# shellcheck disable=SC2086
cmake --build "$BUILD" -j "$NPROC" --target $build_targets

TARGET_LIB=${MXC_FUZZ_TARGET:-$BUILD/fuzz/libmxc_fuzz_reftarget.so}
mkdir -p "$OUT/fuzz-logs" "$OUT/fuzz-crashes"

run_one() { # target
  t=$1
  work="$BUILD/fuzz-corpus/$t"
  crashes="$OUT/fuzz-crashes/$t"
  mkdir -p "$work" "$crashes"
  rm -f "$OUT/fuzz-logs/$t.cpu" "$OUT/fuzz-logs/$t.log"
  used=0
  left=$SECS
  while :; do
    # the first corpus directory collects new inputs; the committed one is only read
    # MXC_FUZZ_SKIP_KNOWN: targets skip the open findings listed in fuzz/README.md
    # /usr/bin/time (when present) records the CPU seconds: on a shared machine they, not the
    # wall-clock seconds, say how much fuzzing was done
    tm=""
    [ -x /usr/bin/time ] && tm="/usr/bin/time -a -f %U+%S -o $OUT/fuzz-logs/$t.cpu"
    # shellcheck disable=SC2086
    MXC_FUZZ_SKIP_KNOWN=1 MXC_FUZZ_TARGET=$TARGET_LIB $tm "$BUILD/fuzz/fuzz_$t" "$work" "$ROOT/fuzz/corpus/$t" "$ROOT/fuzz/regressions/$t" \
      -dict="$ROOT/fuzz/dict/mx.dict" -max_total_time="$left" -max_len=4096 -timeout=25 -print_final_stats=1 \
      -artifact_prefix="$crashes/" >>"$OUT/fuzz-logs/$t.log" 2>&1 && rc=0 || rc=$?
    [ "$CPU" = 1 ] && [ "$rc" = 0 ] || break
    used=$(cpu_seconds "$t")
    [ "$used" -lt "$SECS" ] || break
    left=$((SECS - used))
    [ "$left" -ge 10 ] || left=10
  done
}

# CPU seconds of all runs of a target so far (0 without /usr/bin/time)
cpu_seconds() {
  awk -F+ '/^[0-9.]+\+[0-9.]+$/ {s += $1 + $2} END {printf "%.0f\n", s}' "$OUT/fuzz-logs/$1.cpu" 2>/dev/null || echo 0
}

if [ "$CPU" = 1 ] && [ ! -x /usr/bin/time ]; then
  echo "fuzz: --cpu needs /usr/bin/time (as root: apt-get install -y time)" >&2
  exit 2
fi
unit="s"
[ "$CPU" = 1 ] && unit="CPU-s"
echo "fuzz: $SECS $unit per target, $PAR at a time: $TARGETS"
running=0
for t in $TARGETS; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$PAR" ]; then
    wait
    running=0
  fi
done
wait

status=0
summary="$OUT/fuzz-summary.txt"
{
  printf '%-24s %8s %8s %12s %10s %8s %s\n' target seconds cpu-s executions exec/s corpus findings
  for t in $TARGETS; do
    log="$OUT/fuzz-logs/$t.log"
    # sums over every run of the target (--cpu may run it more than once)
    runs=$(awk '/^stat::number_of_executed_units:/ {s += $2; n++} END {if (n) print s}' "$log")
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | awk '{s += $1; n++} END {if (n) print s}')
    eps=""
    [ -n "$runs" ] && [ -n "$took" ] && [ "$took" -gt 0 ] && eps=$((runs / took))
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -1)
    cpu=""
    [ -f "$OUT/fuzz-logs/$t.cpu" ] && cpu=$(cpu_seconds "$t")
    n=$(find "$OUT/fuzz-crashes/$t" -type f | wc -l)
    printf '%-24s %8s %8s %12s %10s %8s %s\n' "$t" "${took:-?}" "${cpu:-?}" "${runs:-?}" "${eps:-?}" "${corp:-?}" "$n"
  done
} | tee "$summary"
for t in $TARGETS; do
  for c in $(find "$OUT/fuzz-crashes/$t" -type f | sort); do
    status=1
    echo "fuzz: FINDING in $t: $c"
    echo "  reproduce:  build/fuzz/replay_$t $c        (sanitized: $BUILD/fuzz/fuzz_$t $c)"
    echo "  minimise:   $BUILD/fuzz/fuzz_$t -minimize_crash=1 -runs=10000 $c"
    echo "  keep it:    cp $c fuzz/regressions/$t/   (the replay test fails until it is fixed)"
  done
  if grep -q "^==[0-9]*==ERROR\|^SUMMARY: \|deadly signal\|property violated" "$OUT/fuzz-logs/$t.log" &&
    [ -z "$(find "$OUT/fuzz-crashes/$t" -type f)" ]; then
    status=1
    echo "fuzz: $t reported an error without an artifact; see $OUT/fuzz-logs/$t.log"
  fi
done

if [ "$MERGE" = 1 ]; then
  for t in $TARGETS; do
    before=$(find "$ROOT/fuzz/corpus/$t" -type f | wc -l)
    MXC_FUZZ_TARGET=$TARGET_LIB "$BUILD/fuzz/fuzz_$t" -merge=1 -dict="$ROOT/fuzz/dict/mx.dict" \
      "$ROOT/fuzz/corpus/$t" "$BUILD/fuzz-corpus/$t" >"$OUT/fuzz-logs/$t.merge.log" 2>&1 || true
    echo "fuzz: merged $t: $before -> $(find "$ROOT/fuzz/corpus/$t" -type f | wc -l) corpus files"
  done
fi

[ "$status" = 0 ] && echo "fuzz: no findings (summary: $summary)"
exit "$status"
