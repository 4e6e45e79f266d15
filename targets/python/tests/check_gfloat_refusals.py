"""CTest peer_gfloat_array_answers_are_each_values_own_answer: the gfloat adapter's array route
(cvt_array: round_ndarray and encode_ndarray over a whole array, split where gfloat raises for
it) gives each value what gfloat answers for that value asked alone (a one-element
round_ndarray, then encode_ndarray; "refused" where either raises or the code does not fit).
The arrays hold what sweeps meet (runs of NaNs, runs of overflows without sat) and what they
do not (single NaNs among finite values, a refusal at either end), so that a split that loses
or shifts a value, or asks too few alone, shows. Exit 77 (skip) without gfloat or NumPy."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import mxtarget_gfloat as adapter  # noqa: E402

try:
    np, gfloat = adapter._import_gfloat(adapter._default_dir())
except Exception as exc:
    print("gfloat not importable by %s (%s): skipped" % (sys.executable, exc))
    sys.exit(77)
np.seterr(all="ignore")
backend = adapter.GfloatBackend(np, gfloat, "ndarray", "StochasticFastest", 16, "test")


def alone(fi, bits, rnd, sat):
    """gfloat's answer for each f32 word asked alone -> (codes, refused)."""
    codes, refused = np.zeros(len(bits), dtype=np.uint64), np.zeros(len(bits), dtype=bool)
    for i, x in enumerate(bits.view(np.float32).astype(np.float64)):
        try:
            c = int(np.asarray(gfloat.encode_ndarray(fi, gfloat.round_ndarray(fi, np.array([x]), rnd, sat)))[0])
            codes[i], refused[i] = (0, True) if c >= (1 << fi.k) else (c, False)
        except (ValueError, AssertionError):
            refused[i] = True
    return codes, refused


rng = np.random.default_rng(20261204)
finite = rng.integers(0x3E000000, 0x41000000, 700, dtype=np.uint64).astype(np.uint32)
sparse = finite.copy()
sparse[[0, 5, 6, 300, 699]] = [0x7FC00001, 0xFF800003, 0x7F800001, 0x7FFFFFFF, 0x7FC00000]
arrays = {
    "nan run": np.arange(0x7F800001, 0x7F800001 + 300, dtype=np.uint32),
    "sparse nans": sparse,
    "overflow run": np.arange(0x46000000, 0x46000000 + 300, dtype=np.uint32),
    "mixed runs": np.concatenate([finite[:37], np.arange(0xFF800001, 0xFF800001 + 45, dtype=np.uint32),
                                  finite[37:90], np.arange(0x45800000, 0x45800000 + 70, dtype=np.uint32)]),
    "random words": rng.integers(0, 1 << 32, 700, dtype=np.uint64).astype(np.uint32),
}
bad = 0
for dst in ("e2m3", "e2m1", "e8m0", "e4m3"):
    fi = backend._fi(dst)
    for rnd, ovf in (("rne", "sat"), ("rtz", "ovf"), ("rup", "ovf")):
        mode = gfloat.RoundMode[adapter.ROUND[rnd]]
        for name, bits in arrays.items():
            codes, refused = backend.cvt_array("f32", dst, rnd, ovf, bits)
            want, want_refused = alone(fi, bits, mode, ovf == "sat")
            diff = np.flatnonzero((refused != want_refused) | (~want_refused & (codes != want)))
            print("%s %s %s, %s: %d values, %d refused, %d differ" % (
                dst, rnd, ovf, name, len(bits), int(want_refused.sum()), len(diff)))
            for i in diff[:3]:
                print("  0x%08x: alone %s, array %s" % (int(bits[i]), "refused" if want_refused[i] else hex(int(want[i])),
                                                        "refused" if refused[i] else hex(int(codes[i]))))
            bad += len(diff)
sys.exit(1 if bad else 0)
