"""CTest peer_encode_f32_gives_the_codes_of_encode_values: mxproto.encode_f32 (codes from a
value's FP32 bits by table lookup, the fast path of the value-level adapters) against
mxproto.encode_values (a search of the exact grid) for every element format, on every FP32
word whose low 16 bits are 0, 1, 0x8000 or 0xFFFF (every sign, exponent and top fraction bits:
2^18 words), every grid value of both signs and its two FP32 neighbours, and the NaNs' edges.
Exit 77 (skip) without NumPy."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
try:
    import numpy as np
except ImportError:
    print("numpy not importable by %s: skipped" % sys.executable)
    sys.exit(77)
import mxproto  # noqa: E402

bad = 0
hi = np.arange(1 << 16, dtype=np.uint32) << np.uint32(16)
words = np.concatenate([hi | np.uint32(lo) for lo in (0, 1, 0x8000, 0xFFFF)] +
                       [np.array([0x7F800001, 0x7FFFFFFF, 0xFF800001, 0xFFFFFFFF, 0x7FC00000, 0x00000001], dtype=np.uint32)])
for dst in ("e4m3", "e5m2", "e2m3", "e3m2", "e2m1", "int8"):
    grid = np.array([float(v) for v, _ in mxproto.fmt(dst).grid], dtype=np.float32)
    near = np.concatenate([grid, -grid, np.nextafter(grid, np.float32(np.inf)), np.nextafter(grid, np.float32(0)),
                           -np.nextafter(grid, np.float32(np.inf))])
    x = np.concatenate([words.view(np.float32), near])
    with np.errstate(all="ignore"):
        want, want_no = mxproto.encode_values(dst, x.astype(np.float64))
    got, got_no = mxproto.encode_f32(dst, x)
    diff = np.flatnonzero((want != got) | (want_no != got_no))
    print("%s: %d values, %d with a code, %d differences" % (dst, len(x), int((~want_no).sum()), len(diff)))
    for i in diff[:4]:
        print("  0x%08x: encode_values %s, encode_f32 %s" % (
            int(x[i:i + 1].view(np.uint32)[0]), "none" if want_no[i] else hex(want[i]), "none" if got_no[i] else hex(got[i])))
    bad += len(diff)
sys.exit(1 if bad else 0)
