#!/usr/bin/env python3
"""The standard tier holds every NVFP4 vector family issue 16 asks for, checked on the files.

    nvfp4_vectors_cover_families.py VECTORS_DIR

An independent look at the generated nvfp4_* suites (it shares nothing with harness/gen.c but
the file format): it decodes the values itself and, from each case's expected tensor scale
s_t and block scales, requires for each family that cases with the property are there. It
fails, naming the family, when one is missing:

  boundaries   a block amax with amax_b / (6 s_t) exactly on an E4M3 midpoint, for at least
               100 of the 126 midpoints, and blocks one f32 step above and below such a tie
  tensor-amax  an all-zero tensor (s_t = 1), a calibrated amax of 0 over nonzero values, a
               subnormal amax, the amax FLT_MAX
  scale-zero   a block scale 0 over nonzero values (elements saturate to +-6)
  scale-sat    a block scale 448 (0x7e) with amax_b / (6 s_t) above 464 (saturated)
  binades      elements with x / (s_b s_t) exactly 0.75, 1.75 and 3.5 (they round up across an
               E2M1 binade), and f32 neighbours of each
  dequantize   every block scale code (the NaN codes 0x7f and 0xff included), tensor scales
               +Inf, NaN, 0 and FLT_MAX

Standard library only. Exit 0 when every family is present.
"""
import glob
import os
import sys
from fractions import Fraction


def f32(bits):
    """f32 bits -> Fraction, or None for Inf/NaN."""
    e, m = (bits >> 23) & 0xFF, bits & 0x7FFFFF
    if e == 0xFF:
        return None
    v = Fraction(m, 1 << 149) if e == 0 else Fraction(m | 0x800000) * Fraction(2) ** (e - 150)
    return -v if bits >> 31 else v


def e4m3(code):
    e, m = (code >> 3) & 0xF, code & 7
    return Fraction(m, 512) if e == 0 else Fraction(8 + m) * Fraction(2) ** (e - 10)


E4M3_MIDS = {(e4m3(c) + e4m3(c + 1)) / 2 for c in range(0x7E)}


def read(path):
    header, rows = {}, []
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# "):
            k, _, v = line[2:].partition(": ")
            header[k] = v
        else:
            rows.append(line.split(" "))
    return header, rows


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found = set()
    ties, near = set(), 0
    for path in sorted(glob.glob(os.path.join(argv[1], "nvfp4_quantize.*.mxv"))):
        header, rows = read(path)
        nb = int(header["n"])
        for values, amax, tscale, scales, codes in rows:
            xs = [int(v, 16) for v in values.split(",")]
            st = f32(int(tscale, 16))
            sc = [int(s, 16) for s in scales.split(",")]
            if all(f32(x) == 0 for x in xs) and amax == "-" and st == 1:
                found.add("tensor-amax: all zeros")
            if amax != "-":
                a = int(amax, 16)
                if a == 0 and any(f32(x) != 0 for x in xs):
                    found.add("tensor-amax: calibrated 0")
                if 0 < a < 0x00800000:
                    found.add("tensor-amax: subnormal")
                if a == 0x7F7FFFFF:
                    found.add("tensor-amax: FLT_MAX")
            elif max(x & 0x7FFFFFFF for x in xs) == 0x7F7FFFFF:
                found.add("tensor-amax: FLT_MAX")
            for b in range(nb):
                block = xs[16 * b:16 * b + 16]
                top = max(x & 0x7FFFFFFF for x in block)
                amax_b = f32(top)
                if st == 0 or amax_b is None:
                    continue
                q = amax_b / (6 * st)
                if q in E4M3_MIDS:
                    ties.add(q)
                elif top and any(f32(t) is not None and f32(t) / (6 * st) in E4M3_MIDS for t in (top - 1, top + 1)):
                    near += 1  # one f32 step from a tie
                if sc[b] == 0 and amax_b > 0:
                    found.add("scale-zero")
                if sc[b] == 0x7E and q > 464:
                    found.add("scale-sat")
                d = e4m3(sc[b]) * st
                if d == 0:
                    continue
                for x in block:
                    r = abs(f32(x)) / d
                    for m in (Fraction(3, 4), Fraction(7, 4), Fraction(7, 2)):
                        if r == m:
                            found.add("binades: on %s" % m)
                        elif abs(r - m) <= m / (1 << 22):
                            found.add("binades: beside %s" % m)
    if len(ties) >= 100:
        found.add("boundaries: ties")
    if near:
        found.add("boundaries: neighbours")
    seen_scales, seen_ts = set(), set()
    for path in glob.glob(os.path.join(argv[1], "nvfp4_dequantize.*.mxv")):
        for ts, scale, _codes, _values in read(path)[1]:
            seen_scales.add(int(scale, 16))
            seen_ts.add(int(ts, 16))
    if len(seen_scales) == 256:
        found.add("dequantize: every scale code")
    if {0x7F800000, 0x7F7FFFFF, 0} <= seen_ts and any((t & 0x7F800000) == 0x7F800000 and t & 0x7FFFFF for t in seen_ts):
        found.add("dequantize: Inf NaN 0 FLT_MAX tensor scales")
    want = ["boundaries: ties", "boundaries: neighbours", "tensor-amax: all zeros", "tensor-amax: calibrated 0",
            "tensor-amax: subnormal", "tensor-amax: FLT_MAX", "scale-zero", "scale-sat"] + \
        ["binades: %s %s" % (w, m) for w in ("on", "beside") for m in ("3/4", "7/4", "7/2")] + \
        ["dequantize: every scale code", "dequantize: Inf NaN 0 FLT_MAX tensor scales"]
    missing = [w for w in want if w not in found]
    for w in missing:
        print("MISSING family: " + w)
    print("%d E4M3 midpoints hit exactly, %d blocks beside one; %d of %d families present"
          % (len(ties), near, len(want) - len(missing), len(want)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
