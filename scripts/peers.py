#!/usr/bin/python3
"""peers.py - real implementations against mxconform, driven by one table (PEERS below):
LLVM 19 APFloat and the CUDA host headers (ABI targets), ml_dtypes' C++ headers (ABI
target), gfloat and microxcaling (Python process targets), ONNX Runtime (a Node process
target). Each peer says how to reach it and how to tell whether it is here; a peer that is
not here is skipped with one line. Python 3 standard library only; `make peers` runs it.

  peers.py BUILD                   (make peers) for each available peer: the standard tier
      under `ocp` -> reports/peers/<peer>.json, the detected profile -> <peer>.profile, a
      re-run under it, live probes of peers.md D1-D5/D10, then reports/peers/README.md (+
      report.html) with the sweeps of sweeps.tsv and the findings table (FINDINGS below)
  peers.py sweeps BUILD [STAGE...] exhaustive sweeps -> reports/peers/sweeps.tsv (rows
      replaced per combination). STAGE: 16bit (every bf16 and f16 input, every combination),
      binades (chosen f32 binades), full (all 2^32 f32 inputs, the combinations of each
      peer's `full` list), detected (16-bit inputs and the f32 Inf/NaN binade under the
      detected profile), every (all 2^32 f32 inputs of every combination the peer answers,
      found by a bf16 sweep each: hours per process target; resumable, it leaves out the
      combinations sweeps.tsv already holds at all 2^32; `make peers-every`). Default: 16bit
      binades full. PEERS_SWEEP_SKIP_DONE=1 leaves out full sweeps sweeps.tsv already holds.
      PEERS_ONLY=a,b limits the peers.
  peers.py check MXCONFORM TARGET [--tier T] [--peer NAME] [--knob K=V]... [--unexplained CLASS]...
      [--pass GLOBS] [--unsupported GLOBS] [--refused GLOBS] [--answered GLOBS] [--unobserved GLOBS]   (CTest)
      run the tier under `ocp`; exit 0/1 required, valid JSON, every --knob named by profile
      detection, every failure explained by a knob or of an allowed CLASS (a suspected bug's
      id of peers_bugs.py when --peer names the library; `any`: counted only, for peers
      whose divergences are not all named yet), GLOBS suites pass /
      unsupported / hold refused cases / are answered. TARGET: lib:PATH, cmd:COMMAND, or a
      PATH (= lib:PATH). A cmd: target that does not start here: exit 77 (CTest skip).
  peers.py list BUILD              one line per peer: available or why not
  peers.py readme BUILD            rewrite only the sweeps section of reports/peers/README.md
      from sweeps.tsv, and report.html from the <peer>.json files there (runs no peer: after
      `sweeps`, without a whole `make peers`)
"""
import fcntl, fnmatch, json, os, re, shlex, struct, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers_bugs  # noqa: E402 (the suspected bugs, as data)

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODE, ARGS = "report", sys.argv[1:]
if ARGS and ARGS[0] in ("sweeps", "check", "list", "report", "readme"):
    MODE, ARGS = ARGS[0], ARGS[1:]
if not ARGS and __name__ == "__main__":
    sys.stderr.write(__doc__)
    sys.exit(2)
# The interpreter for the Python peers: one that sees Debian's python3-numpy/-torch
# (the `python3` first on PATH may not: thirdparty/README.md). MXC_PEER_PYTHON overrides.
PEER_PY = os.environ.get("MXC_PEER_PYTHON") or ("/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable)

# ---- the peers --------------------------------------------------------------------------------
# name: file names under reports/peers/; lib: an ABI target under the build directory; cmd: a
# process target (format fields: {py} the peer interpreter, {src} the project root); library:
# what it is; ops: what the target answers (the ecosystem table); sweep_16bit: run the 16-bit
# and binade sweeps (cheap for everything but per-value process targets).
PEERS = [
    {"name": "llvm-apfloat", "lib": "targets/llvm-apfloat/libmxtarget_llvm_apfloat.so",
     "library": "LLVM 19 APFloat",
     "ops": "cvt decode; e4m3 e5m2 e2m3 e3m2 e2m1 + FP8 variants e4m3fnuz e5m2fnuz e4m3b11fnuz e4m3ieee; rne rna rtz rup rdn; sat (emulated) ovf"},
    {"name": "cuda-host", "lib": "targets/cuda-host/libmxtarget_cuda_host.so",
     "library": "CUDA host headers (cuda_fp8.h, cuda_fp6.h, cuda_fp4.h)", "ops": "cvt decode; FP8/FP6/FP4 rne, FP6/FP4 rtz, E8M0 rtz/rup; sat ovf"},
    {"name": "ml_dtypes", "lib": "targets/ml-dtypes/libmxtarget_ml_dtypes.so",
     "library": "ml_dtypes 0.6.0 C++ headers (float8.h, mxfloat.h) + Eigen 3.4",
     "ops": "cvt decode; e4m3 e5m2 e2m3 e3m2 e2m1 e8m0 + FP8 variants e4m3fnuz e5m2fnuz e4m3b11fnuz e4m3ieee e3m4; rne rtz; sat ovf"},
    {"name": "gfloat", "cmd": "{py} {src}/targets/python/mxtarget_gfloat.py", "stages": ("16bit", "full", "detected", "every"),
     "why_stages": "a process target: ~4.5e6 inputs/s through cvtrange; one 2^32 sweep (FULL_PLAN), the others are `mxconform sweep` runs of their own",
     "library": "gfloat 0.5.2 (NumPy, ndarray API)",
     # gfloat raises on a NaN into FP6/FP4/INT8 for a whole array, so mxtarget_gfloat.py
     # encodes such a range value by value: the 2^23 NaNs of half an f32 binade took 532 s into
     # E2M3 with two other sweeps on the 2 cores (2026-12-04; over 5 min per 2^20 before round
     # and encode were asked apart), 185 s against 394 s under the same load once 16 or fewer
     # values that raised are asked one by one, i.e. hours for the NaN binades of all 60
     # combinations; bf16 and f16 have every NaN class
     "detected_f32": False,
     # (destinations, roundings, overflows) whose 2^32 sweep stage `every` leaves out, and why
     "every_beyond": (("e2m3 e3m2 e2m1", "rne rna rup rdn", "ovf"),
                      "gfloat raises for the whole array when one value overflows a format without Inf or NaN "
                      "and sat is off (round_ndarray.py:217; under rtz, and for one sign under rup/rdn, it "
                      "clamps instead), so the adapter must ask for each refused value alone: 0.075 ms each "
                      "(measured 2026-12-04), and these combinations refuse about 2^31 (rne, rna) or 2^30 "
                      "(rup, rdn) f32 inputs, 22-45 hours per sweep; their bf16 and f16 sweeps cover every "
                      "class of input"),
     "ops": "cvt (rne rna rtz rup rdn sr; sat ovf) decode quantize (floor) dequantize; every element format + E8M0"},
    {"name": "microxcaling", "cmd": "{py} {src}/targets/python/mxtarget_microxcaling.py", "stages": ("16bit", "full", "detected", "every"),
     "why_stages": "a process target: ~5-6e6 inputs/s through cvtrange; one 2^32 sweep (FULL_PLAN), the others are `mxconform sweep` runs of their own",
     "library": "microxcaling 7bc4195 (torch 1.13 CPU)",
     "ops": "cvt (rne rna rtz; sat ovf) quantize (floor) dot (mx.matmul); FP8/FP6/FP4/INT8 elements",
     # its dot model as measured (the reference BLAS sgemm_ loop; test dot_model_group1_c_last_is_the_fp32_blas_loop):
     # run's detection cannot name it while re-quantized operands also fail, so the profile gets it from here
     "dot": "group=1 presum=0 frac_bits=exact accum=f32-rne c_at=last"},
    {"name": "onnxruntime", "cmd": "node {src}/targets/onnxruntime/mxtarget_onnxruntime.js", "stages": ("16bit", "full", "detected", "every"),
     "why_stages": "a process target: ~1.4e7 inputs/s through cvtrange (about 3 min per 2^32 sweep); one 2^32 sweep (FULL_PLAN), the others are `mxconform sweep` runs of their own",
     "detected_2_32": True,  # ~4 min per 2^32 sweep: every combination is swept under its profile too
     "library": "onnxruntime-node 1.30 CPU Cast kernels", "ops": "cvt decode; e4m3 e5m2 e4m3fnuz e5m2fnuz (rne) e8m0 (rna rup rdn); sat ovf"},
]
# seconds per batch: a process peer imports torch/NumPy before its handshake, slow on a busy machine
TIMEOUT = os.environ.get("PEERS_TIMEOUT", "120")
ONLY = [n for n in os.environ.get("PEERS_ONLY", "").split(",") if n]


def peer_spec(peer, build):
    """-> (target spec, None) when the peer is here, (None, why not) otherwise."""
    if "lib" in peer:
        lib = os.path.join(build, peer["lib"])
        return ("lib:" + lib, None) if os.path.exists(lib) else (None, "not built (%s)" % lib)
    cmd = peer["cmd"].format(py=shlex.quote(PEER_PY), src=shlex.quote(SRC))
    try:  # the handshake alone: a target whose library does not load exits 3 with one line
        p = subprocess.run(["sh", "-c", cmd], input="mxconform-protocol 1\nquit\n", stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if not p.stdout.startswith("ok "):
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
    return "cmd:" + cmd, None


SPEC_NAME = {}  # target spec -> peer name (progress lines)


def available_peers(build, quiet=False):
    """[(peer, spec)] for the peers that are here; one line for each one that is not."""
    out = []
    for peer in PEERS:
        if ONLY and peer["name"] not in ONLY:
            continue
        spec, why = peer_spec(peer, build)
        if spec:
            out.append((peer, spec))
            SPEC_NAME[spec] = peer["name"]
        elif not quiet:
            print("%s: skipped: %s" % (peer["name"], why))
    return out


def cmd_list(args):
    for peer in PEERS:
        spec, why = peer_spec(peer, args[0])
        print("%-14s %s" % (peer["name"], spec or "skipped: " + why))
    return 0
OUTDIR = os.path.join(SRC, "reports", "peers")
# the OCP element and scale formats, then the other FP8 variants (formats.h: FNUZ, bias 11,
# IEEE-like E4M3 / E3M4)
DSTS = ["e4m3", "e5m2", "e2m3", "e3m2", "e2m1", "e8m0", "e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz", "e4m3ieee", "e3m4"]
# PEERS_DST=a,b limits the sweeps' destinations (a re-run of the rows of new formats only)
ONLY_DST = [d for d in os.environ.get("PEERS_DST", "").split(",") if d]
ROUNDS = ["rne", "rna", "rtz", "rup", "rdn"]
OVFS = ["sat", "ovf"]
# f32 binades (biased exponent, both signs) swept whole in the `binades` stage: zero and
# the f32 subnormals (0), half the destination's smallest subnormal (where rounding to zero
# ends), 1.0 (127), the binade of the largest finite value (holds the overflow threshold),
# the one above it (all overflow), and Inf/NaN (255).
BINADES = {
    "e4m3": [0, 117, 127, 135, 136, 255], "e5m2": [0, 110, 127, 142, 143, 255],
    "e2m3": [0, 123, 127, 129, 130, 255], "e3m2": [0, 122, 127, 131, 132, 255],
    "e2m1": [0, 125, 127, 129, 130, 255], "e8m0": [0, 1, 127, 254, 255],
    "e4m3fnuz": [0, 116, 127, 134, 135, 255], "e5m2fnuz": [0, 109, 127, 142, 143, 255],
    "e4m3b11fnuz": [0, 113, 127, 131, 132, 255], "e4m3ieee": [0, 117, 127, 134, 135, 255],
    "e3m4": [0, 120, 127, 130, 131, 255],
}
# All 2^32 f32 inputs: every rounding x overflow combination of the CUDA host headers (about
# 1 min each) and of ml_dtypes, its FP8 variants in rne; every element format in rne of
# APFloat (about 4 min each; its other modes get the binades stage) and its FP8 variants in rne;
# one conversion of each process target (about 15 min each at 4-5e6 values/s).
VARIANTS = ["e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz", "e4m3ieee", "e3m4"]
FULL_PLAN = {
    "cuda-host": [("e4m3", "rne", "sat"), ("e4m3", "rne", "ovf"), ("e5m2", "rne", "sat"), ("e5m2", "rne", "ovf"),
                  ("e2m3", "rne", "sat"), ("e3m2", "rne", "sat"), ("e2m1", "rne", "sat"),
                  ("e2m3", "rtz", "sat"), ("e3m2", "rtz", "sat"), ("e2m1", "rtz", "sat"),
                  ("e8m0", "rtz", "sat"), ("e8m0", "rtz", "ovf"), ("e8m0", "rup", "sat"), ("e8m0", "rup", "ovf")],
    "llvm-apfloat": [("e4m3", "rne", "ovf"), ("e5m2", "rne", "ovf"), ("e2m3", "rne", "ovf"), ("e3m2", "rne", "ovf"),
                     ("e2m1", "rne", "ovf")] + [(d, "rne", o) for d in VARIANTS[:4] for o in OVFS],  # e3m4: LLVM 20
    "ml_dtypes": [(d, r, o) for d in VARIANTS for o in OVFS for r in ("rne",)] +
                 [(d, r, o) for d in DSTS[:6] for r in ("rne", "rtz") for o in OVFS],
    "gfloat": [("e4m3", "rne", "sat")],
    "microxcaling": [("e4m3", "rne", "sat")],
    "onnxruntime": [("e4m3", "rne", "sat")],
}
# PEERS_SWEEP_SKIP_DONE=1: leave out the combinations sweeps.tsv already has at that coverage.
SKIP_DONE = os.environ.get("PEERS_SWEEP_SKIP_DONE") == "1"
# knobs: what the expected codes follow, `ocp` or `detected` (reports/peers/<target>.profile)
# unobserved: inputs whose result the target cannot observe (harness/PROTOCOL.md "Not observable"):
# outside checked and mismatches, never classified; the last column, so older rows still read (0)
TSV_COLS = ["target", "src", "dst", "round", "overflow", "coverage", "checked", "mismatches", "zero",
            "subnormal", "normal", "inf", "nan", "crashed", "seconds", "examples", "knobs", "bugs", "unobserved"]


T0 = time.time()
LAST = {}


def step(peer, stage):
    """One line on stderr per step of a long command (make peers captures each run's output,
    so without these the user sees nothing for minutes): elapsed in all and in this peer."""
    now = time.time()
    LAST.setdefault(peer, now)
    sys.stderr.write("peers.py [%7.1fs] %-12s %-48s (peer %6.1fs)\n" % (now - T0, peer, stage, now - LAST[peer]))
    sys.stderr.flush()


def die(msg):
    print("peers.py: " + msg, file=sys.stderr)
    sys.exit(2)


# ---- sweeps ---------------------------------------------------------------------------------

def run_sweep(mxc, spec, src, dst, rnd, ovf, shard=None, profile=None, show=64, list_all=False):
    """One `mxconform sweep` -> its counts and "examples" (the mismatches it printed, "BITS:EXP:ACT").
    list_all: "listed" gets every mismatch (sweep --list), not only the printed ones."""
    if src == "f32" and not shard:  # a 2^32 sweep: minutes; say which
        step(SPEC_NAME.get(spec, "?"), "sweep cvt.f32.%s %s %s (2^32)" % (dst, rnd, ovf))
    cmd = [mxc, "sweep", "--op", "cvt.%s.%s" % (src, dst), "--round", rnd, "--overflow", ovf,
           "--target", spec, "--show", str(show), "--timeout", TIMEOUT]
    if shard:
        cmd += ["--shard", shard]
    if profile:
        cmd += ["--profile", profile]
    with tempfile.TemporaryDirectory(prefix="mxsweep.") as tmp:
        listing = os.path.join(tmp, "mismatches.txt")
        p = subprocess.run(cmd + (["--list", listing] if list_all else []), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
        r = parse_sweep(cmd, p)
        if list_all and os.path.exists(listing):
            r["listed"] = read_listing(listing)
    return r


def read_listing(path):
    """A sweep --list file -> ["BITS:EXP:ACT"] in the form of the printed examples."""
    with open(path) as f:
        return ["%s:%02x:%02x" % (b, int(e, 16), int(a, 16)) for b, e, a in
                (line.split() for line in f if not line.startswith("#"))]


def parse_sweep(cmd, p):
    m = re.search(r"(\d+) checked, (\d+) mismatches, ([\d.]+)s", p.stdout)
    if p.returncode not in (0, 1) and ("unsupported" in p.stdout or "does not support" in p.stdout) and not m:
        return {"checked": 0, "mismatches": 0, "seconds": 0.0, "zero": 0, "subnormal": 0, "normal": 0,
                "inf": 0, "nan": 0, "crashed": 0, "refused": 0, "unobserved": 0, "examples": []}
    if p.returncode not in (0, 1):
        die("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stdout))
    if not m:
        die("cannot parse: " + p.stdout)
    r = {"checked": int(m.group(1)), "mismatches": int(m.group(2)), "seconds": float(m.group(3)),
         "zero": 0, "subnormal": 0, "normal": 0, "inf": 0, "nan": 0, "crashed": 0, "examples": []}
    m = re.search(r"zero (\d+), subnormal (\d+), normal (\d+), inf (\d+), nan (\d+)", p.stdout)
    if m:
        for k, v in zip(["zero", "subnormal", "normal", "inf", "nan"], m.groups()):
            r[k] = int(v)
    for m in re.finditer(r"0x([0-9a-f]+): expected 0x([0-9a-f]+), target 0x([0-9a-f]+)", p.stdout):
        r["examples"].append("%s:%s:%s" % m.groups())
    m = re.search(r"(\d+) inputs crashed or hung", p.stdout)
    if m:
        r["crashed"] = int(m.group(1))
    m = re.search(r"(\d+) inputs refused by the target", p.stdout)
    r["refused"] = int(m.group(1)) if m else 0
    m = re.search(r"(\d+) inputs not observable by the target", p.stdout)
    r["unobserved"] = int(m.group(1)) if m else 0
    return r


def merge(total, r):
    for k in ["checked", "mismatches", "zero", "subnormal", "normal", "inf", "nan", "crashed", "refused", "unobserved",
              "seconds"]:
        total[k] = total.get(k, 0) + r[k]
    total.setdefault("examples", [])
    total["examples"] += r["examples"]
    total.setdefault("listed", [])
    total["listed"] += r.get("listed", r["examples"])
    return total


def pick_examples(examples, src):
    """Up to 4 mismatch examples, preferring finite inputs and one of each input class."""
    def cls(bits):
        b = int(bits, 16)
        w = {"f32": (8, 23), "bf16": (8, 7), "f16": (5, 10)}[src]
        e = (b >> w[1]) & ((1 << w[0]) - 1)
        m = b & ((1 << w[1]) - 1)
        return "nan" if e == (1 << w[0]) - 1 and m else "inf" if e == (1 << w[0]) - 1 else "finite"
    seen, out = set(), []
    for pref in ("finite", "inf", "nan"):
        for ex in examples:
            c = cls(ex.split(":")[0])
            if c == pref and (c, ex.split(":")[2]) not in seen and len(out) < 4:
                seen.add((c, ex.split(":")[2]))
                out.append(ex)
    return out


def load_tsv(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("#") or line.startswith("target\t") or not line.strip():
                    continue
                r = dict(zip(TSV_COLS, line.rstrip("\n").split("\t")))
                r.setdefault("knobs", "ocp")  # rows written before the column existed
                r.setdefault("bugs", "")  # not classified (rows of the ocp stages, older rows)
                r.setdefault("unobserved", "0")  # rows written before the target could say `?`
                rows.append(r)
    return rows


def save_tsv(path, rows):
    order = {p["name"]: i for i, p in enumerate(PEERS)}
    key = lambda r: (order.get(r["target"], 9), ["f32", "bf16", "f16"].index(r["src"]), DSTS.index(r["dst"]),
                     ROUNDS.index(r["round"]), OVFS.index(r["overflow"]), r["knobs"] != "ocp", r["coverage"])
    rows.sort(key=key)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("# mxconform sweep results (scripts/peers.py sweeps): target vs libmxref under the knobs of the last column\n"
                "# (ocp, or detected: the target's reports/peers/<target>.profile)\n")
        f.write("\t".join(TSV_COLS) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in TSV_COLS) + "\n")
    os.replace(tmp, path)


def record(path, target, src, dst, rnd, ovf, coverage, total, knobs="ocp", bugs=""):
    with open(path + ".lock", "w") as lock:  # sweeps of several peers may run at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        record_locked(path, target, src, dst, rnd, ovf, coverage, total, knobs, bugs)


# A detected-stage sweep prints up to this many mismatches, and each is classified by
# peers_bugs.py: a sweep with more leaves the rest unexplained in the report, never assumed.
DETECTED_SHOW = 4096


def run_sweep_listed(mxc, lib, src, dst, rnd, ovf, profile, i=0, n=1):
    """run_sweep of shard i/n under profile, with every mismatch in "examples": a sweep keeps
    16 mismatches per request of the serve child, so a shard that counted more than it kept is
    swept again in halves (contiguous shards 2i and 2i+1 of 2n) until each lists all of its
    own; the counts stay those of the whole shard. Past DETECTED_SHOW mismatches it stops
    (halving would take too many sweeps): then it runs once more with every mismatch written
    out (sweep --list), and "listed" holds them all. A cmd: target's codes come back to the
    harness anyway, so its sweep lists every mismatch from the start."""
    shard = None if n == 1 else "%d/%d" % (i, n)
    if lib.startswith("cmd:"):
        return run_sweep(mxc, lib, src, dst, rnd, ovf, shard, profile, DETECTED_SHOW, True)
    r = run_sweep(mxc, lib, src, dst, rnd, ovf, shard, profile, DETECTED_SHOW)
    if len(r["examples"]) >= r["mismatches"] or n >= 1 << 24:
        return r
    if r["mismatches"] > DETECTED_SHOW:
        return run_sweep(mxc, lib, src, dst, rnd, ovf, shard, profile, DETECTED_SHOW, True)
    halves = [run_sweep_listed(mxc, lib, src, dst, rnd, ovf, profile, 2 * i + h, 2 * n) for h in (0, 1)]
    r["examples"] = halves[0]["examples"] + halves[1]["examples"]
    return r


def sweep_bugs(peer, src, dst, rnd, ovf, total):
    """"id:count,..." of the mismatches listed (total["listed"], else the printed "examples") that
    a suspected bug of peers_bugs.py explains; "-" when none does."""
    counts = {}
    suite = {"name": "cvt.%s.%s.%s.%s" % (src, dst, rnd, ovf)}
    listed = total.get("listed", total["examples"])
    for e in listed:
        inp, exp, act = e.split(":")
        f = {"input": inp, "expected": exp, "actual": act}
        if act == "200":  # the library refused this input (sweep's 0x200)
            f = {"input": inp, "expected": exp, "status": "refused"}
        if act == "401":  # `?C1/../Cn` without the expected code (sweep.h SWEEP_CODE_NOT_EXPECTED)
            f = {"input": inp, "expected": exp, "actual": "one of"}
        bug = peers_bugs.classify(peer, suite, f)
        if bug:
            counts[bug] = counts.get(bug, 0) + 1
    unlisted = total["mismatches"] - len(listed)
    if unlisted > 0:  # past DETECTED_SHOW: never assumed to be the bugs of the listed ones
        counts["unlisted"] = unlisted
    return ",".join("%s:%d" % kv for kv in sorted(counts.items())) or "-"


def row_bugs(row):
    """{bug id or "unlisted": mismatches} of a row's bugs column."""
    out = {}
    for b in (row.get("bugs") or "").split(","):
        if ":" in b:
            k, n = b.rsplit(":", 1)
            out[k] = out.get(k, 0) + int(n)
    return out


def bugs_explained(row):
    return sum(n for k, n in row_bugs(row).items() if k != "unlisted")


def record_locked(path, target, src, dst, rnd, ovf, coverage, total, knobs, bugs):
    rows = [r for r in load_tsv(path) if not (r["target"] == target and r["src"] == src and r["dst"] == dst and
                                                r["round"] == rnd and r["overflow"] == ovf and r["knobs"] == knobs and
                                                r["coverage"].split(" ")[0] == coverage.split(" ")[0])]
    row = {"target": target, "src": src, "dst": dst, "round": rnd, "overflow": ovf, "coverage": coverage,
           "seconds": "%.1f" % total["seconds"], "examples": ",".join(pick_examples(total["examples"], src)) or "-",
           "knobs": knobs, "bugs": bugs}
    for k in ["checked", "mismatches", "zero", "subnormal", "normal", "inf", "nan", "crashed"]:
        row[k] = total[k]
    row["unobserved"] = total.get("unobserved", 0)
    rows.append(row)
    save_tsv(path, rows)
    print("%-12s %-8s cvt.%s.%s %s %s %-22s %11d checked %10d mismatches (nan %d, inf %d, finite %d) %d not observable %7.1fs" % (
        target, knobs, src, dst, rnd, ovf, coverage.split(" ")[0], total["checked"], total["mismatches"], total["nan"],
        total["inf"], total["zero"] + total["subnormal"] + total["normal"], row["unobserved"], total["seconds"]), flush=True)


def swept_2_32(path, name):
    """The (dst, round, overflow) combinations sweeps.tsv holds over all 2^32 f32 inputs (ocp)."""
    return {(r["dst"], r["round"], r["overflow"]) for r in load_tsv(path)
            if r["target"] == name and r["src"] == "f32" and r["coverage"] == "all 2^32" and r["knobs"] == "ocp"}


def beyond_reach(name, combination):
    """The reason stage `every` leaves this peer's (dst, round, overflow) out, or None."""
    peer = next((p for p in PEERS if p["name"] == name), {})
    if "every_beyond" not in peer:
        return None
    (dsts, rnds, ovfs), why = peer["every_beyond"]
    dst, rnd, ovf = combination
    return why if dst in dsts.split() and rnd in rnds.split() and ovf in ovfs.split() else None


def sweep_every(mxc, lib, name, path, supported):
    """Stage `every`: all 2^32 f32 inputs of each combination the peer answers, one row each as
    it ends (an interrupted campaign resumes where it stopped: rows already there are left).
    Combinations the peer's `every_beyond` names are left out with their reason."""
    beyond = [c for c in supported if beyond_reach(name, c)]
    if beyond:
        print("%s: every: %d combinations left out: %s" % (name, len(beyond), beyond_reach(name, beyond[0])))
    supported = [c for c in supported if c not in beyond]
    done = swept_2_32(path, name)
    todo = [c for c in supported if c not in done]
    print("%s: every: %d of %d combinations already swept over 2^32 inputs, %d to go" % (
        name, len(supported) - len(todo), len(supported), len(todo)), flush=True)
    for dst, rnd, ovf in todo:
        r = run_sweep(mxc, lib, "f32", dst, rnd, ovf)
        if r["checked"]:
            record(path, name, "f32", dst, rnd, ovf, "all 2^32", r)


def cmd_sweeps(args):
    build = args[0]
    stages = args[1:] or ["16bit", "binades", "full"]
    for st in stages:
        if st not in ("16bit", "binades", "full", "detected", "every"):
            die("unknown sweep stage '%s' (16bit binades full detected every)" % st)
    mxc = os.path.join(build, "mxconform")
    path = os.path.join(OUTDIR, "sweeps.tsv")
    os.makedirs(OUTDIR, exist_ok=True)
    for peer, lib in available_peers(build):
        name = peer["name"]
        own = [st for st in stages if st in peer.get("stages", stages)]
        if own != stages:
            print("%s: stages %s only (%s)" % (name, " ".join(own) or "none", peer.get("why_stages", "")))
        supported = []
        # which combinations the target answers (a bf16 sweep each); the full stage alone
        # needs no such list: an unsupported combination's sweep checks nothing
        probe = any(st in own for st in ("16bit", "binades", "detected", "every"))
        for dst in [d for d in DSTS if probe and (not ONLY_DST or d in ONLY_DST)]:
            for rnd in ROUNDS:
                for ovf in OVFS:
                    r = run_sweep(mxc, lib, "bf16", dst, rnd, ovf)
                    if r["checked"]:
                        supported.append((dst, rnd, ovf))
                        if "16bit" in own:
                            record(path, name, "bf16", dst, rnd, ovf, "all 2^16", r)
                            record(path, name, "f16", dst, rnd, ovf, "all 2^16", run_sweep(mxc, lib, "f16", dst, rnd, ovf))
        if "binades" in own:
            for dst, rnd, ovf in supported:
                total = {}
                for e in BINADES[dst]:
                    for sign in (0, 256):
                        merge(total, run_sweep(mxc, lib, "f32", dst, rnd, ovf, "%d/512" % (sign + e)))
                cov = "binades %s (x2 signs)" % "/".join(str(e) for e in BINADES[dst])
                record(path, name, "f32", dst, rnd, ovf, cov, total)
        if "full" in own:
            done = {(r["dst"], r["round"], r["overflow"]) for r in load_tsv(path)
                    if r["target"] == name and r["src"] == "f32" and r["coverage"] == "all 2^32"} if SKIP_DONE else set()
            for dst, rnd, ovf in FULL_PLAN.get(name, peer.get("full", [])):
                if (dst, rnd, ovf) not in done and (not ONLY_DST or dst in ONLY_DST):
                    r = run_sweep(mxc, lib, "f32", dst, rnd, ovf)
                    if r["checked"]:
                        record(path, name, "f32", dst, rnd, ovf, "all 2^32", r)
        if "every" in own:
            sweep_every(mxc, lib, name, path, supported)
        if "detected" in own:
            # the same conversions compared under the profile detection found: what it claims
            # is that this profile explains every difference, which the counts by class of the
            # ocp rows (sweep_model) only suggest; here every code must match
            prof = os.path.join(OUTDIR, name + ".profile")
            if not os.path.exists(prof):
                print("%s: no %s (run make peers first): detected stage skipped" % (name, prof))
                continue
            for dst, rnd, ovf in supported:
                for src in ("bf16", "f16"):
                    r = run_sweep_listed(mxc, lib, src, dst, rnd, ovf, prof)
                    record(path, name, src, dst, rnd, ovf, "all 2^16", r, "detected",
                           sweep_bugs(name, src, dst, rnd, ovf, r))
                if not peer.get("detected_f32", True):
                    continue
                total = {}
                for sign in (0, 256):
                    merge(total, run_sweep_listed(mxc, lib, "f32", dst, rnd, ovf, prof, sign + 255, 512))
                record(path, name, "f32", dst, rnd, ovf, "binades 255 (x2 signs)", total, "detected",
                       sweep_bugs(name, "f32", dst, rnd, ovf, total))
                if peer.get("detected_2_32") and (dst, rnd, ovf) not in detected_2_32(path, name):
                    # every f32 input under the profile: a sweep costs minutes for this peer,
                    # and it turns "the ocp counts look like the profile's" into "every code matches"
                    r = run_sweep_listed(mxc, lib, "f32", dst, rnd, ovf, prof)
                    record(path, name, "f32", dst, rnd, ovf, "all 2^32", r, "detected",
                           sweep_bugs(name, "f32", dst, rnd, ovf, r))
    return 0


def detected_2_32(path, name):
    """The (dst, round, overflow) combinations sweeps.tsv holds over all 2^32 f32 inputs under the
    detected profile (PEERS_DETECTED_REDO=1: none, so they run again)."""
    if os.environ.get("PEERS_DETECTED_REDO") == "1":
        return set()
    return {(r["dst"], r["round"], r["overflow"]) for r in load_tsv(path)
            if r["target"] == name and r["src"] == "f32" and r["coverage"] == "all 2^32" and r["knobs"] == "detected"}


# ---- check (CTest) --------------------------------------------------------------------------

def src_nan_payload_bit(src, bits):
    """For a NaN of `src`: (sign, the payload bit just below the quiet bit), else None."""
    w = {"f32": (8, 23), "bf16": (8, 7), "f16": (5, 10), "f64": (11, 52)}[src]
    e = (bits >> w[1]) & ((1 << w[0]) - 1)
    m = bits & ((1 << w[1]) - 1)
    if e != (1 << w[0]) - 1 or not m:
        return None
    return (bits >> (w[0] + w[1])) & 1, (bits >> (w[1] - 2)) & 1


def unexplained_class(suite, f):
    """Name the known failure classes that no single profile models (README.md explains them)."""
    if f.get("actual") == "refused" or f.get("status") == "refused":
        return "refused"  # the library raised for this input: its answer (PROTOCOL.md)
    if f.get("status") == "unobserved":
        return "not observable"  # the target cannot see this result: nothing about the library
    if not re.match(r"0x[0-9a-f]+$", f.get("actual", "")):
        return "not-a-code"
    _, src, dst = suite["name"].split(".")[:3]
    if suite["op"] == "cvt" and src == "f64" and dst in ("e4m3", "e5m2"):
        nan = src_nan_payload_bit(src, int(f["input"], 16))
        # CUDA's double entry point: the NaN keeps its sign and, in E5M2, the payload bit below
        # the quiet bit (nan_sign=keep, e5m2_nan=propagate), unlike its float entry points
        want = (nan[0] << 7) | (0x7F if dst == "e4m3" else 0x7E | nan[1]) if nan else None
        if nan and int(f["actual"], 16) == want:
            return "nan-per-entry-point"
    return None


def cmd_check(args):
    if len(args) < 2:
        die("check MXCONFORM LIB [--tier T] [--peer NAME] [--knob K=V]... [--unexplained CLASS]... [--pass GLOBS] [--unsupported GLOBS]")
    mxc, lib = args[0], args[1] if args[1].startswith(("lib:", "cmd:")) else "lib:" + args[1]
    tier, peer, knobs, classes, must_pass, must_unsup, must_refuse, answered = "smoke", None, [], [], [], [], [], []
    unobservable = []  # suites where the target may answer `?` (PROTOCOL.md "Not observable"): nowhere else
    i = 2
    while i < len(args):
        opt, val = args[i], args[i + 1] if i + 1 < len(args) else die("%s needs a value" % args[i])
        if opt == "--tier": tier = val
        elif opt == "--peer": peer = val
        elif opt == "--knob": knobs.append(val)
        elif opt == "--unexplained": classes.append(val)
        elif opt == "--pass": must_pass += val.split(",")
        elif opt == "--unsupported": must_unsup += val.split(",")
        elif opt == "--refused": must_refuse += val.split(",")
        elif opt == "--answered": answered += val.split(",")
        elif opt == "--unobserved": unobservable += val.split(",")
        else: die("unknown option " + opt)
        i += 2
    if lib.startswith("cmd:"):  # a process peer whose library is not here: skipped (CTest SKIP 77)
        try:
            h = subprocess.run(["sh", "-c", lib[4:]], input="mxconform-protocol 1\nquit\n", stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
            ready = h.stdout.startswith("ok ")
        except (OSError, subprocess.TimeoutExpired):
            ready, h = False, None
        if not ready:
            print("SKIPPED: %s is not usable here: %s" % (lib, (h.stderr.strip().splitlines() or ["?"])[-1] if h else "?"))
            return 77
    problems = []
    with tempfile.TemporaryDirectory(prefix="mxpeer.") as tmp:
        out = os.path.join(tmp, "r.json")
        p = subprocess.run([mxc, "run", "--target", lib, "--timeout", TIMEOUT, "--profile", "ocp", "--tier", tier, "-q",
                            "--max-failures", "100000", "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        print(p.stdout.strip())
        if p.returncode not in (0, 1):
            print("FAILED: exit status %d (want 0 or 1: the run must complete)" % p.returncode)
            return 1
        try:
            with open(out) as f:
                r = json.load(f)
        except (OSError, ValueError) as e:
            print("FAILED: results JSON unreadable: %s" % e)
            return 1
    if r.get("schema") != "mxconform-results/1" or not r.get("suites"):
        problems.append("not a mxconform-results/1 file with suites")
    if (r["verdict"] == "pass") != (p.returncode == 0):
        problems.append("verdict %s but exit status %d" % (r["verdict"], p.returncode))
    bad = [s["name"] + ":" + s["status"] for s in r["suites"] if s["status"] in ("crash", "timeout", "protocol-error")]
    if bad:
        problems.append("suites crashed/timed out/broke the protocol: %s" % " ".join(bad[:10]))
    dp = r.get("detected_profile") or {"diff": [], "summary": "matches ocp"}
    named = {"%s=%s" % (d["knob"], d["detected_value"]) for d in dp["diff"]} | \
        {"%s=%s when %s" % (d["knob"], d["detected_value"], d["condition"]) for d in dp["diff"] if d.get("condition")}
    for k in knobs:
        if k not in named:
            problems.append("profile detection did not name %s (it said: %s)" % (k, dp["summary"]))
    counted = {}
    for s in r["suites"]:
        if fnmatch_any(s["name"], must_pass) and s["status"] != "pass":
            problems.append("%s: %s, want pass" % (s["name"], s["status"]))
        if fnmatch_any(s["name"], must_unsup) and s["status"] != "unsupported":
            problems.append("%s: %s, want unsupported" % (s["name"], s["status"]))
        if fnmatch_any(s["name"], must_refuse) and not s.get("refused"):
            problems.append("%s: no refused case (the library raises there)" % s["name"])
        if fnmatch_any(s["name"], answered) and s["status"] == "unsupported":
            problems.append("%s: unsupported, want answered" % s["name"])
        if s.get("unobserved") and not fnmatch_any(s["name"], unobservable):
            problems.append("%s: %d results not observable by the target, where it should see them" % (s["name"], s["unobserved"]))
        if s.get("unobserved"):
            counted["not observable"] = counted.get("not observable", 0) + s["unobserved"]
        # refused values are compared as answers (in `failed` when unexpected); refused calls are
        # not; unobserved values are listed (status unobserved) but are no failures
        listed = s.get("failed", 0) + s.get("refused", 0) - s.get("refused_values", 0) + s.get("unobserved", 0)
        if len(s.get("failures", [])) != listed:
            problems.append("%s: %d failures listed of %d" % (s["name"], len(s.get("failures", [])), listed))
        for f in s.get("failures", []):
            if f.get("status") == "unobserved":  # a statement about the target: nothing to classify
                continue
            why = f.get("explained_by")
            if why:
                for part in why.split(";"):
                    if part not in named and not part.startswith("cvt "):
                        problems.append("%s %s: explained by %s, which is not a detected knob" % (s["name"], f["input"], part))
                continue
            c = (peers_bugs.classify(peer, s, f) if peer else None) or unexplained_class(s, f) or "unclassified"
            if c in classes or "any" in classes:
                counted[c] = counted.get(c, 0) + 1
            else:
                problems.append("%s %s: expected %s, got %s, explained by no knob and no allowed class" % (
                    s["name"], f["input"], f["expected"], f["actual"]))
    for g in must_pass + must_unsup + must_refuse + answered + unobservable:
        if g and not fnmatch_any_suite(r, g):
            problems.append("no suite matches %s" % g)
    for c in classes:
        if c != "any" and not counted.get(c):
            problems.append("class %s: no case seen (has the target changed?)" % c)
    for q in problems[:40]:
        print("FAILED: " + q)
    if not problems:
        print("passed: %s; known unexplained classes: %s" % (dp["summary"], counted or "none"))
    return 1 if problems else 0


def fnmatch_any_suite(r, glob):
    return any(fnmatch.fnmatchcase(s["name"], glob) for s in r["suites"])


def fnmatch_any(name, globs):
    return any(fnmatch.fnmatchcase(name, g) for g in globs if g)


# ---- report ---------------------------------------------------------------------------------

def sh(cmd, ok=(0,)):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if p.returncode not in ok:
        die("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:]))
    return p


SCALAR_KNOBS = {"round", "sr_bits", "overflow", "nan_sign", "e5m2_nan", "inf_sat", "nan_finite", "inf_finite",
                "int8_range", "src_subnormals", "e8m0_zero", "e8m0_neg", "fnuz_zero", "ovf_directed", "e8m0_tie",
                "ovf_finite", "f64_src", "ovf_nan"}


def knob_for(k, src, dst, rnd, ovf):
    """A detected `knob=value` or `knob=value when cond` as the plain --knob it is for one cvt
    request, or None when the condition does not hold (profile.h: conditional values)."""
    if " when " not in k:
        return k
    kv, cond = k.split(" when ", 1)
    have = {"op": "cvt", "src": src, "dst": dst, "round": rnd, "overflow": ovf}
    for term in cond.split():
        what, vals = term.split("=", 1)
        if have.get(what) not in vals.split(","):
            return None
    return kv


class Oracle:
    """Expected codes (MPFR oracle, any knobs) and decoded values, through the mxconform CLI."""

    def __init__(self, mxc):
        self.mxc, self.cache = mxc, {}

    def convert(self, src, dst, rnd, ovf, bits, knobs=()):
        # `convert` takes the scalar knobs only: a block knob (inf_block ...) cannot change it
        knobs = [knob_for(k, src, dst, rnd, ovf) for k in knobs if k.split("=")[0] in SCALAR_KNOBS]
        knobs = [k for k in knobs if k]
        key = (src, dst, rnd, ovf, bits, tuple(knobs))
        if key not in self.cache:
            cmd = [self.mxc, "convert", "--from", src, "--to", dst, "--round", rnd, "--overflow", ovf, "--impl", "oracle"]
            for k in knobs:
                cmd += ["--knob", k]
            out = sh(cmd + ["0x%x" % bits]).stdout
            m = re.search(r"-> \S+ 0x([0-9a-f]+) ", out)
            self.cache[key] = int(m.group(1), 16) if m else None
        return self.cache[key]

    def value(self, fmt, bits):
        key = ("value", fmt, bits)
        if key not in self.cache:
            if fmt in ("f32", "bf16", "f16", "f64"):
                out = sh([self.mxc, "convert", "--from", fmt, "--to", "e4m3", "--impl", "oracle", "0x%x" % bits]).stdout
                m = re.match(r"\S+ 0x[0-9a-f]+ (.*)", out.splitlines()[0])
            else:
                out = sh([self.mxc, "decode", "--fmt", fmt, "0x%x" % bits]).stdout
                m = re.match(r"\S+ 0x[0-9a-f]+\s+\S+\s+(.*?)\s+\[", out)
            self.cache[key] = m.group(1).strip() if m else "?"
        return self.cache[key]


def probe_target(mxc, spec, probes):
    """Ask the library for each probe: through `mxconform serve --lib` (a child process) for
    an ABI target, the command itself for a process target. One request per line, so that an
    `unsupported` or refused answer stays with its probe."""
    lines = ["mxconform-protocol 1"] + ["cvt %s %s %s %s 1 %x" % (p[1], p[2], p[3], p[4], p[5]) for p in probes] + ["quit"]
    argv = [mxc, "serve", "--lib", spec[4:]] if spec.startswith("lib:") else ["sh", "-c", spec[4:]]
    p = subprocess.run(argv, input="\n".join(lines) + "\n", stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True)
    answers = p.stdout.splitlines()[1:]
    out = []
    for i in range(len(probes)):
        a = answers[i] if i < len(answers) else "crash"
        if a.startswith("ok ") and a.split()[1].startswith("?"):  # the target cannot see it (PROTOCOL.md)
            codes = a.split()[1][1:].split("/") if len(a.split()[1]) > 1 else []
            out.append("not observable" + (" (one of %s)" % " ".join("0x" + c for c in codes) if codes else ""))
            continue
        out.append(int(a.split()[1], 16) if a.startswith("ok ") and a.split()[1] != "!" else
                   "refused" if a.startswith("ok ") or a.startswith("refused") else a.split()[0])
    return out


# (peers.md item, src, dst, round, overflow, input bits, what it probes)
PROBES = [
    ("D1", "f32", "e2m1", "rne", "sat", 0x7fc00000, "+NaN -> FP4"),
    ("D1", "f32", "e2m1", "rne", "sat", 0xffc00000, "-NaN -> FP4"),
    ("D1", "f32", "e2m3", "rne", "sat", 0x7fc00000, "+NaN -> FP6 E2M3"),
    ("D1", "f32", "e3m2", "rne", "sat", 0xffc00000, "-NaN -> FP6 E3M2"),
    ("D1", "f32", "e2m1", "rne", "sat", 0x7f800000, "+Inf -> FP4"),
    ("D1", "f32", "e2m1", "rne", "sat", 0xff800000, "-Inf -> FP4"),
    ("D2", "f32", "e4m3", "rne", "ovf", 0x43e80000, "464 (tie 448|480) non-saturating"),
    ("D2", "f32", "e4m3", "rne", "ovf", 0x43e80001, "464.00003 non-saturating"),
    ("D2", "f32", "e4m3", "rne", "sat", 0x43e80001, "464.00003 saturating"),
    ("D2", "f32", "e4m3", "rne", "sat", 0x7f800000, "+Inf saturating"),
    ("D2", "f32", "e4m3", "rtz", "ovf", 0x43e80001, "464.00003 toward zero, non-saturating"),
    ("D2", "f32", "e4m3", "rna", "ovf", 0x43e80000, "464 ties away, non-saturating"),
    ("D3", "f32", "e5m2", "rne", "sat", 0x7fc00000, "f32 quiet NaN -> E5M2"),
    ("D3", "f64", "e5m2", "rne", "sat", 0x7ff8000000000000, "f64 quiet NaN -> E5M2"),
    ("D3", "f32", "e5m2", "rne", "sat", 0x7f800000, "+Inf saturating"),
    ("D3", "f32", "e5m2", "rne", "ovf", 0x47700000, "61440 (tie max|2^16) non-saturating"),
    ("D3+", "f32", "e5m2", "rne", "ovf", 0x7fa00000, "f32 NaN with payload bit 21 (below the quiet bit)"),
    ("D3+", "f64", "e5m2", "rne", "ovf", 0x7ffc000000000000, "f64 NaN with payload bit 50"),
    ("D4", "f32", "e4m3", "rne", "sat", 0xffc00000, "f32 -NaN -> E4M3"),
    ("D4", "f64", "e4m3", "rne", "sat", 0xfff8000000000000, "f64 -NaN -> E4M3"),
    ("D4", "bf16", "e4m3", "rne", "sat", 0xffc0, "bf16 -NaN -> E4M3"),
    ("D4+", "f32", "e4m3", "rne", "ovf", 0xc3e80001, "-464.00003 non-saturating (overflow NaN sign)"),
    ("D5", "f32", "e8m0", "rtz", "ovf", 0x40400000, "3.0 toward zero"),
    ("D5", "f32", "e8m0", "rup", "ovf", 0x40400000, "3.0 up"),
    ("D5", "f32", "e8m0", "rne", "ovf", 0x40400000, "3.0 nearest"),
    ("D5", "f32", "e8m0", "rup", "sat", 0x3fbeb852, "1.49 up"),
    ("D5", "f32", "e8m0", "rtz", "ovf", 0x00000000, "0.0"),
    ("D5", "f32", "e8m0", "rup", "ovf", 0xc0400000, "-3.0 up"),
    ("D5", "f32", "e8m0", "rup", "ovf", 0x7f800000, "+Inf up, non-saturating"),
    ("D5", "f32", "e8m0", "rup", "sat", 0x7f800000, "+Inf up, saturating"),
    ("D5", "f32", "e8m0", "rup", "ovf", 0x7f7fffff, "FLT_MAX up, non-saturating"),
    ("D5", "f32", "e8m0", "rup", "sat", 0x7f7fffff, "FLT_MAX up, saturating"),
    ("D5", "f32", "e8m0", "rup", "sat", 0x00600000, "1.5*2^-127 (f32 subnormal) up"),
    ("D10", "f32", "e2m1", "rna", "sat", 0x40200000, "2.5 ties away"),
    ("D10", "f32", "e2m1", "rna", "sat", 0x40a00000, "5.0 ties away"),
    ("D10", "f32", "e2m1", "rne", "sat", 0x40a00000, "5.0 ties to even"),
]

CLASS_TEXT = {
    "nan-per-entry-point": "an f64 NaN goes through another entry point, which keeps the sign and the payload "
                           "(`nan_sign = keep`, `e5m2_nan = propagate`); the float, half and bf16 ones canonicalise "
                           "(the detected values): a profile holds one value per knob",
    "fp8-nan-canonical": "a NaN input becomes +NaN 0x7F whatever its sign",
    "refused": "the library raised (or gave no code) for this input: answered refused",
    "not observable": "the target cannot observe this result (harness/PROTOCOL.md `?`): a statement about the "
                      "target, not the library; counted apart, never a pass",
}


def classify_failure(suite, f, peer=None):
    bug = peers_bugs.classify(peer, suite, f) if peer else None
    if bug:
        return "suspected bug: " + bug
    c = unexplained_class(suite, f)
    if c:
        return c
    if suite["op"] != "cvt":
        return "unclassified " + suite["op"]
    _, src, dst = suite["name"].split(".")[:3]
    if suite["op"] == "cvt" and dst in ("e4m3", "e5m2") and src_nan_payload_bit(src, int(f["input"], 16)) \
            and f["actual"] == "0x7f":
        return "fp8-nan-canonical"
    return "unclassified"


def fmt_code(dst, c):
    return c if isinstance(c, str) else "0x%0*x" % (2 if dst not in ("e2m1",) else 1, c)


def suite_matrix(r):
    """Rows: decode + cvt per destination; columns: rounding modes; cell: passed/answered."""
    cells = {}
    for s in r["suites"]:
        parts = s["name"].split(".")
        if s["op"] == "cvt":
            row, col = "cvt -> " + parts[2], parts[3]
        elif s["op"] == "decode":
            row, col = "decode", parts[1]
        else:
            row, col = s["op"], "all"
        c = cells.setdefault((row, col), [0, 0, 0])  # pass, answered, total
        c[2] += 1
        if s["status"] != "unsupported":
            c[1] += 1
            c[0] += s["status"] == "pass"
    return cells


def cell_text(c):
    if not c:
        return ""
    p, a, t = c
    if a == 0:
        return "unsupported"
    return "%d/%d pass" % (p, a) + ("" if a == t else " (%d unsupp.)" % (t - a))



# ---- findings: each divergence class of a peer, one concrete input, classified -------------
# (peer, divergence, (src, dst, round, overflow, input bits), class, where in the library).
# The report asks the oracle (ocp) and the peer itself for the expected and actual codes at
# generation time: nothing here is a typed-in result. Classes: "knob" (a legitimate choice a
# profile names today), "conditional knob" / "missing knob" (a legitimate choice profiles cannot
# say yet: issue 15 item 3), "suspected bug" (with the source line), "binding" (not the library).
TP = "../shared/thirdparty/"
FINDINGS = [
    ("ml_dtypes", "NaN into FP4/FP6 becomes a zero of the other sign", ("f32", "e2m1", "rne", "sat", 0x7fc00000),
     "knob nan_finite=inverted-zero", TP + "ml_dtypes/ml_dtypes/include/mxfloat.h:259 (quiet_NaN() is -0), float8.h:1375 (negated for -NaN)"),
    ("ml_dtypes", "Inf under saturation keeps the special (E4M3: NaN)", ("f32", "e4m3", "rne", "sat", 0x7f800000),
     "knob inf_sat=special", TP + "ml_dtypes/ml_dtypes/include/float8.h:1371 (isinf returns infinity() whatever kSaturate)"),
    ("ml_dtypes", "truncation (rtz) overflows to NaN/Inf instead of the largest finite value", ("f32", "e4m3", "rtz", "ovf", 0x7f7ffffe),
     "suspected bug (IEEE 754 7.4: roundTowardZero overflow gives the largest finite number)", TP + "ml_dtypes/ml_dtypes/include/float8.h:1505"),
    ("ml_dtypes", "E8M0 ties round up (the implicit bit is taken as the last place)", ("f32", "e8m0", "rne", "sat", 0x01400000),
     "missing knob (E8M0 has no significand bit: what 'even' means is a gap)", TP + "ml_dtypes/ml_dtypes/include/float8.h:1266 (RoundBitsToNearestEven, used at :1466)"),
    ("ml_dtypes", "E8M0 of zero: NaN without saturation, 0x00 with it", ("f32", "e8m0", "rne", "ovf", 0x0),
     "conditional knob (e8m0_zero = nan when ovf, min when sat)", TP + "ml_dtypes/ml_dtypes/include/float8.h:1383"),
    ("ml_dtypes", "E8M0 of a negative: NaN without saturation, 0x00 with it", ("f32", "e8m0", "rtz", "sat", 0xc0400000),
     "conditional knob (e8m0_neg = nan when ovf, min when sat)", TP + "ml_dtypes/ml_dtypes/include/float8.h:1394"),
    ("ml_dtypes", "FP8 variants: +-Inf under saturation keeps the special, NaN 0x80 in the FNUZ formats (no Inf)",
     ("f32", "e4m3fnuz", "rne", "sat", 0x7f800000),
     "knob inf_sat=special (the OCP row above, on float8_e4m3fnuz/e5m2fnuz/e4m3b11fnuz)", TP + "ml_dtypes/ml_dtypes/include/float8.h:1371"),
    ("ml_dtypes", "IEEE-like E4M3/E3M4: +-Inf under saturation stays +-Inf", ("f32", "e3m4", "rne", "sat", 0xff800000),
     "knob inf_sat=special", TP + "ml_dtypes/ml_dtypes/include/float8.h:1371"),
    ("gfloat", "every NaN result is code 0xFF (sign bit set), E4M3 and E5M2", ("f32", "e4m3", "rne", "sat", 0x7fc00000),
     "missing knob value (nan_sign = always-set; e5m2_nan=allones covers E5M2 only)", TP + "gfloat/src/gfloat/types.py:309 (code_of_nan = 2^k - 1)"),
    ("gfloat", "non-saturating E4M3 overflow is 0xFF whatever the sign", ("f32", "e4m3", "rne", "ovf", 0x43e80001),
     "missing knob value (as above)", TP + "gfloat/src/gfloat/encode_ndarray.py:48"),
    ("gfloat", "NaN into FP4/FP6/INT8: the vectorised API asserts (the scalar one raises ValueError)", ("f32", "e2m1", "rne", "sat", 0x7fc00000),
     "refused (documented: the format cannot hold a NaN); the assert is a suspected bug", TP + "gfloat/src/gfloat/encode_ndarray.py:41 (assert), round.py:81 (ValueError)"),
    ("gfloat", "overflow without saturation into FP4/FP6 raises", ("f32", "e2m1", "rne", "ovf", 0x7f7fffff),
     "refused (documented Raises)", TP + "gfloat/src/gfloat/round_ndarray.py:217"),
    ("gfloat", "E8M0 of a tiny input: round_ndarray leaves a value below 2^-127, encode_ndarray gives no code", ("f32", "e8m0", "rne", "sat", 0x1),
     "suspected bug (no clamp to E8M0's smallest value: has_subnormals is False)", TP + "gfloat/src/gfloat/round_ndarray.py:118 (expval clamp only with subnormals)"),
    ("gfloat", "E8M0 of a negative: encode_ndarray gives 2^64-1, no code", ("f32", "e8m0", "rtz", "sat", 0xc0400000),
     "suspected bug (unsigned format, negative input)", TP + "gfloat/src/gfloat/encode_ndarray.py:30-56"),
    ("microxcaling", "just under a half-way point rounds up: floor(abs(x) + 0.5) in FP32 rounds the sum", ("f32", "e2m1", "rne", "sat", 0x3e7fffff),
     "suspected bug (nearest-sum-rounds-in-fp32; E4M3: 0x3a7fffff -> 0x01, 2 of the 91 finite mismatches of the 2^32 sweep)",
     TP + "microxcaling/mx/elemwise_ops.py:68 (_round_mantissa 'even'), :63 ('nearest'), :139-140 (exponent clipped)"),
    ("microxcaling", "the 44 largest FP32 magnitudes of each sign (0x7f7fffd4 up) give NaN: their log2 rounds to 128, 2**128 is "
     "Inf in FP32, and the scaling gives 0 * Inf", ("f32", "e4m3", "rne", "sat", 0x7f7fffd4),
     "suspected bug (fp32-overflow-near-flt-max; 88 of the 91 finite mismatches of the 2^32 sweep; the 91st is -0)",
     TP + "microxcaling/mx/elemwise_ops.py:135-136 (log2), :35 (x / 2**exp), :42 (* 2**exp), :154 (clamp keeps NaN)"),
    ("microxcaling", "a NaN result is negative (0xFF) whatever the input's sign, in torch's 16-wide vector lanes: 2 ** NaN "
     "gives 0xFFFFFFFF there; the last n mod 16 elements of a tensor (the scalar loop) give +NaN 0x7FC00000, so one value "
     "asked alone gives 0x7F (the D4 probes below). The 2^32 sweep f32 -> E4M3 rne sat: 0x7f800001 -> 0xff (expected 0x7f), "
     "8388607 NaN mismatches, 0 under the detected profile", None,
     "knob nan_sign=negative (for the lanes; where a NaN falls in the tensor is no knob)",
     TP + "microxcaling/mx/elemwise_ops.py:135-136 (log2(NaN)), :35 and :42 (2 ** exp)"),
    ("microxcaling", "+-Inf into E4M3 under saturate_normals stays Inf, which E4M3 has not (no code): the sweep's 2 Inf "
     "mismatches (0x7f800000 -> refused, expected 0x7e), 0 under the detected profile", None,
     "knob inf_sat=special + ovf_nan=refuse", TP + "microxcaling/mx/elemwise_ops.py:161-162 (out[A == Inf] = Inf after the clamp)"),
    ("microxcaling", "-0 becomes +0 (torch.sign(-0) is 0)", ("f32", "e4m3", "rne", "sat", 0x80000000),
     "suspected bug (MX/OFP8 keep the sign of zero)", TP + "microxcaling/mx/elemwise_ops.py:59-68"),
    ("microxcaling", "Inf into FP6/FP4 stays Inf (no code), even with saturate_normals", ("f32", "e2m3", "rne", "sat", 0x7f800000),
     "suspected bug (the formats have no Inf)", TP + "microxcaling/mx/elemwise_ops.py:161"),
    ("microxcaling", "INT8 is symmetric (-2.0 never produced)", ("f32", "int8", "rne", "sat", 0xc0000000),
     "knob int8_range=symmetric", TP + "microxcaling/mx/elemwise_ops.py:75"),
    ("microxcaling", "mx.matmul raises AssertionError on torch 1.13 (set_matmul_precision reads a torch >= 2 flag)", None,
     "suspected bug (environment: the adapter replaces the CPU no-op)", TP + "microxcaling/mx/matmul_precision.py:44"),
    ("microxcaling", "mx.matmul is torch.matmul in FP32, on Debian's torch 1.13 the reference BLAS sgemm (libblas3): "
     "FP32 products added one by one in index order from +0, the bias C after: the dot model group=1 accum=f32-rne "
     "c_at=last (+0 start aside); every other dot divergence is the library quantizing its inputs again "
     "(peers_bugs.py: dot-order-fp32-sequential, dot-requantizes-operands, dot-operand-beyond-fp32)", None,
     "choice (the order; no SIMD lanes: a plain loop) + suspected bug (re-quantization of MX inputs)",
     TP + "microxcaling/mx/matmul.py:67-86; lapack 3.11 BLAS/SRC/sgemm.f"),
    ("microxcaling", "`out[A == NaN] = NaN` never matches (NaN != NaN): dead code", None,
     "suspected bug (harmless: NaN propagates through the arithmetic)", TP + "microxcaling/mx/elemwise_ops.py:163"),
    ("llvm-apfloat", "FNUZ formats: +-Inf under (emulated) saturation -> NaN 0x80: an Inf raises no overflow flag",
     ("f32", "e5m2fnuz", "rne", "sat", 0xff800000), "knob inf_sat=special",
     "targets/llvm-apfloat/README.md (sat = getLargest when convert reports opOverflow)"),
    ("llvm-apfloat", "IEEE-like E4M3: a NaN keeps the payload bits below the quiet bit that fit", ("f32", "e4m3ieee", "rne", "ovf", 0x7f900000),
     "knob e5m2_nan=propagate (as for E5M2)", "llvm/lib/Support/APFloat.cpp, IEEEFloat::convert (the payload shifted right)"),
    ("onnxruntime", "E4M3 without saturation: inputs in [480, 496) (they round to 480, the value E4M3FN spends on NaN) "
     "give the largest finite 448, not NaN; 464 < x < 480 and x >= 496 give NaN as they should", ("f32", "e4m3", "rne", "ovf", 0x43f40000),
     "suspected bug (caught by the overflow-band interior vectors: cvt.f32.e4m3.rne.ovf holds 0x43f3ffff, 0x43f40000, 0x43f40001)",
     "onnxruntime include/onnxruntime/core/common/float8.h, Float8E4M3FN(float, saturate)"),
    ("onnxruntime", "E5M2 without saturation: values that round up into the overflow give NaN, not Inf", ("f32", "e5m2", "rne", "ovf", 0x47700000),
     "suspected bug (larger values give Inf 0x7C; e.g. 1e6)", "onnxruntime include/onnxruntime/core/common/float8.h, Float8E5M2(float, saturate): the rounding branch ORs 0x7C into a code whose mantissa bits are already set (0x7F, NaN)"),
    ("onnxruntime", "E8M0 round_mode: `up` is ceil and `down` floor (measured on 2.5, 3.0, 3.5), while the RoundMode comments "
     "say nearest with ties away / toward zero; `nearest` rounds ties up (= rna); no mode rounds ties to even (rne unsupported)", None,
     "documentation mismatch (the target claims rup, rdn, rna as measured)", "onnxruntime include/onnxruntime/core/common/float8.h, Float8E8M0::RoundMode"),
    ("onnxruntime", "E8M0 of zero: NaN without saturation", ("f32", "e8m0", "rup", "ovf", 0x0),
     "conditional knob (e8m0_zero = nan when ovf)", "onnxruntime include/onnxruntime/core/common/float8.h, Float8E8M0(float, saturate, round_mode)"),
    ("onnxruntime", "E8M0 of a negative under saturation: 0x00", ("f32", "e8m0", "rdn", "sat", 0x80800000),
     "conditional knob (e8m0_neg = min when sat, nan when ovf)", "onnxruntime include/onnxruntime/core/common/float8.h, Float8E8M0"),
    ("onnxruntime", "E5M2 NaN results: which of 0x7D-0x7F is not observable through the JS binding (not a divergence: "
     "counted as *not observable*, never as a bug, and never hiding one: a NaN where Inf or a NaN of the other sign "
     "is expected is still a mismatch)", ("f32", "e5m2", "rne", "sat", 0x7fc00000),
     "the target, not the library (answered `?7d/7e/7f`: FP8 cannot leave the graph, and every back-cast drops the "
     "payload; harness/PROTOCOL.md \"Not observable\")", "targets/onnxruntime/mxtarget_onnxruntime.js"),
]


def findings_section(mxc, oracle, peers):
    out = ["## Findings: every divergence class, one concrete input", "",
           "Expected = the MPFR oracle under `ocp`; actual = the library, asked now (`refused`: it raised or gave",
           "no code; `not observable`: the target cannot see which code, e.g. through ONNX Runtime's binding). *class*: a legitimate choice (a knob",
           "today, or a conditional/missing knob that profiles cannot say yet) or a suspected bug, with the",
           "library's source line (`../shared/thirdparty/...` = the snapshot of thirdparty/README.md).", "",
           "| library | divergence | conversion | input | expected (ocp) | actual | class | where |",
           "|---|---|---|---|---|---|---|---|"]
    specs = {p["name"]: p["lib"] for p in peers}
    for name, what, probe, cls, where in FINDINGS:
        if name not in specs:
            continue
        if probe is None:
            out.append("| %s | %s | - | - | - | - | %s | `%s` |" % (name, what, cls, where))
            continue
        src, dst, rnd, ovf, bits = probe
        exp = oracle.convert(src, dst, rnd, ovf, bits)
        act = probe_target(mxc, specs[name], [("", src, dst, rnd, ovf, bits, "")])[0]
        out.append("| %s | %s | %s.%s %s %s | `0x%x` %s | %s | %s%s | %s | `%s` |" % (
            name, what, src, dst, rnd, ovf, bits, oracle.value(src, bits), fmt_code(dst, exp), fmt_code(dst, act),
            "" if act != exp else " (= expected: fixed?)", cls, where))
    out.append("")
    return "\n".join(out)


def bug_text(bug_id):
    for b in peers_bugs.BUGS:
        if b[1] == bug_id:
            return "%s; e.g. `%s`; %s" % (b[2], b[4], b[5])
    return bug_id


def residuals(p):
    """Failures under the detected profile: (by suspected bug, unexplained)."""
    bugs = unexplained = 0
    for s in p["again"]["suites"]:
        for f in s.get("failures", []):
            if f.get("status") == "unobserved":  # the target's blind spot, counted apart (not observable)
                continue
            if peers_bugs.classify(p["name"], s, f):
                bugs += 1
            else:
                unexplained += 1
    return bugs, unexplained


def ecosystem_table(peers):
    out = ["| library | what the target answers | blocks | dot | verdict (standard tier, `ocp`) | failed / refused cases | not observable | detected profile | suspected bugs | under the profile: cases of suspected bugs / unexplained |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for p in peers:
        r, t = p["r"], p["r"]["totals"]
        answered = lambda op: any(s["op"] == op and s["status"] != "unsupported" for s in r["suites"])
        refused = sum(s.get("refused", 0) for s in r["suites"])
        unobserved = sum(s.get("unobserved", 0) for s in r["suites"])  # the target's, never unexplained
        blocks = " ".join(op for op in ("quantize", "dequantize", "pack") if answered(op)) or "-"
        bugs = len(peers_bugs.bugs_of(p["name"]))
        in_bugs, unexplained = residuals(p)
        out.append("| %s (`%s`) | %s | %s | %s | %s | %d / %d of %d | %d | %s | %d | %d / %d |" % (
            p["peer"]["library"], p["name"], p["peer"]["ops"], blocks,
            "probe dot" if p["peer"].get("suites") or answered("dot") else "-",
            r["verdict"], t["failed_cases"], refused, t["cases"], unobserved,
            "; ".join("%s = %s" % kv for kv in p["knobs"]) or "ocp", bugs, in_bugs, unexplained))
    return out


def cmd_report(args):
    build = args[0]
    mxc = os.path.join(build, "mxconform")
    if not os.path.exists(mxc):
        die("%s: not built (make build)" % mxc)
    os.makedirs(OUTDIR, exist_ok=True)
    oracle = Oracle(mxc)
    peers = []
    for peer, lib in available_peers(build):
        name = peer["name"]
        out = os.path.join(OUTDIR, name + ".json")
        step(name, "standard tier under ocp")
        only = ["--suites", peer["suites"]] if peer.get("suites") else []
        p = sh([mxc, "run", "--target", lib, "--timeout", TIMEOUT, "--profile", "ocp", "--tier", "standard", "-q",
                "--max-failures", "5", "-o", out] + only, ok=(0, 1))
        print(p.stdout.strip())
        with open(out) as f:
            r = json.load(f)
        dp = r.get("detected_profile") or {"diff": [], "summary": "matches ocp", "unexplained_failures": 0}
        knobs = [(d["knob"], d["detected_value"] + (" when " + d["condition"] if d.get("condition") else ""))
                 for d in dp["diff"] if " " not in d["knob"]]
        prof = os.path.join(OUTDIR, name + ".profile")
        with open(prof, "w") as f:
            f.write("# %s as detected by mxconform on the standard tier (scripts/peers.py; do not edit)\n" % name)
            f.write("# %s\n" % dp["summary"])
            if dp.get("profile_file"):  # every key and the conditional values (run_output.c)
                f.write(re.sub(r"(?m)^name = .*$", "name = %s-detected" % name, dp["profile_file"]))
            else:
                f.write("name = %s-detected\nbase = ocp\n" % name)
                for k, v in knobs:
                    f.write("%s = %s\n" % (k, v))
            if peer.get("dot") and not re.search(r"(?m)^dot = ", dp.get("profile_file") or ""):
                f.write("# the dot model measured for this library (scripts/peers.py PEERS; spec_notes/profiles.md)\n")
                f.write("dot = %s\n" % peer["dot"])
        step(name, "standard tier under %s.profile" % name)
        with tempfile.TemporaryDirectory(prefix="mxpeers.") as tmp:
            again = os.path.join(tmp, "again.json")
            sh([mxc, "run", "--target", lib, "--timeout", TIMEOUT, "--profile", prof, "--tier", "standard", "-q", "--max-failures",
                "100000", "-o", again] + only, ok=(0, 1))
            with open(again) as f:
                r2 = json.load(f)
        peers.append({"name": name, "lib": lib, "peer": peer, "r": r, "dp": dp, "knobs": knobs, "again": r2})
        step(name, "done")
    if not peers:
        print("no peer is available here: reports/peers/ left as it is")
        return 0
    answers = {}
    for p in peers:
        step(p["name"], "probes (%d requests)" % len(PROBES))
        answers[p["name"]] = probe_target(mxc, p["lib"], PROBES)
    step("all", "findings (the oracle and each library, one input each)")

    L = []
    w = L.append
    w("# Real implementations under mxconform")
    w("")
    for line in ecosystem_table(peers):
        w(line)
    w("")
    w("Generated by `scripts/peers.py` (`make peers`); do not edit. Sweeps: `scripts/peers.py sweeps BUILD`")
    w("(rows of `sweeps.tsv`). Targets: `targets/llvm-apfloat/`, `targets/cuda-host/`, `targets/ml-dtypes/`,")
    w("`targets/python/mxtarget_gfloat.py`, `targets/python/mxtarget_microxcaling.py`, `targets/onnxruntime/`")
    w("(each says how every operation maps onto its library). Results: `<target>.json` (standard tier,")
    w("profile `ocp`), the detected profiles `<target>.profile`, the side-by-side HTML report `report.html`.")
    w("Peers that are not here are skipped with one line (`scripts/peers.py list BUILD`).")
    w("The CUDA device paths and the FP8 tensor cores (`targets/cuda-device/`) need a GPU and are not among them: `cuda-device-h200/` holds their first run (NVIDIA H200, 2026-12-04).")
    w("")
    w(findings_section(mxc, oracle, peers))
    w("| target | version | verdict (standard tier, `ocp`) | suites pass / fail / unsupported | failed cases | crash / timeout / protocol |")
    w("|---|---|---|---|---|---|")
    for p in peers:
        t = p["r"]["totals"]
        w("| `%s` | %s | %s | %d / %d / %d | %d of %d | %d / %d / %d |" % (
            p["name"], p["r"]["target"]["version"], p["r"]["verdict"], t["pass"], t["fail"], t["unsupported"],
            t["failed_cases"], t["cases"], t["crash"], t["timeout"], t["protocol_error"]))
    w("")
    w("## Suites by class (standard tier, profile `ocp`)")
    w("")
    w("Each `cvt` cell covers 4 sources (f32 bf16 f16 f64) x 2 overflow modes (sat ovf); `x/y pass` counts")
    w("the suites the target answered; quantize, dequantize, pack and dot are in the table above.")
    w("")
    for p in peers:
        cells = suite_matrix(p["r"])
        w("**%s**" % p["name"])
        w("")
        w("| | rne | rna | rtz | rup | rdn | sr |")
        w("|---|---|---|---|---|---|---|")
        fmts = ["e4m3", "e5m2", "e2m3", "e3m2", "e2m1", "int8", "e8m0"] + VARIANTS
        for dst in fmts:
            w("| cvt -> %s | %s |" % (dst, " | ".join(cell_text(cells.get(("cvt -> " + dst, rd))) for rd in ROUNDS + ["sr"])))
        dec = [d for d in fmts if ("decode", d) in cells]
        w("| decode | %s |" % "; ".join("%s %s" % (d, "pass" if cells[("decode", d)][0] else
                                                   ("unsupported" if not cells[("decode", d)][1] else "FAIL")) for d in dec) +
          " | | | | | |")
        w("")
    w("## Detected profiles")
    w("")
    for p in peers:
        a, dp = p["again"]["totals"], p["dp"]
        w("**%s**: %s. Profile file `%s.profile`: `%s`. Re-run under it: %d suites fail, %d cases." % (
            p["name"], dp["summary"], p["name"],
            "; ".join("%s = %s" % kv for kv in p["knobs"]) or "(ocp)", a["fail"], a["failed_cases"]))
        w("")
    w("## Every divergence, with one concrete input")
    w("")
    w("Expected = the MPFR oracle under `ocp` (for the *not modelled* rows: under the detected profile,")
    w("which is what is left after it); actual = the target. *explains* = failing cases of the standard")
    w("tier that the knob value turns into passes; *fail under it*: cases that fail under the detected")
    w("profile, which can include cases that pass under `ocp` and that a detected knob breaks (CUDA's f64")
    w("NaNs, under the float entry points' NaN knobs). Reproduce the expected value with")
    w("`mxconform convert ... --impl oracle`;")
    w("the target's own answer with `printf 'mxconform-protocol 1\\ncvt SRC DST ROUND OVF 1 HEX\\n' | mxconform serve --lib LIB`.")
    w("")
    for p in peers:
        w("**%s**" % p["name"])
        w("")
        w("| divergence | explains | suite | input | expected | actual |")
        w("|---|---|---|---|---|---|")
        for d in p["dp"]["diff"]:
            ex = None
            for s in p["r"]["suites"]:
                for f in s.get("failures", []):
                    if f.get("explained_by") == "%s=%s" % (d["knob"], d["detected_value"]) and ex is None:
                        ex = (s, f)
            if ex:
                s, f = ex
                w("| `%s = %s` | %d | `%s` | `%s` %s | `%s` %s | `%s` %s |" % (
                    d["knob"], d["detected_value"], d["explains"], s["name"], f["input"], f.get("input_value", ""),
                    f["expected"], f.get("expected_value", ""), f["actual"], f.get("actual_value", "")))
        # what the detected profile still does not explain (re-run under it, every failure)
        groups = {}
        for s in p["again"]["suites"]:
            for f in s.get("failures", []):
                c = classify_failure(s, f, p["name"])
                g = groups.setdefault(c, [0, s, f])
                g[0] += 1
        for c, (n, s, f) in sorted(groups.items()):
            label = ("%s (%s)" % (c, bug_text(c[len("suspected bug: "):]))) if c.startswith("suspected bug: ") \
                else "not modelled: " + CLASS_TEXT.get(c, c)
            w("| %s | %d fail under it | `%s` | `%s` %s | `%s` %s | `%s` %s |" % (
                label, n, s["name"], f["input"][:120], f.get("input_value", ""), f["expected"],
                f.get("expected_value", ""), f["actual"], f.get("actual_value", "")))
        w("")
    w("## The divergences of peers.md, probed live")
    w("")
    w("Each probe is one `cvt` request to the library (through `mxconform serve --lib`, or the process")
    w("target itself). *named as*: the")
    w("knob value of the target's detected profile with which the oracle reproduces its answer, or the")
    w("class that no knob models.")
    w("")
    head = "| item | probe | conversion | input | ocp (oracle) | " + " | ".join(p["name"] for p in peers) + " | named as |"
    w(head)
    w("|" + "---|" * (head.count("|") - 1))
    for i, pr in enumerate(PROBES):
        item, src, dst, rnd, ovf, bits, what = pr
        exp = oracle.convert(src, dst, rnd, ovf, bits)
        cols, names = [], []
        for p in peers:
            a = answers[p["name"]][i]
            cols.append(fmt_code(dst, a) + ("" if a == exp or isinstance(a, str) else " ≠"))
            if isinstance(a, str) or a == exp:
                continue
            whys = []  # every explanation that reproduces the answer (a probe may not tell them apart)
            for k, v in p["knobs"]:
                if k in SCALAR_KNOBS and oracle.convert(src, dst, rnd, ovf, bits, ["%s=%s" % (k, v)]) == a:
                    whys.append("%s=%s" % (k, v))
            if not whys and len(p["knobs"]) > 1 and \
                    oracle.convert(src, dst, rnd, ovf, bits, ["%s=%s" % kv for kv in p["knobs"]]) == a:
                whys.append("+".join("%s=%s" % kv for kv in p["knobs"]))
            for k in ["nan_sign=positive", "nan_sign=nan-input-positive", "e5m2_nan=allones", "e5m2_nan=propagate",
                      "inf_sat=special"]:
                if k.split("=")[0] not in dict(p["knobs"]) and oracle.convert(src, dst, rnd, ovf, bits, [k]) == a:
                    whys.append(k + " (not in its detected profile)")
            fake = {"name": "cvt.%s.%s.%s.%s" % (src, dst, rnd, ovf), "op": "cvt"}
            c = classify_failure(fake, {"input": "0x%x" % bits, "actual": "0x%02x" % a, "expected": "0x%02x" % exp}, p["name"])
            if not whys:  # a class only where no knob value reproduces the answer
                whys.append("class " + c)
            why = " or ".join(whys)
            names.append("%s: %s" % (p["name"], why))
        w("| %s | %s | %s.%s %s %s | `0x%x` %s | %s %s | %s | %s |" % (
            item, what, src, dst, rnd, ovf, bits, oracle.value(src, bits), fmt_code(dst, exp),
            oracle.value(dst, exp) if exp is not None else "", " | ".join(cols), "; ".join(names) or "-"))
    w("")
    w(sweeps_section(os.path.join(OUTDIR, "sweeps.tsv")))
    readme = os.path.join(OUTDIR, "README.md")
    with open(readme + ".tmp", "w") as f:
        f.write("\n".join(L) + "\n")
    os.replace(readme + ".tmp", readme)
    write_html([p["name"] for p in peers])
    print("wrote %s" % readme)
    return 0


# report.html shows the peers side by side from copies of <peer>.json cut to this many failures
# per suite and without the code maps: whole, the six peers' 11 formats made a 6 MB page (a
# code map is a 256-cell grid per format and run). `python3 reports/mxreport.py
# reports/peers/<peer>.json -o X.html` shows one peer whole.
HTML_FAILURES_PER_SUITE = 1


def write_html(names):
    mxreport = os.path.join(SRC, "reports", "mxreport.py")
    if not os.path.exists(mxreport):
        return
    step("all", "report.html")
    html = os.path.join(OUTDIR, "report.html")
    with tempfile.TemporaryDirectory(prefix="mxpeers.") as tmp:
        cut = []
        for name in names:
            with open(os.path.join(OUTDIR, name + ".json")) as f:
                r = json.load(f)
            for s in r["suites"]:
                s["failures"] = s.get("failures", [])[:HTML_FAILURES_PER_SUITE]
            r.pop("code_maps", None)
            cut.append(os.path.join(tmp, name + ".json"))
            with open(cut[-1], "w") as f:
                json.dump(r, f)
        sh([sys.executable, "-B", mxreport] + cut + ["-o", html])
    size = os.path.getsize(html)
    print("%s: %d bytes%s" % (html, size, "" if size < 2 << 20 else "  (over 2 MB: do not commit)"))


# ---- sweeps in the README -------------------------------------------------------------------

NAN_PER_SIGN = {"f32": 2 ** 23 - 1, "bf16": 2 ** 7 - 1, "f16": 2 ** 10 - 1}
MANT = {"f32": 23, "bf16": 7, "f16": 10}


# What the measured divergences predict for the NaN and Inf mismatches of a sweep under `ocp`
# by target and destination: (destinations, NaN mismatches, Inf mismatches under sat, under
# ovf, why under every overflow mode, why under sat only[, T]). NaN counts: "all" every NaN
# input, "neg" every -NaN, "payload" every NaN with a payload bit below the quiet bit set (as
# many as the destination keeps: e5m2 1, e4m3ieee 2, e3m4 3), or a dict by source. Finite
# inputs: 0 mismatches, except with T under rtz ovf: every finite input of magnitude T or more
# (T = the value of the first code above the largest finite one; ml_dtypes' truncation bug). A
# (target, destination) without a row has no count model: the findings and the
# detected-profile sweeps explain it.
SWEEP_MODELS = {
    "llvm-apfloat": [
        (("e2m3", "e3m2", "e2m1"), "all", 2, 2,
         "every NaN -> signed zero (nan_finite=signed-zero), +-Inf -> signed zero (inf_finite=signed-zero)", ""),
        (("e5m2", "e4m3ieee"), "payload", 2, 0,
         "the NaNs with a payload bit below the quiet bit set keep the payload bits the destination has "
         "(e5m2_nan=propagate: f32 0x7fa00000 -> e5m2 0x7F, 0x7f900000 -> e4m3ieee 0x7D; ocp 0x7E, 0x7C)",
         "+-Inf -> +-Inf (inf_sat=special)"),
        (("e4m3",), 0, 2, 0, "", "+-Inf -> NaN (inf_sat=special)"),
        (("e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz"), 0, 2, 0, "", "+-Inf -> NaN 0x80 (inf_sat=special)"),
    ],
    "cuda-host": [
        (("e4m3",), "neg", 0, 0, "every -NaN -> +NaN 0x7F (NaN input canonicalised; nan_sign=nan-input-positive)", ""),
        (("e5m2",), "all", 0, 0, "every NaN -> 0x7F (e5m2_nan=allones; -NaN loses its sign: nan_sign=nan-input-positive)", ""),
        (("e2m3", "e3m2", "e2m1", "e8m0"), 0, 0, 0, "", ""),
    ],
    "ml_dtypes": [
        (("e2m3", "e3m2", "e2m1"), "all", 0, 0, "every NaN -> a zero of the other sign (nan_finite=inverted-zero)", ""),
        (("e4m3",), 0, 2, 0, "", "+-Inf -> NaN (inf_sat=special)", 480),
        (("e5m2",), {"f16": "payload"}, 2, 0, "the f16 NaNs keep the payload bit below the quiet bit (e5m2_nan=propagate: "
         "the direct half -> e5m2 path; f32 and bf16 NaNs do not)", "+-Inf -> +-Inf (inf_sat=special)", 2.0 ** 16),
        (("e4m3fnuz",), 0, 2, 0, "", "+-Inf -> NaN 0x80 (inf_sat=special)", 256),
        (("e5m2fnuz",), 0, 2, 0, "", "+-Inf -> NaN 0x80 (inf_sat=special)", 2.0 ** 16),
        (("e4m3b11fnuz",), 0, 2, 0, "", "+-Inf -> NaN 0x80 (inf_sat=special)", 32),
        (("e4m3ieee",), 0, 2, 0, "", "+-Inf -> +-Inf (inf_sat=special)", 256),
        (("e3m4",), 0, 2, 0, "", "+-Inf -> +-Inf (inf_sat=special)", 16),
    ],
    "gfloat": [
        (("e5m2",), "all", 0, 0, "every NaN -> 0xFF whatever its sign (missing knob value nan_sign = always-set: the findings)", ""),
    ],
    "onnxruntime": [
        (("e4m3fnuz", "e5m2fnuz"), 0, 0, 0, "", ""),
    ],
}
DST_MANT = {"e5m2": 2, "e4m3ieee": 3, "e3m4": 4}


RTZ_OVF_WHY = ("under rtz ovf every finite input from %g up -> NaN/Inf, not the largest finite value (suspected bug, "
               "float8.h:1505; the findings: 0x7f7ffffe -> e4m3 0x7F)")


def finite_at_least(src, t):
    """How many finite inputs of src (both signs) have a magnitude of t or more."""
    if src == "f16":
        top, bits = 0x7BFF, (struct.unpack("<H", struct.pack("<e", t))[0] if t <= 65504 else 0x7C00)
    else:
        top, bits = 0x7F7FFFFF, struct.unpack("<I", struct.pack("<f", t))[0]
        if src == "bf16":
            top, bits = 0x7F7F, bits >> 16
    return 2 * max(0, top - bits + 1)


def f32_above(t, inclusive):
    """How many positive finite f32 inputs are above t (or t and above); t is an f32 value."""
    return finite_at_least("f32", t) // 2 - (0 if inclusive else 1)


# gfloat's sweeps of all 2^32 f32 inputs under `ocp`, per destination: (round, overflow) ->
# (finite, NaN, Inf mismatches, why), counted from its profile and its suspected bugs, or None.
# f32 only: its bf16/f16 rows under ovf also refuse the finite overflows, which these do not
# count. FP6/FP4 under ovf: rtz only (it clamps); the other roundings refuse every overflow,
# out of reach over f32 (PEERS' every_beyond).
E4M3_OVERFLOW = {"rne": (464.0, False), "rna": (464.0, True), "rup": (448.0, False)}
# E8M0: the positive words below 2^-127 (0x00400000) that round below it, and get no code
E8M0_TINY = {"rtz": 0x3FFFFF, "rdn": 0x3FFFFF, "rne": 0x2FFFFF, "rna": 0x2FFFFF, "rup": 0x200000}
F32_MODELS = {
    ("gfloat", "e4m3"): lambda rnd, ovf: (
        f32_above(*E4M3_OVERFLOW[rnd]) if ovf == "ovf" and rnd in E4M3_OVERFLOW else 0,
        NAN_PER_SIGN["f32"], 1 if ovf == "ovf" else 0,
        "every +NaN, and under ovf +Inf and every positive input that overflows, -> 0xFF (nan_sign=negative)"),
    ("gfloat", "e2m3"): lambda rnd, ovf: None if ovf == "ovf" and rnd != "rtz" else (
        0, 2 * NAN_PER_SIGN["f32"], 2 if ovf == "ovf" else 0,
        "every NaN refused (nan_finite=refuse), under ovf +-Inf too (inf_finite=refuse)"),
    # the negative normals (0x7F000000 words) and subnormals (0x7FFFFF), -Inf
    ("gfloat", "e8m0"): lambda rnd, ovf: (
        0x7F000000 + 0x7FFFFF + E8M0_TINY[rnd], 0, 1,
        "every negative input refused (e8m0_neg=refuse); a positive one that rounds below 2^-127 gets no code "
        "(suspected bug e8m0-tiny-no-code)"),
}
F32_MODELS[("gfloat", "e3m2")] = F32_MODELS[("gfloat", "e2m1")] = F32_MODELS[("gfloat", "e2m3")]


def sweep_model(row):
    """(finite count, nan count, inf count, reason for every overflow mode, extra reason under
    sat, reason under rtz ovf) that SWEEP_MODELS predicts for a sweep row, or None."""
    src, dst, sat = row["src"], row["dst"], row["overflow"] == "sat"
    own = F32_MODELS.get((row["target"], dst))
    if own and src == "f32" and row["coverage"] == "all 2^32" and row.get("knobs", "ocp") == "ocp":
        counted = own(row["round"], row["overflow"])
        return counted and counted + ("", "")
    for dsts, nan, inf_sat, inf_ovf, why, why_sat, *above in SWEEP_MODELS.get(row["target"], []):
        if dst in dsts:
            m = MANT[src]
            nan = nan.get(src, 0) if isinstance(nan, dict) else nan
            nans = {0: 0, "all": 2 * NAN_PER_SIGN[src], "neg": NAN_PER_SIGN[src],
                    "payload": 2 ** (m + 1) - 2 ** (m + 2 - DST_MANT.get(dst, 2))}[nan]
            rtz_ovf = above and (row["round"], row["overflow"]) == ("rtz", "ovf")
            return (finite_at_least(src, above[0]) if rtz_ovf else 0, nans, inf_sat if sat else inf_ovf, why, why_sat,
                    RTZ_OVF_WHY % above[0] if above else "")
    return None


def model_text(common, sat_extra, any_sat, rtz_ovf="", any_rtz_ovf=False):
    parts = [common] if common else []
    if sat_extra and any_sat:
        parts.append("under sat " + sat_extra)
    if rtz_ovf and any_rtz_ovf:
        parts.append(rtz_ovf)
    return "; ".join(parts)


# Measured `cvtrange` throughput of the process targets (harness/PROTOCOL.md, "How fast cvtrange
# goes"): (target, command, conversion, inputs, seconds). 2026-12-02, the project's 2-core VM with
# 5 agents at work (load average 5-12): figures on a quiet machine are higher.
RATES = [
    # 2026-12-03 session 11: answer_range gives the library slices of 2^16 (gfloat 2^14) inputs
    # (199.8 s and 4.5 s before); two peer sweeps ran at nice 19 on the 2 cores
    ("numpy-e2m1 (no library: the protocol's ceiling)", "targets/python/mxtarget_numpy_e2m1.py", "cvt.f32.e2m1 rtz sat", 2 ** 32, 104.5),
    # 2026-12-04 session 12: a whole sweep of stage `every` (its sweeps.tsv row), one other sweep
    # running (a 2^24 slice of rne sat took 3.6 s on 2026-12-03: 4.7e6/s, the first slice)
    ("gfloat", "targets/python/mxtarget_gfloat.py", "cvt.f32.e4m3 rne ovf", 2 ** 32, 163.4),
    # 2026-12-03 session 11: codes from FP32 bits by table (mxproto.encode_f32; 4.2 s before), both cores busy
    ("microxcaling", "targets/python/mxtarget_microxcaling.py", "cvt.f32.e4m3 rne sat", 2 ** 24, 2.9),
    # 2026-12-03, after the adapter stopped building its input with TypedArray.from(.., mapper)
    # (4.6 s before); an LLVM sweep ran on the other core
    ("onnxruntime", "targets/onnxruntime/mxtarget_onnxruntime.js", "cvt.f32.e4m3 rne sat", 2 ** 24, 1.2),
]


def coverage_2_32(rows, full):
    """Per peer: how many of the combinations it answers (its bf16 sweeps) are swept over every
    f32 input, and the command that sweeps the rest."""
    answered, swept = {}, {}
    for r in rows:
        if r["src"] == "bf16" and r["coverage"] == "all 2^16" and int(r["checked"] or 0):
            answered.setdefault(r["target"], set()).add((r["dst"], r["round"], r["overflow"]))
    for r in full:  # as stage `every` counts them (swept_2_32): sweeps under the ocp knobs
        if r["knobs"] == "ocp":
            swept.setdefault(r["target"], set()).add((r["dst"], r["round"], r["overflow"]))
    out = ["Every f32 input, per peer: the combinations (destination x rounding x overflow) it answers",
           "(each has its bf16 sweep) and how many of them are swept over all 2^32 f32 inputs above:", ""]
    for t in sorted(answered):
        beyond = {c for c in answered[t] if beyond_reach(t, c)}
        reach = answered[t] - beyond
        n, m = len(reach & swept.get(t, set())), len(reach)
        out.append("- %s: %d of %d%s%s" % (
            t, n, m, "" if n == m else " (`PEERS_ONLY=%s make peers-every` sweeps the other %d, resumable)" % (t, m - n),
            "; %d more left out: %s" % (len(beyond), beyond_reach(t, next(iter(beyond)))) if beyond else ""))
    return out + [""]


def rates_section(full):
    """The throughput of the process targets, and how long their sweeps not run would take."""
    out = ["### Process targets: throughput through `cvtrange`", "",
           "`mxconform sweep --target cmd:...` sends `cvtrange` requests (2^20 inputs each, the next ones sent",
           "while the harness compares). Measured on the loaded 2-core VM (load average 5-12; ONNX Runtime's",
           "row on 2026-12-03, after its adapter stopped copying inputs through a mapping function, one other",
           "sweep running):", "",
           "| target | command | conversion | inputs | seconds | values/s | one 2^32 sweep |",
           "|---|---|---|---|---|---|---|"]
    for name, cmd, conv, n, sec in RATES:
        out.append("| %s | `%s` | %s | %d | %.1f | %.1e | %.0f min |" % (name, cmd, conv, n, sec, n / sec, 2 ** 32 / (n / sec) / 60))
    swept = {(r["target"], r["dst"], r["round"], r["overflow"]) for r in full}
    planned = ["%s %s.%s.%s" % ((name,) + c) for name, plan in FULL_PLAN.items() for c in plan if (name,) + c not in swept]
    out += ["", "The list before this section says how many f32 combinations of each peer are swept over",
            "all 2^32 inputs; a combination not swept yet takes about the minutes above, on this machine.", ""]
    if planned:
        out += ["Planned (`FULL_PLAN`) but not run yet: %s. `PEERS_SWEEP_SKIP_DONE=1 scripts/peers.py sweeps BUILD "
                "full` runs them (an ABI target takes 1.5-4 min per 2^32 sweep here)." % ", ".join(planned), ""]
    return out


def sweeps_section(path):
    all_rows = load_tsv(path)
    rows = [r for r in all_rows if r["knobs"] == "ocp"]
    detected = [r for r in all_rows if r["knobs"] == "detected"]
    out = ["## Exhaustive sweeps", ""]
    if not rows:
        out.append("No sweep results (`scripts/peers.py sweeps BUILD` writes `sweeps.tsv`).")
        return "\n".join(out)
    out += [
        "`mxconform sweep` runs every input of the range through the target (in the `serve` child) and",
        "compares with libmxref under the `ocp` knobs (libmxref is proven equal to the MPFR oracle on every",
        "input by `make exhaustive`). Coverage: `all 2^32` = every f32 bit pattern; `all 2^16` = every",
        "bf16 / f16 pattern; `binades ...` = every f32 input whose biased exponent is one of those listed,",
        "both signs (2^23 inputs per binade: zero and subnormals, where rounding to zero ends, 1.0, the",
        "largest finite value's binade, the one above, Inf/NaN). *model* = the mismatches the divergences",
        "above predict for NaN and Inf inputs; a row is `ok` when the NaN/Inf counts equal the model and",
        "finite inputs have 0 mismatches, or the number the model names for them (ml_dtypes' rtz ovf,",
        "gfloat's f32 sweeps).", ""]
    # 1. full f32 sweeps, one row each
    full = [r for r in rows if r["coverage"].startswith("all 2^32")]
    summary_bad = []

    def verdict(r):
        fin = int(r["zero"]) + int(r["subnormal"]) + int(r["normal"])
        if sweep_model(r) is None:
            return True, fin, "no count model: see the findings (%s mismatches%s)" % (
                r["mismatches"], ", %s refused" % r["refused"] if int(r.get("refused") or 0) else "")
        fin_m, nan_m, inf_m, common, sat_extra, rtz_ovf = sweep_model(r)
        ok = fin == fin_m and int(r["nan"]) == nan_m and int(r["inf"]) == inf_m and int(r["crashed"]) == 0
        if not ok:
            summary_bad.append(r)
        return ok, fin, model_text(common, sat_extra, r["overflow"] == "sat", rtz_ovf, (r["round"], r["overflow"]) == ("rtz", "ovf"))

    out += ["### Every f32 input (2^32)", "",
            "| target | conversion | round | overflow | inputs | mismatches | finite | Inf | NaN | not observable | model | example: input ocp -> target | seconds |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in full:
        ok, fin, why = verdict(r)
        ex = r["examples"].split(",")[0] if r["examples"] != "-" else ""
        ex = "`0x%s` 0x%s -> 0x%s" % tuple(ex.split(":")) if ex else "-"
        out.append("| %s | cvt.%s.%s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (
            r["target"], r["src"], r["dst"], r["round"], r["overflow"], r["checked"], r["mismatches"], fin, r["inf"],
            r["nan"], r["unobserved"], (why if why.startswith("no count model") else "ok" + (": " + why if why else "")) if ok else "**differs from the model**", ex, r["seconds"]))
    if not full:
        out.append("| (none run) | | | | | | | | | | | | |")
    out.append("")
    out += coverage_2_32(rows, full)
    out += rates_section(full)
    done = {(r["target"], r["dst"], r["round"], r["overflow"]) for r in full}
    partial = {}
    for r in rows:
        if r["coverage"].startswith("binades") and (r["target"], r["dst"], r["round"], r["overflow"]) not in done:
            partial.setdefault(r["target"], []).append("%s %s.%s" % (r["dst"], r["round"], r["overflow"]))
    for t, combos in partial.items():
        note = " (the FP6/FP4 `ovf` requests make the same header call as `sat`)" if t == "cuda-host" else ""
        out.append("Not swept over every f32 input (time): %s %s%s; those ran the binade stage and every bf16 and "
                   "f16 input." % (t, ", ".join(combos), note))
        out.append("")
    # 2. binades and 16-bit: one line per target x destination, listing the modes
    for cov, title in (("binades", "Chosen f32 binades (every combination the target supports)"),
                       ("all 2^16", "Every bf16 and every f16 input (every combination the target supports)")):
        if cov == "binades":
            sel = [r for r in rows if r["coverage"].startswith("binades")]
        else:
            sel = [r for r in rows if r["coverage"] == "all 2^16"]
        if not sel:
            continue
        out += ["### " + title, "",
                "| target | source | destination | combinations (round.overflow) | inputs each | finite mismatches | NaN / Inf mismatches (per combination) | model | seconds (sum) |",
                "|---|---|---|---|---|---|---|---|---|"]
        groups = {}
        for r in sel:
            groups.setdefault((r["target"], r["src"], r["dst"]), []).append(r)
        for (t, src, dst), rs in groups.items():
            oks = [verdict(r) for r in rs]
            fin = sum(o[1] for o in oks)
            nanset = sorted({"%s / %s" % (r["nan"], r["inf"]) for r in rs})
            allok = all(o[0] for o in oks)
            if sweep_model(rs[0]) is None:
                common, sat_extra, rtz_ovf = "no count model: see the findings", "", ""
            else:
                _, _, _, common, sat_extra, rtz_ovf = sweep_model(rs[0])
            whys = [model_text(common, sat_extra, any(r["overflow"] == "sat" for r in rs), rtz_ovf,
                               any((r["round"], r["overflow"]) == ("rtz", "ovf") for r in rs))] if allok else []
            whys = [x for x in whys if x]
            out.append("| %s | %s | %s | %s | %s | %d | %s | %s | %.0f |" % (
                t, src, dst, " ".join("%s.%s" % (r["round"], r["overflow"]) for r in rs), rs[0]["checked"], fin,
                "; ".join(nanset), (whys[0] if whys and whys[0].startswith("no count model") else "ok" + (": " + "; ".join(whys) if whys else "")) if allok else "**differs from the model**",
                sum(float(r["seconds"]) for r in rs)))
        out.append("")
    if summary_bad:
        out += ["### Rows that differ from the model", "",
                "| target | conversion | round | overflow | coverage | finite | Inf | NaN | examples (input:expected:actual) |",
                "|---|---|---|---|---|---|---|---|---|"]
        for r in summary_bad:
            out.append("| %s | cvt.%s.%s | %s | %s | %s | %d | %s | %s | %s |" % (
                r["target"], r["src"], r["dst"], r["round"], r["overflow"], r["coverage"],
                int(r["zero"]) + int(r["subnormal"]) + int(r["normal"]), r["inf"], r["nan"], r["examples"]))
        out.append("")
    total = sum(int(r["checked"]) for r in rows)
    out.append("In all: %d sweeps, %d inputs, %d rows that differ from the model." % (len(rows), total, len(summary_bad)))
    out.append("")
    out += detected_sweeps_section(detected)
    return "\n".join(out)


def cmd_readme(args):
    """The sweeps section (from its heading to the end) of an existing README, regenerated."""
    readme = os.path.join(OUTDIR, "README.md")
    with open(readme) as f:
        text = f.read()
    head = text.split("\n## Exhaustive sweeps\n")[0] if "\n## Exhaustive sweeps\n" in text else die(
        "%s has no sweeps section (run make peers)" % readme)
    with open(readme + ".tmp", "w") as f:
        f.write(head + "\n" + sweeps_section(os.path.join(OUTDIR, "sweeps.tsv")) + "\n")
    os.replace(readme + ".tmp", readme)
    print("wrote the sweeps section of %s" % readme)
    write_html([p["name"] for p in PEERS if os.path.exists(os.path.join(OUTDIR, p["name"] + ".json"))])
    return 0


def detected_sweeps_section(rows):
    out = ["### Under the detected profile", ""]
    if not rows:
        out.append("Not run (`scripts/peers.py sweeps BUILD detected`).")
        return out
    out += [
        "The model above compares counts by input class. Here the same target is swept with",
        "`mxconform sweep --profile reports/peers/<target>.profile`: libmxref under the profile that",
        "detection found gives the expected codes, so every input must match bit for bit. Inputs: every",
        "bf16 and every f16 pattern, and the f32 Inf/NaN binade (both signs), where the `ocp` sweeps",
        "above differ most (finite f32 inputs: the 2^32 sweeps above), for every combination the target",
        "supports; %s: every f32 input too (source `f32, all 2^32`: minutes a sweep there)." % (
            ", ".join(p["name"] for p in PEERS if p.get("detected_2_32")) or "no peer"),
        "Every mismatch left is classified, input by input, by the suspected bugs of",
        "`scripts/peers_bugs.py` (the findings above name each with its source line); *unexplained* is",
        "what no bug explains. Every mismatch is listed (`mxconform sweep --list FILE`: at once for a process",
        "target, for an ABI target when it has more than %d); *not listed*: mismatches of rows swept before that existed, left" % DETECTED_SHOW,
        "unexplained (the listed ones' classes are shown, never assumed for the rest). *not observable*: inputs whose",
        "result the target cannot see (harness/PROTOCOL.md `?`, e.g. which E5M2 NaN code ONNX Runtime's",
        "Cast gives): outside *inputs* and *mismatches*, never unexplained, and no sweep with any passes. %s" % " ".join(
            "%s: bf16 and f16 only (its refused NaNs go value by value through Python: hours per f32 binade)."
            % p["name"] for p in PEERS if not p.get("detected_f32", True)), "",
        "| target | profile | source | sweeps | inputs | mismatches | finite | Inf | NaN | crashed | not observable | suspected bugs (mismatches) | not listed | unexplained | examples (input:expected:actual) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    groups = {}
    for r in rows:  # a peer's every-f32-input sweeps apart from its binade ones (they overlap)
        groups.setdefault((r["target"], r["src"] + (", all 2^32" if r["coverage"] == "all 2^32" else "")), []).append(r)
    for (t, src), rs in groups.items():
        mism = sum(int(r["mismatches"]) for r in rs)
        bugs = {}
        for r in rs:
            for k, n in row_bugs(r).items():
                bugs[k] = bugs.get(k, 0) + n
        unlisted = bugs.pop("unlisted", 0)
        unexplained = mism - sum(bugs.values())
        ex = list(dict.fromkeys(e for r in rs for e in (r["examples"].split(",") if r["examples"] != "-" else [])))[:3]
        out.append("| %s | `%s.profile` | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s | %d | %s | %s |" % (
            t, t, src, len(rs), sum(int(r["checked"]) for r in rs), mism,
            sum(int(r["zero"]) + int(r["subnormal"]) + int(r["normal"]) for r in rs), sum(int(r["inf"]) for r in rs),
            sum(int(r["nan"]) for r in rs), sum(int(r["crashed"]) for r in rs), sum(int(r["unobserved"]) for r in rs),
            ", ".join("%s (%d)" % kv for kv in sorted(bugs.items())) or "-", unlisted,
            "**%d**" % unexplained if unexplained else "0", ", ".join(ex) or "-"))
    total = sum(int(r["mismatches"]) for r in rows)
    explained = sum(bugs_explained(r) for r in rows)
    unlisted = sum(row_bugs(r).get("unlisted", 0) for r in rows)
    out += ["", "In all: %d sweeps, %d inputs, %d mismatches under the detected profiles: %d of them suspected "
            "bugs, %d unexplained (%d of those not listed); %d inputs not observable by their target." % (
                len(rows), sum(int(r["checked"]) for r in rows), total, explained, total - explained, unlisted,
                sum(int(r["unobserved"]) for r in rows))]
    return out


def main():
    if MODE == "list":
        return cmd_list(ARGS)
    if MODE == "readme":
        return cmd_readme(ARGS)
    if MODE == "sweeps":
        return cmd_sweeps(ARGS)
    if MODE == "check":
        return cmd_check(ARGS)
    return cmd_report(ARGS)


if __name__ == "__main__":  # tests import it (tests/peers_every_coverage.py)
    sys.exit(main())
