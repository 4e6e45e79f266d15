#!/usr/bin/env python3
"""Run `mxconform run` on mutant targets and require that each bug is caught.

    check_mutants.py MXCONFORM MUTANT.so [EXPECT ...] [-- MORE RUN ARGS]

EXPECT is one of
    KNOB=VALUE     the bug is a legitimate alternative knob value: profile detection must
                   name it (a `detected_profile.diff` entry with that knob and detected
                   value) and explain every failure with its findings
                   (e.g. rule=ceil, or `cvt round=rne=rtz` for a cvt request not honoured)
    unexplained    the bug is no legitimate choice: detection must leave failures
                   unexplained (`detected_profile.matches` is false), never excuse it

Always: exit status 1 (failures found), verdict "fail", and at least one failed suite.
Standard library only. Exit status 0 when every expectation holds, 1 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def check(mxconform, lib, expects, extra):
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxmutant.") as tmp:
        results = os.path.join(tmp, "r.json")
        cmd = [mxconform, "run", "--target", "lib:" + lib, "--tier", "standard", "-q", "-o", results] + extra
        started = time.monotonic()
        run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        seconds = time.monotonic() - started
        summary = [line for line in run.stdout.splitlines() if line.strip().startswith(("suites", "profile:", "VERDICT"))]
        print("%s: exit %d in %.1fs" % (os.path.basename(lib), run.returncode, seconds))
        for line in summary:
            print("   " + line.strip())
        if run.returncode != 1:
            problems.append("exit status %d, want 1 (the bug was not caught)" % run.returncode)
            print(run.stdout[-2000:])
        if not os.path.exists(results):
            return problems + ["no results file written"]
        with open(results) as f:
            r = json.load(f)
    if r.get("verdict") != "fail":
        problems.append("verdict %r, want 'fail'" % r.get("verdict"))
    failed = [s["name"] for s in r["suites"] if s["status"] == "fail"]
    if not failed:
        problems.append("no suite has status 'fail'")
    else:
        print("   failed suites (%d): %s%s" % (len(failed), " ".join(failed[:6]), " ..." if len(failed) > 6 else ""))
    detected = r.get("detected_profile")
    if detected is None:
        return problems + ["no detected_profile in the results"]
    diff = [(d["knob"], d["detected_value"]) for d in detected["diff"]]
    for want in expects:
        if want == "unexplained":
            if detected["matches"] or detected["unexplained_failures"] == 0:
                problems.append("a bug was explained away as a profile: %s" % detected["summary"])
            continue
        knob, _, value = want.rpartition("=")
        if (knob, value) not in diff:
            problems.append("detection did not name %s = %s; it found: %s" % (knob, value, detected["summary"]))
        elif detected["unexplained_failures"]:
            problems.append("%s = %s found, but %d failures stay unexplained: %s"
                            % (knob, value, detected["unexplained_failures"], detected["summary"]))
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    mxconform, lib, expects = argv[1], argv[2], argv[3:]
    problems = check(mxconform, lib, expects, extra)
    for p in problems:
        print("FAILED: %s: %s" % (os.path.basename(lib), p))
    if not problems:
        print("caught: %s" % os.path.basename(lib))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
