#!/bin/sh
# The cvtrange path of `mxconform sweep` on a cmd: target (fake_range_target.py: plumbing,
# NumPy only): every bf16 input checked through ranged requests, the one refused input
# (low 16 bits 0x1234) counted as refused and not as a crash, and --show N above what is
# kept says that it capped. Exit 77 (skip) without NumPy.
#   check_ranged.sh MXCONFORM PYTHON
set -u
mxc=$1 py=$2
here=$(cd "$(dirname "$0")" && pwd)
"$py" -c 'import numpy' 2>/dev/null || { echo "SKIPPED: $py has no numpy"; exit 77; }
out=$("$mxc" sweep --op cvt.bf16.e8m0 --round rtz --overflow ovf --show 100 \
      --target "cmd:$py $here/fake_range_target.py" 2>&1)
rc=$?
echo "$out"
fail() { echo "FAILED: $1"; exit 1; }
[ $rc = 1 ] || fail "exit $rc, want 1 (mismatches)"
echo "$out" | grep -q '65536 checked' || fail "not every bf16 input was checked"
echo "$out" | grep -q '^  1 inputs refused by the target' || fail "the refused input is not counted as refused"
echo "$out" | grep -q 'crashed or hung' && fail "a refusal was counted as a crash"
echo "$out" | grep -q '0x1234: expected 0x[0-9a-f]*, target 0x200' || fail "the refused input is not listed with actual 0x200"
echo "$out" | grep -q -- '--show 100: only the first 64 mismatches are kept' || fail "--show 100 did not say it capped"
# 2^20 f32 inputs in one ranged line reach the backend in 16 slices of 2^16 (mxproto
# range_chunk), one refused input in each: every refusal kept in its place
list=$(mktemp)
trap 'rm -f "$list"' EXIT
out=$("$mxc" sweep --op cvt.f32.e8m0 --round rtz --overflow ovf --shard 7/4096 --list "$list" \
      --target "cmd:$py $here/fake_range_target.py" 2>&1)
echo "$out" | head -n 3
echo "$out" | grep -q '1048576 checked' || fail "not every f32 input of the shard was checked"
echo "$out" | grep -q '^  16 inputs refused by the target' || fail "the 16 refusals of 16 slices are not all counted"
[ "$(grep -c ' 200$' "$list")" = 16 ] && [ "$(grep ' 200$' "$list" | cut -c1-8 | tr '\n' ' ')" = "$(for i in $(seq 112 127); do printf '%04x1234 ' $i; done)" ] ||
  fail "the refusals are not each at its input xxxx1234 (sweep --list)"
# 2^23 f32 inputs = 8 ranged lines: the first alone, then 4 and 3 sent ahead while the
# harness compares (target_ranged.c); a correct NumPy converter gives 0 mismatches
out=$("$mxc" sweep --op cvt.f32.e2m1 --round rtz --overflow sat --shard 3/512 \
      --target "cmd:$py $here/../mxtarget_numpy_e2m1.py" 2>&1)
echo "$out"
echo "$out" | grep -q '8388608 checked, 0 mismatches' || fail "the pipelined f32 ranges did not all match"
echo "passed"
