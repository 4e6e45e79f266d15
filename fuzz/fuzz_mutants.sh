#!/bin/sh
# Does `mxconform fuzz` find and shrink every mutant (tests/mutants/), through lib: and
# through cmd: (`mxconform serve --lib` wrapping it), within SECONDS CPU seconds each? And
# which mutants does `run --tier smoke` miss (the list MXC_FUZZ_SMOKE_MISSES in
# tests/fuzz.cmake, whose mutants CTest fuzzes on every run)?
#
#   fuzz/fuzz_mutants.sh BUILD_DIR [SECONDS [SEED]]       (defaults: 60, 1)
#
# Prints one line per mutant and target kind: smoke caught it or not, the fuzz finding's
# shape, CPU seconds until the finding was found and shrunk, cases drawn, non-zero inputs
# after shrinking. Exit status 1 when fuzz misses a mutant that smoke misses, 0 otherwise
# (a mutant both miss is reported either way). Runs one mutant at a time (one core).
build=${1:?usage: fuzz_mutants.sh BUILD_DIR [SECONDS [SEED]]}
seconds=${2:-60}
seed=${3:-1}
mx=$build/mxconform
[ -x "$mx" ] || { echo "fuzz_mutants.sh: no $mx (build first)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "fuzz_mutants.sh: needs python3 (reads results.json)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxfuzzmut.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

summary() { # results.json -> "found SHAPE CPU-S CASES NONZERO" or "missed - CPU-S CASES -"
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["totals"]
f = r["findings"]
if f:
    print("found %s %.2f %d %d" % (f[0]["suite"], t["cpu_seconds"], f[0]["case_number"], f[0]["shrink"]["nonzero_inputs_after"]))
else:
    print("missed - %.2f %d -" % (t["cpu_seconds"], t["cases"]))
PY
}

status=0
misses=""
printf '%-34s %-6s %-4s %-6s %-36s %8s %8s %8s\n' mutant smoke kind fuzz "first finding" "CPU-s" "case" "nonzero"
for so in "$build"/tests/mutants/libmxmutant_*.so; do
  name=$(basename "$so" .so)
  name=${name#libmxmutant_}
  "$mx" run --target "lib:$so" --tier smoke -q >/dev/null 2>&1
  if [ $? = 1 ]; then smoke=caught; else smoke=MISSED; misses="$misses $name"; fi
  for kind in lib cmd; do
    if [ $kind = lib ]; then spec="lib:$so"; else spec="cmd:$mx serve --lib $so"; fi
    "$mx" fuzz --target "$spec" --seconds "$seconds" --cpu --seed "$seed" --max-findings 1 -q \
      -o "$tmp/r.json" >"$tmp/out.txt" 2>&1
    set -- $(summary "$tmp/r.json")
    printf '%-34s %-6s %-4s %-6s %-36s %8s %8s %8s\n' "$name" "$smoke" "$kind" "$1" "$2" "$3" "$4" "$5"
    [ "$1" = found ] || [ "$smoke" = caught ] || status=1
  done
done
echo "smoke misses:${misses:- none}"
echo "(tests/fuzz.cmake: set(MXC_FUZZ_SMOKE_MISSES${misses}))"
exit $status
