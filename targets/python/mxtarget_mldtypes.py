#!/usr/bin/env python3
"""mxtarget_mldtypes.py - ml_dtypes (jax-ml/ml_dtypes) as an mxconform process target.

    mxconform run --target cmd:'python3 targets/python/mxtarget_mldtypes.py' -o mldtypes.json

What it calls (nothing else):

    decode  np.array(codes, dtype=np.uint8).view(T).astype(np.float64).view(np.uint64)
    cvt     np.array(bits, dtype=np.uintN).view(SRC).astype(T).view(np.uint8)
            SRC: np.float32, ml_dtypes.bfloat16, np.float16, np.float64

for T in float8_e4m3fn (e4m3), float8_e5m2 (e5m2), float6_e2m3fn (e2m3), float6_e3m2fn
(e3m2), float4_e2m1fn (e2m1), float8_e8m0fnu (e8m0). One NumPy call per request line (up to
1024 values). The FP6/FP4 types hold one code per byte (low bits), so view(np.uint8) is the
code. MXINT8 and every block operation: unsupported (ml_dtypes has scalar types only).

Rounding and overflow are *measured*, not assumed: at start-up the adapter asks ml_dtypes
(mxproto.probe_rounding / probe_overflow, f32 probes) which rounding the cast to each type
performs and whether it saturates, and it claims exactly that:

  * ml_dtypes has one cast per type (`astype`); its saturating variant is a C++ template
    flag (`ConvertFrom<true>`) that Python cannot reach. As read and verified (peers.md D2,
    D3, D5) that cast is non-saturating: E4M3 overflow -> NaN, E5M2 -> Inf, E8M0 -> NaN
    (0xFF). So `ovf` is answered and `sat` is `unsupported` for e4m3/e5m2/e8m0. FP6/FP4
    always saturate, which is what both `sat` and `ovf` mean for formats without specials,
    so both are answered there.
  * Element rounding is nearest-even (`rne`). E8M0 rounds ties up (3.0 -> 4.0, peers.md D5,
    ml_dtypes#298; #398 would change it to even): that is `rna`, so for e8m0 `rna` is
    answered and `rne` is unsupported. Every directed mode: unsupported.

If a later ml_dtypes changes either (ml_dtypes#400 saturation, #398 E8M0 ties), the probe
follows it; the choice is printed on stderr at start-up and is part of the version string.

Exit status 3 with one line on stderr when numpy or ml_dtypes does not import.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mxproto  # noqa: E402

try:
    import numpy as np
    import ml_dtypes
except Exception as exc:  # ImportError, or a broken install raising something else
    mxproto.refuse("ml_dtypes", exc)

TYPES = {
    "e4m3": "float8_e4m3fn",
    "e5m2": "float8_e5m2",
    "e2m3": "float6_e2m3fn",
    "e3m2": "float6_e3m2fn",
    "e2m1": "float4_e2m1fn",
    "e8m0": "float8_e8m0fnu",
}


class MlDtypes(mxproto.Backend):
    def __init__(self):
        self.name = "ml_dtypes"
        self.types = {}
        for fmt, attr in TYPES.items():
            t = getattr(ml_dtypes, attr, None)
            if t is None:
                mxproto.log("mxtarget_mldtypes", "ml_dtypes %s has no %s: %s unsupported"
                            % (ml_dtypes.__version__, attr, fmt))
            else:
                self.types[fmt] = t
        self.sources = {
            "f32": (np.uint32, np.float32),
            "bf16": (np.uint16, ml_dtypes.bfloat16),
            "f16": (np.uint16, np.float16),
            "f64": (np.uint64, np.float64),
        }
        # What the library's cast does, per destination: {"rounding": ..., "overflow": {...}}
        self.modes = {}
        for fmt in self.types:
            cast = lambda bits, fmt=fmt: self._cast("f32", fmt, bits)  # noqa: E731
            self.modes[fmt] = (mxproto.probe_rounding(cast, fmt), mxproto.probe_overflow(cast, fmt))
        summary = " ".join("%s:%s/%s" % (f, r or "-", "+".join(sorted(o)) or "-")
                           for f, (r, o) in self.modes.items())
        self.version = "%s numpy-%s %s" % (ml_dtypes.__version__, np.__version__, summary)
        mxproto.log("mxtarget_mldtypes", "ml_dtypes %s: rounding/overflow measured per type: %s"
                    % (ml_dtypes.__version__, summary))

    def _cast(self, src, dst, values):
        uint, view = self.sources[src]
        with np.errstate(all="ignore"):
            a = np.array(values, dtype=uint).view(view).astype(self.types[dst])
        return [int(c) for c in a.view(np.uint8).tolist()]

    def decode(self, fmt, codes):
        t = self.types.get(fmt)
        if t is None:
            raise mxproto.Unsupported()
        with np.errstate(all="ignore"):
            a = np.array(codes, dtype=np.uint8).view(t).astype(np.float64)
        return [int(b) for b in a.view(np.uint64).tolist()]

    def cvt(self, src, dst, rounding, overflow, values):
        if dst not in self.types:
            raise mxproto.Unsupported()
        measured_rounding, measured_overflow = self.modes[dst]
        if rounding != measured_rounding or overflow not in measured_overflow:
            raise mxproto.Unsupported()
        return self._cast(src, dst, values)


if __name__ == "__main__":
    sys.exit(mxproto.serve(MlDtypes()))
