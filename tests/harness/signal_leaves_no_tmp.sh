#!/bin/sh
# A signal while run writes its results leaves no *.tmp.PID file behind.
#   signal_leaves_no_tmp.sh MXCONFORM FIXTURE_DIR
# run writes results.json through results.json.tmp.PID, then renames it. To stop it exactly
# there, the temporary name is made a FIFO before run starts (exec keeps the shell's PID,
# so the name is known): opening it for writing blocks until SIGTERM arrives. The FIFO is
# the temporary file; it must be gone when run has died of the signal.
mx=$1 data=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxsigtmp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for sig in TERM HUP; do # (INT: ignored by a background job of sh)
  sh -c 'mkfifo "$1/r.json.tmp.$$" && exec "$2" run --vectors "$3" -q -o "$1/r.json"' sh "$tmp" "$mx" "$data" \
    >/dev/null 2>&1 &
  pid=$!
  i=0 # until run sits in the open of its temporary file (at most 20 s)
  while [ $i -lt 200 ] && [ "$(cat "/proc/$pid/wchan" 2>/dev/null)" != wait_for_partner ]; do sleep 0.1; i=$((i + 1)); done
  [ $i -lt 200 ] || sleep 2 # no wchan to read here: give it time
  kill -$sig $pid
  i=0
  while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  left=$(ls "$tmp" | grep -c '\.tmp\.' )
  if [ "$left" = 0 ] && [ ! -e "$tmp/r.json" ]; then
    echo "ok: SIG$sig while writing: no temporary file, no results file"
  else
    echo "FAILED: SIG$sig while writing left: $(ls "$tmp")"; fail=1
  fi
  rm -f "$tmp"/*
done
exit $fail
