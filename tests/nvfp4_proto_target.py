#!/usr/bin/env python3
"""nvfp4_proto_target.py - NVFP4 through the process protocol (harness/PROTOCOL.md), in exact
Python: the `ocp` profile's nvfp4_* knobs (every NVIDIA formula evaluated exactly, one
rounding per stored value; spec_notes/nvfp4.md), written from the formulas with
fractions.Fraction and mxproto's code tables, independent of libmxref and the oracle.

Used by tests/nvfp4_routes.cmake: `mxconform run --target cmd:'python3 THIS' --suites
'nvfp4_*'` must pass, and with --bug block-scale-rtz (the E4M3 block scale rounded toward
zero) must fail.
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "targets", "python"))
import mxproto  # noqa: E402

E4M3, E2M1 = mxproto.fmt("e4m3"), mxproto.fmt("e2m1")


def f32_value(bits):
    return mxproto.source_value("f32", bits)[1]


def rn32(x):
    """A Fraction rounded to binary32, nearest even -> f32 bits (x >= 0 here, finite)."""
    if x == 0:
        return 0
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    q = Fraction(2) ** (max(e, -126) - 23)  # the last place
    n = round(x / q)  # Fraction rounds half to even
    if n * q >= Fraction(2) ** 128:
        return 0x7F800000
    return mxproto.exact_bits("f32", n * q)


def nearest(grid, x, toward_zero=False):
    """The code of `grid` (sorted (value, code) of one sign) nearest to x >= 0, ties to the
    even code, saturating; toward_zero: the largest value <= x."""
    best = grid[0]
    for v, c in grid:
        if v <= x:
            best = (v, c)
    if toward_zero:
        return best[1]
    i = grid.index(best)
    if i + 1 == len(grid):
        return best[1]
    hi = grid[i + 1]
    mid = (best[0] + hi[0]) / 2
    if x < mid or (x == mid and best[1] % 2 == 0):
        return best[1]
    return hi[1]


class ExactNvfp4(mxproto.Backend):
    name, version = "nvfp4-proto-exact", "1.0"

    def __init__(self, bug=None):
        self.bug = bug
        self.e4m3 = [(v, c) for v, c in E4M3.grid]
        self.e2m1 = [(v, c) for v, c in E2M1.grid]

    def nvfp4_quantize(self, values, amax):
        xs = [f32_value(b) for b in values]
        a = f32_value(amax) if amax is not None else max(abs(x) for x in xs)
        st = f32_value(rn32(a / 2688)) if a else Fraction(1)
        scales, codes = [], []
        for j in range(0, len(xs), 16):
            block = xs[j:j + 16]
            amax_b = max(abs(x) for x in block)
            if st == 0:
                s = 0x7E if amax_b else 0
            else:
                s = nearest(self.e4m3, amax_b / (6 * st), toward_zero=self.bug == "block-scale-rtz")
            scales.append(s)
            d = E4M3.value(s)[1] * st
            for x, bits in zip(block, values[j:j + 16]):
                sign = 0x8 if bits >> 31 else 0
                mag = 0 if x == 0 else 7 if d == 0 else nearest(self.e2m1, abs(x) / d)
                codes.append(sign | mag)
        return mxproto.exact_bits("f32", st), scales, codes

    def nvfp4_dequantize(self, tensor_scale, scale, codes):
        kind, sb = E4M3.value(scale & 0x7F)  # the sign bit is ignored (cuBLAS UE4M3)
        st_kind, st, st_sign = mxproto.source_value("f32", tensor_scale)
        out = []
        for c in codes:
            neg = bool(c & 0x8)
            e = E2M1.value(c & 0x7)[1]
            if kind == "nan" or st_kind == "nan" or (st_kind == "inf" and e * sb == 0):
                out.append(0x7FC00000)
            elif st_kind == "inf":
                out.append(0x7F800000 | ((neg ^ st_sign) << 31))
            else:
                # IEEE: the product's sign is the XOR of the signs, zero or not
                out.append(rn32(abs(e * sb * st)) | ((neg ^ st_sign) << 31))
        return out

    def nvfp4_dot(self, n_blocks, c, ta, sa, ca, tb, sb, cb):
        """The exact sum of e_a e_b s_b(a) s_b(b) s_t(a) s_t(b) (+ C) rounded once (exact-rne);
        a NaN block scale or C NaN, an Inf C; the zero's sign by IEEE 754 §6.3."""
        if any(E4M3.value(s & 0x7F)[0] == "nan" for s in sa + sb):
            return 0x7FC00000
        if c is not None:
            kind, cv, c_neg = mxproto.source_value("f32", c)
            if kind == "nan":
                return 0x7FC00000
            if kind == "inf":
                return c
        kta, vta, nta = mxproto.source_value("f32", ta)
        ktb, vtb, ntb = mxproto.source_value("f32", tb)
        total, all_neg_zero = Fraction(0), c is None or (cv == 0 and c_neg)
        for j in range(n_blocks):
            s = E4M3.value(sa[j] & 0x7F)[1] * E4M3.value(sb[j] & 0x7F)[1] * vta * vtb
            for i in range(16 * j, 16 * j + 16):
                p = E2M1.value(ca[i] & 7)[1] * E2M1.value(cb[i] & 7)[1] * abs(s)
                neg = bool(ca[i] & 8) ^ bool(cb[i] & 8) ^ nta ^ ntb
                if p or not neg:
                    all_neg_zero = False
                total += -p if neg else p
        if c is not None:
            total += -abs(cv) if c_neg else abs(cv)
        if total == 0:
            return 0x80000000 if all_neg_zero else 0
        return rn32(abs(total)) | (0x80000000 if total < 0 else 0)


if __name__ == "__main__":
    bug = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--bug" else None
    sys.exit(mxproto.serve(ExactNvfp4(bug)))
