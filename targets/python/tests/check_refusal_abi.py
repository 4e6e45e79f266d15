"""Per-value refusal through the ABI (target.h MXC_REFUSED / MXC_VALUE_REFUSED) and the serve
child: tests/peers_refusing_target.c refuses E2M1 code 0x7 in decode and every MXFP4 quantize
call. Checks that `mxconform run` counts them as refused (their own class, with examples), not
as errors or crashes; a refused decode value is compared as an answer (`refused_values`: under
`ocp` each is a failed case, under a profile that says `refuse` a passing one).
    check_refusal_abi.py MXCONFORM LIB"""
import json, os, subprocess, sys, tempfile

mxc, lib = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "r.json")
    p = subprocess.run([mxc, "run", "--target", "lib:" + lib, "--tier", "smoke", "--suites",
                        "decode.e2m1,quantize.mxfp4_e2m1.*", "-o", out], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    print(p.stdout)
    with open(out) as f:
        r = json.load(f)
problems = []
if p.returncode != 1:
    problems.append("exit %d, want 1 (refusals are divergences)" % p.returncode)
for s in r["suites"]:
    if s["crashed"] or s["protocol_errors"] or s["timed_out"] or s.get("message", "").startswith("error"):
        problems.append("%s: crash/protocol/timeout/error" % s["name"])
    if s["name"] == "decode.e2m1":
        codes7 = [f for f in s["failures"] if int(f["input"], 16) & 7 == 7]
        # a refused value is compared as an answer (a profile may expect it: knob value refuse);
        # `ocp` expects a code, so each refused value is also a failed case, and nothing else fails
        if not s["refused"] or s["failed"] != s.get("refused_values") or s["refused_values"] != s["refused"] \
                or s["passed"] + s["refused"] != s["cases"]:
            problems.append("decode.e2m1: passed %d refused %d failed %d of %d" % (s["passed"], s["refused"], s["failed"], s["cases"]))
        if not codes7 or any(f.get("status") != "refused" for f in codes7):
            problems.append("decode.e2m1: the refused codes are not listed with status refused")
    elif s["refused"] != s["cases"] or s["status"] != "fail":
        problems.append("%s: %s, refused %d of %d" % (s["name"], s["status"], s["refused"], s["cases"]))
if "refused by the target" not in p.stdout:
    problems.append("the summary does not count the refused cases")
for q in problems:
    print("FAILED: " + q)
print("passed" if not problems else "")
sys.exit(1 if problems else 0)
