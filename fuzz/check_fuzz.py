#!/usr/bin/env python3
"""Run `mxconform fuzz` on one target and check what it reports.

    check_fuzz.py MXCONFORM TARGET EXPECT [-- FUZZ ARGS]

EXPECT is one of
    none          no findings: exit status 0, verdict "pass"
    KIND[:N]      at least one finding of KIND (mismatch crash timeout protocol-error error
                  flaky), exit status 1; the first such finding is shrunk to at most N
                  non-zero inputs (default 2), names bits and decoded values, a reproduce
                  line, and a `found by` line that finds it again at the same case number
                  (deterministic for a seed; checked by running that line); a mismatch
                  saved with --save fails `mxconform run --vectors DIR` and passes the
                  reference

Standard library only. Exit status 0 when every expectation holds, 1 otherwise.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile


def fuzz(mxconform, args, out, save=None):
    cmd = [mxconform, "fuzz"] + args + ["-q", "-o", out] + (["--save", save] if save else [])
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return run.returncode, run.stdout


def check_finding(mxconform, f, max_nonzero, tmp):
    problems = []
    shrink = f["shrink"]
    if shrink["nonzero_inputs_after"] > max_nonzero:
        problems.append("shrunk to %d non-zero inputs, want at most %d" % (shrink["nonzero_inputs_after"], max_nonzero))
    if f["kind"] == "mismatch":
        if not f["differences"]:
            problems.append("a mismatch without differences")
        for d in f["differences"]:
            if not d["expected"].startswith("0x") or not d["actual"].startswith("0x"):
                problems.append("difference without bits: %r" % d)
        if f["op"] != "pack" and not all(d["expected_value"] for d in f["differences"]):
            problems.append("difference without decoded values: %r" % f["differences"])
    if not f["reproduce"].startswith("mxconform "):
        problems.append("no reproduce line: %r" % f["reproduce"])
    # the `found by` line finds it again, at the same case number
    argv = shlex.split(f["found_by"])
    if argv[:2] != ["mxconform", "fuzz"]:
        return problems + ["bad found_by line %r" % f["found_by"]]
    again = os.path.join(tmp, "again.json")
    rc, text = fuzz(mxconform, argv[2:] + ["--max-findings", "1000"], again)
    if rc != 1:
        return problems + ["found_by line: exit %d, want 1\n%s" % (rc, text[-1500:])]
    with open(again) as fh:
        g = json.load(fh)["findings"]
    key = lambda x: (x["case_number"], x["suite_drawn"], x["inputs"], x["kind"])
    if key(f) not in [key(x) for x in g]:
        problems.append("the found_by line did not find case %d of %s again (it found: %s)"
                        % (f["case_number"], f["suite_drawn"], [(x["case_number"], x["suite_drawn"]) for x in g]))
    return problems


def check_saved(mxconform, target, saved):
    """The saved findings are vector files that `run` reads: the target fails them, the reference passes."""
    problems = []
    for spec, want in ((target, 1), ("reference", 0)):
        run = subprocess.run([mxconform, "run", "--target", spec, "--vectors", saved, "-q"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True)
        if run.returncode != want:
            problems.append("run --target %s --vectors (the saved findings): exit %d, want %d\n%s"
                            % (spec, run.returncode, want, run.stdout[-1500:]))
    return problems


def main(argv):
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxconform, target, expect = argv[1:4]
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxfuzz.") as tmp:
        out = os.path.join(tmp, "r.json")
        saved = os.path.join(tmp, "saved")
        rc, text = fuzz(mxconform, ["--target", target] + extra, out, saved)
        print(text[-3000:])
        if not os.path.exists(out):
            print("FAILED: no results file (exit %d)" % rc)
            return 1
        with open(out) as fh:
            r = json.load(fh)
        t = r["totals"]
        print("%s: %d cases in %.2f CPU-s (%.0f cases/s), %d findings, stopped by %s"
              % (target, t["cases"], t["cpu_seconds"], t["cases_per_second"], t["findings"], r["stopped_by"]))
        if expect == "none":
            if rc != 0 or r["verdict"] != "pass" or r["findings"]:
                problems.append("exit %d, verdict %s, %d findings; want 0, pass, none" % (rc, r["verdict"], len(r["findings"])))
        else:
            kind, _, n = expect.partition(":")
            if rc != 1 or r["verdict"] != "fail":
                problems.append("exit %d, verdict %s; want 1, fail" % (rc, r["verdict"]))
            found = [f for f in r["findings"] if f["kind"] == kind]
            if not found:
                problems.append("no %s finding; found: %s" % (kind, [f["kind"] for f in r["findings"]]))
            else:
                problems += check_finding(mxconform, found[0], int(n or 2), tmp)
            if kind == "mismatch":
                problems += check_saved(mxconform, target, saved)
    for p in problems:
        print("FAILED: %s" % p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
