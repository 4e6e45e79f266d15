"""FAKE microxcaling quantizer, exact, following peers.md §3.1 (read there, not run):

  _shared_exponents(A, "max", axes=[-1], ebits=0): floor(log2(max |A| per row)), a zero
      maximum replaced by the FP32 minimum normal (-> -126). Computed exactly here; the
      real Python path uses an FP32 log2 that is one too high just below powers of two
      (peers.md D9) - not modelled.
  _quantize_mx(A, 8, elem, "max", axes=[-1], block_size=K, round=R): shared exponent minus
      the element emax, > 127 -> NaN, < -127 -> -127; elements A / 2^e rounded on the
      element grid ("even" ties to even, "nearest" ties away, "floor" toward zero), clamped
      to +-max_norm (INT8: +-127/64, never -2, D11), times 2^e: dequantized FP32 values.
Plumbing only.
"""
from fractions import Fraction

import torch
import fakefloat as ff

from .formats import _PARAMS

_SPEC = {"fp8_e4m3": ff.Spec("e4m3", "fn", 8, 4, 3), "fp8_e5m2": ff.Spec("e5m2", "ieee", 8, 5, 2),
         "fp6_e2m3": ff.Spec("e2m3", "finite", 6, 2, 3), "fp6_e3m2": ff.Spec("e3m2", "finite", 6, 3, 2),
         "fp4_e2m1": ff.Spec("e2m1", "finite", 4, 2, 1)}
_NAN32 = 0x7FC00000


def _rows(A):
    r, c = A.shape if len(A.shape) == 2 else (1, A.numel())
    vals = [ff.decode(ff.F32, b) for b in A._bits]
    return [vals[i * c:(i + 1) * c] for i in range(r)]


def _floor_log2_amax(row):
    if any(v[0] == "nan" for v in row):
        return None  # NaN
    if any(v[0] == "inf" for v in row):
        return "inf"
    amax = max(v[2] for v in row)
    return ff._floor_log2(amax) if amax else -126


def _shared_exponents(A, method="max", axes=None, ebits=0):
    assert method == "max" and list(axes) == [-1] and ebits == 0
    out = []
    for row in _rows(A):
        e = _floor_log2_amax(row)
        out.append(_NAN32 if e is None else 0x7F800000 if e == "inf" else ff.exact_f32_bits(e))
    return torch.Tensor(torch.float32, out, (len(out), 1))


def _round_int(q, mode):
    n = q.numerator // q.denominator
    rem = q - n
    if mode == "floor":
        return n if q >= 0 or rem == 0 else n + 1  # toward zero
    half = Fraction(1, 2)
    if rem > half or (rem == half and (mode == "nearest" or n % 2)):
        n += 1
    return n


def _quantize_elem(v, elem, mode):
    """Exact signed Fraction -> the element value, rounded then clamped."""
    sign = -1 if v < 0 else 1
    mag = abs(v)
    emax, max_norm = _PARAMS[elem][2], _PARAMS[elem][3]
    if elem == "int8":
        step = Fraction(1, 64)
    else:
        spec = _SPEC[elem]
        e = max(ff._floor_log2(mag), 1 - spec.bias) if mag else 1 - spec.bias
        step = Fraction(2) ** (e - spec.mbits)
    r = _round_int(mag / step, mode) * step
    return sign * min(r, max_norm)


def _quantize_mx(A, scale_bits, elem_format, shared_exp_method="max", axes=None, block_size=0,
                 round="nearest", flush_fp32_subnorms=False, custom_cuda=False):
    assert scale_bits == 8 and shared_exp_method == "max" and list(axes) == [-1]
    emax = _PARAMS[elem_format][2]
    out = []
    for row in _rows(A):
        e = _floor_log2_amax(row)
        if e is None or e == "inf" or e - emax > 127:
            out += [_NAN32] * len(row)
            continue
        e = max(e - emax, -127)
        for v in row:
            signed = -v[2] if v[1] else v[2]
            q = _quantize_elem(signed / Fraction(2) ** e, elem_format, round) * Fraction(2) ** e
            out.append(ff.exact_f32_bits(q, negative=bool(v[1])))
    return torch.Tensor(torch.float32, out, A.shape)
