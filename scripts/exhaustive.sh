#!/bin/sh
# make exhaustive: every f32 input (2^32) for every element format (E8M0 included) x rounding
# (rne rna rtz rup rdn) x overflow (sat ovf), plus every bf16 and f16 input, reference vs
# oracle, then the non-default knob values (int8_range=symmetric, src_subnormals=flush,
# fnuz_zero=nan and =underflow-nan into the FNUZ formats) —
# for every libmxref code path this CPU runs (scalar, avx2), in one pass that shares the
# oracle's work between them. The block proofs: every f32 amax per format x rule (the scale),
# and 10^6 random f32 blocks per format x rule, each compared with the oracle's quantize
# directly, on every path.
#
# Each 32-bit source's inputs all go through the full path (avx2 where the CPU has it); the
# other path is checked on the inputs whose exponent field is all zeros or all ones and at
# both ends of every run cut at binade boundaries, which proves every input there because
# its conversion is monotone within a binade (spec_notes/proof.md). The f32 scale proof uses
# the same argument. MXC_EXHAUSTIVE_EVERY_INPUT=1 instead runs each path separately on every
# input (the slow form, about 3x the time). MXC_EXHAUSTIVE_PATHS="scalar" (or "avx2") limits
# the paths. Prints each combination, each stage's time, the totals and the wall time;
# OUT/exhaustive.txt keeps the log.
set -eu
build=$1 out=$2 jobs=$3
log="$out/exhaustive.txt"
mxc="$build/mxconform"
paths=""
for p in ${MXC_EXHAUSTIVE_PATHS:-scalar avx2}; do
  if "$mxc" prove --path "$p" --op decode >/dev/null 2>&1; then paths="$paths${paths:+,}$p"
  else echo "exhaustive: path $p not supported on this CPU, skipped"; fi
done
[ -n "$paths" ] || { echo "exhaustive: no libmxref code path to prove" >&2; exit 2; }
if [ "${MXC_EXHAUSTIVE_EVERY_INPUT:-0}" = 1 ]; then passes=$(echo "$paths" | tr , ' ')
else passes=$paths; fi
start=$(date +%s)

# stage NAME COMMAND...: run and time one stage
stage() {
  name=$1
  shift
  t0=$(date +%s)
  "$@"
  echo "== stage $name: $(( $(date +%s) - t0 ))s"
}

# the block proofs as $jobs processes, each taking every $jobs-th combination
blocks() {
  p=$1 i=0 pids=""
  while [ "$i" -lt "$jobs" ]; do
    "$mxc" prove --paths "$p" --exhaustive --op blocks --sample 10000000 --shard "$i/$jobs" >"$log.blocks.$i" 2>&1 &
    pids="$pids $!"
    i=$((i + 1))
  done
  rc=0
  for pid in $pids; do wait "$pid" || rc=1; done
  i=0
  while [ "$i" -lt "$jobs" ]; do cat "$log.blocks.$i"; rm -f "$log.blocks.$i"; i=$((i + 1)); done
  return $rc
}

{
  for p in $passes; do
    echo "== libmxref paths $p"
    stage decode "$mxc" prove --paths "$p" --exhaustive --op decode --jobs "$jobs" || true
    stage convert "$mxc" prove --paths "$p" --exhaustive --op convert --src f32,bf16,f16 --jobs "$jobs" || true
    stage blocks blocks "$p" || true
    stage int8-symmetric "$mxc" prove --paths "$p" --exhaustive --op convert --src f32,bf16,f16 --to int8 \
      --knob int8_range=symmetric --jobs "$jobs" || true
    stage subnormals-flush "$mxc" prove --paths "$p" --exhaustive --op convert --src f32,bf16,f16 \
      --knob src_subnormals=flush --round rne,rtz --jobs "$jobs" || true
    # the AVX2 kernel computes fnuz_zero itself: -0 inputs and negative values that round to
    # zero (rne; rup rounds every negative toward zero), the overflow rule does not touch them
    for z in nan underflow-nan; do
      stage "fnuz-zero-$z" "$mxc" prove --paths "$p" --exhaustive --op convert --src f32,bf16,f16 \
        --to e4m3fnuz,e5m2fnuz,e4m3b11fnuz --knob "fnuz_zero=$z" --round rne,rup --overflow sat --jobs "$jobs" || true
    done
    echo "== paths $p done after $(( $(date +%s) - start ))s"
  done
} 2>&1 | tee "$log.tmp"
mv "$log.tmp" "$log"
end=$(date +%s)
diffs=$(awk '/^SUMMARY/ {s += $7} END {print s + 0}' "$log")
inputs=$(awk '/^SUMMARY/ {s += $4} END {printf "%.0f", s}' "$log")
summaries=$(grep -c '^SUMMARY' "$log" || true)
echo "EXHAUSTIVE TOTAL (paths: $paths): $inputs inputs checked, $diffs differences, $((end - start))s wall on $jobs jobs"
# every prove run ends with a SUMMARY line: a missing one is a crash, never a pass
expected=$(( $(echo "$passes" | wc -w) * (6 + jobs) ))
[ "$diffs" = 0 ] && [ "$summaries" = "$expected" ]
