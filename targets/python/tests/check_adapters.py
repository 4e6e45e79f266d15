#!/usr/bin/env python3
"""check_adapters.py - tests of the Python library adapters without the libraries.

    python3 -B targets/python/tests/check_adapters.py MXCONFORM GROUP
    GROUP: refuse | mldtypes | torch | torchao | microxcaling

`refuse`: each adapter, with its package absent (made absent by targets/python/tests/blocked
on PYTHONPATH, and also as it is on this machine when it really does not import), prints one
line "<package> not importable: ..." on stderr, nothing on stdout, and exits 3; through
`mxconform run` the run is refused cleanly (exit 3, verdict "error", the line passed through).

The other groups run the adapters on FAKE packages put first on PYTHONPATH
(fake_ml_dtypes/: numpy + ml_dtypes; fake_torch/: torch; fake_torchao/; fake_microxcaling/),
which compute every conversion exactly with fractions.Fraction (fakefloat.py) and follow
the choices peers.md documents for each library. They test the adapters' plumbing - array
construction from bit patterns, views, casts, FP4 packing, block outputs, the rounding and
overflow probes, the protocol - through `mxconform run`, not the libraries.
Exit 0 when every check passes, 1 otherwise (each failed check printed).
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
PROFILES = os.path.join(PYDIR, "profiles")
MLDTYPES = os.path.join(PYDIR, "mxtarget_mldtypes.py")
TORCH = os.path.join(PYDIR, "mxtarget_torch.py")
PY = sys.executable

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)
        print("FAILED: " + what)
    return cond


def make_env(paths, extra=None):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("FAKE_TORCH_"):
            del env[k]
    env["PYTHONPATH"] = os.pathsep.join(os.path.join(HERE, p) for p in paths)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def mxrun(script, paths, args, extra=None, target_args=""):
    """mxconform run against an adapter -> (exit status, results dict or None, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        target = "cmd:%s -B %s%s" % (shlex.quote(PY), shlex.quote(script), target_args)
        p = subprocess.run([MX, "run", "--target", target] + args + ["-q", "-o", out],
                           env=make_env(paths, extra), capture_output=True, text=True, timeout=600)
        res = json.load(open(out)) if os.path.exists(out) else None
    return p.returncode, res, p.stderr


def statuses(res):
    by = {}
    for s in res["suites"]:
        by.setdefault(s["status"], set()).add(s["name"])
    return by


def talk(script, paths, lines, extra=None):
    """Send protocol lines straight to an adapter -> (exit status, answer lines, stderr)."""
    p = subprocess.run([PY, "-B", script], input="".join(l + "\n" for l in lines), env=make_env(paths, extra),
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout.splitlines(), p.stderr


def expect_run(label, rc, res, want_rc, want_pass=None, want_fail=None):
    check(rc == want_rc, "%s: mxconform run exit %s, want %s" % (label, rc, want_rc))
    if not check(res is not None, "%s: no results.json" % label):
        return {}
    st = statuses(res)
    if want_pass is not None:
        check(st.get("pass", set()) == set(want_pass), "%s: passing suites %s, want %s"
              % (label, sorted(st.get("pass", ())), sorted(want_pass)))
    if want_fail is not None:
        check(st.get("fail", set()) == set(want_fail), "%s: failing suites %s, want %s"
              % (label, sorted(st.get("fail", ())), sorted(want_fail)))
    bad = {k: v for k, v in st.items() if k not in ("pass", "fail", "unsupported")}
    check(not bad, "%s: suites crashed / timed out / broke the protocol: %s" % (label, bad))
    return st


def detected(res):
    d = res.get("detected_profile") or {}
    return {x["knob"]: x["detected_value"] for x in d.get("diff", [])}, d.get("unexplained_failures")


def failures(res):
    for s in res["suites"]:
        for f in s.get("failures", []):
            yield s["name"], f


def f32_nonfinite(bits):
    return (bits >> 23) & 0xFF == 0xFF


def protocol_basics(label, script, paths, extra=None):
    rc, out, err = talk(script, paths, [
        "mxconform-protocol 1",
        "decode e4m3 2 0",            # count mismatch
        "decode e4m3 1 zz",           # not hex
        "decode e2m1 1 10",           # does not fit 4 bits
        "dot mxfp8_e4m3 mxfp8_e4m3 1 1 - 7f 38 7f 38",
        "frobnicate 1 2",
        "cvt f32 e4m3 rtz ovf 1 0",   # no directed rounding in these libraries
        "cvt f32 int8 rne sat 1 0",   # no MXINT8 scalar type
        "cvt f32 e4m3 sr ovf 1 0:0",
        "decode e4m3 3 0 80 7e",
        "quit",
    ], extra)
    check(rc == 0, "%s: protocol session exit %s, want 0 (stderr: %s)" % (label, rc, err.strip()))
    want = [None, "error", "error", "error", "unsupported", "unsupported", "unsupported", "unsupported",
            "unsupported", "ok 0 8000000000000000 407c000000000000"]
    check(len(out) == len(want), "%s: %d answer lines, want %d: %s" % (label, len(out), len(want), out))
    for i, (got, w) in enumerate(zip(out, want)):
        if i == 0:
            check(got.startswith("ok "), "%s: handshake answer %r" % (label, got))
        elif w == "error":
            check(got.startswith("error "), "%s: line %d answered %r, want an error" % (label, i, got))
        else:
            check(got == w, "%s: line %d answered %r, want %r" % (label, i, got, w))


# ---- groups -----------------------------------------------------------------------------


def group_refuse():
    for script, pkg, imports in ((MLDTYPES, "ml_dtypes", "import numpy, ml_dtypes"), (TORCH, "torch", "import torch")):
        variants = [("blocked", ["blocked"])]
        natural = subprocess.run([PY, "-B", "-c", imports], env=make_env([]), capture_output=True)
        if natural.returncode != 0:
            variants.append(("not installed", []))
        else:
            print("note: %s imports on this machine; only the blocked variant is checked" % pkg)
        for how, paths in variants:
            label = "%s adapter, %s %s" % (os.path.basename(script), pkg, how)
            rc, out, err = talk(script, paths, ["mxconform-protocol 1", "quit"])
            lines = err.splitlines()
            check(rc == 3, "%s: exit %s, want 3" % (label, rc))
            check(out == [], "%s: stdout %r, want nothing" % (label, out))
            check(len(lines) == 1 and lines[0].startswith(pkg + " not importable: "),
                  "%s: stderr %r, want one line '%s not importable: ...'" % (label, lines, pkg))
            rc, res, err = mxrun(script, paths, ["--tier", "smoke"])
            check(rc == 3, "%s: mxconform run exit %s, want 3" % (label, rc))
            if check(res is not None, "%s: mxconform run wrote no results.json" % label):
                check(res.get("verdict") == "error" and res["totals"]["suites"] == 0,
                      "%s: verdict %r, %s suites; want error, 0" % (label, res.get("verdict"), res["totals"]["suites"]))
                check("handshake" in res.get("error", ""), "%s: results error %r" % (label, res.get("error")))
            check(pkg + " not importable: " in err, "%s: the adapter's line is not in mxconform's stderr" % label)


MD_SMOKE = ["decode.e4m3", "decode.e5m2", "decode.e2m3", "decode.e3m2", "decode.e2m1", "decode.e8m0",
            "cvt.f32.e4m3.rne.ovf", "cvt.f32.e5m2.rne.ovf", "cvt.f32.e8m0.rna.ovf",
            "cvt.f32.e2m3.rne.sat", "cvt.f32.e2m3.rne.ovf", "cvt.f32.e3m2.rne.sat", "cvt.f32.e3m2.rne.ovf",
            "cvt.f32.e2m1.rne.sat", "cvt.f32.e2m1.rne.ovf"]


def group_mldtypes():
    fake = ["fake_ml_dtypes"]
    prof = os.path.join(PROFILES, "ml_dtypes.profile")
    # Under its documented profile: every suite it claims passes; everything else unsupported.
    rc, res, err = mxrun(MLDTYPES, fake, ["--tier", "smoke", "--profile", prof])
    expect_run("ml_dtypes smoke, ml_dtypes.profile", rc, res, 0, MD_SMOKE, [])
    if res:
        check(res["target"]["name"] == "ml_dtypes", "ml_dtypes: target name %r" % res["target"]["name"])
        v = res["target"]["version"]
        for frag in ("0.0-fake", "e4m3:rne/ovf", "e5m2:rne/ovf", "e2m1:rne/ovf+sat", "e8m0:rna/ovf"):
            check(frag in v, "ml_dtypes: version %r lacks %r (measured modes)" % (v, frag))
    # Under ocp: only non-finite inputs (and zero/negative into E8M0) fail, and detection
    # names exactly the three documented knobs.
    rc, res, err = mxrun(MLDTYPES, fake, ["--tier", "smoke"])
    expect_run("ml_dtypes smoke, ocp", rc, res, 1)
    if res:
        knobs, unexplained = detected(res)
        check(knobs == {"nan_finite": "inverted-zero", "e8m0_zero": "nan", "e8m0_neg": "nan"},
              "ml_dtypes smoke, ocp: detected %s" % knobs)
        check(unexplained == 0, "ml_dtypes smoke, ocp: %s unexplained failures" % unexplained)
        for suite, f in failures(res):
            bits = int(f["input"], 16)
            ok = f32_nonfinite(bits) or (".e8m0." in suite and (bits >> 31 or bits == 0))
            check(ok, "ml_dtypes smoke, ocp: finite input %s fails in %s" % (f["input"], suite))
    # Standard tier (every source format): the f64 suites fail, because ml_dtypes (and the
    # fake, which follows its source) casts float64 through float32: double rounding.
    rc, res, err = mxrun(MLDTYPES, fake, ["--tier", "standard", "--profile", prof])
    st = expect_run("ml_dtypes standard, ml_dtypes.profile", rc, res, 1)
    if res:
        want_fail = {"cvt.f64." + s[len("cvt.f32."):] for s in MD_SMOKE if s.startswith("cvt.")}
        check(st.get("fail", set()) == want_fail, "ml_dtypes standard: failing %s, want %s"
              % (sorted(st.get("fail", ())), sorted(want_fail)))
        check(len(st.get("pass", ())) == 6 + 3 * 9, "ml_dtypes standard: %d suites pass, want 33"
              % len(st.get("pass", ())))
        seen = [(s, f["actual"]) for s, f in failures(res) if f["input"] == "0x3fd0000000000001"]
        check(("cvt.f64.e2m1.rne.sat", "0x0") in seen,
              "ml_dtypes standard: 0x3fd0000000000001 (0.25 + 2^-54) -> e2m1 should round twice to 0x0: %s" % seen)
    protocol_basics("ml_dtypes protocol", MLDTYPES, fake)


TORCH_SMOKE = ["decode.e4m3", "decode.e5m2", "decode.e8m0", "cvt.f32.e4m3.rne.ovf", "cvt.f32.e5m2.rne.ovf",
               "cvt.f32.e8m0.rna.ovf"]
FP4_SMOKE = ["decode.e2m1", "cvt.f32.e2m1.rne.sat", "cvt.f32.e2m1.rne.ovf"]
QUANT_FP = ["quantize.%s.%s" % (f, s) for f in ("mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4_e2m1")
            for s in ("f32", "bf16")]
# The quantize suites that ask for the profile's rule, from f32 and bf16 (the ones named
# quantize.FMT.f32.RULE ask for their rule whatever the profile)
QUANT_PROFILE_RULE = "quantize.*.f32,quantize.*.bf16"
QUANT_RULES = ["quantize.%s.f32.%s" % (f, r) for f in ("mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4_e2m1")
               for r in ("floor", "ceil", "rceil", "even")]


def group_torch():
    fake = ["fake_torch"]
    prof = os.path.join(PROFILES, "torch.profile")
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--profile", prof])
    expect_run("torch smoke, torch.profile", rc, res, 0, TORCH_SMOKE, [])
    if res:
        v = res["target"]["version"]
        for frag in ("e4m3:rne/ovf", "e8m0:rna/ovf", "fp4:none", "q:none"):
            check(frag in v, "torch: version %r lacks %r" % (v, frag))
    check("torchao not importable" in err, "torch: stderr does not say that torchao is missing")
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke"], target_args=" --device=cuda")
    expect_run("torch smoke, ocp, --device=cuda", rc, res, 1, [s for s in TORCH_SMOKE if s != "cvt.f32.e5m2.rne.ovf"],
               ["cvt.f32.e5m2.rne.ovf"])
    if res:
        knobs, unexplained = detected(res)
        check(knobs == {"e5m2_nan": "allones"} and unexplained == 0,
              "torch smoke, ocp: detected %s, %s unexplained" % (knobs, unexplained))
        check("dev:cuda" in res["target"]["version"], "torch: --device not in %r" % res["target"]["version"])
    # E4M3 saturating (PyTorch after pytorch#178817): the probe must switch the claim to sat.
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--suites", "cvt.f32.e4m3.*"],
                         {"FAKE_TORCH_E4M3_SATURATE": "1"})
    expect_run("torch smoke, saturating E4M3", rc, res, 0, ["cvt.f32.e4m3.rne.sat"], [])
    # A float4_e2m1fn_x2 with casts (hypothetical): the adapter's own packing, every source.
    rc, res, err = mxrun(TORCH, fake, ["--tier", "standard", "--profile", prof], {"FAKE_TORCH_FP4_CASTS": "1"})
    cvts = ["cvt.%s.%s" % (s, d) for s in ("f32", "bf16", "f16", "f64")
            for d in ("e4m3.rne.ovf", "e5m2.rne.ovf", "e8m0.rna.ovf", "e2m1.rne.sat", "e2m1.rne.ovf")]
    expect_run("torch standard, FP4 casts, torch.profile", rc, res, 0,
               ["decode.e4m3", "decode.e5m2", "decode.e8m0", "decode.e2m1"] + cvts, [])
    if res:
        check("fp4:core" in res["target"]["version"], "torch: FP4 casts not used: %r" % res["target"]["version"])
    protocol_basics("torch protocol", TORCH, fake)


def group_torchao():
    fake = ["fake_torch", "fake_torchao"]
    for prof in (os.path.join(PROFILES, "torch.profile"), "torchao-ceil", "torchao-even",
                 os.path.join(PROFILES, "torchao-rceil.profile")):
        rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--suites", QUANT_PROFILE_RULE, "--profile", prof])
        expect_run("torchao quantize, profile %s" % os.path.basename(prof), rc, res, 0, QUANT_FP, [])
    # even-tiedown has no ScaleCalculationMode: unsupported, not failed.
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "tiedown.profile")
        open(p, "w").write("base = torchao-even\nrule = even-tiedown\n")
        rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--suites", QUANT_PROFILE_RULE, "--profile", p])
        expect_run("torchao quantize, even-tiedown", rc, res, 0, [], [])
    # Everything at once: FP4 scalars go through torchao's element kernels, whose NaN
    # artefact (1.5, peers.md D1) is the only failure.
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--profile", os.path.join(PROFILES, "torch.profile")])
    expect_run("torch+torchao smoke, torch.profile", rc, res, 1, TORCH_SMOKE + QUANT_FP + QUANT_RULES + ["decode.e2m1"],
               ["cvt.f32.e2m1.rne.sat", "cvt.f32.e2m1.rne.ovf"])
    if res:
        v = res["target"]["version"]
        check("fp4:torchao " in v and v.endswith("q:torchao-0.0-fake"), "torchao: version %r" % v)
        for suite, f in failures(res):
            bits = int(f["input"], 16)
            check(f32_nonfinite(bits) and bits & 0x7FFFFF and f["actual"] == ("0xb" if bits >> 31 else "0x3"),
                  "torch+torchao: unexpected failure %s %s -> %s in %s" % (f["input"], f["expected"], f["actual"], suite))


def group_microxcaling():
    fake = ["fake_torch", "fake_microxcaling"]
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--suites", QUANT_PROFILE_RULE, "--profile",
                                       os.path.join(PROFILES, "microxcaling.profile")])
    expect_run("microxcaling quantize, microxcaling.profile", rc, res, 1, QUANT_FP,
               ["quantize.mxint8.f32", "quantize.mxint8.bf16"])
    if res:
        check("q:microxcaling" in res["target"]["version"], "microxcaling: version %r" % res["target"]["version"])
        # The one predicted divergence: an all-zero MXINT8 block. microxcaling replaces a zero
        # maximum by the FP32 minimum normal 2^-126; emax is 0 for INT8, so the scale is
        # 2^-126 (0x01) where the spec's convention gives 2^-127 (0x00).
        for suite, f in failures(res):
            mask = 0x7FFF if suite.endswith(".bf16") else 0x7FFFFFFF
            zeros = all(int(x, 16) & mask == 0 for x in f["input"].split(","))
            check(zeros and f["expected"].startswith("0x0,") and f["actual"].startswith("0x1,"),
                  "microxcaling: unexpected failure %s in %s" % (f["input"][:60], suite))
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--suites", "quantize.mxfp*.f32,quantize.mxfp*.bf16"],
                         target_args=" --quantize=microxcaling")
    expect_run("microxcaling quantize rne, ocp", rc, res, 0, QUANT_FP, [])
    rc, res, err = mxrun(TORCH, fake, ["--tier", "smoke", "--suites", QUANT_PROFILE_RULE, "--profile", "torchao-ceil"])
    expect_run("microxcaling quantize, ceil rule", rc, res, 0, [], [])


GROUPS = {"refuse": group_refuse, "mldtypes": group_mldtypes, "torch": group_torch, "torchao": group_torchao,
          "microxcaling": group_microxcaling}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in GROUPS:
        sys.stderr.write("usage: check_adapters.py MXCONFORM %s\n" % "|".join(GROUPS))
        sys.exit(2)
    MX = sys.argv[1]
    GROUPS[sys.argv[2]]()
    print("%s: %s" % (sys.argv[2], "%d problem(s)" % len(problems) if problems else "all checks passed"))
    sys.exit(1 if problems else 0)
