"""peers_bugs.py - the suspected bugs of the real libraries, as data (scripts/peers.py).

A peer's divergences are explained when every failure is either a knob value of its detected
profile (conditional values included) or one of the suspected bugs below. Each bug is a
predicate over one failure that is left under the detected profile (an entry of results.json:
suite name, input words, expected and actual), one concrete input that reproduces it, and the
library's source line. peers.py counts the failures each bug explains; what no bug explains is
reported as unexplained, never hidden. Python 3 standard library only.
"""
import math
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


SIGN_ONLY = {"e4m3": 0x80, "e5m2": 0x80, "e2m3": 0x20, "e3m2": 0x20, "e2m1": 0x8}
BLOCK_ELEM = {"mxfp8_e4m3": "e4m3", "mxfp8_e5m2": "e5m2", "mxfp6_e2m3": "e2m3", "mxfp6_e3m2": "e3m2",
              "mxfp4_e2m1": "e2m1", "mxint8": "int8"}


def parse(suite, f):
    """(op, src, dst, round, overflow, input words, expected words or 'refused', actual ...)."""
    parts = suite["name"].split(".")
    words = lambda t: t if t in ("refused", "crash", "timeout") else [int(w, 16) for w in t.split(",") if w]
    actual = "refused" if f.get("status") == "refused" else f.get("actual", "")
    return parts, [int(w, 16) for w in f["input"].split(",") if w], words(f.get("expected", "")), words(actual)


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
    return code & ({"e2m1": 0x7, "e2m3": 0x1F, "e3m2": 0x1F}.get(dst, 0x7F))


def fp32_exponent_rounds_up(parts, inp, exp, act):
    """One code off next to a power of two: the element's exponent from log2 in FP32, which rounds
    up just below a power of two (rtz truncates at the next binade's quantum; a nearest mode's
    floor(x + 0.5) rounds the sum up)."""
    if parts[0] != "cvt" or act == "refused":
        return False
    v = value_of(parts[1], inp[0])
    if exp == "refused":  # rtz at the top: the coarser quantum truncates below the overflow
        return parts[3] == "rtz" and just_below_power_of_two(v)
    d = magnitude(act[0], parts[2]) - magnitude(exp[0], parts[2])
    return just_below_power_of_two(v) and ((parts[3] == "rtz" and d == -1) or (parts[3] in ("rne", "rna") and d == 1))


def fp32_overflow_near_flt_max(parts, inp, exp, act):
    """An input near FLT_MAX overflows the emulation's FP32 scaling (x * 2^k is Inf)."""
    if parts[0] != "cvt":
        return False
    v = value_of(parts[1], inp[0])
    return math.isfinite(v) and abs(v) >= 2.0 ** 127 and act != exp


def e4m3_480_to_496_gives_max(parts, inp, exp, act):
    if not cvt(parts, dst=("e4m3",), ovf=("ovf",)) or act == "refused":
        return False
    v = abs(value_of(parts[1], inp[0]))
    return 480 <= v < 496 and act[0] & 0x7F == 0x7E


def e5m2_rounds_into_overflow_nan(parts, inp, exp, act):
    if not cvt(parts, dst=("e5m2",), ovf=("ovf",)):
        return False
    return act == "refused" and exp != "refused" and exp[0] & 0x7F == 0x7C and math.isfinite(value_of(parts[1], inp[0]))


def signalling_nan_sign_lost(parts, inp, exp, act):
    """A NaN input's sign lost on the way into the library (ONNX Runtime's JS binding)."""
    if not cvt(parts, dst=("e4m3",)) or act == "refused":
        return False
    return math.isnan(value_of(parts[1], inp[0])) and exp == [0xFF] and act == [0x7F]


def e5m2_nan_not_observable(parts, inp, exp, act):
    """ONNX Runtime's binding: an E5M2 NaN cannot leave the graph, so the target answers `!`."""
    return cvt(parts, dst=("e5m2",)) and act == "refused" and math.isnan(value_of(parts[1], inp[0]))


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
     "-0, and a negative value that rounds to zero, become +0 (torch.sign(-0) is 0)",
     negative_zero_lost, "cvt f32 e4m3 rne sat 0x80000000 -> 0x00 (expected 0x80)",
     TP + "microxcaling/mx/elemwise_ops.py:59-68"),
    ("microxcaling", "scale-log2-in-fp32",
     "the shared scale one binade too large: floor(log2(amax)) in FP32 rounds up just below a power of two",
     scale_one_binade_up, "quantize mxint8 f32 block with amax 0x447fffff (1023.99994) -> scale 0x89 (expected 0x88)",
     TP + "microxcaling/mx/mx_ops.py (_shared_exponents: torch.floor(torch.log2(...)))"),
    ("microxcaling", "exponent-from-fp32-log2",
     "next to a power of two the result is one code off: the element exponent is floor(log2(|x|)) in FP32, "
     "which rounds up just below a power of two (rtz truncates at the coarser quantum; rne/rna's "
     "floor(|x| + 0.5) rounds the sum up)",
     fp32_exponent_rounds_up, "cvt f32 e2m1 rne sat 0x3e7fffff -> 0x1 (expected 0x0); cvt f32 e4m3 rtz sat 0x3cfffffe -> 0x0e (expected 0x0f)",
     TP + "microxcaling/mx/elemwise_ops.py:66-68 (_round_mantissa), :40 (_get_max_norm / private exponent)"),
    ("microxcaling", "fp32-overflow-near-flt-max",
     "inputs >= 2^127 overflow the emulation's FP32 scaling: FP6/FP4 give no code, E4M3 NaN, E5M2 the other sign",
     fp32_overflow_near_flt_max, "cvt f32 e2m1 rne sat 0x7f7fffff -> refused (expected 0x7)",
     TP + "microxcaling/mx/elemwise_ops.py:59-68 (x * 2^k in FP32)"),
    ("onnxruntime", "e4m3-480-496-max",
     "E4M3 without saturation: inputs in [480, 496) give 448, not NaN",
     e4m3_480_to_496_gives_max, "cvt f32 e4m3 rne ovf 0x43f40000 -> 0x7e (expected 0x7f)",
     "onnxruntime include/onnxruntime/core/common/float8.h, Float8E4M3FN(float, saturate)"),
    ("onnxruntime", "e5m2-round-into-overflow-nan",
     "E5M2 without saturation: a value that rounds up into the overflow gives NaN, not Inf",
     e5m2_rounds_into_overflow_nan, "cvt f32 e5m2 rne ovf 0x47700000 -> NaN (expected 0x7c)",
     "onnxruntime include/onnxruntime/core/common/float8.h, Float8E5M2(float, saturate)"),
    ("onnxruntime", "binding-e5m2-nan-not-observable",
     "not the library: which E5M2 NaN code (0x7D-0x7F) the Cast gives cannot be read through the JS binding "
     "(FP8 cannot leave the graph and every back-cast drops the payload), so the target answers `!`",
     e5m2_nan_not_observable, "cvt bf16 e5m2 rne ovf 0x7f81 -> ! (expected 0x7e)",
     "targets/onnxruntime/mxtarget_onnxruntime.js"),
    ("onnxruntime", "nan-sign-lost-in-binding",
     "a signalling NaN input loses its sign before the Cast (the JS binding canonicalises it)",
     signalling_nan_sign_lost, "cvt bf16 e4m3 rne ovf 0xff81 -> 0x7f (expected 0xff)",
     "targets/onnxruntime/mxtarget_onnxruntime.js (Float32Array input)"),
]


def classify(peer, suite, f):
    """The id of the suspected bug that explains failure f of `suite` for `peer`, or None."""
    try:
        parts, inp, exp, act = parse(suite, f)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    for p, bug_id, _, pred, _, _ in BUGS:
        if p == peer and pred(parts, inp, exp, act):
            return bug_id
    return None


def bugs_of(peer):
    return [b for b in BUGS if b[0] == peer]
