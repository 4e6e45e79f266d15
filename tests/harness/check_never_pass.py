#!/usr/bin/env python3
"""A target that misbehaves on some attempt is never PASS, and what it did is on record.

    check_never_pass.py MXCONFORM TARGET-SPEC WANT

The target crashes, exits or answers with the wrong number of values on every 3rd request
(or every request after the first), whatever the input, so the retries in a fresh process
all succeed and no single input can be blamed. Required:
  * exit status 1 and verdict WANT (flaky) in results.json; never "pass";
  * at least one suite has status WANT, its "events" list the attempts: each with a
    status (crash / protocol-error), the request line that was in flight (it starts with
    the operation, e.g. "cvt "), and reproduced = false for the ones no retry reproduced;
  * totals.events counts them; JUnit has a <failure> for that suite naming the attempts;
  * for a mis-sized answer: the events say protocol-error (never re-aligned into a pass).
Standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SUITES = "cvt.f32.e4m3.*,cvt.bf16.e5m2.*,decode.*"
TIME_LIMIT_S = 100


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mxconform, spec, want, event_status = argv[1:]
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxneverpass.") as tmp:
        rj, rx = os.path.join(tmp, "r.json"), os.path.join(tmp, "r.xml")
        cmd = [mxconform, "run", "--target", spec, "--suites", SUITES, "--timeout", "5", "-q", "-o", rj, "--junit", rx]
        try:
            run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                 timeout=TIME_LIMIT_S)
        except subprocess.TimeoutExpired:
            print("FAILED: no result within %d s: %s" % (TIME_LIMIT_S, " ".join(cmd)))
            return 1
        print(run.stdout[-3000:])
        if run.returncode != 1:
            problems.append("exit status %d, want 1" % run.returncode)
        if "VERDICT: PASS" in run.stdout:
            problems.append("the terminal says PASS")
        try:
            with open(rj) as f:
                r = json.load(f)
            junit = ET.parse(rx).getroot()
        except (OSError, ValueError, ET.ParseError) as e:
            print("FAILED: outputs unreadable: %s" % e)
            return 1
    if r.get("verdict") != want:
        problems.append("verdict %r, want %r" % (r.get("verdict"), want))
    hit = [s for s in r["suites"] if s["status"] == want]
    if not hit:
        problems.append("no suite has status %s: %s" % (want, sorted({s["status"] for s in r["suites"]})))
    total = 0
    for s in r["suites"]:
        events = s.get("events", [])
        total += s.get("events_total", 0)
        if s["status"] == "pass" and events:
            problems.append("%s: status pass with %d events" % (s["name"], len(events)))
    if r["totals"].get("events") != total or total == 0:
        problems.append("totals.events %r, suites' events_total sum to %d" % (r["totals"].get("events"), total))
    for s in hit[:3]:
        events = s.get("events", [])
        if not events:
            problems.append("%s: %s without events" % (s["name"], want))
            continue
        if not any(e["status"] == event_status for e in events):
            problems.append("%s: no event with status %s: %s" % (s["name"], event_status, events[:2]))
        if not all(e["request"].split(" ")[0] in ("cvt", "decode") for e in events):
            problems.append("%s: events without the request in flight: %s" % (s["name"], events[:2]))
        if want == "flaky" and not any(not e["reproduced"] for e in events):
            problems.append("%s: flaky, but every event says reproduced" % s["name"])
        case = [c for c in junit.iter("testcase") if c.get("name") == s["name"]]
        failure = case[0].find("failure") if case else None
        if failure is None or "attempt" not in (failure.text or ""):
            problems.append("%s: JUnit has no <failure> listing the attempts" % s["name"])
        else:
            print("%s: %s, %d events, first: %s" % (s["name"], want, len(events), json.dumps(events[0])[:300]))
    for p in problems:
        print("FAILED: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
