#!/bin/sh
# The main job: a conformance self-check of the reference against the MPFR oracle
# (sampled: every rounding boundary and its neighbours, every code value, all specials,
# seeded random inputs), written to OUT/selfcheck.txt.
set -eu
build=$1 out=$2
log="$out/selfcheck.txt"
tmp="$log.tmp.$$"
"$build/mxconform" prove --sample 200000 --sr-sample 20000 --max-print 5 >"$tmp" 2>&1 && rc=0 || rc=$?
mv "$tmp" "$log"
grep -E '^(SUMMARY|  DIFF)' "$log" || true
echo "full log: $log"
exit $rc
