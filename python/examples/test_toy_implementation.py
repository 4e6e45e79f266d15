"""A worked example: testing an implementation of the OCP MX formats with mxconform's golden
vectors from pytest. The "implementation" here is a toy written for the example (E4M3 decode
and f32 -> E4M3 round-to-nearest-even, saturating); replace it with yours.

    pip install ./python          # or: PYTHONPATH=python
    pytest python/examples        # or, without pytest: python3 python/examples/test_toy_implementation.py
"""
import bisect
import math
import os
import struct
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mxconform_vectors import read, tier_dir  # noqa: E402

E4M3_MAX_CODE = 0x7E  # 448


def toy_decode_e4m3(code):
    """E4M3 code -> float (bias 7, no infinities, S.1111.111 is NaN)."""
    sign = -1.0 if code & 0x80 else 1.0
    e, m = (code >> 3) & 0xF, code & 7
    if e == 0xF and m == 7:
        return math.nan
    if e == 0:
        return sign * m * 2.0 ** -9
    return sign * (1 + m / 8) * 2.0 ** (e - 7)


_POSITIVE = [Fraction(toy_decode_e4m3(c)) for c in range(E4M3_MAX_CODE + 1)]


def toy_f32_to_e4m3_rne_sat(bits):
    """f32 bit pattern -> E4M3 code: nearest value, ties to the even code, beyond the largest
    finite value (and infinities) saturate to +-448, NaN -> NaN with the sign kept."""
    sign = 0x80 if bits >> 31 else 0
    x = struct.unpack("<f", struct.pack("<I", bits))[0]
    if math.isnan(x):
        return sign | 0x7F
    a = abs(x)
    if math.isinf(a) or a >= _POSITIVE[-1]:
        return sign | E4M3_MAX_CODE
    a = Fraction(a)
    lo = bisect.bisect_right(_POSITIVE, a) - 1  # largest code <= a
    if _POSITIVE[lo] == a:
        return sign | lo
    below, above = a - _POSITIVE[lo], _POSITIVE[lo + 1] - a
    code = lo if below < above or (below == above and lo % 2 == 0) else lo + 1
    return sign | code


def test_decode_e4m3_every_code():
    suite = read(os.path.join(tier_dir("standard"), "decode.e4m3.mxv"))
    assert len(suite) == 256
    for case in suite:
        want = struct.unpack("<d", struct.pack("<Q", case["f64"]))[0]
        got = toy_decode_e4m3(case["code"])
        assert got == want or (math.isnan(got) and math.isnan(want)), "code %#04x: %r != %r" % (case["code"], got, want)


def test_convert_f32_to_e4m3_rne_sat():
    suite = read(os.path.join(tier_dir("standard"), "cvt.f32.e4m3.rne.sat.mxv"))
    assert suite.params == {"round": "rne", "overflow": "sat"}
    assert suite.knobs["nan_sign"] == "keep"  # the toy keeps NaN signs: say so, or pick other vectors
    for case in suite:
        got = toy_f32_to_e4m3_rne_sat(case["input"])
        assert got == case["expected"], "%#010x: %#04x != %#04x" % (case["input"], got, case["expected"])


if __name__ == "__main__":  # no pytest: the same tests under unittest
    import unittest

    tests = [unittest.FunctionTestCase(f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    sys.exit(not unittest.TextTestRunner(verbosity=2).run(unittest.TestSuite(tests)).wasSuccessful())
