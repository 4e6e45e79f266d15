#!/bin/sh
# make exhaustive: every f32 input (2^32) for every element format x rounding (rne rna
# rtz rup rdn) x overflow (sat ovf), plus every bf16 and f16 input, reference vs oracle,
# then the non-default knob values (int8_range=symmetric, src_subnormals=flush).
# Prints each combination, the totals and the wall time; OUT/exhaustive.txt keeps the log.
set -eu
build=$1 out=$2 jobs=$3
log="$out/exhaustive.txt"
start=$(date +%s)
{
  "$build/mxconform" prove --exhaustive --op decode --jobs "$jobs"
  "$build/mxconform" prove --exhaustive --op convert --src f32,bf16,f16 --jobs "$jobs"
  # blocks: all 2^32 f32 amax per format x rule; 10^6 random f32 blocks per format x rule,
  # every one compared with the oracle's quantize directly
  "$build/mxconform" prove --exhaustive --op blocks --sample 10000000 --jobs "$jobs"
  "$build/mxconform" prove --exhaustive --op convert --src f32,bf16,f16 --to int8 --knob int8_range=symmetric --jobs "$jobs"
  "$build/mxconform" prove --exhaustive --op convert --src f32,bf16,f16 --knob src_subnormals=flush --round rne,rtz --jobs "$jobs"
} 2>&1 | tee "$log.tmp"
mv "$log.tmp" "$log"
end=$(date +%s)
diffs=$(awk '/^SUMMARY/ {s += $7} END {print s + 0}' "$log")
inputs=$(awk '/^SUMMARY/ {s += $4} END {printf "%.0f", s}' "$log")
echo "EXHAUSTIVE TOTAL: $inputs inputs checked, $diffs differences, $((end - start))s wall on $jobs jobs"
[ "$diffs" = 0 ]
