#!/bin/sh
# make exhaustive: every f32 input (2^32) for every element format x rounding (rne rna
# rtz rup rdn) x overflow (sat ovf), plus every bf16 and f16 input, reference vs oracle,
# then the non-default knob values (int8_range=symmetric, src_subnormals=flush) — once per
# libmxref code path this CPU runs (scalar, avx2). The block proofs: all 2^32 f32 amax per
# format x rule (the scale rule has one implementation, so once), and 10^6 random f32 blocks
# per format x rule per path, every one compared with the oracle's quantize directly.
# Prints each combination, the totals and the wall time; OUT/exhaustive.txt keeps the log.
# MXC_EXHAUSTIVE_PATHS="scalar" (or "avx2") limits the paths.
set -eu
build=$1 out=$2 jobs=$3
log="$out/exhaustive.txt"
mxc="$build/mxconform"
paths=""
for p in ${MXC_EXHAUSTIVE_PATHS:-scalar avx2}; do
  if "$mxc" prove --path "$p" --op decode >/dev/null 2>&1; then paths="$paths $p"
  else echo "exhaustive: path $p not supported on this CPU, skipped"; fi
done
start=$(date +%s)
{
  first=1
  for p in $paths; do
    echo "== libmxref path $p"
    "$mxc" prove --path "$p" --exhaustive --op decode --jobs "$jobs"
    "$mxc" prove --path "$p" --exhaustive --op convert --src f32,bf16,f16 --jobs "$jobs"
    if [ $first = 1 ]; then
      "$mxc" prove --path "$p" --exhaustive --op blocks --sample 10000000 --jobs "$jobs"
      first=0
    else
      "$mxc" prove --path "$p" --op quantize --sample 10000000 --jobs "$jobs"
    fi
    "$mxc" prove --path "$p" --exhaustive --op convert --src f32,bf16,f16 --to int8 --knob int8_range=symmetric --jobs "$jobs"
    "$mxc" prove --path "$p" --exhaustive --op convert --src f32,bf16,f16 --knob src_subnormals=flush --round rne,rtz --jobs "$jobs"
    echo "== path $p done after $(( $(date +%s) - start ))s"
  done
} 2>&1 | tee "$log.tmp"
mv "$log.tmp" "$log"
end=$(date +%s)
diffs=$(awk '/^SUMMARY/ {s += $7} END {print s + 0}' "$log")
inputs=$(awk '/^SUMMARY/ {s += $4} END {printf "%.0f", s}' "$log")
echo "EXHAUSTIVE TOTAL (paths:$paths): $inputs inputs checked, $diffs differences, $((end - start))s wall on $jobs jobs"
[ "$diffs" = 0 ]
