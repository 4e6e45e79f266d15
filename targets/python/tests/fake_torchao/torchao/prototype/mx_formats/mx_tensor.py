"""FAKE torchao to_mx: one exact MX block quantizer following what peers.md §3.2 and D6 read
in pytorch/ao (not run there, not run here):

  amax = max |x| (NaN or Inf amax -> scale 0xFF); with amax = m * 2^k (1 <= m < 2) and the
  element's emax, largest value max_elem and M mantissa bits:
    FLOOR: k - emax            CEIL:  k - emax + 1 when m > 1
    EVEN:  k - emax + 1 when m >= 2 - 2^-(M+1)
    RCEIL: ceil(log2(amax / max_elem)), exactly (the FP32 sticky-bit corner of D12 is not
           modelled)
  clamped to [-127, 128] (128 = NaN), zero amax -> 0x00; elements x / 2^scale rounded to
  nearest even and clamped to +-max_elem. FP8 elements as float8 dtypes, FP6 as one uint8
  code per byte, FP4 as torch.float4_e2m1fn_x2 with element 2i in the low nibble.
Plumbing only.
"""
from fractions import Fraction

import torch
import fakefloat as ff

from .config import ScaleCalculationMode

_ELEM = {  # name -> (spec, emax, M)
    "float8_e4m3fn": (ff.Spec("e4m3", "fn", 8, 4, 3), 8, 3),
    "float8_e5m2": (ff.Spec("e5m2", "ieee", 8, 5, 2), 15, 2),
    "fp6_e2m3": (ff.Spec("e2m3", "finite", 6, 2, 3), 2, 3),
    "fp6_e3m2": (ff.Spec("e3m2", "finite", 6, 3, 2), 4, 2),
    "fp4_e2m1": (ff.Spec("e2m1", "finite", 4, 2, 1), 2, 1),
    "float4_e2m1fn_x2": (ff.Spec("e2m1", "finite", 4, 2, 1), 2, 1),
}


def _max_elem(spec):
    return ff.decode(spec, spec.max_mag)[2]


def _scale_exp(amax, spec, emax, mbits, mode):
    if amax == 0:
        return -127
    k = ff._floor_log2(amax)
    m = amax / Fraction(2) ** k
    if mode is ScaleCalculationMode.FLOOR:
        return k - emax
    if mode is ScaleCalculationMode.CEIL:
        return k - emax + (1 if m > 1 else 0)
    if mode is ScaleCalculationMode.EVEN:
        return k - emax + (1 if m >= 2 - Fraction(1, 2 ** (mbits + 1)) else 0)
    if mode is ScaleCalculationMode.RCEIL:
        q = amax / _max_elem(spec)
        e = ff._floor_log2(q)
        return e if Fraction(2) ** e == q else e + 1
    raise ValueError(mode)


def to_mx(data_hp, elem_dtype, block_size, scaling_mode=ScaleCalculationMode.FLOOR, **kw):
    assert data_hp.dtype in (torch.float32, torch.bfloat16), "fake to_mx: f32 or bf16 only"
    name = elem_dtype if isinstance(elem_dtype, str) else elem_dtype.name
    spec, emax, mbits = _ELEM[name]
    src = ff.F32 if data_hp.dtype is torch.float32 else ff.BF16
    vals = [ff.decode(src, b) for b in data_hp._bits]
    if len(vals) % block_size:
        raise ValueError("fake to_mx: size not a multiple of the block size")
    scales, codes = [], []
    sat = ff.Policy(saturate=True)
    for i in range(0, len(vals), block_size):
        block = vals[i:i + block_size]
        e = 128 if any(v[0] != "num" for v in block) else \
            _scale_exp(max(v[2] for v in block), spec, emax, mbits, scaling_mode)
        e = max(-127, min(e, 128))
        if e == 128:  # NaN/Inf amax, or above the E8M0 range: NaN scale, elements don't care
            scales.append(0xFF)
            codes += [0] * block_size
            continue
        scales.append(e + 127)
        codes += [ff.encode(spec, ("num", v[1], v[2] / Fraction(2) ** e), sat) for v in block]
    rows = len(vals) // block_size
    scale = torch.Tensor(torch.float8_e8m0fnu, scales, (rows, 1))
    if name in ("float4_e2m1fn_x2", "fp4_e2m1"):
        packed = [codes[j] | (codes[j + 1] << 4) for j in range(0, len(codes), 2)]
        dtype = torch.float4_e2m1fn_x2 if name == "float4_e2m1fn_x2" else torch.uint8
        return scale, torch.Tensor(dtype, packed, (rows, block_size // 2))
    dtype = torch.uint8 if name.startswith("fp6") else getattr(torch, name)
    return scale, torch.Tensor(dtype, codes, (rows, block_size))
