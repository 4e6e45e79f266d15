"""FAKE ml_dtypes for testing targets/python/mxtarget_mldtypes.py without the real package.

The dtypes the adapter uses, as fake-numpy dtypes whose casts follow what peers.md documents
for ml_dtypes 0.6.0 (read and verified there, not here):
  * nearest-even element rounding, full subnormals, non-saturating `astype`:
    E4M3FN overflow and +-Inf -> NaN with the sign kept, E5M2 -> +-Inf (D2, D3);
  * NaN -> E4M3FN S.1111.111, E5M2 S.11111.10 (0x7E), sign kept (D3, D4);
  * FP6/FP4: overflow and +-Inf -> +-max, NaN -> -0 and -NaN -> +0 (D1, "inverted-zero");
  * E8M0: ties up, overflow and +Inf -> 0xFF, +-0 -> 0xFF, negative -> 0xFF (D5);
  * float64 and float16 sources are cast through float32 first (ml_dtypes' NPyCast calls
    static_cast<float>; exact for float16, a double rounding for float64).
Plumbing only: a pass with this fake says nothing about the real ml_dtypes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import fakefloat as ff  # noqa: E402

__version__ = "0.0-fake"
FAKE = True

_POLICY = ff.Policy(ties="even", e8m0_ties="away", saturate=False, e5m2_nan=0x7E, fp_nan="inverted-zero",
                    e8m0_zero=0xFF, e8m0_neg=0xFF)


def _custom(spec):
    spec.policy = _POLICY
    spec.via_float32_from = (ff.F64, ff.F16)
    return spec


bfloat16 = _custom(ff.BF16)
float8_e4m3fn = _custom(ff.E4M3)
float8_e5m2 = _custom(ff.E5M2)
float6_e2m3fn = _custom(ff.E2M3)
float6_e3m2fn = _custom(ff.E3M2)
float4_e2m1fn = _custom(ff.E2M1)
float8_e8m0fnu = _custom(ff.E8M0)
