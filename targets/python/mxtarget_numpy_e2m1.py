#!/usr/bin/python3
"""mxtarget_numpy_e2m1.py - a NumPy bit-logic converter f32 -> E2M1 (round toward zero,
saturating), the process protocol's ceiling for a vectorised target.

It answers `cvtrange f32 e2m1 rtz sat` (and `cvt` of the same) with a handful of NumPy
operations per range, so that `mxconform sweep` of every f32 input measures the protocol
(the request, the hex answer, the harness's parsing and comparison) and not a library:

    mxconform sweep --op cvt.f32.e2m1 --round rtz --overflow sat \\
        --target cmd:'/usr/bin/python3 targets/python/mxtarget_numpy_e2m1.py'

The codes follow the `ocp` profile (0 mismatches): |x| < 0.5 -> 0, then the binade and the
first fraction bit pick 0.5 1 1.5 2 3 4 6, |x| >= 6 and Inf -> 6 (sat), NaN -> +6 (0x7,
nan_finite = pos-max), the sign kept otherwise. targets/python/README.md has the figures.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mxproto  # noqa: E402

try:
    import numpy as np
except ImportError as e:
    mxproto.refuse("numpy", e)

# The code of every (sign, biased exponent, first fraction bit): bits 31..22 of the input.
# Magnitudes (rtz): below 0.5 -> 0; [0.5, 1) 0.5; [1, 1.5) 1, [1.5, 2) 1.5; [2, 3) 2, [3, 4) 3;
# [4, 6) 4, [6, 8) 6; 8 and above, Inf included -> 6 (sat). A NaN reads as Inf here: the
# positive ones get +6 from the table, the negative ones are set to +6 after the lookup.
_TABLE = np.zeros(1024, np.uint8)
for _e, _lo, _hi in ((126, 1, 1), (127, 2, 3), (128, 4, 5), (129, 6, 7)):
    _TABLE[2 * _e], _TABLE[2 * _e + 1] = _lo, _hi
_TABLE[2 * 130:512] = 7
_TABLE[512:] = _TABLE[:512] | 8


class Backend(mxproto.Backend):
    name, version = "numpy-e2m1", "NumPy %s bit logic (rtz, sat)" % np.__version__

    def cvt_array(self, src, dst, rounding, overflow, bits):
        if (src, dst, rounding, overflow) != ("f32", "e2m1", "rtz", "sat"):
            raise mxproto.Unsupported()
        code = _TABLE[(bits >> np.uint64(22)).astype(np.intp)]
        code[bits > np.uint64(0xFF800000)] = 7  # -NaN -> +6 (nan_finite = pos-max)
        return code, None

    def cvt(self, src, dst, rounding, overflow, values):
        codes, _ = self.cvt_array(src, dst, rounding, overflow, np.array(values, dtype=np.uint64))
        return [int(c) for c in codes]


if __name__ == "__main__":
    sys.exit(mxproto.serve(Backend()))
