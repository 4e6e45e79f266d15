"""peers_bugs.py - the suspected bugs of the real libraries, as data (scripts/peers.py).

A peer's divergences are explained when every failure is either a knob value of its detected
profile (conditional values included) or one of the suspected bugs below. Each bug is a
predicate over one failure that is left under the detected profile (an entry of results.json:
suite name, input words, expected and actual), one concrete input that reproduces it, and the
library's source line. peers.py counts the failures each bug explains; what no bug explains is
reported as unexplained, never hidden. Python 3 standard library only.
"""
import math
import re
import struct

TP = "../shared/thirdparty/"


def value_of(src, bits):
    """The float value of an input word of a source format."""
    if src == "f32":
        return struct.unpack("<f", struct.pack("<I", bits))[0]
    if src == "f64":
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    if src == "bf16":
        return struct.unpack("<f", struct.pack("<I", bits << 16))[0]
    if src == "f16":
        return struct.unpack("<e", struct.pack("<H", bits))[0]
    raise ValueError(src)


def f32_round(x):
    """x rounded to FP32, nearest even (overflow: +-Inf). A sum or product of two FP32 values
    computed in binary64 and rounded here is the FP32 operation's result: 53 >= 2*24 + 2, so the
    double rounding is innocuous (Figueroa 1995)."""
    if x != x or math.isinf(x):
        return x
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


# ---- microxcaling's mx.matmul on the CPU, for the dot suites (all stdlib) ----------------
# Element formats: (exponent bits, fraction bits, bias) of the codes; int8 is two's complement / 64.
ELEM_CODE = {"e4m3": (4, 3, 7), "e5m2": (5, 2, 15), "e3m2": (3, 2, 3), "e2m3": (2, 3, 1), "e2m1": (2, 1, 1)}
# microxcaling's _get_format_params (mx/formats.py): ebits, mbits (sign and implicit bit
# included), emax, max_norm
MX_PARAMS = {"e4m3": (4, 5, 8, 448.0), "e5m2": (5, 4, 15, 57344.0), "e3m2": (3, 4, 4, 28.0),
             "e2m3": (2, 5, 2, 7.5), "e2m1": (2, 3, 2, 6.0), "int8": (0, 8, 0, 127 / 64)}


def elem_value(elem, code):
    """The exact value of an element code (NaN / +-Inf for E4M3 / E5M2 specials)."""
    if elem == "int8":
        return (code - 256 if code & 0x80 else code) / 64.0
    e, m, bias = ELEM_CODE[elem]
    sign = -1.0 if code >> (e + m) & 1 else 1.0
    ex, fr = code >> m & ((1 << e) - 1), code & ((1 << m) - 1)
    if elem == "e4m3" and ex == 15 and fr == 7:
        return math.nan
    if elem == "e5m2" and ex == 31:
        return sign * math.inf if fr == 0 else math.nan
    if ex == 0:
        return sign * fr * 2.0 ** (1 - bias - m)
    return sign * (1 + fr / 2.0 ** m) * 2.0 ** (ex - bias)


def dot_operand(elem, scales, codes, k):
    """What the target hands the library: each MX value as an FP32 tensor element (a NaN scale
    makes its block NaN; a value >= 2^128 is Inf)."""
    return [math.nan if scales[i // k] == 0xFF else f32_round(elem_value(elem, c) * 2.0 ** (scales[i // k] - 127))
            for i, c in enumerate(codes)]


def mx_requantize(elem, vals, k):
    """microxcaling's _quantize_mx(axes, block_size=k, shared_exp_method='max', round='even')
    (mx/mx_ops.py) on FP32 values, written for values that are MX values already: the shared
    exponent floor(log2(max|v|)) - emax (max|v| = 0 counts as FP32_MIN_NORMAL), NaN above 127
    (an Inf or NaN in the block: the whole block NaN), clamped at -127; each v / 2^shared rounded
    to the element grid (ties to even, _round_mantissa) and clamped to +-max_norm; zeros lose
    their sign (torch.sign(-0) is 0)."""
    ebits, mbits, emax, max_norm = MX_PARAMS[elem]
    out = []
    for j in range(0, len(vals), k):
        blk = vals[j:j + k]
        if any(v != v or math.isinf(v) for v in blk):
            out += [math.nan] * len(blk)
            continue
        amax = max(abs(v) for v in blk) or 2.0 ** -126
        shared = max(math.frexp(amax)[1] - 1 - emax, -127)
        for v in blk:
            x = v / 2.0 ** shared
            if x == 0:
                out.append(0.0)
                continue
            pexp = max(math.frexp(abs(x))[1] - 1, 2 - 2 ** (ebits - 1)) if ebits else 0
            a = abs(x) / 2.0 ** (pexp - (mbits - 2))
            r = math.floor(a + 0.5) - (1 if (a - 0.5) % 2 == 0 else 0)
            q = min(r * 2.0 ** (pexp - (mbits - 2)), max_norm)
            out.append(math.copysign(q, x) * 2.0 ** shared if q else 0.0)
    return out


def fp32_sequential(a, b, c):
    """torch.matmul on the CPU for (1 x K) @ (K x 1): Debian's torch 1.13 calls the reference
    BLAS sgemm (libblas3, /usr/lib/x86_64-linux-gnu/blas), whose loop is s := +0;
    s := fl(s + fl(a_i * b_i)) for i = 1..K, in index order, no FMA; mx.matmul adds the bias (C)
    after, in FP32."""
    s = 0.0
    for x, y in zip(a, b):
        s = f32_round(s + f32_round(x * y))
    return s if c is None else f32_round(s + c)


def dot_operands(f):
    """(element A, element B, k, scales A, codes A, scales B, codes B, C value or None) of a dot
    failure, read from its reproduce command (its input field is cut short)."""
    m = re.search(r"--fmt (\S+) --fmt-b (\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?$", f.get("reproduce", ""))
    if not m:
        raise ValueError("no reproduce command")
    hexes = lambda t: [int(w, 16) for w in t.split(",")]
    sa, ca, sb, cb = hexes(m.group(3)), hexes(m.group(4)), hexes(m.group(5)), hexes(m.group(6))
    c = None if m.group(7) in (None, "-") else value_of("f32", hexes(m.group(7))[0])
    return BLOCK_ELEM[m.group(1)], BLOCK_ELEM[m.group(2)], len(ca) // len(sa), sa, ca, sb, cb, c


def same_f32(x, bits):
    """x (an FP32 value as a float) has the bit pattern bits (any NaN equals any NaN)."""
    if x != x:
        return (bits >> 23 & 0xFF) == 0xFF and bits & 0x7FFFFF != 0
    return struct.unpack("<I", struct.pack("<f", x))[0] == bits


def mx_matmul_class(inp, act):
    """Which of microxcaling's dot classes reproduces a dot failure (inp: dot_operands; act:
    the library's FP32 bits): 'order' when the FP32 sequential sum of the values given does
    (under microxcaling.profile's `dot` line such a case passes unless its sum is an all -0 one);
    else, when the sum of the values the library re-quantized does, 'beyond-fp32' (an MX value
    >= 2^128 is Inf as an FP32 tensor element: its block becomes NaN) or 'requantized'; else
    None."""
    ea, eb, k, sa, ca, sb, cb, c = inp
    va, vb = dot_operand(ea, sa, ca, k), dot_operand(eb, sb, cb, k)
    if same_f32(fp32_sequential(va, vb, c), act):
        return "order"
    if not same_f32(fp32_sequential(mx_requantize(ea, va, k), mx_requantize(eb, vb, k), c), act):
        return None
    inf = lambda e, cs, vs: any(math.isinf(v) and not math.isinf(elem_value(e, x)) for x, v in zip(cs, vs))
    return "beyond-fp32" if inf(ea, ca, va) or inf(eb, cb, vb) else "requantized"


def dot_class(name):
    def pred(parts, inp, exp, act):
        return parts[0] == "dot" and act != "refused" and len(act) == 1 and mx_matmul_class(inp, act[0]) == name
    pred.__name__ = "dot_" + name.replace("-", "_")
    return pred


SIGN_ONLY = {"e4m3": 0x80, "e5m2": 0x80, "e2m3": 0x20, "e3m2": 0x20, "e2m1": 0x8}
BLOCK_ELEM = {"mxfp8_e4m3": "e4m3", "mxfp8_e5m2": "e5m2", "mxfp6_e2m3": "e2m3", "mxfp6_e3m2": "e3m2",
              "mxfp4_e2m1": "e2m1", "mxint8": "int8"}


def parse(suite, f):
    """(op, src, dst, round, overflow, input words, expected words or 'refused', actual ...);
    for a dot suite the input is dot_operands(f)."""
    parts = suite["name"].split(".")
    words = lambda t: t if t in ("refused", "crash", "timeout") else [int(w, 16) for w in t.split(",") if w]
    actual = "refused" if f.get("status") == "refused" else f.get("actual", "")
    if actual.startswith("one of"):  # a `?C1/../Cn` answer without the expected code (PROTOCOL.md)
        return (parts, [int(w, 16) for w in f["input"].split(",") if w], words(f.get("expected", "")),
                ("one-of", [int(w, 16) for w in actual.split()[2:]]))
    inp = dot_operands(f) if parts[0] == "dot" else [int(w, 16) for w in f["input"].split(",") if w]
    return parts, inp, words(f.get("expected", "")), words(actual)


def cvt(parts, dst=None, rnd=None, ovf=None, src=None):
    return (parts[0] == "cvt" and (dst is None or parts[2] in dst) and (rnd is None or parts[3] in rnd)
            and (ovf is None or parts[4] in ovf) and (src is None or parts[1] in src))


def e8m0_lowest_binade(parts, inp, exp, act):
    if not cvt(parts, dst=("e8m0",), rnd=("rne",)) or act == "refused":
        return False
    v = value_of(parts[1], inp[0])
    return 2.0 ** -127 < v < 1.5 * 2.0 ** -127 and exp == [0] and act == [1]


def e8m0_carry_wraps(parts, inp, exp, act):
    if not cvt(parts, dst=("e8m0",), rnd=("rne", "rna", "rup")) or act == "refused":
        return False
    v = value_of(parts[1], inp[0])
    return math.isfinite(v) and v >= 1.5 * 2.0 ** 128 and act == [0]


def e8m0_tiny_no_code(parts, inp, exp, act):
    if not cvt(parts, dst=("e8m0",)) or act != "refused":
        return False
    v = value_of(parts[1], inp[0])
    return 0 < v < 2.0 ** -127


def block_with_nan_raises(parts, inp, exp, act):
    if parts[0] != "quantize" or act != "refused":
        return False
    src = parts[2]
    return any(math.isnan(value_of(src, w)) for w in inp)


def negative_zero_lost(parts, inp, exp, act):
    """Every differing code is a -0 (sign bit alone) given as +0."""
    if act == "refused" or exp == "refused" or len(exp) != len(act):
        return False
    if parts[0] == "cvt":
        sign = SIGN_ONLY.get(parts[2])
        return sign is not None and exp == [sign] and act == [0]
    if parts[0] == "quantize":
        sign = SIGN_ONLY.get(BLOCK_ELEM.get(parts[1], ""))
        diff = [(e, a) for e, a in zip(exp[1:], act[1:]) if e != a]
        return sign is not None and exp[0] == act[0] and diff and all(e == sign and a == 0 for e, a in diff)
    return False


def scale_one_binade_up(parts, inp, exp, act):
    """The shared scale one too large (floor(log2(amax)) computed in FP32 rounds up to the next
    integer just below a power of two); the codes then follow the wrong scale."""
    if parts[0] != "quantize" or act == "refused" or exp == "refused":
        return False
    return act[0] == exp[0] + 1


def just_below_power_of_two(v):
    m, _ = math.frexp(abs(v))  # |v| = m * 2^e, 0.5 <= m < 1
    return v != 0 and math.isfinite(v) and m > 1 - 2.0 ** -20


def magnitude(code, dst):
    if dst == "int8":  # two's complement: 0xFF is -1, one step from 0
        return abs(code - 256 if code & 0x80 else code)
    return code & ({"e2m1": 0x7, "e2m3": 0x1F, "e3m2": 0x1F}.get(dst, 0x7F))


def fp32_exponent_rounds_up(parts, inp, exp, act):
    """rtz one code low next to a power of two: the element's exponent is floor(log2|x|) in FP32,
    which rounds up to k just below 2^k, and truncation at that binade's coarser quantum loses a
    code (under rne/rna the coarser quantum rounds to 2^k all the same: no difference there)."""
    if not cvt(parts, rnd=("rtz",)) or act == "refused":
        return False
    v = value_of(parts[1], inp[0])
    if exp == "refused":  # at the top: the coarser quantum truncates below the overflow
        return just_below_power_of_two(v)
    return just_below_power_of_two(v) and magnitude(act[0], parts[2]) - magnitude(exp[0], parts[2]) == -1


def nearest_sum_rounds_up(parts, inp, exp, act):
    """rne/rna: just below half the smallest step, 0 becomes the smallest step: floor(|x| + 0.5)
    in FP32 with |x| = 0.5 - 2^-25 (in units of the smallest step, the exponent clipped to the
    format's smallest) is floor(1 - 2^-25), and that sum rounds to 1.0 (a tie, to even)."""
    if not cvt(parts, rnd=("rne", "rna")) or act == "refused" or exp == "refused":
        return False
    v = value_of(parts[1], inp[0])
    return (just_below_power_of_two(v) and magnitude(exp[0], parts[2]) == 0
            and magnitude(act[0], parts[2]) == 1)


def fp32_overflow_near_flt_max(parts, inp, exp, act):
    """An input near FLT_MAX whose FP32 log2 rounds to 128: 2**128 is Inf in FP32 and the scaling
    gives 0 * Inf = NaN (measured: from 0x7f7fffd4 up; the predicate takes every input >= 2^127)."""
    if parts[0] != "cvt":
        return False
    v = value_of(parts[1], inp[0])
    return math.isfinite(v) and abs(v) >= 2.0 ** 127 and act != exp


def e4m3_480_to_496_gives_max(parts, inp, exp, act):
    if not cvt(parts, dst=("e4m3",), ovf=("ovf",)) or act == "refused":
        return False
    v = abs(value_of(parts[1], inp[0]))
    if parts[1] == "f64":  # ONNX Runtime casts f64 to f32 first (its detected f64_src = via-f32)
        v = f32_round(v)
    return 480 <= v < 496 and act[0] & 0x7F == 0x7E


def some_e5m2_nan(act):
    """The target saw a NaN but not which code: one of E5M2's NaN codes (`?7d/7e/7f`; a sweep's
    "one of" lists none: it knows only that the code is not the expected one), or `!` (older runs)."""
    return act == "refused" or (isinstance(act, tuple) and act[0] == "one-of" and all(c & 0x7F > 0x7C for c in act[1]))


def e5m2_rounds_into_overflow_nan(parts, inp, exp, act):
    if not cvt(parts, dst=("e5m2",), ovf=("ovf",)):
        return False
    return some_e5m2_nan(act) and exp != "refused" and exp[0] & 0x7F == 0x7C and math.isfinite(value_of(parts[1], inp[0]))


def signalling_nan_sign_lost(parts, inp, exp, act):
    """A NaN input's sign lost on ONNX Runtime's bf16 path into E4M3 or E5M2 (the target's graph,
    not float8.h). E5M2 NaNs are seen only as `?7d/7e/7f` (a sweep's "one of" lists no codes)."""
    if not cvt(parts, dst=("e4m3", "e5m2")) or act == "refused" or not math.isnan(value_of(parts[1], inp[0])):
        return False
    if parts[2] == "e5m2":
        return (exp != "refused" and exp[0] & 0x80 and isinstance(act, tuple) and act[0] == "one-of"
                and all(0x7C < c < 0x80 for c in act[1]))
    return exp == [0xFF] and act == [0x7F]


# peer, id, what, predicate, one input (cvt SRC DST ROUND OVF HEX, or the suite and its input), where
BUGS = [
    ("ml_dtypes", "e8m0-lowest-binade",
     "E8M0 under rne: an input in (2^-127, 1.5*2^-127) gives 0x01 (2^-126), not 0x00: the conversion "
     "treats E8M0's lowest binade as subnormal and rounds to the grid of 2^-126",
     e8m0_lowest_binade, "cvt bf16 e8m0 rne sat 0x0041 -> 0x01 (expected 0x00)",
     TP + "ml_dtypes/ml_dtypes/include/float8.h (ConvertImpl steps 4-5: target_biased_exponent_base = -1 -> denormal_adjustment)"),
    ("ml_dtypes", "e8m0-carry-wraps",
     "E8M0 from f64 >= 1.5*2^128 under rne: 0x00 (2^-127) instead of 0xFE/0xFF: the rounding carry "
     "(2 + 254) wraps the 8-bit result to 0 and the overflow test misses it",
     e8m0_carry_wraps, "cvt f64 e8m0 rne sat 0x47f8000000000000 -> 0x00 (expected 0xfe)",
     TP + "ml_dtypes/ml_dtypes/include/float8.h (ConvertImpl step 6: result_bits = aligned_mantissa + exp)"),
    ("gfloat", "e8m0-tiny-no-code",
     "E8M0 of a positive value below 2^-127: no code (round_ndarray leaves the value below E8M0's "
     "smallest, encode_ndarray finds no code)",
     e8m0_tiny_no_code, "cvt f32 e8m0 rne sat 0x00000001 -> refused (expected 0x00)",
     TP + "gfloat/src/gfloat/round_ndarray.py:118 (the exponent clamp only with subnormals)"),
    ("gfloat", "block-with-nan-raises",
     "MX quantize of a block holding a NaN into FP4/FP6/INT8 raises, where MX gives the NaN scale 0xFF",
     block_with_nan_raises, "quantize mxfp4_e2m1 bf16 with a NaN element -> refused (expected scale 0xff)",
     TP + "gfloat/src/gfloat/encode_ndarray.py:41 (the element encoder asserts on NaN)"),
    ("microxcaling", "negative-zero-lost",
     "-0, and a negative value that rounds to zero, become +0: the result is torch.sign(A) * (...) and "
     "torch.sign(-0) is +0 (the 2^32 sweep f32 -> E4M3 rne sat: 1 input, -0)",
     negative_zero_lost, "cvt f32 e4m3 rne sat 0x80000000 -> 0x00 (expected 0x80)",
     TP + "microxcaling/mx/elemwise_ops.py:59-68 (torch.sign(A) * ..., :68 for rne)"),
    ("microxcaling", "scale-log2-in-fp32",
     "the shared scale one binade too large: floor(log2(amax)) in FP32 rounds up just below a power of two",
     scale_one_binade_up, "quantize mxint8 f32 block with amax 0x447fffff (1023.99994) -> scale 0x89 (expected 0x88)",
     TP + "microxcaling/mx/mx_ops.py (_shared_exponents: torch.floor(torch.log2(...)))"),
    ("microxcaling", "nearest-sum-rounds-in-fp32",
     "rne/rna: an input just below half the smallest step gives the smallest step, not zero: with the "
     "exponent clipped to the format's smallest, |x| / step is 0.5 - 2^-25 and floor(|x| / step + 0.5) is "
     "taken in FP32, where the sum 1 - 2^-25 is a tie and rounds to 1.0 (both signs; the 2^32 sweep "
     "f32 -> E4M3 rne sat has 2 such inputs, 0x3a7fffff and 0xba7fffff)",
     nearest_sum_rounds_up, "cvt f32 e4m3 rne sat 0x3a7fffff -> 0x01 (expected 0x00); cvt f32 e2m1 rne sat 0x3e7fffff -> 0x1 "
     "(expected 0x0)",
     TP + "microxcaling/mx/elemwise_ops.py:68 (_round_mantissa 'even': torch.floor(absA + 0.5)), :63 ('nearest'), "
     ":139-140 (private_exp clipped to min_exp)"),
    ("microxcaling", "exponent-from-fp32-log2",
     "rtz next to a power of two is one code low: the element exponent is floor(log2(|x|)) in FP32, which "
     "rounds up to k just below 2^k, and truncation at binade k's coarser quantum loses a code (rne/rna "
     "round to 2^k either way)",
     fp32_exponent_rounds_up, "cvt f32 e4m3 rtz sat 0x3cfffffe -> 0x0e (expected 0x0f)",
     TP + "microxcaling/mx/elemwise_ops.py:135-136 (torch.floor(torch.log2(...))), :61 (_round_mantissa 'floor')"),
    ("microxcaling", "fp32-overflow-near-flt-max",
     "the largest FP32 magnitudes (from 0x7f7fffd4 up, 44 per sign) give NaN (E4M3 0xFF, E5M2 a NaN) or no code "
     "(FP6/FP4): their log2 rounds to 128 in FP32, 2**128 is Inf in FP32, so x / 2**128 * 2**k is 0 and "
     "0 / 2**k * 2**128 is 0 * Inf = NaN, which the clamp keeps (the 2^32 sweep f32 -> E4M3 rne sat: 88 "
     "inputs; below 0x7f7fffd4 the binade converts right)",
     fp32_overflow_near_flt_max, "cvt f32 e4m3 rne sat 0x7f7fffd4 -> 0xff (expected 0x7e); cvt f32 e2m1 rne sat "
     "0x7f7fffff -> refused (expected 0x7)",
     TP + "microxcaling/mx/elemwise_ops.py:135-136 (log2), :145 -> :35 (_safe_lshift: x / (2 ** exp)), :150 -> :42 "
     "(_safe_rshift: * (2 ** exp)), :154 (torch.clamp keeps NaN)"),
    ("microxcaling", "dot-order-fp32-sequential",
     "choice, not a bug (MX §6.1/§6.2 leave order and precision open): mx.matmul is torch.matmul in FP32, "
     "which on Debian's torch 1.13 CPU is the reference BLAS sgemm: each product rounded to FP32 and "
     "added in index order from +0, the bias C added after; dot.h's model group=1 accum=f32-rne c_at=last "
     "(frac_bits exact), except that an all -0 sum is +0. reports/peers/microxcaling.profile names that "
     "model in its `dot` line, so under the profile the dot suites expect it and these cases pass; this class "
     "is left for runs without that line (under `ocp`, `peers.py check`) and, under it, for the +0 start",
     dot_class("order"), "dot mxfp8_e4m3 x mxfp8_e4m3, A = 2^24 (block 0 scale 0x97, code 0x38), 1, 1 "
     "(block 1: 0x38, 0x38), B = ones -> 0x4b800000 (expected 0x4b800001, 2^24 + 2)",
     TP + "microxcaling/mx/matmul.py:86 (torch_matmul); lapack 3.11 BLAS/SRC/sgemm.f (the dot loop); "
     "ldd libtorch_cpu.so -> /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 (libblas3)"),
    ("microxcaling", "dot-requantizes-operands",
     "mx.matmul quantizes its inputs to MX again (floor(log2(max)) - emax, saturating): an MX block "
     "whose largest element lies below its format's top binade gets a smaller scale, and an E4M3 "
     "element 1.875 * 2^e at the block's top (e.g. 240) is clamped to 1.75 * 2^e (224); an MXINT8 "
     "block holding -2 (0x80) gets a larger scale and loses odd codes; -0 elements become +0",
     dot_class("requantized"), "dot mxfp8_e4m3 x mxfp8_e4m3 7f 77,0... 7f 38,0... (240 * 1) -> 0x43600000 "
     "(224; expected 0x43700000); dot mxint8 x mxint8 7f 80,01,0... 7f 40,40,0... -> 0xc0000000 "
     "(expected 0xbffe0000)",
     TP + "microxcaling/mx/matmul.py:67-80 (quantize_mx_op of both inputs), mx/mx_ops.py:_quantize_mx"),
    ("microxcaling", "dot-operand-beyond-fp32",
     "not the library alone: mx.matmul takes FP32 tensors, and an MX value >= 2^128 (scale 2^127 "
     "times an element >= 2) is Inf there; the library's quantizer then makes its whole block NaN",
     dot_class("beyond-fp32"), "dot mxfp4_e2m1 x mxfp4_e2m1 fe 7,0... 70 2,0... (6*2^127 * 2^-15) "
     "-> NaN (expected 0x78c00000)",
     "targets/python/mxtarget_microxcaling.py (FP32 tensors); " + TP +
     "microxcaling/mx/mx_ops.py:_quantize_mx (a NaN shared exponent above scale_emax)"),
    ("onnxruntime", "e4m3-480-496-max",
     "E4M3 without saturation: inputs in [480, 496) give 448, not NaN",
     e4m3_480_to_496_gives_max, "cvt f32 e4m3 rne ovf 0x43f40000 -> 0x7e (expected 0x7f)",
     "onnxruntime include/onnxruntime/core/common/float8.h, Float8E4M3FN(float, saturate)"),
    ("onnxruntime", "e5m2-round-into-overflow-nan",
     "E5M2 without saturation: a value that rounds up into the overflow gives NaN, not Inf",
     e5m2_rounds_into_overflow_nan, "cvt f32 e5m2 rne ovf 0x47700000 -> NaN (expected 0x7c)",
     "onnxruntime include/onnxruntime/core/common/float8.h, Float8E5M2(float, saturate)"),
    ("onnxruntime", "nan-sign-lost-in-binding",
     "not the FP8 conversion: on the target's bf16 path (FLOAT input, Cast to BFLOAT16, then the FP8 Cast) a "
     "NaN, signalling or quiet, loses its sign into E4M3 under saturate=0 and keeps it under saturate=1, while "
     "float8.h's Float8E4M3FN(float, saturate) keeps a NaN's sign either way and f32/f16 NaNs keep it; only "
     "cvt.bf16.e4m3.rne.ovf shows it (5 inputs), too thin for a profile rule (spec_notes/profiles.md); into E5M2 "
     "the same (every bf16 -NaN under rne ovf gives a positive NaN, seen as `?7d/7e/7f` since the target "
     "answers which-NaN `?`: harness/PROTOCOL.md \"Not observable\")",
     signalling_nan_sign_lost, "cvt bf16 e4m3 rne ovf 0xff81 -> 0x7f, 0xffc0 -> 0x7f (expected 0xff; under sat 0xff); "
     "cvt bf16 e5m2 rne ovf 0xff81 -> ?7d/7e/7f (expected 0xfe)",
     "targets/onnxruntime/mxtarget_onnxruntime.js (bf16: FLOAT input, Cast to BFLOAT16); onnxruntime "
     "include/onnxruntime/core/common/float8.h, Float8E4M3FN(float, saturate) (NaN: sign | 0x7F)"),
]


def classify(peer, suite, f):
    """The id of the suspected bug that explains failure f of `suite` for `peer`, or None."""
    try:
        parts, inp, exp, act = parse(suite, f)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    for p, bug_id, _, pred, _, _ in BUGS:
        try:
            hit = p == peer and pred(parts, inp, exp, act)
        except (TypeError, IndexError):  # an answer of another shape ("one of ..."): not this bug
            hit = False
        if hit:
            return bug_id
    return None


def bugs_of(peer):
    return [b for b in BUGS if b[0] == peer]
