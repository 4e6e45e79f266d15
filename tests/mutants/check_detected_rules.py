#!/usr/bin/env python3
"""A conditional value found by `run` is one a profile can hold: run again under it, the run passes.

    check_detected_rules.py MXCONFORM MUTANT.so SUITES RULE...

Runs the mutant on the smoke tier's SUITES (a --suites list) under ocp and requires: exit 1; every RULE
("e8m0_zero = nan when overflow=ovf") among detected_profile.rules and named by the summary;
nothing unexplained. Then the three ways out it offers must each make the same run pass (exit 0):
detected_profile.profile_file written to a file, the file `run --write-profile` wrote, and the
profile file that `mxconform explain` tells the reader to write (its `printf ... > my.profile`
line, run by sh). Standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, cwd=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, cwd=cwd)
    return p.returncode, p.stdout


def main(argv):
    if len(argv) < 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxc, lib, suites, rules = argv[1], argv[2], argv[3], argv[4:]
    base = [mxc, "run", "--target", "lib:" + lib, "--tier", "smoke", "--suites", suites, "-q"]
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxrules.") as tmp:
        results = os.path.join(tmp, "r.json")
        wrote = os.path.join(tmp, "wrote.profile")
        rc, out = run(base + ["-o", results, "--write-profile", wrote])
        if rc != 1:
            print(out)
            return fail(["the run under ocp exited %d, want 1" % rc])
        dp = json.load(open(results))["detected_profile"]
        print("detected: %s" % dp["summary"])
        for rule in rules:
            if rule not in dp.get("rules", []):
                problems.append("detected_profile.rules lacks %r: %s" % (rule, dp.get("rules")))
            if rule not in dp["summary"]:
                problems.append("the summary does not name %r" % rule)
        if dp["unexplained_failures"]:
            problems.append("%d failures unexplained" % dp["unexplained_failures"])
        # way out 1: the profile file of results.json
        written = os.path.join(tmp, "detected.profile")
        with open(written, "w") as f:
            f.write(dp.get("profile_file", ""))
        rc, out = run(base + ["--profile", written])
        if rc != 0:
            problems.append("under detected_profile.profile_file the run exits %d, want 0:\n%s" % (rc, out[-1500:]))
        # way out 2: run --write-profile
        rc, out = run(base + ["--profile", wrote])
        if rc != 0:
            problems.append("under run --write-profile's file the run exits %d, want 0:\n%s" % (rc, out[-1500:]))
        # way out 3: the profile file the story says to write
        rc, story = run([mxc, "explain", results])
        line = [l.strip() for l in story.splitlines() if l.strip().startswith("printf ")]
        if not line or " > my.profile" not in line[0]:
            problems.append("explain prints no profile file to write:\n%s" % story[-1500:])
        else:
            for rule in rules:
                if rule not in line[0]:
                    problems.append("explain's profile file lacks %r: %s" % (rule, line[0]))
            rc, out = run(["sh", "-c", line[0].split(" && ")[0]], cwd=tmp)
            rc2, out2 = run(base + ["--profile", os.path.join(tmp, "my.profile")])
            if rc or rc2:
                problems.append("under explain's my.profile the run exits %d, want 0: %s%s" % (rc2, out, out2[-1500:]))
    return fail(problems)


def fail(problems):
    for p in problems:
        print("FAILED: %s" % p)
    if not problems:
        print("ok: the detected rules make the run pass")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
