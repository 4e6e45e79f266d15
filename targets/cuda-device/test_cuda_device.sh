#!/bin/sh
# CTest checks of the cuda-device target (tests/peers.cmake). Usage:
#   sh test_cuda_device.sh MODE MXCONFORM LIB QUERY
# MODE
#   nodevice  only where QUERY reports no CUDA device (else exit 77 = skipped): loading the
#             target must fail cleanly — `mxconform run` exits 3 (a target that cannot be
#             used), says "cuda-device: no CUDA device", writes a results file with verdict
#             "error"; `mxconform probe dot` and `mxconform sweep` exit 3 the same way.
#   smoke     only with a usable device (else 77): the smoke tier under `ocp` completes (exit
#             0 or 1), the results JSON is valid, no suite crashed, timed out or broke the
#             protocol, the operations cuda-host lacks are unsupported here too, the MXFP8
#             dot suites are answered and the other dot pairs are unsupported.
#   probe     only with a usable device (else 77): `mxconform probe dot` fits a model to the
#             tensor-core dot of MXFP8 E4M3 x E4M3 and E5M2 x E5M2 (exit 0 or 1: it
#             completed; 1 = the confirmation found cases the model space does not cover)
#             and writes its JSON; an MXFP4 pair is refused as unsupported (exit 3).
# QUERY is the cuda_device_query program: exit 0 usable device, 1 none, 2 unusable.
set -u
mode=${1:?mode}
mxc=${2:?mxconform}
lib=${3:?library}
query=${4:?query program}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxcudadev.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
  echo "FAILED: $*"
  exit 1
}

"$query" >"$tmp/query.txt" 2>&1
q=$?
echo "cuda_device_query (exit $q): $(cat "$tmp/query.txt")"

case $mode in
nodevice)
  [ $q -eq 1 ] || { echo "skipped: a CUDA device is present (or unusable, exit $q): the no-device path is not exercised"; exit 77; }
  timeout 120 "$mxc" run --target "lib:$lib" --tier smoke -q -o "$tmp/r.json" >"$tmp/run.out" 2>"$tmp/run.err"
  rc=$?
  cat "$tmp/run.out" "$tmp/run.err"
  [ $rc -eq 3 ] || fail "mxconform run: exit $rc, want 3 (target unusable)"
  grep -q '^cuda-device: no CUDA device (' "$tmp/run.err" || fail "mxconform run: no 'cuda-device: no CUDA device' line on stderr"
  grep -q 'mxconform run: lib:.*no valid handshake' "$tmp/run.err" || fail "mxconform run: the harness did not report the target unusable"
  grep -q '"verdict": "error"' "$tmp/r.json" || fail "results file: want verdict error"
  timeout 120 "$mxc" probe dot --target "lib:$lib" --confirm 10 >"$tmp/probe.out" 2>&1
  rc=$?
  cat "$tmp/probe.out"
  [ $rc -eq 3 ] || fail "mxconform probe dot: exit $rc, want 3"
  grep -q '^cuda-device: no CUDA device (' "$tmp/probe.out" || fail "mxconform probe dot: no 'cuda-device: no CUDA device' line"
  timeout 120 "$mxc" sweep --op cvt.f32.e4m3 --round rne --target "lib:$lib" >"$tmp/sweep.out" 2>&1
  rc=$?
  cat "$tmp/sweep.out"
  [ $rc -eq 3 ] || fail "mxconform sweep: exit $rc, want 3"
  grep -q '^cuda-device: no CUDA device (' "$tmp/sweep.out" || fail "mxconform sweep: no 'cuda-device: no CUDA device' line"
  echo "passed: without a CUDA device the target is refused cleanly (exit 3, 'cuda-device: no CUDA device')"
  ;;
smoke)
  [ $q -eq 0 ] || { echo "skipped: no usable CUDA device"; exit 77; }
  timeout 600 "$mxc" run --target "lib:$lib" --profile ocp --tier smoke -q --max-failures 100000 -o "$tmp/r.json" >"$tmp/run.out" 2>&1
  rc=$?
  cat "$tmp/run.out"
  [ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "mxconform run: exit $rc, want 0 or 1 (the run must complete)"
  python3 - "$tmp/r.json" <<'PY' || exit 1
import fnmatch, json, sys
r = json.load(open(sys.argv[1]))
problems = []
if r.get("schema") != "mxconform-results/1" or not r.get("suites"):
    problems.append("not a mxconform-results/1 file with suites")
st = {s["name"]: s["status"] for s in r["suites"]}
bad = [n + ":" + s for n, s in st.items() if s in ("crash", "timeout", "protocol-error")]
if bad:
    problems.append("suites crashed/timed out/broke the protocol: " + " ".join(bad[:10]))
# the coverage of targets/cuda-host (tests/peers.cmake), with dot on the tensor cores
unsup = ["decode.int8", "cvt.*.int8.*", "cvt.*.e4m3.r[tu]*", "cvt.*.e4m3.rna.*", "cvt.*.e4m3.rdn.*",
         "cvt.*.e5m2.r[tu]*", "cvt.*.e5m2.rna.*", "cvt.*.e5m2.rdn.*", "cvt.*.e8m0.rne.*", "cvt.*.sr.*",
         "quantize.*", "dequantize.*", "pack.*", "dot.mxfp4*", "dot.mxfp6*", "dot.mxint8*", "dot.mxfp8_*.mxfp[46]*",
         "dot.mxfp8_*.mxint8"]
answered = ["decode.e4m3", "decode.e5m2", "decode.e2m3", "decode.e3m2", "decode.e2m1", "decode.e8m0",
            "cvt.*.e4m3.rne.*", "cvt.*.e5m2.rne.*", "cvt.*.e2m1.r[nt][ez].*", "cvt.*.e2m3.r[nt][ez].*",
            "cvt.*.e3m2.r[nt][ez].*", "cvt.*.e8m0.rtz.*", "cvt.*.e8m0.rup.*", "dot.mxfp8_e4m3.mxfp8_e4m3",
            "dot.mxfp8_e5m2.mxfp8_e5m2"]
for g in unsup + answered:
    hit = [n for n in st if fnmatch.fnmatchcase(n, g)]
    if not hit and g in answered:
        problems.append("no suite matches " + g)
    for n in hit:
        if g in unsup and st[n] != "unsupported":
            problems.append("%s: %s, want unsupported" % (n, st[n]))
        if g in answered and st[n] not in ("pass", "fail"):
            problems.append("%s: %s, want an answer (pass or fail)" % (n, st[n]))
for p in problems[:40]:
    print("FAILED: " + p)
dp = r.get("detected_profile") or {}
print("suites: %d pass, %d fail, %d unsupported; detected: %s" % (
    sum(s == "pass" for s in st.values()), sum(s == "fail" for s in st.values()),
    sum(s == "unsupported" for s in st.values()), dp.get("summary", "-")))
sys.exit(1 if problems else 0)
PY
  echo "passed: the smoke tier ran on the GPU"
  ;;
probe)
  [ $q -eq 0 ] || { echo "skipped: no usable CUDA device"; exit 77; }
  for fmt in mxfp8_e4m3 mxfp8_e5m2; do
    timeout 600 "$mxc" probe dot --target "lib:$lib" --fmt $fmt --confirm 20000 -o "$tmp/p.$fmt.json" >"$tmp/p.out" 2>&1
    rc=$?
    cat "$tmp/p.out"
    [ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "mxconform probe dot --fmt $fmt: exit $rc, want 0 or 1"
    grep -q '"fit"' "$tmp/p.$fmt.json" || fail "probe JSON for $fmt has no fit"
  done
  timeout 120 "$mxc" probe dot --target "lib:$lib" --fmt mxfp4_e2m1 --confirm 10 >"$tmp/p4.out" 2>&1
  rc=$?
  cat "$tmp/p4.out"
  [ $rc -eq 3 ] || fail "mxconform probe dot --fmt mxfp4_e2m1: exit $rc, want 3 (unsupported pair)"
  grep -q 'unsupported' "$tmp/p4.out" || fail "mxfp4_e2m1: not reported as unsupported"
  echo "passed: probe dot ran on the tensor cores"
  ;;
*)
  echo "unknown mode $mode" >&2
  exit 2
  ;;
esac
exit 0
