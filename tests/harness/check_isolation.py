#!/usr/bin/env python3
"""A target that crashes, hangs or lies on one input is contained and the input named.

    check_isolation.py MXCONFORM TARGET-SPEC STATUS

TARGET-SPEC (lib:... or cmd:...) misbehaves on the f32 input 0x43e80000 converted to E4M3
(tests/harness/misbehaving_target.c). STATUS is what results.json must call it: crash,
timeout or protocol-error. The run covers cvt.f32.e4m3.rne.ovf, cvt.bf16.e4m3.rne.sat and
decode.e4m3; only cvt.f32.e4m3.rne.ovf holds that input (every f32 -> e4m3 suite but sr has
464 now, the midpoint of the overflow band's first interval). Required:
  * the run finishes (within a bound), exit status 1, verdict "fail";
  * cvt.f32.e4m3.rne.ovf has STATUS, exactly one case counted as STATUS, and its failure
    list names input 0x43e80000 with actual/status STATUS; every other case of it passed;
  * the other suites pass.
Standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

POISON = "0x43e80000"
POISONED_SUITE = "cvt.f32.e4m3.rne.ovf"
SUITES = "cvt.bf16.e4m3.rne.sat,cvt.f32.e4m3.rne.ovf,decode.e4m3"
COUNTER = {"crash": "crashed", "timeout": "timed_out", "protocol-error": "protocol_errors"}
# Narrowing a 1024-case batch down to one case times out about 11 times at --timeout 1.
TIME_LIMIT_S = 60


def main(argv):
    if len(argv) != 4 or argv[3] not in COUNTER:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxconform, spec, status = argv[1:]
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxisolation.") as tmp:
        results = os.path.join(tmp, "r.json")
        cmd = [mxconform, "run", "--target", spec, "--suites", SUITES, "--timeout", "1", "-o", results]
        started = time.monotonic()
        try:
            run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                 timeout=TIME_LIMIT_S)
        except subprocess.TimeoutExpired:
            print("FAILED: the run did not finish within %d s: %s" % (TIME_LIMIT_S, " ".join(cmd)))
            return 1
        print(run.stdout)
        print("exit %d in %.1fs" % (run.returncode, time.monotonic() - started))
        if run.returncode != 1:
            problems.append("exit status %d, want 1" % run.returncode)
        if not os.path.exists(results):
            problems.append("no results file")
            r = {"suites": []}
        else:
            with open(results) as f:
                r = json.load(f)
    if r.get("verdict") != "fail":
        problems.append("verdict %r, want 'fail'" % r.get("verdict"))
    by_name = {s["name"]: s for s in r["suites"]}
    for name in SUITES.split(","):
        s = by_name.get(name)
        if s is None:
            problems.append("%s missing from the results" % name)
            continue
        if name != POISONED_SUITE:
            if s["status"] != "pass":
                problems.append("%s: status %s, want pass (only one input misbehaves)" % (name, s["status"]))
            continue
        if s["status"] != status:
            problems.append("%s: status %s, want %s" % (name, s["status"], status))
        if s.get(COUNTER[status]) != 1:
            problems.append("%s: %s = %r, want exactly 1 (the input narrowed down)" % (name, COUNTER[status], s.get(COUNTER[status])))
        if s["passed"] != s["cases"] - 1:
            problems.append("%s: %d of %d cases passed, want all but one" % (name, s["passed"], s["cases"]))
        named = [f for f in s["failures"] if f["input"] == POISON]
        if not named:
            problems.append("%s: no failure names input %s: %s" % (name, POISON, s["failures"][:3]))
        elif named[0].get("status") != status or named[0].get("actual") != status:
            problems.append("%s: input %s reported as %s" % (name, POISON, named[0]))
        else:
            print("%s: input %s reported as %s" % (name, POISON, status))
    for p in problems:
        print("FAILED: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
