#!/usr/bin/env python3
"""The standard tier holds every vector family that issue 14 asks for, checked on the files.

    vectors_cover_families.py VECTORS_DIR

An independent look at the generated suites (it shares nothing with harness/gen.c but the
file format): it decodes the inputs itself, from the OCP format parameters below, and
requires for each family that cases with the property are there. It fails, naming the
family, when one is missing:

  sticky      every cvt.<src>.<e4m3|e5m2|e2m3|e3m2|e2m1>.rne.sat suite: in the destination's
              normal range, an input with the round bit and exactly one sticky bit at each
              position of the source significand below the round bit; all-sticky with and
              without the round bit; the quarter points. rup.sat: exactly one sticky bit
              (no round bit) at each position. Each destination binade has a round+sticky input.
  binades     inputs in the binade below the smallest subnormal, and in the two binades
              past the largest finite value (every cvt rne.sat suite)
  band        f32 and bf16: an input strictly inside (max + q, max + 1.5 q) (E4M3: 480..496)
              in every cvt rne.ovf suite of an FP8/FP6/FP4 destination
  sr          every sr suite: one input with the random integer at the threshold and one
              below (same input, random integers r and r - 1, different expected codes)
  quantize    every MX format: quantize suites from f16 and from f64, and one suite per
              scale rule that names it (# param rule:)
  pack        FP4 layouts: an odd n; fp6-lsb: n = 1, 2 and 3 (mod 4)
  dot         every dot pair: 1 block, an odd count >= 3, an even count >= 4; a -0 result
              without C and with a -0 C; a subnormal and the smallest subnormal result;
              results FLT_MAX and Inf from finite inputs

Standard library only. Exit 0 when every family is present.
"""
import glob
import os
import sys

# (exponent bits, trailing significand bits, bias) of the sources; (emin, emax, mbits, max)
# of the FP destinations (OCP MX v1.0 Table 1, OFP8)
SOURCES = {"f32": (8, 23, 127), "bf16": (8, 7, 127), "f16": (5, 10, 15), "f64": (11, 52, 1023)}
DESTS = {"e4m3": (-6, 8, 3, 448.0), "e5m2": (-14, 15, 2, 57344.0), "e2m3": (0, 2, 3, 7.5),
         "e3m2": (-2, 4, 2, 28.0), "e2m1": (0, 2, 1, 6.0)}
RULES = ("floor", "ceil", "rceil", "even", "even-tiedown")
MX = ("mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4_e2m1", "mxint8")


def read(path):
    header, rows = {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# "):
                k, _, v = line[2:].partition(": ")
                header[k] = v
            else:
                rows.append(line.split(" "))
    return header, rows


def decode_source(src, bits):
    """(sign, unbiased exponent, trailing significand, is_normal) of a finite source value."""
    eb, mb, bias = SOURCES[src]
    e = (bits >> mb) & ((1 << eb) - 1)
    m = bits & ((1 << mb) - 1)
    if e == (1 << eb) - 1:
        return None
    return bits >> (eb + mb), e - bias if e else 1 - bias, m, e != 0


def value(src, bits):
    d = decode_source(src, bits)
    if d is None:
        return None
    s, e, m, normal = d
    mb = SOURCES[src][1]
    return (m / 2.0 ** mb + (1 if normal else 0)) * 2.0 ** e


class Report:
    def __init__(self):
        self.missing = []
        self.checked = 0

    def need(self, ok, family, what):
        self.checked += 1
        if not ok:
            self.missing.append("%s: %s" % (family, what))


def check_cvt(R, d, name, header, rows):
    src, dst, rnd, ovf = header["src"], header["dst"], header["param round"], header["param overflow"]
    if dst not in DESTS:
        return
    emin, emax, mbd, mx = DESTS[dst]
    mbs = SOURCES[src][1]
    r = mbs - mbd - 1  # the round bit's position in the source significand (normal range)
    ins = [int(x[0], 16) for x in rows]
    if rnd == "sr":
        mask = (1 << int(header.get("knob sr_bits", "16"))) - 1
        byx = {}
        for x in rows:
            byx.setdefault(x[0], []).append((int(x[1], 16) & mask, x[2]))
        ok = any(any(b == a + 1 and e2 != e1 for a, e1 in v for b, e2 in v) for v in byx.values() if len(v) > 1)
        R.need(ok, "sr", "%s: no input with the random integer at the threshold and one below" % name)
        return
    q_top = 2.0 ** (emax - mbd)
    if rnd == "rne" and ovf == "ovf" and src in ("f32", "bf16"):
        vals = [abs(v) for v in (value(src, b) for b in ins) if v is not None]
        R.need(any(mx + q_top < v < mx + 1.5 * q_top for v in vals), "band",
               "%s: no input inside (%g, %g)" % (name, mx + q_top, mx + 1.5 * q_top))
    if ovf != "sat" or rnd not in ("rne", "rup"):
        return
    lows, binades = set(), set()
    for b in ins:
        dcd = decode_source(src, b)
        if dcd is None or not dcd[3] or not (emin <= dcd[1] <= emax):
            continue
        low = dcd[2] & ((1 << (r + 1)) - 1)
        lows.add(low)
        if low >> r and low & ((1 << r) - 1) and (low & ((1 << r) - 1)) & ((low & ((1 << r) - 1)) - 1) == 0:
            binades.add(dcd[1])
    if rnd == "rne":
        for j in range(r):
            R.need((1 << r) | (1 << j) in lows, "sticky", "%s: no round bit + sticky bit %d" % (name, j))
        R.need((1 << (r + 1)) - 1 in lows, "sticky", "%s: no round bit + all sticky bits" % name)
        R.need((1 << r) - 1 in lows, "sticky", "%s: no all-sticky without the round bit" % name)
        if r >= 1:
            R.need((1 << (r - 1)) in lows and (3 << (r - 1)) in lows, "sticky", "%s: no quarter points" % name)
        for e in range(emin, emax + 1):
            R.need(e in binades, "sticky", "%s: binade 2^%d has no round + one sticky input" % (name, e))
        vals = [abs(v) for v in (value(src, b) for b in ins) if v is not None]
        tiny = 2.0 ** (emin - mbd)
        if emin - mbd - 2 >= 1 - SOURCES[src][2] - mbs:  # the source reaches below it
            R.need(any(tiny / 4 <= v < tiny / 2 for v in vals), "binades",
                   "%s: nothing in the binade below half the smallest subnormal" % name)
            R.need(any(tiny / 2 < v < tiny for v in vals), "binades", "%s: nothing between half the smallest subnormal and it" % name)
        top = 2.0 ** (emax + 1)
        if emax + 3 <= SOURCES[src][2]:  # the source reaches past them
            R.need(any(mx < v < top for v in vals) or mx == top - q_top and any(top < v < 2 * top for v in vals),
                   "binades", "%s: nothing just past the largest finite value" % name)
            R.need(any(top <= v < 2 * top for v in vals) and any(2 * top <= v < 4 * top for v in vals),
                   "binades", "%s: nothing in the two binades past the largest finite value" % name)
    else:
        for j in range(r + 1):
            R.need((1 << j) in lows, "sticky", "%s: no single sticky bit %d (rup)" % (name, j))


def check_dot(R, name, header, rows, seen):
    n = int(header["n"])
    pair = header["fmt"] + "." + header["fmt_b"]
    seen.setdefault(pair, set()).add(n)
    for x in rows:
        sa, sb, c, e = x[0], x[2], x[4], int(x[5], 16)
        finite = "ff" not in sa.split(",") and "ff" not in sb.split(",") and (c == "-" or int(c, 16) & 0x7F800000 != 0x7F800000)
        if e == 0x80000000 and c == "-":
            seen.setdefault("negzero-noc", set()).add(pair)
        if e == 0x80000000 and c == "80000000":
            seen.setdefault("negzero-c", set()).add(pair)
        if 0 < e & 0x7FFFFFFF < 0x800000:
            seen.setdefault("subnormal", set()).add(pair)
        if e & 0x7FFFFFFF == 1:
            seen.setdefault("smallest", set()).add(pair)
        if finite and e & 0x7FFFFFFF == 0x7F7FFFFF:
            seen.setdefault("fltmax", set()).add(pair)
        if finite and e & 0x7FFFFFFF == 0x7F800000:
            seen.setdefault("overflow", set()).add(pair)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    d = argv[1]
    R = Report()
    quant, pack, dots = {}, {}, {}
    files = sorted(glob.glob(os.path.join(d, "*.mxv")))
    if not files:
        print("no vector files in %s" % d)
        return 1
    for path in files:
        header, rows = read(path)
        name, op = header["suite"], header["op"]
        if op == "cvt":
            check_cvt(R, d, name, header, rows)
        elif op == "quantize":
            quant.setdefault(header["fmt"], set()).add(("src", header["src"]))
            if "param rule" in header:
                quant[header["fmt"]].add(("rule", header["param rule"]))
        elif op == "pack":
            pack.setdefault(header["layout"], set()).add(int(header["k"]))
        elif op == "dot":
            check_dot(R, name, header, rows, dots)
    for f in MX:
        for s in ("f16", "f64"):
            R.need(("src", s) in quant.get(f, ()), "quantize", "no quantize suite of %s from %s" % (f, s))
        for rule in RULES:
            R.need(("rule", rule) in quant.get(f, ()), "quantize", "no quantize suite of %s naming rule %s" % (f, rule))
    for layout in ("fp4-low", "fp4-high"):
        R.need(any(k % 2 for k in pack.get(layout, ())), "pack", "no %s suite with an odd n" % layout)
    for m in (1, 2, 3):
        R.need(any(k % 4 == m for k in pack.get("fp6-lsb", ())), "pack", "no fp6-lsb suite with n = %d (mod 4)" % m)
    pairs = [p for p in dots if "." in p]
    R.need(bool(pairs), "dot", "no dot suites")
    for p in pairs:
        ns = dots[p]
        R.need(1 in ns, "dot", "%s: no 1-block suite" % p)
        R.need(any(n >= 3 and n % 2 for n in ns), "dot", "%s: no suite with an odd block count >= 3" % p)
        R.need(any(n >= 4 and n % 2 == 0 for n in ns), "dot", "%s: no suite with an even block count >= 4" % p)
        for fam, what in (("negzero-noc", "-0 result without C"), ("negzero-c", "-0 result with a -0 C"),
                          ("subnormal", "subnormal FP32 result"), ("smallest", "smallest subnormal result"),
                          ("fltmax", "FLT_MAX result from finite inputs"), ("overflow", "Inf result from finite inputs")):
            if fam.startswith("negzero") and "mxint8.mxint8" in p:
                continue  # INT8 has no -0: no product is -0
            R.need(p in dots.get(fam, ()), "dot", "%s: no %s" % (p, what))
    for m in R.missing[:40]:
        print("MISSING " + m)
    if R.missing:
        fams = {}
        for m in R.missing:
            fams[m.split(":")[0]] = fams.get(m.split(":")[0], 0) + 1
        print("%d of %d family checks fail (%d shown); missing by family: %s" % (
            len(R.missing), R.checked, min(40, len(R.missing)), ", ".join("%s %d" % kv for kv in sorted(fams.items()))))
        return 1
    print("%s: %d suites, every family present (%d checks)" % (d, len(files), R.checked))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
