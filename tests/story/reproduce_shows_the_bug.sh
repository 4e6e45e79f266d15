#!/bin/sh
# A run against a wrong target writes, for every failure, a reproduce command; run the first
# few of them and require that each shows the wrong answer: exit 1 and a DIFFERENT verdict,
# with --target on the line (the target itself, not the oracle alone).
# usage: reproduce_shows_the_bug.sh MXCONFORM TARGET_SPEC SUITE_GLOB
mxc=$1 target=$2 suites=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$mxc" run --tier smoke --suites "$suites" --target "$target" -q -o "$tmp/r.json" >"$tmp/run.out" 2>&1
st=$?
[ $st = 1 ] || { echo "run exit $st, expected 1"; cat "$tmp/run.out"; exit 1; }
# the "reproduce" strings of results.json (written by mxconform: no '"' inside)
grep -o '"reproduce": "[^"]*"' "$tmp/r.json" | sed 's/^"reproduce": "//; s/"$//; s/\\\\/\\/g' | head -n 3 >"$tmp/lines"
[ -s "$tmp/lines" ] || { echo "no reproduce line in results.json"; exit 1; }
n=0
while IFS= read -r line; do
  n=$((n + 1))
  echo "reproduce: $line"
  case "$line" in
  "mxconform "*" --target "*) ;;
  *) echo "not a target-running command"; exit 1 ;;
  esac
  # run it with this build's binary in place of the installed one
  eval "\"\$mxc\" ${line#mxconform }" >"$tmp/out" 2>&1
  st=$?
  cat "$tmp/out"
  [ $st = 1 ] || { echo "reproduce exit $st, expected 1"; exit 1; }
  grep -q '^DIFFERENT' "$tmp/out" || { echo "no DIFFERENT verdict"; exit 1; }
done <"$tmp/lines"
echo "$n reproduce commands show the wrong answer"
