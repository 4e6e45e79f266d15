#!/usr/bin/env python3
"""results.json (schema mxconform-results/1, harness/RESULTS.md) and JUnit XML are valid.

    check_results_schema.py MXCONFORM FAILING_TARGET.so PARTIAL_TARGET.so

Three runs, each written with -o and --junit and read back with json and xml.etree:
  1. the reference on the standard tier: a passing run (no detected_profile);
  2. FAILING_TARGET (a mutant that rounds ties away) on a few suites: failures with their
     fields, detected_profile with its diff and evidence, divergence cells in the code maps,
     <failure> elements in JUnit;
  3. PARTIAL_TARGET (the example target) on the decode suites: unsupported suites, which
     JUnit shows as <skipped>.
Standard library only.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HEX = re.compile(r"^0x[0-9a-f]+$")
HEX_LIST = re.compile(r"^0x[0-9a-f]+(,0x[0-9a-f]+)*(,\.\.\.)?$")  # one word, or a block's words
STATUSES = {"pass", "fail", "unsupported", "crash", "timeout", "protocol-error", "flaky", "incomplete"}
OUTCOMES = {"ok", "divergence", "nonconformance", "untested"}
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)
    return cond


def has(obj, keys, where):
    ok = isinstance(obj, dict)
    for k in keys:
        ok = need(isinstance(obj, dict) and k in obj, "%s: missing field '%s'" % (where, k)) and ok
    return ok


def run(mxconform, tmp, tag, args, want_status):
    j, x = os.path.join(tmp, tag + ".json"), os.path.join(tmp, tag + ".xml")
    p = subprocess.run([mxconform, "run", "-q", "-o", j, "--junit", x] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    need(p.returncode == want_status, "%s: exit %d, want %d\n%s" % (tag, p.returncode, want_status, p.stdout[-1500:]))
    with open(j) as f:
        results = json.load(f)
    junit = ET.parse(x).getroot()
    return results, junit


def check_results(r, tag, want_verdict):
    w = tag + ": results.json"
    has(r, ["schema", "tool", "target", "profile", "tier", "seed", "started_utc", "wall_seconds", "command", "verdict",
            "totals", "suites", "code_maps"], w)
    need(r.get("schema") == "mxconform-results/1", "%s: schema %r" % (w, r.get("schema")))
    has(r.get("tool"), ["name", "version"], w + " tool")
    has(r.get("target"), ["spec", "kind", "name", "version"], w + " target")
    need(r["target"].get("kind") in ("builtin", "lib", "cmd"), "%s: target.kind %r" % (w, r["target"].get("kind")))
    if has(r.get("profile"), ["name", "knobs"], w + " profile"):
        has(r["profile"]["knobs"], ["round", "overflow", "nan_sign", "rule", "nan_block", "fp4_pack"], w + " profile.knobs")
    need(isinstance(r.get("seed"), int), "%s: seed is not an integer" % w)
    need(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", str(r.get("started_utc"))), "%s: started_utc %r" % (w, r.get("started_utc")))
    need(isinstance(r.get("wall_seconds"), (int, float)), "%s: wall_seconds is not a number" % w)
    need(r.get("verdict") == want_verdict, "%s: verdict %r, want %r" % (w, r.get("verdict"), want_verdict))
    t = r.get("totals", {})
    has(t, ["suites", "pass", "fail", "unsupported", "crash", "timeout", "protocol_error", "cases", "failed_cases"], w + " totals")
    suites = r.get("suites", [])
    need(t.get("suites") == len(suites), "%s: totals.suites %r != %d suites" % (w, t.get("suites"), len(suites)))
    need(t.get("cases") == sum(s.get("cases", 0) for s in suites), "%s: totals.cases is not the sum over suites" % w)
    for key, status in (("pass", "pass"), ("fail", "fail"), ("unsupported", "unsupported"), ("crash", "crash"),
                        ("timeout", "timeout"), ("protocol_error", "protocol-error"), ("flaky", "flaky"),
                        ("incomplete", "incomplete")):
        need(t.get(key) == sum(s.get("status") == status for s in suites), "%s: totals.%s disagrees with the suites" % (w, key))
    for s in suites:
        sw = "%s suite %s" % (w, s.get("name"))
        if not has(s, ["name", "op", "formats", "params", "status", "cases", "passed", "failed", "dontcare", "seconds",
                       "failures"], sw):
            continue
        need(s["status"] in STATUSES, "%s: status %r" % (sw, s["status"]))
        need(s["passed"] + s["failed"] <= s["cases"], "%s: passed + failed > cases" % sw)
        if s["op"] == "cvt":
            has(s["params"], ["round", "overflow"], sw + " params")
            has(s["formats"], ["src", "dst"], sw + " formats")
        for f in s["failures"]:
            if not has(f, ["input", "expected", "actual", "reproduce"], sw + " failure"):
                continue
            need(HEX_LIST.match(f["input"]) and HEX_LIST.match(f["expected"]), "%s: bit patterns not 0x-hex: %s" % (sw, f))
            need(f["reproduce"].startswith("mxconform "), "%s: reproduce %r" % (sw, f["reproduce"]))
            if s["op"] == "cvt":
                has(f, ["input_value", "expected_value", "actual_value"], sw + " cvt failure")
    for fmt, m in r.get("code_maps", {}).items():
        mw = "%s code_maps.%s" % (w, fmt)
        if not has(m, ["bits", "cells"], mw):
            continue
        need(len(m["cells"]) == 2 ** m["bits"], "%s: %d cells for %d bits" % (mw, len(m["cells"]), m["bits"]))
        for c in m["cells"]:
            if has(c, ["code", "value", "outcome", "cases", "first_failure"], mw + " cell"):
                need(HEX.match(c["code"]), "%s: code %r" % (mw, c["code"]))
                need(c["outcome"] in OUTCOMES, "%s: outcome %r" % (mw, c["outcome"]))
                if c["first_failure"] is not None:
                    has(c["first_failure"], ["suite", "input", "expected", "actual"], mw + " first_failure")
    if want_verdict == "pass":
        need("detected_profile" not in r, "%s: detected_profile present in a passing run" % w)


def check_junit(root, r, tag):
    w = tag + ": JUnit"
    need(root.tag == "testsuites", "%s: root element <%s>, want <testsuites>" % (w, root.tag))
    ts = root.findall("testsuite")
    if not need(len(ts) == 1, "%s: %d <testsuite> elements, want 1" % (w, len(ts))):
        return
    ts = ts[0]
    need(ts.get("name") == "mxconform." + r["target"]["spec"], "%s: testsuite name %r" % (w, ts.get("name")))
    cases = ts.findall("testcase")
    need(int(ts.get("tests", -1)) == len(cases) == len(r["suites"]), "%s: tests=%s, %d testcases, %d suites"
         % (w, ts.get("tests"), len(cases), len(r["suites"])))
    status = {s["name"]: s["status"] for s in r["suites"]}
    for c in cases:
        st = status.get(c.get("name"))
        cw = "%s testcase %s" % (w, c.get("name"))
        need(st is not None and c.get("classname", "").startswith("mxconform."), "%s: unknown name or classname" % cw)
        need(c.get("time") is not None, "%s: no time" % cw)
        failure, skipped = c.find("failure"), c.find("skipped")
        need((failure is not None) == (st not in ("pass", "unsupported")), "%s: <failure> does not match status %s" % (cw, st))
        need((skipped is not None) == (st == "unsupported"), "%s: <skipped> does not match status %s" % (cw, st))
        if failure is not None:
            need(failure.get("message") and "reproduce: mxconform" in (failure.text or ""),
                 "%s: <failure> without message or reproduce command" % cw)
    need(int(ts.get("failures", -1)) == r["totals"]["fail"], "%s: failures=%s" % (w, ts.get("failures")))
    need(int(ts.get("skipped", -1)) == r["totals"]["unsupported"], "%s: skipped=%s" % (w, ts.get("skipped")))


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxconform, failing, partial = argv[1:]
    with tempfile.TemporaryDirectory(prefix="mxschema.") as tmp:
        # 1. a passing run
        r, x = run(mxconform, tmp, "reference", ["--target", "reference", "--tier", "standard"], 0)
        check_results(r, "reference", "pass")
        check_junit(x, r, "reference")
        need(r["target"]["kind"] == "builtin", "reference: target.kind %r" % r["target"]["kind"])
        need(len(r["suites"]) > 100 and all(s["status"] == "pass" for s in r["suites"]), "reference: not every suite passed")
        need({"e4m3", "e2m1", "e8m0", "int8"} <= set(r["code_maps"]), "reference: code maps missing: %s" % sorted(r["code_maps"]))
        # 2. a failing run: failures, detected profile, divergences
        r, x = run(mxconform, tmp, "failing", ["--target", "lib:" + failing, "--suites",
                                               "cvt.f32.e2m1.rne.*,cvt.f32.e4m3.rne.sat,quantize.mxfp4_e2m1.f32,decode.e2m1"], 1)
        check_results(r, "failing", "fail")
        check_junit(x, r, "failing")
        failures = [f for s in r["suites"] for f in s["failures"]]
        need(failures, "failing: no failures listed")
        need(any("explained_by" in f for f in failures), "failing: no failure carries explained_by")
        d = r.get("detected_profile")
        if has(d, ["base", "matches", "summary", "diff", "unexplained_failures"], "failing: detected_profile"):
            need(d["diff"], "failing: detected_profile.diff is empty")
            for e in d["diff"]:
                if has(e, ["knob", "profile_value", "detected_value", "explains", "evidence"], "failing: diff entry"):
                    for ev in e["evidence"]:
                        has(ev, ["suite", "input", "expected", "actual"], "failing: evidence")
        outcomes = {c["outcome"] for m in r["code_maps"].values() for c in m["cells"]}
        need("divergence" in outcomes, "failing: no code-map cell is a divergence: %s" % outcomes)
        # 3. unsupported suites
        r, x = run(mxconform, tmp, "partial", ["--target", "lib:" + partial, "--suites", "decode.*"], 0)
        check_results(r, "partial", "pass")
        check_junit(x, r, "partial")
        need(r["totals"]["unsupported"] > 0 and r["totals"]["pass"] > 0, "partial: want passing and unsupported suites")
    for p in problems:
        print("FAILED: " + p)
    print("%d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
