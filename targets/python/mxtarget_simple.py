#!/usr/bin/env python3
"""mxtarget_simple.py - a complete mxconform process target in plain Python 3 (>= 3.9).

It speaks the line protocol of harness/PROTOCOL.md on stdin/stdout and implements:

    decode  e2m1, e4m3                       every code -> its exact value (f64 bits)
    cvt     f32 / bf16 / f16 / f64 -> e2m1, e4m3
            rounding rne (nearest, ties to even), overflow sat or ovf

and answers `unsupported` to everything else, which mxconform reports as unsupported
suites (not failures). Run it with

    mxconform run --target cmd:'python3 targets/python/mxtarget_simple.py' \\
        --suites 'decode.e2m1,decode.e4m3,cvt.*.e2m1.rne.*,cvt.*.e4m3.rne.*'

Standard library only. Every value is handled as an exact fractions.Fraction, so no
floating-point rounding can creep in: the target rounds exactly once, as the spec says.

Choices where the specs leave one open (the `ocp` profile's defaults, spec_notes/):
  * NaN -> E4M3: 0x7F with the input's sign kept (knob nan_sign = keep)
  * NaN -> E2M1: +6 (0x7) whatever the sign (knob nan_finite = pos-max)
  * +-Inf -> E4M3 under sat: +-448 (inf_sat = max); under ovf: NaN with the sign kept
  * +-Inf -> E2M1: +-6 (inf_finite = max)
  * overflow: round first, then check the range (OFP8): under ovf E4M3 464 is a tie that
    rounds to even, 448; anything above 464 becomes NaN. E2M1 has no NaN and saturates.
"""
import bisect
import struct
import sys
from fractions import Fraction

NAME, VERSION = "mxtarget-simple", "1.0"

# ---- number formats -------------------------------------------------------------------

# Source formats: IEEE-style (exponent bits, trailing significand bits).
SOURCES = {"f32": (8, 23), "bf16": (8, 7), "f16": (5, 10), "f64": (11, 52)}


def source_value(fmt, bits):
    """Bit pattern of a source format -> ("num", Fraction, sign) / ("inf", None, sign) /
    ("nan", None, sign). The sign is separate so that -0 keeps it."""
    ebits, mbits = SOURCES[fmt]
    sign = (bits >> (ebits + mbits)) & 1
    exp_field = (bits >> mbits) & ((1 << ebits) - 1)
    mantissa = bits & ((1 << mbits) - 1)
    bias = (1 << (ebits - 1)) - 1
    if exp_field == (1 << ebits) - 1:
        return ("nan" if mantissa else "inf"), None, sign
    if exp_field == 0:  # zero or subnormal: no implicit leading 1
        magnitude = Fraction(mantissa) * Fraction(2) ** (1 - bias - mbits)
    else:
        magnitude = Fraction(mantissa | (1 << mbits)) * Fraction(2) ** (exp_field - bias - mbits)
    return "num", magnitude, sign


class ElementFormat:
    """An MX element float format: bits, exponent/mantissa widths, bias, where its NaN is."""

    def __init__(self, name, ebits, mbits, bias, nan_code):
        self.name, self.ebits, self.mbits, self.bias = name, ebits, mbits, bias
        self.sign_bit = 1 << (ebits + mbits)
        self.nan_code = nan_code  # positive NaN code, or None when the format has no NaN
        # Every non-negative finite code with its value, in increasing order (codes of a
        # sign-magnitude float grow with their value).
        self.codes = [c for c in range(self.sign_bit) if c != nan_code]
        self.values = [self.magnitude(c) for c in self.codes]
        self.max_code = self.codes[-1]
        # The value one step past the largest finite one, as if the exponent range went on.
        # Rounding happens first, against this value too; only then is the range checked.
        self.beyond_max = self.values[-1] + self.ulp(self.max_code)

    def magnitude(self, code):
        exp_field = code >> self.mbits
        mantissa = code & ((1 << self.mbits) - 1)
        if exp_field == 0:
            return Fraction(mantissa) * Fraction(2) ** (1 - self.bias - self.mbits)
        return Fraction(mantissa | (1 << self.mbits)) * Fraction(2) ** (exp_field - self.bias - self.mbits)

    def ulp(self, code):
        exp_field = max(code >> self.mbits, 1)
        return Fraction(2) ** (exp_field - self.bias - self.mbits)


E2M1 = ElementFormat("e2m1", 2, 1, 1, None)
E4M3 = ElementFormat("e4m3", 4, 3, 7, 0x7F)
ELEMENTS = {"e2m1": E2M1, "e4m3": E4M3}


def round_nearest_even(fmt, magnitude):
    """|x| -> magnitude code, or None when it rounds beyond the largest finite value."""
    if magnitude >= fmt.beyond_max:
        return None
    # neighbours lo <= magnitude < hi; hi may be the virtual code just past the maximum
    i = bisect.bisect_right(fmt.values, magnitude) - 1
    lo_code, lo = fmt.codes[i], fmt.values[i]
    if lo == magnitude:
        return lo_code
    if i + 1 < len(fmt.codes):
        hi_code, hi = fmt.codes[i + 1], fmt.values[i + 1]
    else:
        hi_code, hi = fmt.max_code + 1, fmt.beyond_max
    midpoint = (lo + hi) / 2
    if magnitude < midpoint:
        return lo_code
    if magnitude > midpoint:
        chosen = hi_code
    else:  # a tie: the code whose last (mantissa) bit is 0
        chosen = lo_code if lo_code % 2 == 0 else hi_code
    return None if chosen > fmt.max_code else chosen


def convert(src, fmt, overflow, bits):
    kind, magnitude, sign = source_value(src, bits)
    sign_bits = fmt.sign_bit if sign else 0
    if kind == "nan":
        if fmt.nan_code is not None:
            return fmt.nan_code | sign_bits  # nan_sign = keep
        return fmt.max_code  # nan_finite = pos-max: +max whatever the sign
    if kind == "inf":
        if fmt.nan_code is not None and overflow == "ovf":
            return fmt.nan_code | sign_bits  # E4M3 has no Inf: non-saturating gives NaN
        return fmt.max_code | sign_bits  # inf_sat = max, inf_finite = max
    code = round_nearest_even(fmt, magnitude)
    if code is None:  # overflow, decided after rounding
        if overflow == "ovf" and fmt.nan_code is not None:
            return fmt.nan_code | sign_bits
        return fmt.max_code | sign_bits
    return code | sign_bits  # the sign survives a round to zero: -0


def decode(fmt, code):
    """Element code -> f64 bit pattern of its exact value."""
    sign = (code & fmt.sign_bit) != 0
    magnitude_code = code & (fmt.sign_bit - 1)
    if magnitude_code == fmt.nan_code:
        bits = 0x7FF8000000000000  # a quiet NaN; the harness accepts any NaN here
    else:
        # every E2M1 / E4M3 value is a short binary fraction: float() of it is exact
        bits = struct.unpack("<Q", struct.pack("<d", float(fmt.magnitude(magnitude_code))))[0]
    return bits | (1 << 63 if sign else 0)


# ---- the protocol ------------------------------------------------------------------------


class Unsupported(Exception):
    pass


class BadRequest(Exception):
    pass


def hex_value(text, bits):
    try:
        value = int(text, 16)
    except ValueError:
        raise BadRequest("'%s' is not hex" % text)
    if value < 0 or value >> bits:
        raise BadRequest("'%s' does not fit in %d bits" % (text, bits))
    return value


def values_of(fields, count_field):
    try:
        count = int(count_field)
    except ValueError:
        raise BadRequest("bad count '%s'" % count_field)
    if count != len(fields):
        raise BadRequest("%d values, the request says %d" % (len(fields), count))
    return fields


def answer(line):
    fields = line.split(" ")
    op = fields[0]
    if op == "decode" and len(fields) >= 3:
        fmt = ELEMENTS.get(fields[1])
        if fmt is None:
            raise Unsupported()
        codes = values_of(fields[3:], fields[2])
        return "ok" + "".join(" %x" % decode(fmt, hex_value(c, fmt.ebits + fmt.mbits + 1)) for c in codes)
    if op == "cvt" and len(fields) >= 6:
        src, dst, rounding, overflow = fields[1:5]
        fmt = ELEMENTS.get(dst)
        if src not in SOURCES or fmt is None or rounding != "rne" or overflow not in ("sat", "ovf"):
            raise Unsupported()
        width = sum(SOURCES[src]) + 1
        inputs = values_of(fields[6:], fields[5])
        return "ok" + "".join(" %x" % convert(src, fmt, overflow, hex_value(v, width)) for v in inputs)
    # Every other operation (quantize, dequantize, pack, dot, and any added by a later
    # protocol version) is simply not implemented here.
    raise Unsupported()


def main():
    out = sys.stdout
    first = True
    for raw in sys.stdin:
        line = raw.rstrip("\r\n")
        if first:
            first = False
            if line != "mxconform-protocol 1":
                out.write("error expected 'mxconform-protocol 1'\n")
                return 2
            out.write("ok %s %s\n" % (NAME, VERSION))
        elif line == "quit":
            break
        else:
            try:
                reply = answer(line)
            except Unsupported:
                reply = "unsupported"
            except BadRequest as e:
                reply = "error %s" % e
            out.write(reply + "\n")
        # The harness may send more requests before it reads; answer each one now, or both
        # sides would wait for each other.
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
