#!/bin/sh
# The Python process target (targets/python/mxtarget_simple.py) passes the suites it
# implements, exactly as its README runs it, and answers `unsupported` to the rest.
# Exit 77 (CTest: skipped) where there is no python3 on PATH: the target is started with
# the first python3 there, as a user would.
#   python_target.sh MXCONFORM SCRIPT
mx=$1 script=$2
command -v python3 >/dev/null 2>&1 || { echo "no python3 on PATH: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxpython.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
suites='decode.e2m1,decode.e4m3,cvt.*.e2m1.rne.*,cvt.*.e4m3.rne.*'

"$mx" run --target "cmd:python3 $script" --suites "$suites" -o "$tmp/its.json"
st=$?
[ "$st" = 0 ] || { echo "FAILED: its suites: exit $st, want 0"; exit 1; }
# The whole standard tier: everything else unsupported, nothing failed.
"$mx" run --target "cmd:python3 $script" --tier standard -q -o "$tmp/all.json"
st=$?
[ "$st" = 0 ] || { echo "FAILED: standard tier: exit $st, want 0"; exit 1; }

python3 - "$tmp/its.json" "$tmp/all.json" <<'PY'
import json, sys
its, everything = (json.load(open(p)) for p in sys.argv[1:3])
problems = []
t = its["totals"]
# decode e2m1 and e4m3, 4 sources x 2 formats x sat/ovf
if (t["suites"], t["pass"]) != (18, 18):
    problems.append("its suites: %d of %d passed, want 18 of 18" % (t["pass"], t["suites"]))
if its["target"]["name"] != "mxtarget-simple":
    problems.append("target name %r" % its["target"]["name"])
t = everything["totals"]
if t["pass"] != 18 or t["unsupported"] != t["suites"] - 18:
    problems.append("standard tier: %d passed, %d unsupported of %d" % (t["pass"], t["unsupported"], t["suites"]))
for p in problems:
    print("FAILED: " + p)
sys.exit(1 if problems else 0)
PY
