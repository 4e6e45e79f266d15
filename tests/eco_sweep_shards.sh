#!/bin/sh
# A sweep split into 4 shards by an existing engine, then merged, counts the same as the
# unsharded sweep. ENGINE: parallel (GNU parallel on this machine; skipped, exit 77, when
# absent) or slurm (scripts/slurm_sweep.sbatch run once per array task, with
# SLURM_ARRAY_TASK_ID set as Slurm would).  usage: eco_sweep_shards.sh ENGINE MXCONFORM SRC_DIR TARGET
set -eu
engine=$1 mxc=$2 src=$3 target=$4
op=cvt.bf16.e4m3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case $engine in
parallel)
  if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "GNU parallel not installed (Debian: apt-get install parallel); skipped"
    exit 77
  fi
  # exit status 1 (mismatches found) is the expected outcome of each shard
  parallel --will-cite -j 2 "'$mxc' sweep --op $op --target '$target' --shard {}/4 -o '$tmp/shard-{}.json' >/dev/null; [ \$? -le 1 ]" ::: 0 1 2 3
  ;;
slurm)
  for k in 1 2 3 4; do # --array=1-4: the shard is the task id minus the array's first id
    SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=4 MXCONFORM=$mxc \
      sh "$src/scripts/slurm_sweep.sbatch" $op "$target" "$tmp" >/dev/null || [ $? = 1 ]
  done
  ;;
*) echo "unknown engine $engine" >&2; exit 2 ;;
esac

ls "$tmp"/shard-0.json "$tmp"/shard-1.json "$tmp"/shard-2.json "$tmp"/shard-3.json >/dev/null
"$mxc" merge "$tmp"/shard-*.json -o "$tmp/all.json"
"$mxc" sweep --op $op --target "$target" -o "$tmp/whole.json" >/dev/null || [ $? = 1 ]
python3 - "$tmp/all.json" "$tmp/whole.json" <<'PY'
import json, sys
m, w = (json.load(open(p)) for p in sys.argv[1:3])
assert m["totals"] == w["totals"], (m["totals"], w["totals"])
assert m["verdict"] == w["verdict"]
assert len(m["suites"]) == len(w["suites"]) == 1
a, b = m["suites"][0], w["suites"][0]
for k in ("name", "status", "cases", "passed", "failed", "mismatches_by_class"):
    assert a[k] == b[k], (k, a[k], b[k])
assert a["cases"] == 1 << 16 and a["failed"] > 0, "the target must disagree somewhere"
assert a["ranges"] == [["0x0000", "0x4000"], ["0x4000", "0x8000"], ["0x8000", "0xc000"], ["0xc000", "0x10000"]], a["ranges"]
got = {f["input"] for f in a["failures"]}
first = [f["input"] for f in b["failures"]]
assert first and set(first[:1]) <= got, "the whole sweep's first failure is among the shards'"
print("4 shards merged == unsharded sweep: %d inputs, %d mismatches" % (a["cases"], a["failed"]))
PY
