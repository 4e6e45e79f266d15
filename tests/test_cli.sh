#!/bin/sh
# The CLI's contract: good commands print what they promise; bad arguments print one line
# naming the problem and exit 2.
mx=$1
fail=0 pass=0
expect_status() { # want_status description command...
  want=$1 what=$2; shift 2
  out=$("$@" 2>&1); got=$?
  if [ "$got" != "$want" ]; then
    echo "FAILED: $what: exit $got, want $want: $*"; echo "$out" | head -5; fail=$((fail + 1))
  elif [ "$want" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" != 1 ]; then
    echo "FAILED: $what: error is not one line: $out"; fail=$((fail + 1))
  else pass=$((pass + 1)); fi
}
expect_output() { # pattern description command...
  pat=$1 what=$2; shift 2
  if "$@" 2>&1 | grep -q -- "$pat"; then pass=$((pass + 1)); else echo "FAILED: $what: no '$pat' in output of $*"; fail=$((fail + 1)); fi
}
expect_status 2 "no command" "$mx"
expect_status 2 "unknown command" "$mx" frobnicate
expect_status 2 "unknown format" "$mx" convert --from f32 --to e9m9 1
expect_status 2 "source as destination" "$mx" convert --from f32 --to f16 1
expect_status 2 "bad rounding" "$mx" convert --from f32 --to e4m3 --round nearest 1
expect_status 2 "bad overflow" "$mx" convert --from f32 --to e4m3 --overflow wrap 1
expect_status 2 "unknown knob" "$mx" convert --from f32 --to e4m3 --knob colour=red 1
expect_status 2 "bad knob value" "$mx" convert --from f32 --to e2m1 --knob nan_finite=purple 1
expect_status 2 "bad value" "$mx" convert --from f32 --to e4m3 12abc
expect_status 2 "bits too wide" "$mx" convert --from bf16 --to e4m3 0x3f800000
expect_status 2 "missing value" "$mx" convert --from f32 --to e4m3
expect_status 2 "missing option value" "$mx" convert --from f32 --to
expect_status 2 "decode without --fmt" "$mx" decode 0x7e
expect_status 2 "decode code too wide" "$mx" decode --fmt e2m1 0x10
expect_status 2 "bad shard" "$mx" prove --shard 3/2
expect_status 2 "f64 is not exhaustive" "$mx" prove --exhaustive --src f64
expect_status 0 "formats" "$mx" formats
expect_output "448" "formats shows E4M3 max" "$mx" formats
expect_output "0x1p-127" "decode e8m0 0x00 is 2^-127" "$mx" decode --fmt e8m0 0x00
expect_output "e4m3 0x7e 0x1.cp+8 (448)" "convert 464 -> 448" "$mx" convert --from f32 --to e4m3 --impl both 464
expect_output "e4m3 0x7f NaN" "convert 465 ovf -> NaN" "$mx" convert --from f32 --to e4m3 --overflow ovf 465
expect_output "e8m0 0x81" "convert 3.0 to e8m0 ties up" "$mx" convert --from f32 --to e8m0 --round rna 3.0
expect_output "int8 0x80" "convert -2 to int8" "$mx" convert --from f32 --to int8 -2
expect_output "e2m1 0x4" "convert 2.5 to e2m1 ties to even" "$mx" convert --from f32 --to e2m1 2.5
expect_status 0 "decode --all" "$mx" decode --fmt e2m1 --all
# -nan keeps its sign (MPFR's NaN has none: the sign is the text's)
expect_output "f32 0xffc00000" "-nan is the negative quiet NaN" "$mx" convert --from f32 --to e4m3 -nan
expect_output "f32 0x7fc00000" "nan is the positive quiet NaN" "$mx" convert --from f32 --to e4m3 nan
expect_output "bf16 0xffc0" "-nan in bf16" "$mx" convert --from bf16 --to e5m2 -nan
# numeric options that do not fit are errors, never saturated to 2^64-1
expect_status 2 "prove --sample overflows" "$mx" prove --sample 99999999999999999999999
expect_status 2 "prove --seed overflows" "$mx" prove --seed 99999999999999999999999
expect_status 2 "prove --shard overflows" "$mx" prove --shard 1/99999999999999999999999
expect_status 2 "sweep --show overflows" "$mx" sweep --op cvt.f16.e4m3 --show 99999999999999999999999
expect_status 2 "convert --sr-random past 32 bits" "$mx" convert --from f32 --to e4m3 --round sr --sr-random 0x100000000 1
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
