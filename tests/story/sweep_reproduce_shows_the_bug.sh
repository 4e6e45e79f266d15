#!/bin/sh
# A sweep's mismatch lines end with a reproduce command; it runs the same target on that
# input and shows the wrong answer (exit 1, DIFFERENT).
# usage: sweep_reproduce_shows_the_bug.sh MXCONFORM TARGET_SPEC OP [SWEEP OPTIONS...]
mxc=$1 target=$2 op=$3
shift 3
out=$("$mxc" sweep --op "$op" --show 2 --target "$target" "$@")
st=$?
echo "$out"
[ $st = 1 ] || { echo "sweep exit $st, expected 1"; exit 1; }
line=$(echo "$out" | grep -m1 'reproduce: ' | sed 's/.*reproduce: //')
case "$line" in "mxconform convert --target "*) ;; *) echo "reproduce line '$line'"; exit 1 ;; esac
rep=$(eval "\"\$mxc\" ${line#mxconform }")
st=$?
echo "$rep"
[ $st = 1 ] && echo "$rep" | grep -q '^DIFFERENT' || { echo "the reproduce command did not show the bug (exit $st)"; exit 1; }
