#!/bin/sh
# No vector file holds the same case twice (issue 19: a duplicate is reported twice when it
# fails and overstates the coverage). A case is its input columns: every column but the
# expected output(s) (two for quantize: scale and codes).
#   vectors_hold_each_case_once.sh VECTORS_DIR   (every tier under it)
set -u
dir=$1
status=0
files=0
for f in "$dir"/*/*.mxv; do
  files=$((files + 1))
  dups=$(awk '
    /^# op: / { op = $3 }
    /^# columns: / { nin = NF - 2 - (op == "quantize" ? 2 : 1); next }
    /^#/ { next }
    { key = $1; for (i = 2; i <= nin; i++) key = key " " $i; if (seen[key]++) { n++; if (n <= 3) print "  " key } }
    END { if (n) print n " duplicate cases" }' "$f")
  if [ -n "$dups" ]; then
    echo "FAILED: $f:"
    echo "$dups"
    status=1
  fi
done
[ "$files" -gt 0 ] || { echo "no vector files under $dir"; exit 1; }
[ $status = 0 ] && echo "$files vector files: every case once"
exit $status
