"""fakefloat.py - the exact arithmetic behind the FAKE numpy / ml_dtypes / torch packages.

Test scaffolding only. The fake packages in fake_ml_dtypes/ and fake_torch/ stand in for the
real libraries so that the adapters' plumbing (array construction, views, casts, packing,
the protocol) can be tested on a machine without NumPy or PyTorch. They are NOT the
libraries: every conversion here is computed exactly with fractions.Fraction by the OCP
rules (round to nearest on the format's grid, rounding first and range check after), with
the non-finite and out-of-range choices that peers.md documents for each library (D1-D5),
selected by a `Policy`. Nothing here is shared with targets/python/mxproto.py on purpose:
the adapters are checked against an independent implementation.
"""
from fractions import Fraction

TWO = Fraction(2)


class Spec:
    """A binary floating-point storage format.

    kind: "ieee" (Inf and NaNs: f16, f32, f64, bf16, e5m2), "fn" (E4M3FN: no Inf, one NaN
    per sign at all-ones), "finite" (FP6/FP4: no Inf, no NaN), "e8m0" (unsigned 2^(c-127),
    0xFF NaN), "uint"/"int" (plain integers of `width` bits)."""

    def __init__(self, name, kind, width, ebits=0, mbits=0):
        self.name, self.kind, self.width = name, kind, width
        self.ebits, self.mbits = ebits, mbits
        self.bias = (1 << (ebits - 1)) - 1 if ebits else 0
        self.itemsize = (width + 7) // 8
        if kind in ("ieee", "fn", "finite"):
            self.sign_bit = 1 << (ebits + mbits)
            if kind == "ieee":
                self.max_mag = (((1 << ebits) - 2) << mbits) | ((1 << mbits) - 1)
            elif kind == "fn":
                self.max_mag = ((1 << (ebits + mbits)) - 1) - 1  # all-ones is NaN
            else:
                self.max_mag = (1 << (ebits + mbits)) - 1

    def __repr__(self):
        return "fake-dtype(%s)" % self.name


F16 = Spec("float16", "ieee", 16, 5, 10)
BF16 = Spec("bfloat16", "ieee", 16, 8, 7)
F32 = Spec("float32", "ieee", 32, 8, 23)
F64 = Spec("float64", "ieee", 64, 11, 52)
E4M3 = Spec("float8_e4m3fn", "fn", 8, 4, 3)
E5M2 = Spec("float8_e5m2", "ieee", 8, 5, 2)
E2M3 = Spec("float6_e2m3fn", "finite", 6, 2, 3)
E3M2 = Spec("float6_e3m2fn", "finite", 6, 3, 2)
E2M1 = Spec("float4_e2m1fn", "finite", 4, 2, 1)
E8M0 = Spec("float8_e8m0fnu", "e8m0", 8)


def decode(spec, bits):
    """-> ("nan", sign) | ("inf", sign) | ("num", sign, magnitude Fraction)."""
    if spec.kind == "e8m0":
        return ("nan", 0) if bits == 0xFF else ("num", 0, TWO ** (bits - 127))
    sign = 1 if bits & spec.sign_bit else 0
    mag = bits & (spec.sign_bit - 1)
    e, m = mag >> spec.mbits, mag & ((1 << spec.mbits) - 1)
    if spec.kind == "ieee" and e == (1 << spec.ebits) - 1:
        return ("nan", sign) if m else ("inf", sign)
    if spec.kind == "fn" and mag == (spec.sign_bit - 1):
        return ("nan", sign)
    if e == 0:
        v = Fraction(m) * TWO ** (1 - spec.bias - spec.mbits)
    else:
        v = Fraction(m | (1 << spec.mbits)) * TWO ** (e - spec.bias - spec.mbits)
    return ("num", sign, v)


def _floor_log2(v):
    e = v.numerator.bit_length() - v.denominator.bit_length()
    if TWO ** e > v:
        e -= 1
    return e


def round_magnitude(spec, v, ties):
    """Positive or zero magnitude -> magnitude code on the grid extended past the top
    (rounded first; the caller compares with spec.max_mag for overflow). ties: "even" or
    "away"."""
    if v == 0:
        return 0
    emin = 1 - spec.bias
    e = max(_floor_log2(v), emin)
    q = v / TWO ** (e - spec.mbits)
    n = q.numerator // q.denominator
    rem = q - n
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and (ties == "away" or n % 2 == 1)):
        n += 1
    if n >> (spec.mbits + 1):  # carried into the next binade
        n >>= 1
        e += 1
    field = e + spec.bias if n >> spec.mbits else 0
    return (field << spec.mbits) | (n & ((1 << spec.mbits) - 1))


def round_e8m0(v, ties):
    """Positive magnitude -> E8M0 code, or 0x100 past 2^127 (overflow). Below 2^-127: 0x00."""
    e = _floor_log2(v)
    frac = v / TWO ** e
    if frac > Fraction(3, 2) or (frac == Fraction(3, 2) and (ties == "away" or (e + 127) % 2 == 1)):
        e += 1
    return max(e + 127, 0) if e + 127 <= 254 else 0x100


class Policy:
    """What a library does where the value alone does not decide (peers.md D1-D5)."""

    def __init__(self, **kw):
        self.ties = kw.get("ties", "even")                  # element rounding
        self.e8m0_ties = kw.get("e8m0_ties", "away")        # ml_dtypes, c10: ties up
        self.saturate = kw.get("saturate", False)           # FP8/E8M0 overflow
        self.e5m2_nan = kw.get("e5m2_nan", 0x7E)            # NaN code into E5M2 (sign added)
        self.fp_nan = kw.get("fp_nan", "inverted-zero")     # NaN into FP6/FP4
        self.e8m0_zero = kw.get("e8m0_zero", 0xFF)          # +-0 into E8M0
        self.e8m0_neg = kw.get("e8m0_neg", 0xFF)            # negative into E8M0 ("abs": |x|)


IEEE_POLICY = Policy()


def encode(spec, value, policy=IEEE_POLICY):
    """A decoded value (as returned by decode) -> bits of `spec` under `policy`."""
    kind, sign = value[0], value[1]
    if spec.kind == "e8m0":
        if kind == "nan":
            return 0xFF
        if kind == "num" and value[2] == 0:
            return policy.e8m0_zero
        if sign:
            if policy.e8m0_neg != "abs":
                return policy.e8m0_neg
        if kind == "inf":
            return 0xFE if policy.saturate else 0xFF
        code = round_e8m0(value[2], policy.e8m0_ties)
        return (0xFE if policy.saturate else 0xFF) if code > 0xFE else code
    s = spec.sign_bit if sign else 0
    all_ones = spec.sign_bit - 1
    if kind == "nan":
        if spec.kind == "ieee":
            if spec.width == 8:  # E5M2: the library's NaN code
                return s | policy.e5m2_nan
            return s | all_ones ^ ((1 << (spec.mbits - 1)) - 1)  # quiet NaN, no payload
        if spec.kind == "fn":
            return s | all_ones
        # FP6/FP4 have no NaN
        return {"inverted-zero": (0 if sign else spec.sign_bit), "pos-max": spec.max_mag}[policy.fp_nan]
    if kind == "inf":
        if spec.kind == "ieee" and not policy.saturate:
            return s | (all_ones ^ ((1 << spec.mbits) - 1))
        if spec.kind == "fn" and not policy.saturate:
            return s | all_ones
        return s | spec.max_mag
    code = round_magnitude(spec, value[2], policy.ties)
    if code > spec.max_mag:
        if spec.kind == "finite" or policy.saturate:
            return s | spec.max_mag
        if spec.kind == "fn":
            return s | all_ones
        return s | (all_ones ^ ((1 << spec.mbits) - 1))  # Inf
    return s | code


def convert(src, dst, bits, policy=IEEE_POLICY):
    return encode(dst, decode(src, bits), policy)


def pack_f64_value(value):
    """decode() result -> f64 bits (exact for every value of the formats above)."""
    return encode(F64, value)


def exact_f32_bits(value, negative=False):
    """An exact f32 value (int or Fraction; `negative` for -0) -> its bits."""
    v = Fraction(value)
    sign = 1 if (v < 0 or (v == 0 and negative)) else 0
    bits = encode(F32, ("num", sign, abs(v)))
    if decode(F32, bits)[2] != abs(v):
        raise ValueError("%s is not an f32 value" % v)
    return bits
