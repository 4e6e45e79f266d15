#!/usr/bin/env python3
"""The example target (targets/example) passes its suites and is unsupported elsewhere.

    check_example_target.py MXCONFORM libmxtarget_example.so

It implements E2M1 decode and f32/bf16/f16/f64 -> E2M1 conversion under rne (sat, ovf), and
NVFP4 quantize, dequantize and dot: on the standard tier exactly those 16 suites must pass, every other suite must be
unsupported (not failed), and the run must exit 0. Standard library only.
"""
import fnmatch
import json
import os
import subprocess
import sys
import tempfile

SUPPORTED = ["decode.e2m1", "cvt.*.e2m1.rne.*", "nvfp4_quantize.*", "nvfp4_dequantize.*", "nvfp4_dot.*"]


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxconform, lib = argv[1:]
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxexample.") as tmp:
        results = os.path.join(tmp, "r.json")
        run = subprocess.run([mxconform, "run", "--target", "lib:" + lib, "--tier", "standard", "-q", "-o", results],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        print(run.stdout)
        if run.returncode != 0:
            problems.append("exit status %d, want 0" % run.returncode)
        with open(results) as f:
            r = json.load(f)
    passed = []
    for s in r["suites"]:
        supported = any(fnmatch.fnmatchcase(s["name"], g) for g in SUPPORTED)
        want = "pass" if supported else "unsupported"
        if s["status"] != want:
            problems.append("%s: %s, want %s" % (s["name"], s["status"], want))
        elif supported:
            passed.append(s["name"])
    if len(passed) != 16:
        problems.append("%d suites passed, want 16 (decode.e2m1 + 4 sources x sat/ovf + 7 NVFP4): %s"
                        % (len(passed), passed))
    if r["target"]["name"] != "mxtarget-example":
        problems.append("target name %r, want the library's own 'mxtarget-example'" % r["target"]["name"])
    for p in problems:
        print("FAILED: " + p)
    if not problems:
        print("passed: %s; %d suites unsupported" % (" ".join(passed), r["totals"]["unsupported"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
