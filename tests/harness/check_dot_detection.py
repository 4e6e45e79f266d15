#!/usr/bin/env python3
"""run's dot detection fits what `probe dot` fits, from the dot suites' answers.

    check_dot_detection.py MXCONFORM LIB.so WORD

LIB computes DotGeneral under a legitimate accumulation model that is no preset (exact
value rounded toward zero once; or FP32 subnormal results flushed). Required: exit 1, and
detected_profile names a dot model containing WORD ("final=rtz", "subnormal=flush") with
no unexplained failure; every failure's explained_by names it. When the dot vectors hold
no case that tells the model from exact-rne (the run passes), exit 77 (skipped).
"""
import json
import os
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxconform, lib, word = argv[1:]
    with tempfile.TemporaryDirectory(prefix="mxdotdetect.") as tmp:
        out = os.path.join(tmp, "r.json")
        run = subprocess.run([mxconform, "run", "--target", "lib:" + lib, "--suites", "dot.*", "-q", "-o", out],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=240)
        print(run.stdout[-1500:])
        with open(out) as f:
            r = json.load(f)
    if run.returncode == 0 and r["verdict"] == "pass":
        print("SKIPPED: no dot vector tells this model from exact-rne")
        return 77
    problems = []
    if run.returncode != 1:
        problems.append("exit %d, want 1" % run.returncode)
    d = r.get("detected_profile", {})
    if d.get("unexplained_failures") != 0:
        problems.append("%r unexplained failures" % d.get("unexplained_failures"))
    models = [x for x in d.get("diff", []) if x["knob"] == "dot_model"]
    if not models or word not in models[0]["detected_value"]:
        problems.append("no dot_model naming %s: %s" % (word, d.get("summary")))
    for s in r["suites"]:
        for fl in s["failures"]:
            if word not in fl.get("explained_by", ""):
                problems.append("%s: failure %s not explained by the fitted model" % (s["name"], fl["input"][:40]))
                break
    for p in problems:
        print("FAILED: " + p)
    if not problems:
        print("named: " + d["summary"])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
