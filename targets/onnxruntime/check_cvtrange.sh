#!/bin/sh
# ONNX Runtime's adapter on the sweeps' request, `cvtrange` (its own input and answer code,
# apart from `cvt` lines'): for each source (f32 without a copy, bf16 shifted, f16) a range
# answered by `cvtrange` must give the codes `cvt` lines give for the same inputs (448..510,
# the [480, 496) band and Inf/NaN included), and sweeps through it must match libmxref (the
# expected codes, proved equal to the oracle) where ORT has no finding: every bf16 input and
# 2^24 f32 inputs, E4M3 rne sat. Exit 77 (skip) where onnxruntime-node does not load.
#   check_cvtrange.sh MXCONFORM NODE
set -u
mxc=$1 node=$2
adapter="$(cd "$(dirname "$0")" && pwd)/mxtarget_onnxruntime.js"
fail() { echo "FAILED: $1"; exit 1; }
printf 'mxconform-protocol 1\nquit\n' | "$node" "$adapter" >/dev/null 2>&1 || { echo "SKIPPED: onnxruntime-node does not load"; exit 77; }

# ask SRC FIRST N: the cvtrange answer and the cvt answer of inputs FIRST..FIRST+N-1 (hex)
ask() {
  src=$1 first=$2 n=$3
  last=$(printf '%x' $((0x$first + n - 1)))
  vals=$(i=0; while [ $i -lt "$n" ]; do printf ' %x' $((0x$first + i)); i=$((i + 1)); done)
  printf 'mxconform-protocol 1\ncvtrange %s e4m3 rne ovf %s %s\ncvt %s e4m3 rne ovf %d%s\nquit\n' \
    "$src" "$first" "$last" "$src" "$n" "$vals" | "$node" "$adapter" 2>/dev/null | tail -n 2
}
for case in "f32 43e00000 48" "f32 3a7ffff0 32" "bf16 3f70 96" "f32 7f7ffff0 32" "f32 ff800000 8" "bf16 43e0 32" "bf16 7f70 32" "f16 5f00 64" "f16 3b00 96" "f16 fbf0 32"; do
  set -- $case
  out=$(ask "$1" "$2" "$3")
  range=$(echo "$out" | sed -n 1p) lines=$(echo "$out" | sed -n 2p)
  case "$range" in "ok "*) ;; *) fail "$case: cvtrange answered '$range'" ;; esac
  want=$(echo "$lines" | cut -d' ' -f2- | tr ' ' '\n' | awk '{printf "%02s", $1}' | tr ' ' 0)
  [ "${range#ok }" = "$want" ] || fail "$case: cvtrange '${range#ok }', cvt lines '$want'"
  echo "$case: cvtrange = cvt lines ($want)"
done

target="cmd:$node $adapter"
out=$("$mxc" sweep --op cvt.bf16.e4m3 --round rne --overflow sat --target "$target" 2>&1)
echo "$out"
echo "$out" | grep -q '65536 checked, 0 mismatches' || fail "every bf16 input through cvtrange"
out=$("$mxc" sweep --op cvt.f32.e4m3 --round rne --overflow sat --shard 63/256 --target "$target" 2>&1)
echo "$out"
echo "$out" | grep -q '16777216 checked, 0 mismatches' || fail "2^24 f32 inputs through cvtrange"
echo "passed"
