#!/bin/sh
# Progress of long work goes to standard error: plain periodic lines off a terminal, one
# line rewritten in place (CR, erase line) on a terminal, nothing with -q, nothing for short
# work by default; standard output never carries it. MXC_PROGRESS / MXC_PROGRESS_INTERVAL
# force the mode and the pace so that a test of seconds sees lines.  usage: eco_progress.sh MXCONFORM
set -u
mxc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "progress: $*" >&2; exit 1; }
esc=$(printf '\033')
cr=$(printf '\r')

MXC_PROGRESS=plain MXC_PROGRESS_INTERVAL=0 "$mxc" sweep --op cvt.bf16.e4m3 >"$tmp/out" 2>"$tmp/err" || fail "sweep failed"
grep -q '^cvt.bf16.e4m3: [0-9.k]*/65.5k inputs ([0-9.]*%), [0-9.kM]*/s, ETA [0-9hms]*$' "$tmp/err" || fail "no plain progress lines: $(head -3 "$tmp/err")"
tail -n 1 "$tmp/err" | grep -q '65.5k/65.5k inputs (100.0%), .* took ' || fail "no closing line"
[ "$(wc -l <"$tmp/err")" -gt 10 ] || fail "too few plain lines"
grep -q 'ETA' "$tmp/out" && fail "progress on standard output"

MXC_PROGRESS=tty MXC_PROGRESS_INTERVAL=0 "$mxc" sweep --op cvt.bf16.e4m3 >/dev/null 2>"$tmp/err" || fail "sweep failed"
grep -q "${cr}${esc}\[Kcvt.bf16.e4m3: " "$tmp/err" || fail "no rewritten terminal line"
[ "$(wc -l <"$tmp/err")" = 0 ] || fail "a terminal progress line ended with a newline"
[ "$(tail -c 4 "$tmp/err")" = "${cr}${esc}[K" ] || fail "the terminal line is not cleared at the end"

for quiet in "-q" ""; do # -q: nothing; by default off a terminal: nothing for work under 30 s
  MXC_PROGRESS_INTERVAL= "$mxc" sweep --op cvt.bf16.e4m3 $quiet >/dev/null 2>"$tmp/err"
  [ -s "$tmp/err" ] && fail "sweep $quiet printed progress: $(head -c 200 "$tmp/err")"
done
MXC_PROGRESS=plain MXC_PROGRESS_INTERVAL=0 "$mxc" sweep --op cvt.bf16.e4m3 -q >/dev/null 2>"$tmp/err"
[ -s "$tmp/err" ] && fail "-q did not silence a forced progress"

MXC_PROGRESS=plain MXC_PROGRESS_INTERVAL=0 "$mxc" prove --op convert --src bf16 --to e2m1 --exhaustive >"$tmp/out" 2>"$tmp/err" || fail "prove failed"
grep -q '^prove --exhaustive: 1/10 combinations (10.0%)' "$tmp/err" || fail "prove --exhaustive: no progress"
MXC_PROGRESS=plain MXC_PROGRESS_INTERVAL=0 "$mxc" prove --op convert --src bf16 --to e2m1 --exhaustive -q >/dev/null 2>"$tmp/err"
[ -s "$tmp/err" ] && fail "prove -q printed progress"

MXC_PROGRESS=plain MXC_PROGRESS_INTERVAL=0 "$mxc" probe dot --target reference --confirm 6000 >/dev/null 2>"$tmp/err" || fail "probe failed"
grep -q '^probe dot: confirm: 6k/6k DotGenerals (100.0%)' "$tmp/err" || fail "probe dot: no progress"
MXC_PROGRESS=plain MXC_PROGRESS_INTERVAL=0 "$mxc" probe dot --target reference --confirm 6000 -q >/dev/null 2>"$tmp/err"
[ -s "$tmp/err" ] && fail "probe dot -q printed progress"
echo "progress: plain lines, a rewritten terminal line, silence with -q (sweep, prove --exhaustive, probe dot)"
