#!/usr/bin/env python3
"""mxtarget_torch.py - PyTorch (and, where they import, torchao and microxcaling) as an
mxconform process target.

    mxconform run --target cmd:'python3 targets/python/mxtarget_torch.py' -o torch.json
    options: --quantize=torchao|microxcaling|none   which library answers `quantize`
             (default: torchao if it imports, else microxcaling if it imports, else none)
             --device=DEV   run the casts on torch device DEV (default cpu; e.g. cuda: the
             CUDA cast kernels are other code than the CPU ones, so run both)

PyTorch core dtypes (decode and cvt, one tensor operation per request line):

    decode  torch.tensor(codes, dtype=torch.uint8).view(T).to(torch.float64).view(torch.int64)
    cvt     torch.tensor(bits, dtype=torch.intN).view(SRC).to(T).view(torch.uint8)
            SRC: float32 (int32), bfloat16 (int16), float16 (int16), float64 (int64); bit
            patterns go in as two's-complement integers because older PyTorch has no
            uint16/32/64 tensors

for T = float8_e4m3fn (e4m3), float8_e5m2 (e5m2), float8_e8m0fnu (e8m0). Rounding and
overflow are measured at start-up (mxproto.probe_rounding / probe_overflow) and only what
the cast does is claimed: PyTorch's eager cast is nearest-even; E4M3 overflow gives NaN
before pytorch#178817 (Apr 2026) and saturates after it, so `ovf` or `sat` is answered for
e4m3 according to the installed version and the other is `unsupported`; E5M2 overflows to
Inf (`ovf`); the E8M0 cast rounds ties up (`rna`; `rne` unsupported) and overflows to 0xFF.

FP4, torch.float4_e2m1fn_x2 ("e2m1"): a storage dtype holding TWO E2M1 codes per byte,
the first element in the low nibble (bits 3..0), the second in the high nibble (PyTorch's
documented layout, peers.md D8). The adapter packs codes in that order: code 2i -> low
nibble of byte i, code 2i+1 -> high nibble (an odd count is padded with +0 and the pad is
dropped from the answer), views the bytes as float4_e2m1fn_x2 and calls .to(float32); for
cvt it casts 2i float32 values .to(float4_e2m1fn_x2) and unpacks low nibble first. Whether
that works is probed at start-up: it is used only when the cast exists and yields two
values per byte (cvt: one byte per two values). Released PyTorch versions implement no
casts for this dtype (view/copy only); then, if torchao imports, its FP4 element
conversions are used instead (torchao.prototype.mx_formats.kernels f32_to_f4_unpacked /
f4_unpacked_to_f32, one code per byte, f32 sources only), and otherwise e2m1 is
unsupported. The choice is printed on stderr and is part of the version string.

quantize (one MX block per request):
  * torchao `to_mx(x, elem_dtype, K, scaling_mode=M)` with the rule mapped to
    ScaleCalculationMode: floor -> FLOOR, ceil -> CEIL, even -> EVEN, rceil -> RCEIL
    (a mode the installed torchao lacks, and even-tiedown: unsupported). Element rounding
    is nearest-even only (`rne`); sources f32 and bf16 (what to_mx accepts); formats
    mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2 (unpacked, one code per byte) and
    mxfp4_e2m1 (packed, low nibble first since pytorch/ao#3123; a torchao from before that
    swaps the nibbles and will fail as such). No MXINT8 in torchao.
  * microxcaling (`mx` package) `_quantize_mx(x, 8, elem, "max", axes=[-1], block_size=K,
    round=R)`: round rne -> "even", rna -> "nearest", rtz -> "floor" (truncation); rule
    floor only; sources f32, bf16, f16 (exact in FP32; f64 unsupported). It returns dequantized FP32 values, not codes: the adapter takes the
    shared exponent from `_shared_exponents(x, "max", [-1], 0)` minus the element emax (as
    `_quantize_mx` does; +-127 clamp, NaN above 127), and re-encodes value / 2^scale to the
    exact element code (mxproto); a value that is no code is answered `error`.

Exit status 3 with one line on stderr when torch does not import. torchao and microxcaling
are optional: when they do not import, their features are `unsupported` (stderr says why).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mxproto  # noqa: E402
from fractions import Fraction  # noqa: E402

try:
    import torch
except Exception as exc:
    mxproto.refuse("torch", exc)

PREFIX = "mxtarget_torch"


def _optional(what, importer):
    try:
        return importer()
    except Exception as exc:
        mxproto.log(PREFIX, "%s not importable (its features are unsupported): %s: %s"
                    % (what, type(exc).__name__, " ".join(str(exc).split())))
        return None


def _import_torchao():
    from torchao.prototype.mx_formats.mx_tensor import to_mx
    try:
        from torchao.prototype.mx_formats.config import ScaleCalculationMode
    except ImportError:
        from torchao.prototype.mx_formats.mx_tensor import ScaleCalculationMode
    import torchao.prototype.mx_formats.constants as constants
    try:
        import torchao.prototype.mx_formats.kernels as kernels
    except ImportError:
        kernels = None
    import torchao
    return {"to_mx": to_mx, "mode": ScaleCalculationMode, "constants": constants, "kernels": kernels,
            "version": getattr(torchao, "__version__", "?")}


def _import_microxcaling():
    from mx.mx_ops import _quantize_mx, _shared_exponents
    from mx.formats import _get_format_params
    return {"quantize_mx": _quantize_mx, "shared_exponents": _shared_exponents,
            "format_params": _get_format_params}


SOURCES = {  # protocol name -> (signed integer dtype name, width, float dtype name)
    "f32": ("int32", 32, "float32"),
    "bf16": ("int16", 16, "bfloat16"),
    "f16": ("int16", 16, "float16"),
    "f64": ("int64", 64, "float64"),
}
CORE_TYPES = {"e4m3": "float8_e4m3fn", "e5m2": "float8_e5m2", "e8m0": "float8_e8m0fnu"}
MX_ELEM = {"mxfp8_e4m3": "fp8_e4m3", "mxfp8_e5m2": "fp8_e5m2", "mxfp6_e2m3": "fp6_e2m3",
           "mxfp6_e3m2": "fp6_e3m2", "mxfp4_e2m1": "fp4_e2m1", "mxint8": "int8"}
MX_ROUND = {"rne": "even", "rna": "nearest", "rtz": "floor"}
TORCHAO_RULE = {"floor": "FLOOR", "ceil": "CEIL", "even": "EVEN", "rceil": "RCEIL"}


def _u8(t):
    return [int(v) & 0xFF for v in t.view(torch.uint8).reshape(-1).tolist()]


class Torch(mxproto.Backend):
    def __init__(self, quantizer, device):
        self.name = "torch"
        self.dev = device
        self.types = {}
        for f, a in CORE_TYPES.items():
            if not hasattr(torch, a):
                mxproto.log(PREFIX, "torch %s has no torch.%s: %s unsupported" % (torch.__version__, a, f))
                continue
            self.types[f] = getattr(torch, a)
            try:
                self.decode(f, [0x40])
            except Exception as exc:
                mxproto.log(PREFIX, "torch.%s cannot be decoded (%s: %s): %s unsupported"
                            % (a, type(exc).__name__, " ".join(str(exc).split())[:120], f))
                del self.types[f]
        self.ao = _optional("torchao", _import_torchao) if quantizer in ("auto", "torchao") else None
        self.mx = None
        if quantizer == "microxcaling" or (quantizer == "auto" and self.ao is None):
            self.mx = _optional("microxcaling (mx)", _import_microxcaling)
        self.quantizer = "torchao" if self.ao else "microxcaling" if self.mx else "none"
        self.fp4 = self._probe_fp4()
        self.modes = {}
        for f in list(self.types) + (["e2m1"] if self.fp4 != "none" else []):
            cast = lambda bits, f=f: self._cast("f32", f, bits)  # noqa: E731
            self.modes[f] = (mxproto.probe_rounding(cast, f), mxproto.probe_overflow(cast, f))
        summary = " ".join("%s:%s/%s" % (f, r or "-", "+".join(sorted(o)) or "-") for f, (r, o) in self.modes.items())
        # (mxconform keeps 127 characters of the version)
        self.version = "%s dev:%s %s fp4:%s q:%s%s" % (
            torch.__version__, self.dev, summary, self.fp4, self.quantizer,
            ("-" + self.ao["version"]) if self.ao else "")
        mxproto.log(PREFIX, "torch %s: rounding/overflow measured per type: %s; e2m1 via %s; quantize via %s"
                    % (torch.__version__, summary, self.fp4, self.quantizer))

    # ---- FP4: core float4_e2m1fn_x2 casts if they exist, else torchao's element kernels ----

    def _probe_fp4(self):
        x2 = getattr(torch, "float4_e2m1fn_x2", None)
        if x2 is not None:
            try:
                # byte 0x21: low nibble 0x1 (0.5), high nibble 0x2 (1.0)
                vals = self._on(torch.tensor([0x21], dtype=torch.uint8).view(x2)).to(torch.float32).reshape(-1)
                packed = self._source("f32", [0x3F000000, 0x3F800000]).to(x2)  # 0.5, 1.0
                if vals.numel() == 2 and packed.reshape(-1).numel() == 1:
                    if vals.view(torch.int32).tolist() != [0x3F000000, 0x3F800000]:
                        mxproto.log(PREFIX, "float4_e2m1fn_x2 byte 0x21 does not unpack to [0.5, 1.0] "
                                    "(low nibble first): expect e2m1 failures that show the order")
                    return "core"
                mxproto.log(PREFIX, "torch.float4_e2m1fn_x2 casts give %d values per byte: not used" % vals.numel())
            except Exception as exc:
                mxproto.log(PREFIX, "torch.float4_e2m1fn_x2 has no casts (%s: %s)"
                            % (type(exc).__name__, " ".join(str(exc).split())[:120]))
        else:
            mxproto.log(PREFIX, "torch %s has no torch.float4_e2m1fn_x2" % torch.__version__)
        k = self.ao and self.ao["kernels"]
        if k is not None and hasattr(k, "f32_to_f4_unpacked") and hasattr(k, "f4_unpacked_to_f32"):
            return "torchao"
        return "none"

    def _fp4_decode(self, codes):
        if self.fp4 == "core":
            padded = codes + [0] * (len(codes) % 2)
            packed = [padded[i] | (padded[i + 1] << 4) for i in range(0, len(padded), 2)]
            t = self._on(torch.tensor(packed, dtype=torch.uint8).view(torch.float4_e2m1fn_x2))
            f64 = t.to(torch.float32).to(torch.float64)
        elif self.fp4 == "torchao":
            t = self._on(torch.tensor(codes, dtype=torch.uint8))
            f64 = self.ao["kernels"].f4_unpacked_to_f32(t).to(torch.float64)
        else:
            raise mxproto.Unsupported()
        bits = [int(b) & (2 ** 64 - 1) for b in f64.reshape(-1).view(torch.int64).tolist()]
        return bits[:len(codes)]

    def _fp4_cast(self, x, n):
        """float tensor of n values (n even for the core path) -> n E2M1 codes."""
        if self.fp4 == "core":
            codes = []
            for b in _u8(x.reshape(-1).to(torch.float4_e2m1fn_x2)):
                codes += [b & 0xF, b >> 4]  # element 2i in the low nibble
            if len(codes) != x.numel():
                raise mxproto.BadRequest("float4_e2m1fn_x2 cast gave %d codes for %d values" % (len(codes), x.numel()))
            return codes[:n]
        if self.fp4 == "torchao":
            return _u8(self.ao["kernels"].f32_to_f4_unpacked(x.reshape(-1)))[:n]
        raise mxproto.Unsupported()

    # ---- scalar casts ----------------------------------------------------------------------

    def _source(self, src, values):
        int_name, width, float_name = SOURCES[src]
        ints = [mxproto.to_signed(v, width) for v in values]
        return self._on(torch.tensor(ints, dtype=getattr(torch, int_name)).view(getattr(torch, float_name)))

    def _on(self, t):
        return t if self.dev == "cpu" else t.to(self.dev)

    def _cast(self, src, dst, values):
        if dst == "e2m1":
            n = len(values)
            if self.fp4 == "core":
                # pairs of values cast into one float4_e2m1fn_x2 byte; an odd count gets a +0 pad
                return self._fp4_cast(self._source(src, values + [0] * (n % 2)), n)
            if src == "f64":
                raise mxproto.Unsupported()  # torchao's FP4 kernel takes float32: f64 would round twice
            return self._fp4_cast(self._source(src, values).to(torch.float32), n)  # exact for bf16/f16
        return _u8(self._source(src, values).to(self.types[dst]))

    def decode(self, fmt, codes):
        if fmt == "e2m1":
            return self._fp4_decode(codes)
        t = self.types.get(fmt)
        if t is None:
            raise mxproto.Unsupported()
        f64 = self._on(torch.tensor(codes, dtype=torch.uint8).view(t)).to(torch.float64)
        return [int(b) & (2 ** 64 - 1) for b in f64.reshape(-1).view(torch.int64).tolist()]

    def cvt(self, src, dst, rounding, overflow, values):
        if dst not in self.modes:
            raise mxproto.Unsupported()
        measured_rounding, measured_overflow = self.modes[dst]
        if rounding != measured_rounding or overflow not in measured_overflow:
            raise mxproto.Unsupported()
        return self._cast(src, dst, values)

    # ---- MX blocks -------------------------------------------------------------------------

    def quantize(self, block_fmt, src, rule, rounding, values):
        if self.ao:
            return self._quantize_torchao(block_fmt, src, rule, rounding, values)
        if self.mx:
            return self._quantize_microxcaling(block_fmt, src, rule, rounding, values)
        raise mxproto.Unsupported()

    def _quantize_torchao(self, block_fmt, src, rule, rounding, values):
        mode = getattr(self.ao["mode"], TORCHAO_RULE.get(rule, "-"), None)
        if mode is None or rounding != "rne" or src not in ("f32", "bf16") or block_fmt == "mxint8":
            raise mxproto.Unsupported()
        c = self.ao["constants"]
        elem = {
            "mxfp8_e4m3": torch.float8_e4m3fn,
            "mxfp8_e5m2": torch.float8_e5m2,
            "mxfp6_e2m3": getattr(c, "DTYPE_FP6_E2M3", None),
            "mxfp6_e3m2": getattr(c, "DTYPE_FP6_E3M2", None),
            "mxfp4_e2m1": getattr(torch, "float4_e2m1fn_x2", None) or getattr(c, "DTYPE_FP4", None),
        }[block_fmt]
        if elem is None:
            raise mxproto.Unsupported()
        k = len(values)
        x = self._source(src, values).reshape(1, k)
        scale, data = self.ao["to_mx"](x, elem, k, scaling_mode=mode)
        scale_bytes = _u8(scale)
        if len(scale_bytes) != 1:
            raise mxproto.BadRequest("to_mx returned %d scales for one block" % len(scale_bytes))
        data_bytes = _u8(data)
        if block_fmt == "mxfp4_e2m1":
            if len(data_bytes) * 2 != k:
                raise mxproto.BadRequest("to_mx returned %d bytes for %d FP4 values" % (len(data_bytes), k))
            codes = []
            for b in data_bytes:  # element 2i in the low nibble (pytorch/ao#3123)
                codes += [b & 0xF, b >> 4]
        else:
            codes = data_bytes
            width = mxproto.ELEMENT_WIDTH[mxproto.BLOCK_ELEMENT[block_fmt]]
            if any(cd >> width for cd in codes):
                raise mxproto.BadRequest("to_mx returned a byte that is no %d-bit code" % width)
        return scale_bytes[0], codes

    def _quantize_microxcaling(self, block_fmt, src, rule, rounding, values):
        if rule != "floor" or rounding not in MX_ROUND or src == "f64":
            raise mxproto.Unsupported()  # microxcaling works in FP32: f64 would be rounded here first
        elem_name = MX_ELEM[block_fmt]
        k = len(values)
        x = self._source(src, values).to(torch.float32).reshape(1, k)
        m = self.mx
        emax = m["format_params"](elem_name)[2]
        q = m["quantize_mx"](x, 8, elem_name, shared_exp_method="max", axes=[-1], block_size=k,
                             round=MX_ROUND[rounding])
        shared = m["shared_exponents"](x, method="max", axes=[-1], ebits=0)
        bits = shared.to(torch.float64).reshape(-1).view(torch.int64).tolist()[0] & (2 ** 64 - 1)
        kind, e, _ = mxproto.source_value("f64", bits)
        if kind != "num" or e - emax > 127:  # NaN (or Inf) shared exponent: a NaN block
            return 0xFF, [0] * k
        e = int(max(e - emax, -127))  # floor(log2 amax) is an integer
        fmt = mxproto.fmt(mxproto.BLOCK_ELEMENT[block_fmt])
        codes = []
        for b in q.to(torch.float64).reshape(-1).view(torch.int64).tolist():
            b &= 2 ** 64 - 1
            kind, v, sign = mxproto.source_value("f64", b)
            if kind != "num":
                codes.append(0)  # NaN/Inf inside a finite-scale block: not an element code
                continue
            code = fmt.code_of(v / Fraction(2) ** e, negative=bool(sign))
            if code is None:
                raise mxproto.BadRequest("microxcaling value %r is no %s code at scale 2^%d"
                                         % (mxproto.float_of_f64_bits(b), fmt.name, e))
            codes.append(code)
        return e + 127, codes


def main(argv):
    quantizer, device = "auto", "cpu"
    for a in argv:
        if a.startswith("--quantize="):
            quantizer = a.split("=", 1)[1]
        elif a.startswith("--device=") and len(a) > 9:
            device = a.split("=", 1)[1]
        else:
            sys.stderr.write("usage: mxtarget_torch.py [--quantize=torchao|microxcaling|none] [--device=DEV]\n")
            return 2
    if quantizer not in ("auto", "torchao", "microxcaling", "none"):
        sys.stderr.write("mxtarget_torch.py: --quantize must be torchao, microxcaling or none\n")
        return 2
    return mxproto.serve(Torch(quantizer, device))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
