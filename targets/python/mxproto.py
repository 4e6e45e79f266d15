"""mxproto.py - the shared, standard-library-only half of the Python library adapters.

The adapters (mxtarget_mldtypes.py, mxtarget_torch.py) keep only the calls into their
library; everything else lives here and runs without NumPy or PyTorch:

  * the line protocol of harness/PROTOCOL.md (handshake, one answer per request, in order,
    flushed; `unsupported` for anything a backend does not implement, `error TEXT` for a
    malformed request),
  * parsing and checking of the hex bit patterns of every format,
  * the exact value of every code of every element format (fractions.Fraction), used to
    build probe inputs and to re-encode values that a library hands back as floats,
  * probes that find out, by asking the library, which rounding mode and which overflow
    behaviour a cast implements, so that an adapter claims exactly those,
  * the clean refusal of an unusable target: one line on stderr and exit status 3.

Exit status 3: harness/PROTOCOL.md does not name an exit status for a target that cannot
work at all. `mxconform run` itself exits 3 for "target unusable" (README, RESULTS.md:
verdict "error"), and the CUDA device target exits 3 when there is no GPU; a Python target
whose library does not import does the same. The harness sees the process exit before the
handshake and reports `no valid handshake (the target exited)`, verdict error, exit 3.
"""
import struct
import sys
from fractions import Fraction

PROTOCOL_HELLO = "mxconform-protocol 1"
EXIT_UNUSABLE = 3

# ---- formats ----------------------------------------------------------------------------

# Source formats: (exponent bits, trailing significand bits); width = 1 + e + m.
SOURCES = {"f32": (8, 23), "bf16": (8, 7), "f16": (5, 10), "f64": (11, 52)}
SOURCE_WIDTH = {name: 1 + e + m for name, (e, m) in SOURCES.items()}

# Element and scale formats (decode / cvt destinations): code width in bits.
ELEMENT_WIDTH = {"e4m3": 8, "e5m2": 8, "e2m3": 6, "e3m2": 6, "e2m1": 4, "int8": 8, "e8m0": 8}

# MX block formats -> element format.
BLOCK_ELEMENT = {"mxfp8_e4m3": "e4m3", "mxfp8_e5m2": "e5m2", "mxfp6_e2m3": "e2m3",
                 "mxfp6_e3m2": "e3m2", "mxfp4_e2m1": "e2m1", "mxint8": "int8"}

ROUNDINGS = ("rne", "rna", "rtz", "rup", "rdn", "sr")
OVERFLOWS = ("sat", "ovf")
RULES = ("floor", "ceil", "rceil", "even", "even-tiedown")

# Float element formats: (exponent bits, mantissa bits, bias).
_FLOAT_ELEMENTS = {"e4m3": (4, 3, 7), "e5m2": (5, 2, 15), "e2m3": (2, 3, 1), "e3m2": (3, 2, 3),
                   "e2m1": (2, 1, 1)}


class Format:
    """Exact values of every code of one element/scale format.

    value(code) -> ("num", Fraction) | ("inf", sign) | ("nan", None); Fractions are signed,
    and -0 is told apart by sign_of(code)."""

    def __init__(self, name):
        self.name = name
        self.width = ELEMENT_WIDTH[name]
        self.sign_bit = 0 if name == "e8m0" else (1 << (self.width - 1))
        if name in _FLOAT_ELEMENTS:
            self.ebits, self.mbits, self.bias = _FLOAT_ELEMENTS[name]
        # Non-negative finite codes in increasing order of value (the grid).
        self.grid = []
        for code in range(1 << self.width):
            kind, v = self.value(code)
            if kind == "num" and (v > 0 or (v == 0 and not self.sign_of(code))):
                self.grid.append((v, code))
        self.grid.sort()
        self.max_code = self.grid[-1][1]
        self.max_value = self.grid[-1][0]
        # The code a non-saturating conversion gives on overflow (None: the format has
        # nothing to overflow into, so it saturates whatever the mode).
        self.overflow_code = {"e4m3": 0x7F, "e5m2": 0x7C, "e8m0": 0xFF}.get(name)
        self._code_of = {}
        for code in range(1 << self.width):
            kind, v = self.value(code)
            if kind == "num":
                self._code_of.setdefault((v, self.sign_of(code)), code)

    def sign_of(self, code):
        return 1 if self.sign_bit and (code & self.sign_bit) else 0

    def value(self, code):
        if self.name == "e8m0":
            if code == 0xFF:
                return "nan", None
            return "num", Fraction(2) ** (code - 127)
        if self.name == "int8":
            q = code - 256 if code & 0x80 else code
            return "num", Fraction(q, 64)
        sign = -1 if code & self.sign_bit else 1
        mag = code & (self.sign_bit - 1)
        e = mag >> self.mbits
        m = mag & ((1 << self.mbits) - 1)
        if self.name == "e4m3" and mag == 0x7F:
            return "nan", None
        if self.name == "e5m2" and e == 31:
            return ("inf", sign) if m == 0 else ("nan", None)
        if e == 0:
            v = Fraction(m) * Fraction(2) ** (1 - self.bias - self.mbits)
        else:
            v = Fraction(m | (1 << self.mbits)) * Fraction(2) ** (e - self.bias - self.mbits)
        return "num", sign * v

    def code_of(self, value, negative=False):
        """The code whose value is exactly `value` (a Fraction; `negative` picks -0), or
        None when the format cannot hold it."""
        neg = 1 if (value < 0 or (value == 0 and negative)) else 0
        if not self.sign_bit:
            neg = 0
        code = self._code_of.get((value, neg))
        if code is None and value == 0:
            code = self._code_of.get((value, 0))  # INT8 has one zero: -0 is 0x00
        return code


_FORMATS = {}


def fmt(name):
    if name not in _FORMATS:
        _FORMATS[name] = Format(name)
    return _FORMATS[name]


def source_value(src, bits):
    """Source bit pattern -> ("num", Fraction, sign) / ("inf", None, sign) / ("nan", None, sign)."""
    ebits, mbits = SOURCES[src]
    sign = (bits >> (ebits + mbits)) & 1
    e = (bits >> mbits) & ((1 << ebits) - 1)
    m = bits & ((1 << mbits) - 1)
    bias = (1 << (ebits - 1)) - 1
    if e == (1 << ebits) - 1:
        return ("nan" if m else "inf"), None, sign
    if e == 0:
        mag = Fraction(m) * Fraction(2) ** (1 - bias - mbits)
    else:
        mag = Fraction(m | (1 << mbits)) * Fraction(2) ** (e - bias - mbits)
    return "num", (-mag if sign else mag), sign


def exact_bits(src, value):
    """A value exactly representable in source format `src` (Fraction or int) -> its bits.
    Raises ValueError when it is not exactly representable."""
    ebits, mbits = SOURCES[src]
    bias = (1 << (ebits - 1)) - 1
    value = Fraction(value)
    sign = 1 if value < 0 else 0
    mag = -value if sign else value
    if mag == 0:
        return sign << (ebits + mbits)
    e = mag.numerator.bit_length() - mag.denominator.bit_length()
    if Fraction(2) ** e > mag:
        e -= 1
    e = max(e, 1 - bias)
    mant = mag / Fraction(2) ** (e - mbits)
    if mant.denominator != 1 or e > bias:
        raise ValueError("%s is not a %s value" % (value, src))
    mant = mant.numerator
    field = e + bias if mant >> mbits else 0
    return (sign << (ebits + mbits)) | (field << mbits) | (mant & ((1 << mbits) - 1))


def source_array(src, bits):
    """NumPy: source bit patterns (any integer array) -> their exact values as float64
    (float32 for f32/bf16/f16 sources would do too; f64 keeps one code path)."""
    import numpy as np
    b = np.asarray(bits, dtype=np.uint64)
    with np.errstate(all="ignore"):
        if src == "f32":
            return b.astype(np.uint32).view(np.float32).astype(np.float64)
        if src == "bf16":
            return (b.astype(np.uint32) << np.uint32(16)).view(np.float32).astype(np.float64)
        if src == "f16":
            return b.astype(np.uint16).view(np.float16).astype(np.float64)
        return b.view(np.float64)


# The NaN / Inf codes of the value-level re-encoding below (None: the format has none).
_NAN_CODE = {"e4m3": 0x7F, "e5m2": 0x7E, "e8m0": 0xFF}
_INF_CODE = {"e5m2": 0x7C}


_F32_TABLES = {}


def _f32_tables(dst):
    """(shift, exact, inexact) for encode_f32: every value of dst (and +-Inf, NaN) is an FP32
    value whose low `shift` bits are zero, so an FP32 word's bits >> shift index `exact`, its
    code (sign included; -1: no value of dst), when those low bits are zero, and `inexact`
    (-1, or the NaN code in the Inf/NaN binade: a NaN's payload may sit in them) when not."""
    if dst not in _F32_TABLES:
        import numpy as np
        f = fmt(dst)
        words = {}  # FP32 word -> code, both signs
        for v, c in f.grid:
            w = struct.unpack("<I", struct.pack("<f", float(v)))[0]
            assert struct.unpack("<f", struct.pack("<I", w))[0] == v  # exact in FP32
            words[w] = c
            if dst == "int8" and v != 0:  # two's complement
                words[w | 0x80000000] = (-c) & 0xFF
            elif f.sign_bit and v != 0:
                words[w | 0x80000000] = c | f.sign_bit
        if dst == "int8":
            words[0xC0000000] = 0x80  # -2.0 has no positive twin on the grid
        if f.sign_bit and dst != "int8":
            words[0x80000000] = f.sign_bit  # -0
        else:
            words[0x80000000] = 0x00  # INT8 has one zero
        if dst in _INF_CODE:
            words[0x7F800000], words[0xFF800000] = _INF_CODE[dst], _INF_CODE[dst] | f.sign_bit
        shift = min(23, min((w & -w).bit_length() - 1 for w in words if w & 0x7FFFFFFF))
        exact = np.full(1 << (32 - shift), -1, dtype=np.int16)
        inexact = np.full(1 << (32 - shift), -1, dtype=np.int16)
        for w, c in words.items():
            exact[w >> shift] = c
        if dst in _NAN_CODE:  # the NaN's sign bit, the format's quiet NaN (encode_values)
            for sign in (0, 1):
                top = (0x7F800000 | sign << 31) >> shift
                inexact[top] = _NAN_CODE[dst] | (f.sign_bit if sign else 0)
                end = (0x80000000 if not sign else 0x100000000) >> shift
                exact[top + 1:end] = inexact[top + 1:end] = inexact[top]
        _F32_TABLES[dst] = (shift, exact, inexact)
    return _F32_TABLES[dst]


def encode_f32(dst, values):
    """encode_values for values held as FP32 (a NumPy float32 array), the same (codes, nocode)
    from their bits: a table lookup each, no search (every value of an element format is an
    FP32 value, so nothing is lost). E8M0 goes through encode_values."""
    import numpy as np
    if dst == "e8m0":
        return encode_values(dst, np.asarray(values, dtype=np.float64))
    shift, exact, inexact = _f32_tables(dst)
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    idx = bits >> np.uint32(shift)
    codes = np.where((bits & np.uint32((1 << shift) - 1)) != 0, inexact[idx], exact[idx])
    nocode = codes < 0
    return np.where(nocode, 0, codes).astype(np.int64), nocode


def encode_values(dst, values):
    """NumPy: values a library handed back as floats (it works on values, not codes) ->
    (codes, nocode): the exact code of each value; nocode marks values that are no value of
    `dst` (off the grid, or Inf/NaN where the format has none). A NaN becomes the format's
    positive quiet NaN with the NaN's sign bit (E4M3 0x7F, E5M2 0x7E) and +Inf 0x7C: a
    value-level library defines no NaN payload, so the NaN code is the adapter's choice and
    says nothing about the library. Values held as FP32 are better given to encode_f32."""
    import numpy as np
    f = fmt(dst)
    v = np.asarray(values, dtype=np.float64)
    neg = np.signbit(v) & bool(f.sign_bit)
    mag = np.abs(v)
    grid_v = np.array([float(g) for g, _ in f.grid])
    grid_c = np.array([c for _, c in f.grid], dtype=np.int64)
    with np.errstate(all="ignore"):
        i = np.clip(np.searchsorted(grid_v, mag), 0, len(grid_v) - 1)
    on_grid = grid_v[i] == mag
    codes = grid_c[i]
    if dst == "int8":
        codes = np.where(neg, (-codes) & 0xFF, codes)
    else:
        codes = codes | np.where(neg, f.sign_bit, 0)
    nocode = ~on_grid
    if dst == "int8":  # -2.0 (0x80) has no positive twin on the grid
        m2 = neg & (mag == 2.0)
        codes, nocode = np.where(m2, 0x80, codes), nocode & ~m2
    isnan, isinf = np.isnan(v), np.isinf(v)
    if dst in _NAN_CODE:
        codes = np.where(isnan, _NAN_CODE[dst] | np.where(np.signbit(v), f.sign_bit, 0), codes)
        nocode &= ~isnan
    if dst in _INF_CODE:
        codes = np.where(isinf, _INF_CODE[dst] | np.where(neg, f.sign_bit, 0), codes)
        nocode &= ~isinf
    return np.where(nocode, 0, codes).astype(np.int64), nocode


def float_of_f64_bits(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def to_signed(bits, width):
    """Unsigned bit pattern -> the two's-complement integer of the same width (for
    libraries that only have signed integer tensors)."""
    return bits - (1 << width) if bits >> (width - 1) else bits


# ---- the protocol -----------------------------------------------------------------------


class Unsupported(Exception):
    """Answered `unsupported`: the suite is reported unsupported, not failed."""


class BadRequest(Exception):
    """Answered `error TEXT`."""


class Refused(Exception):
    """Answered `refused TEXT`: the library raised for this request (a whole block, say).
    That is the library's answer, counted per case as "refused", not a suite error.
    For decode/cvt a backend refuses single values instead by returning None in their place
    (answered `!`)."""


def hex_value(text, width):
    try:
        value = int(text, 16)
    except ValueError:
        raise BadRequest("'%s' is not hex" % text)
    if text.startswith(("-", "+", "0x", "0X")) or value >> width:
        raise BadRequest("'%s' is not a %d-bit pattern" % (text, width))
    return value


def _count(fields, count_field):
    try:
        n = int(count_field)
    except ValueError:
        raise BadRequest("bad count '%s'" % count_field)
    if n != len(fields):
        raise BadRequest("%d values, the request says %d" % (len(fields), n))
    return fields


class Backend:
    """What an adapter implements. Every method may raise Unsupported. Lists of ints in,
    lists of ints out; one call per request line (a whole batch of up to 1024 values)."""

    name = "mxproto-backend"
    version = "0"

    def decode(self, fmt_name, codes):
        """-> f64 bit patterns, one per code."""
        raise Unsupported()

    def cvt(self, src, dst, rounding, overflow, values):
        """-> codes, one per value."""
        raise Unsupported()

    def quantize(self, block_fmt, src, rule, rounding, values):
        """One block -> (scale byte, [codes])."""
        raise Unsupported()

    def cvt_sr(self, src, dst, overflow, values, randoms):
        """Stochastic rounding: randoms[i] is value i's 32-bit random word (the harness's
        `sr_bits` low bits are meant; the backend says which it uses) -> codes."""
        raise Unsupported()

    def dequantize(self, block_fmt, dst, scale, codes):
        """One block (E8M0 scale byte, element codes) -> `dst` bit patterns."""
        raise Unsupported()

    def dot(self, fa, fb, n_blocks, k, c, scales_a, codes_a, scales_b, codes_b):
        """DotGeneral (PROTOCOL.md `dot`): c is the FP32 accumulator bits or None -> FP32 bits."""
        raise Unsupported()

    def nvfp4_quantize(self, values, amax):
        """NVFP4 (PROTOCOL.md `nvfp4_quantize`): a tensor of f32 bit patterns (a multiple of
        16), amax the f32 bits of a calibrated amax or None (the tensor's own) ->
        (tensor scale f32 bits, [E4M3 block scale codes, one per 16], [E2M1 codes])."""
        raise Unsupported()

    def nvfp4_dequantize(self, tensor_scale, scale, codes):
        """One NVFP4 block: f32 tensor scale bits, E4M3 scale code, up to 16 E2M1 codes ->
        f32 bit patterns."""
        raise Unsupported()

    def nvfp4_dot(self, n_blocks, c, tensor_scale_a, scales_a, codes_a, tensor_scale_b, scales_b, codes_b):
        """NVFP4 DotGeneral (PROTOCOL.md `nvfp4_dot`): n_blocks blocks of 16 per operand, each
        operand an f32 tensor scale, n_blocks E4M3 block scale codes and 16 * n_blocks E2M1
        codes; c the FP32 accumulator bits or None -> FP32 result bits."""
        raise Unsupported()

    # inputs per cvt_array call of a `cvtrange` request: a NumPy/PyTorch library's temporary
    # arrays of 2^16 values stay in the caches, where 2^20 went to memory at every step:
    # gfloat 2.1-2.4x faster on 2^20 f32 inputs (2026-12-03; microxcaling 1.2-1.3x in-process
    # but not end to end, so it stays unsliced: mxtarget_microxcaling.py)
    range_chunk = 1 << 16

    def cvt_array(self, src, dst, rounding, overflow, bits):
        """`bits`: a NumPy uint64 array of source bit patterns -> (codes: an integer array,
        refused: a bool array or None). Backends with a vectorised library override this; it
        answers `cvtrange` (sweeps) at array speed. The default goes through cvt()."""
        import numpy as np
        out = self.cvt(src, dst, rounding, overflow, [int(b) for b in bits])
        refused = np.array([c is None for c in out], dtype=bool)
        codes = np.array([0 if c is None else c for c in out], dtype=np.uint16)
        return codes, (refused if refused.any() else None)


RANGE_MAX = 1 << 24  # inputs per `cvtrange` request


def _fields(values):
    """Answer fields: hex, or `!` for a value the library refused (None)."""
    return "".join(" !" if v is None else " %x" % v for v in values)


def answer_range(backend, f):
    """`cvtrange SRC DST ROUND OVERFLOW FIRST LAST` -> `ok HEX`: one pair of hex digits per
    input FIRST..LAST (`!!`: refused). Vectorised with NumPy where the backend is."""
    import numpy as np
    src, dst, rounding, overflow = f[1:5]
    if (src not in SOURCES or dst not in ELEMENT_WIDTH or rounding not in ROUNDINGS or rounding == "sr"
            or overflow not in OVERFLOWS):
        raise Unsupported()
    first, last = hex_value(f[5], SOURCE_WIDTH[src]), hex_value(f[6], SOURCE_WIDTH[src])
    if last < first or last - first + 1 > RANGE_MAX:
        raise BadRequest("bad range %x..%x (at most %d inputs)" % (first, last, RANGE_MAX))
    bits = np.arange(first, last + 1, dtype=np.uint64)
    # the library in slices of range_chunk inputs (a multiple of 16: where a library's SIMD
    # lanes end stays where it was), so that its temporary arrays stay in the caches
    step = backend.range_chunk
    parts = [backend.cvt_array(src, dst, rounding, overflow, bits[i:i + step]) for i in range(0, len(bits), step)]
    codes = np.concatenate([np.asarray(c) for c, _ in parts])
    refused = None
    if any(r is not None for _, r in parts):
        refused = np.concatenate([np.zeros(len(c), dtype=bool) if r is None else np.asarray(r) for c, r in parts])
    text = codes.astype(np.uint8).tobytes().hex()
    if refused is not None and refused.any():  # `!!` in place, as arrays (a range may refuse millions)
        b = np.frombuffer(text.encode("ascii"), dtype=np.uint8).copy()
        at = 2 * np.flatnonzero(refused)
        b[at] = b[at + 1] = ord("!")
        text = b.tobytes().decode("ascii")
    return "ok " + text


def answer(backend, line):
    f = line.split(" ")
    op = f[0]
    if op == "decode" and len(f) >= 3:
        if f[1] not in ELEMENT_WIDTH:
            raise Unsupported()
        width = ELEMENT_WIDTH[f[1]]
        codes = [hex_value(c, width) for c in _count(f[3:], f[2])]
        out = backend.decode(f[1], codes)
    elif op == "cvt" and len(f) >= 6:
        src, dst, rounding, overflow = f[1:5]
        if (src not in SOURCES or dst not in ELEMENT_WIDTH or rounding not in ROUNDINGS
                or overflow not in OVERFLOWS):
            raise Unsupported()
        width = SOURCE_WIDTH[src]
        fields = _count(f[6:], f[5])
        if rounding == "sr":  # V:R, R the value's 32-bit random word
            pairs = [v.split(":", 1) if ":" in v else (v, "0") for v in fields]
            values = [hex_value(v, width) for v, _ in pairs]
            randoms = [hex_value(r, 32) for _, r in pairs]
            out = backend.cvt_sr(src, dst, overflow, values, randoms)
        else:
            values = [hex_value(v, width) for v in fields]
            out = backend.cvt(src, dst, rounding, overflow, values)
    elif op == "quantize" and len(f) >= 6:
        block_fmt, src, rule, rounding = f[1:5]
        if block_fmt not in BLOCK_ELEMENT or src not in SOURCES or rule not in RULES:
            raise Unsupported()
        width = SOURCE_WIDTH[src]
        values = [hex_value(v, width) for v in _count(f[6:], f[5])]
        scale, codes = backend.quantize(block_fmt, src, rule, rounding, values)
        out = [scale] + list(codes)
    elif op == "dequantize" and len(f) >= 5:
        block_fmt, dst = f[1:3]
        if block_fmt not in BLOCK_ELEMENT or dst not in ("f32", "bf16", "f64"):
            raise Unsupported()
        width = ELEMENT_WIDTH[BLOCK_ELEMENT[block_fmt]]
        scale = hex_value(f[4], 8)
        codes = [hex_value(c, width) for c in _count(f[5:], f[3])]
        out = backend.dequantize(block_fmt, dst, scale, codes)
    elif op == "dot" and len(f) >= 6:
        fa, fb = f[1:3]
        if fa not in BLOCK_ELEMENT or fb not in BLOCK_ELEMENT:
            raise Unsupported()
        try:
            n, k = int(f[3]), int(f[4])
        except ValueError:
            raise BadRequest("bad dot shape")
        if len(f) != 6 + 2 * n + 2 * n * k:
            raise BadRequest("dot: %d fields, the shape needs %d" % (len(f), 6 + 2 * n + 2 * n * k))
        c = None if f[5] == "-" else hex_value(f[5], 32)
        wa, wb = ELEMENT_WIDTH[BLOCK_ELEMENT[fa]], ELEMENT_WIDTH[BLOCK_ELEMENT[fb]]
        p = 6
        sa = [hex_value(x, 8) for x in f[p:p + n]]
        p += n
        a = [hex_value(x, wa) for x in f[p:p + n * k]]
        p += n * k
        sb = [hex_value(x, 8) for x in f[p:p + n]]
        p += n
        b = [hex_value(x, wb) for x in f[p:p + n * k]]
        out = [backend.dot(fa, fb, n, k, c, sa, a, sb, b)]
    elif op == "nvfp4_quantize" and len(f) >= 3:
        values = [hex_value(v, 32) for v in _count(f[3:], f[1])]
        if not values or len(values) % 16:
            raise BadRequest("nvfp4_quantize takes a multiple of 16 values")
        amax = None if f[2] == "-" else hex_value(f[2], 32)
        tensor_scale, scales, codes = backend.nvfp4_quantize(values, amax)
        out = [tensor_scale] + list(scales) + list(codes)
    elif op == "nvfp4_dequantize" and len(f) >= 4:
        tensor_scale, scale = hex_value(f[2], 32), hex_value(f[3], 8)
        codes = [hex_value(c, 4) for c in _count(f[4:], f[1])]
        if not 1 <= len(codes) <= 16:
            raise BadRequest("nvfp4_dequantize takes 1 to 16 codes")
        out = backend.nvfp4_dequantize(tensor_scale, scale, codes)
    elif op == "nvfp4_dot" and len(f) >= 3:
        try:
            n = int(f[1])
        except ValueError:
            raise BadRequest("bad nvfp4_dot block count")
        half = 1 + n + 16 * n
        if n < 1 or len(f) != 3 + 2 * half:
            raise BadRequest("nvfp4_dot: %d fields, %s blocks need %d" % (len(f), f[1], 3 + 2 * max(half, 0)))
        c = None if f[2] == "-" else hex_value(f[2], 32)
        ops = []
        for p in (3, 3 + half):
            ops += [hex_value(f[p], 32), [hex_value(x, 8) for x in f[p + 1:p + 1 + n]],
                    [hex_value(x, 4) for x in f[p + 1 + n:p + half]]]
        out = [backend.nvfp4_dot(n, c, *ops)]
    elif op == "cvtrange" and len(f) == 7:
        return answer_range(backend, f)
    else:
        # pack, and whatever a later protocol version adds
        raise Unsupported()
    if None in out and op not in ("decode", "cvt"):
        raise Refused("the library refused this request")
    return "ok" + _fields(out)


def serve(backend, stdin=None, stdout=None):
    """Run the protocol until `quit` or end of input. Returns the exit status."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    first = True
    for raw in stdin:
        line = raw.rstrip("\r\n")
        if first:
            first = False
            if line != PROTOCOL_HELLO:
                out.write("error expected '%s'\n" % PROTOCOL_HELLO)
                out.flush()
                return 2
            out.write("ok %s %s\n" % (backend.name, backend.version))
        elif line == "quit":
            break
        else:
            try:
                reply = answer(backend, line)
            except Unsupported:
                reply = "unsupported"
            except Refused as e:
                reply = "refused %s" % " ".join(str(e).split())
            except BadRequest as e:
                reply = "error %s" % e
            except Exception as e:  # a library exception is the target's answer: an error
                reply = "error %s: %s" % (type(e).__name__, " ".join(str(e).split()))
            out.write(reply + "\n")
        out.flush()  # the harness may be waiting for this very answer
    return 0


def refuse(what, exc):
    """The target cannot work here: one line on stderr, exit status 3 (see the module
    docstring). `what` is e.g. "ml_dtypes"."""
    sys.stderr.write("%s not importable: %s: %s\n" % (what, type(exc).__name__, " ".join(str(exc).split())))
    sys.stderr.flush()
    sys.exit(EXIT_UNUSABLE)


def log(prefix, text):
    sys.stderr.write("%s: %s\n" % (prefix, text))
    sys.stderr.flush()


# ---- probes: which rounding / overflow does a cast implement? ------------------------------


def probe_rounding(cast, dst):
    """`cast(list of f32 bit patterns) -> list of codes` converts to `dst` with the library's
    one conversion. Returns "rne", "rna", or None (neither: e.g. truncation, or an error).

    Probes, all exact f32 values between two neighbouring positive codes lo < hi of dst,
    where lo has an even code: lo + ulp/4 (nearest: lo), lo + 3ulp/4 (nearest: hi), and the
    midpoint (rne: lo, rna: hi). For E8M0 the neighbours are 2 and 4 (3.0 is the tie)."""
    f = fmt(dst)
    grid = f.grid
    # a pair of normal neighbours well inside the range with an even lower code
    for i in range(len(grid) // 2, len(grid) - 1):
        (lo, lo_code), (hi, hi_code) = grid[i], grid[i + 1]
        if lo > 0 and lo_code % 2 == 0:
            break
    if dst == "e8m0":
        (lo, lo_code), (hi, hi_code) = (Fraction(2), 0x80), (Fraction(4), 0x81)
    ulp = hi - lo
    probes = [lo + ulp / 4, lo + 3 * ulp / 4, lo + ulp / 2]
    try:
        got = cast([exact_bits("f32", p) for p in probes])
    except Exception:
        return None
    if got[0] != lo_code or got[1] != hi_code:
        return None
    return {lo_code: "rne", hi_code: "rna"}.get(got[2])


def probe_overflow(cast, dst):
    """Which overflow values of the protocol a cast matches: a set of "sat" / "ovf".

    Probe: the largest finite f32 (0x7F7FFFFF), beyond every destination's range. +-max
    means saturation; the format's special (E4M3 NaN 0x7F, E5M2 +Inf 0x7C, E8M0 0xFF) means
    non-saturating. FP6/FP4/INT8 have nothing to overflow into: +-max is both `sat` and
    `ovf` there (spec_notes/conversion.md §3.3)."""
    f = fmt(dst)
    try:
        code = cast([0x7F7FFFFF])[0]
    except Exception:
        return set()
    if code == f.max_code:
        return {"sat"} if f.overflow_code is not None else {"sat", "ovf"}
    if code == f.overflow_code:
        return {"ovf"}
    return set()
