#!/bin/sh
# No target process outlives its run: every target runs in its own process group, which a
# timeout, a crash and the end of the run kill whole; the harness's children die with it.
#
#   no_orphans.sh MXCONFORM LIBHANG.so
#
# Each case gives its processes a unique marker on their command line, then counts the
# processes still carrying it (bounded waits). Zero, every time:
#   1. a `cmd:` target that answers the handshake, then hangs (its real program is a
#      grandchild of the harness, under `sh -c`);
#   2. a `cmd:` target that never answers the handshake (target unusable, exit 3);
#   3. a healthy `cmd:` target whose grandchild keeps the pipe open past the end of the run;
#   4. `kill -9` of the harness while its `serve --lib` child is in a library call that
#      never returns.
mxc=$1
libhang=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxorphans.XXXXXX") || exit 1
fail=0
mark=$$
# sleep durations that no other process on the machine uses: the marker
m1=91${mark}1 m2=91${mark}2 m3=91${mark}3

count() { # processes whose command line contains $1 (not this shell, not pgrep)
  pgrep -f -- "$1" 2>/dev/null | grep -v "^$$\$" | wc -l
}

# wait up to 5 s for no process to carry marker $2; report case $1
expect_none() {
  i=0
  while [ "$(count "$2")" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  n=$(count "$2")
  if [ "$n" = 0 ]; then
    echo "ok: $1: no process left"
  else
    echo "FAILED: $1: $n process(es) left:"; ps -eo pid,pgid,ppid,args | grep -- "$2" | grep -v grep
    pkill -9 -f -- "$2" 2>/dev/null
    fail=$((fail + 1))
  fi
}

command -v pgrep >/dev/null 2>&1 || { echo "SKIP: no pgrep"; exit 77; }

# 1. hangs after the handshake: every request times out
"$mxc" run --target "cmd:echo ok hang 1; sleep $m1" --suites decode.e2m1 --timeout 0.1 -q >"$tmp/out1" 2>&1
st=$?
[ "$st" = 1 ] || { echo "FAILED: hung target: exit $st, want 1"; cat "$tmp/out1"; fail=$((fail + 1)); }
expect_none "hung cmd: target (timeouts)" "sleep $m1"

# 2. never answers the handshake
"$mxc" run --target "cmd:sleep $m2" --suites decode.e2m1 --timeout 0.2 -q >"$tmp/out2" 2>&1
st=$?
[ "$st" = 3 ] || { echo "FAILED: silent target: exit $st, want 3"; fail=$((fail + 1)); }
expect_none "cmd: target that never answers" "sleep $m2"

# 3. a grandchild holds the pipe (its stdout) open after the target itself has quit
"$mxc" run --target "cmd:sleep $m3 & exec \"$mxc\" serve --reference" --suites decode.e2m1 -q >"$tmp/out3" 2>&1
st=$?
[ "$st" = 0 ] || { echo "FAILED: grandchild target: exit $st, want 0"; cat "$tmp/out3"; fail=$((fail + 1)); }
expect_none "grandchild holding the pipe" "sleep $m3"

# 4. kill -9 of the harness during a library call that never returns; the library under a
# unique path is the marker of its serve child
lib="$tmp/libhang_$mark.so"
cp "$libhang" "$lib"
"$mxc" run --target "lib:$lib" --suites cvt.f32.e4m3.rne.ovf --timeout 600 -q >"$tmp/out4" 2>&1 &
harness=$!
i=0 # wait (at most 10 s) for the serve child to be stuck in its call
while [ "$(count "serve --lib $lib")" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
if [ "$(count "serve --lib $lib")" = 0 ]; then
  echo "FAILED: kill -9: the serve child never started"; fail=$((fail + 1))
fi
kill -9 $harness 2>/dev/null
wait $harness 2>/dev/null
expect_none "kill -9 of the harness during a hung serve --lib call" "$lib"

# 5. serve on its own: its input closes while a library call hangs; it leaves by itself
{ echo "mxconform-protocol 1"; echo "cvt f32 e4m3 rne ovf 1 43e80000"; } | "$mxc" serve --lib "$lib" >/dev/null 2>&1 &
expect_none "serve whose input closed during a call that never returns" "$lib"

rm -rf "$tmp"
[ $fail = 0 ] && echo "all cases: zero processes left"
exit $((fail != 0))
