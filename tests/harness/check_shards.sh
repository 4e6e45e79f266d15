#!/bin/sh
# run --shard i/n: the n shards of a selection are disjoint, cover it exactly once, follow
# the documented rule (suites sorted by name, number k goes to shard k mod n), and each
# results.json says {"shard": {"index": i, "count": n}}. An empty shard is exit 2.
#   check_shards.sh MXCONFORM
mx=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxshards.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
sel='cvt.f32.e4m3.*,decode.*'
names() { grep -o '^    {"name": "[^"]*"' "$1" | sed 's/.*"name": "//; s/"$//'; }
"$mx" run --tier smoke --suites "$sel" -q -o "$tmp/all.json" >/dev/null || { echo "FAILED: the whole run"; exit 1; }
names "$tmp/all.json" | sort >"$tmp/all"
: >"$tmp/union"
for i in 0 1 2; do
  "$mx" run --tier smoke --suites "$sel" --shard $i/3 -q -o "$tmp/s$i.json" >/dev/null || { echo "FAILED: shard $i/3"; fail=1; }
  grep -q "\"shard\": {\"index\": $i, \"count\": 3}" "$tmp/s$i.json" || { echo "FAILED: shard $i/3 not recorded"; fail=1; }
  names "$tmp/s$i.json" >>"$tmp/union"
  # the rule: sorted names, every 3rd from number i
  awk -v i=$i 'NR % 3 == (i + 1) % 3' "$tmp/all" >"$tmp/want$i"
  names "$tmp/s$i.json" | sort | cmp -s - "$tmp/want$i" || { echo "FAILED: shard $i/3 does not hold suites k = $i mod 3"; fail=1; }
done
sort "$tmp/union" | cmp -s - "$tmp/all" || { echo "FAILED: the shards do not cover the selection exactly once"; fail=1; }
n=$(wc -l <"$tmp/all")
"$mx" run --tier smoke --suites decode.e4m3 --shard 1/2 -q >/dev/null 2>"$tmp/err"
st=$?
[ "$st" = 2 ] && grep -q "is empty" "$tmp/err" || { echo "FAILED: an empty shard: exit $st"; fail=1; }
[ $fail = 0 ] && echo "ok: 3 shards of $n suites: disjoint, complete, by the documented rule"
exit $fail
