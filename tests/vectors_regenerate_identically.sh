#!/bin/sh
# The committed vector tiers are exactly what the generator writes: regenerate each into a
# temporary directory and require byte-identical files (and the same file list).
set -u
mx=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for tier in smoke standard; do
  "$mx" gen --tier "$tier" -o "$tmp/$tier" >/dev/null || { echo "gen --tier $tier failed"; exit 1; }
  if ! diff -r -q "$src/vectors/$tier" "$tmp/$tier"; then
    echo "FAILED: vectors/$tier differs from a fresh 'mxconform gen --tier $tier'"
    status=1
  else
    echo "vectors/$tier: $(ls "$tmp/$tier" | wc -l) files regenerate identically"
  fi
done
exit $status
