#!/usr/bin/env python3
"""Results a target cannot observe (`?`, `??`: harness/PROTOCOL.md "Not observable") are a
class of their own, never a pass, never a failure of the library.

    check_unobserved.py MXCONFORM TARGET_PY CHECK
      run     a target hiding the E5M2 NaN results (unobserved_target.py nan): exit 1, verdict
              `incomplete` (terminal: INCOMPLETE, "N not observable"), each suite with hidden
              values `incomplete` with `unobserved` = its hidden cases and 0 failed, the others
              `pass`; failures list them with status `unobserved`; JUnit fails those suites
      all     a target answering `?` for every value: never PASS; no case passed or failed; a
              fuzz run through it is INCOMPLETE (exit 1) with no findings
      sweep   every bf16 input into E5M2 through cvtrange with `??` for the 254 NaN results:
              counted apart (not checked, not mismatches, not crashes), exit 1 and INCOMPLETE,
              sweep -o says `incomplete` with `unobserved` 254; two shards merge to the same
      sweepall  the same sweep through a target answering `??` for everything: never a pass,
              and never mistaken for an unsupported conversion
      lie     a target answering `?7d/7e/7f` where the expected code is E5M2 Inf
              (unobserved_target.py lie): an ambiguity that excludes the expected code is a
              failure (run: failed, "one of ..."; sweep: mismatches with target 0x401), never
              hidden among the unobserved values
      bad     a malformed set (`?7d`: one code) is a protocol error, never an unobserved value
Standard library only.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PROBLEMS = []


def need(cond, what):
    if not cond:
        PROBLEMS.append(what)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=100)
    print("$ " + " ".join(cmd) + "\n" + p.stdout[-2500:])
    return p


def check_run(mxc, spec, mode, tmp):
    rj, rx = os.path.join(tmp, "r.json"), os.path.join(tmp, "r.xml")
    suites = "cvt.bf16.e5m2.*,cvt.f32.e4m3.rne.*" if mode == "run" else "cvt.bf16.e5m2.rne.*,decode.e4m3*"
    p = run([mxc, "run", "--target", spec, "--suites", suites, "-q", "-o", rj, "--junit", rx])
    need(p.returncode == 1, "exit status %d, want 1" % p.returncode)
    need("VERDICT: PASS" not in p.stdout, "the terminal says PASS")
    need("VERDICT: INCOMPLETE" in p.stdout, "the terminal does not say INCOMPLETE")
    need(re.search(r"\d+ not observable", p.stdout), "the summary has no 'N not observable'")
    r = json.load(open(rj))
    need(r["verdict"] == "incomplete", "verdict %r, want incomplete" % r["verdict"])
    hidden = [s for s in r["suites"] if s.get("unobserved")]
    need(hidden, "no suite counted unobserved cases")
    for s in r["suites"]:
        if s.get("unobserved"):
            need(s["status"] == "incomplete", "%s: status %s with %d unobserved" % (s["name"], s["status"], s["unobserved"]))
            need(s["failed"] == 0 and s.get("refused", 0) == 0, "%s: unobserved counted as failed/refused" % s["name"])
            need(s["passed"] + s["unobserved"] + s["dontcare"] <= s["cases"], "%s: counts exceed the cases" % s["name"])
            listed = [f for f in s["failures"] if f.get("status") == "unobserved"]
            need(listed and all(f["actual"] == "unobserved" for f in listed), "%s: unobserved cases not listed" % s["name"])
        else:
            need(s["status"] == "pass", "%s: status %s, want pass (it hid nothing)" % (s["name"], s["status"]))
    t = r["totals"]
    need(t.get("unobserved") == sum(s.get("unobserved", 0) for s in r["suites"]), "totals.unobserved is not the sum")
    need(t.get("incomplete") == len(hidden), "totals.incomplete %r, want %d" % (t.get("incomplete"), len(hidden)))
    need(t["failed_cases"] == 0 and t["pass"] + t["incomplete"] == t["suites"], "totals count unobserved as failures")
    if mode == "all":
        need(all(s["passed"] == 0 for s in r["suites"]), "a case passed though nothing was observed")
        p = run([mxc, "fuzz", "--target", spec, "--ops", "cvt", "--cases", "500", "--seed", "1", "-q"])
        need(p.returncode == 1 and "VERDICT: INCOMPLETE" in p.stdout and "findings 0" in p.stdout,
             "fuzz: exit %d, want 1, INCOMPLETE and no findings" % p.returncode)
    names = {tc.get("name"): tc for tc in ET.parse(rx).getroot().iter("testcase")}
    for s in hidden:
        fl = names[s["name"]].find("failure")
        need(fl is not None and "not observable" in fl.get("message", ""),
             "JUnit: %s is not a failure that says 'not observable'" % s["name"])


def check_lie(mxc, spec, tmp):
    rj = os.path.join(tmp, "r.json")
    p = run([mxc, "run", "--target", spec, "--suites", "cvt.bf16.e5m2.rne.ovf", "-q", "-o", rj])
    need(p.returncode == 1 and "VERDICT: FAIL" in p.stdout, "run: exit %d, want 1 and VERDICT: FAIL" % p.returncode)
    r = json.load(open(rj))
    s = r["suites"][0]
    need(r["verdict"] == "fail" and s["status"] == "fail", "verdict %s, status %s: want fail" % (r["verdict"], s["status"]))
    lies = [f for f in s["failures"] if f["actual"].startswith("one of ")]
    need(s["failed"] > 0 and len(lies) == s["failed"], "failed %d, listed as 'one of': %d" % (s["failed"], len(lies)))
    need(all(f["expected"] in ("0x7c", "0xfc") and "status" not in f for f in lies), "a 'one of' failure is not an Inf case")
    need(s.get("unobserved", 0) > 0, "the NaN results are no longer counted unobserved")
    rj = os.path.join(tmp, "s.json")
    p = sweep(mxc, spec, tmp, out=rj, mode=("rne", "ovf"))
    m = re.search(r"(\d+) checked, (\d+) mismatches", p.stdout)
    need(m and int(m.group(2)) > 0 and int(m.group(1)) == 65536 - 254, "sweep: want 65282 checked and mismatches")
    need(re.search(r"expected 0x7c, target 0x401", p.stdout), "sweep: no mismatch listed as target 0x401")
    need("254 inputs not observable by the target" in p.stdout, "sweep: want 254 inputs not observable")
    r = json.load(open(rj))
    need(r["verdict"] == "fail", "sweep -o: verdict %s, want fail" % r["verdict"])


def check_bad(mxc, spec, tmp):
    rj = os.path.join(tmp, "r.json")
    p = run([mxc, "run", "--target", spec, "--suites", "cvt.bf16.e5m2.rne.sat", "-q", "--timeout", "5", "-o", rj])
    r = json.load(open(rj))
    s = r["suites"][0]
    need(p.returncode == 1 and s["status"] == "protocol-error" and not s.get("unobserved"),
         "exit %d, status %s, unobserved %r: want 1, protocol-error, 0" % (p.returncode, s["status"], s.get("unobserved")))


def sweep(mxc, spec, tmp, shard=None, out=None, mode=("rne", "sat")):
    cmd = [mxc, "sweep", "--op", "cvt.bf16.e5m2", "--round", mode[0], "--overflow", mode[1], "--target", spec, "-q"]
    cmd += ["--shard", shard] if shard else []
    cmd += ["-o", out] if out else []
    return run(cmd)


def check_sweep(mxc, spec, mode, tmp):
    rj = os.path.join(tmp, "s.json")
    p = sweep(mxc, spec, tmp, out=rj)
    hidden = 254 if mode == "sweep" else 65536  # bf16 NaNs: 2 signs x 127 payloads
    need(p.returncode == 1, "sweep exit %d, want 1" % p.returncode)
    need("unobserved_target: cvtrange" in p.stdout, "the sweep did not go through cvtrange")
    need("does not support" not in p.stdout, "all-unobserved taken for an unsupported conversion")
    need("%d checked, 0 mismatches" % (65536 - hidden) in p.stdout, "want %d checked, 0 mismatches" % (65536 - hidden))
    need("%d inputs not observable by the target" % hidden in p.stdout, "want %d inputs not observable" % hidden)
    need("INCOMPLETE" in p.stdout, "the sweep does not say INCOMPLETE")
    need("refused" not in p.stdout and "crashed" not in p.stdout, "unobserved counted as refused or crashed")
    r = json.load(open(rj))
    s = r["suites"][0]
    need(r["verdict"] == "incomplete" and s["status"] == "incomplete", "sweep -o: %s / %s" % (r["verdict"], s["status"]))
    need(s.get("unobserved") == hidden and s["failed"] == 0 and s["cases"] == 65536,
         "sweep -o counts: unobserved %r failed %r cases %r" % (s.get("unobserved"), s["failed"], s["cases"]))
    need(len(s.get("unobserved_examples", [])) == min(hidden, 8), "sweep -o: no unobserved examples")
    if mode == "sweep":  # the shards of that sweep merge to the same counts and verdict
        parts = [os.path.join(tmp, "p%d.json" % i) for i in range(2)]
        for i in range(2):
            sweep(mxc, spec, tmp, "%d/2" % i, parts[i])
        m = os.path.join(tmp, "m.json")
        run([mxc, "merge", parts[0], parts[1], "-o", m])
        r = json.load(open(m))
        s = r["suites"][0]
        need(r["verdict"] == "incomplete" and s["status"] == "incomplete" and s.get("unobserved") == hidden and
             r["totals"].get("unobserved") == hidden and r["totals"].get("incomplete") == 1,
             "merged shards: verdict %s, status %s, unobserved %r, totals %r" % (
                 r["verdict"], s["status"], s.get("unobserved"), r["totals"]))


def main(argv):
    if len(argv) != 4 or argv[3] not in ("run", "all", "sweep", "sweepall", "lie", "bad"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxc, target_py, check = argv[1:]
    mode = {"all": "all", "sweepall": "all", "lie": "lie", "bad": "bad"}.get(check, "nan")
    spec = "cmd:%s -B %s %s %s" % (sys.executable, target_py, mxc, mode)
    with tempfile.TemporaryDirectory(prefix="mxunobserved.") as tmp:
        if check in ("lie", "bad"):
            (check_lie if check == "lie" else check_bad)(mxc, spec, tmp)
        else:
            (check_run if check in ("run", "all") else check_sweep)(mxc, spec, check, tmp)
    for p in PROBLEMS:
        print("FAILED: " + p)
    if not PROBLEMS:
        print("passed")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
