"""FAKE numpy for testing targets/python/mxtarget_mldtypes.py without NumPy.

Implements only what the adapter calls: array(list of ints, dtype=uintN), ndarray.view,
ndarray.astype, ndarray.tolist, errstate, the dtypes uint8/16/32/64 and float16/32/64.
An array holds bit patterns; view() reinterprets them, astype() converts values exactly
(targets/python/tests/fakefloat.py). Not NumPy, and not a model of NumPy: plumbing only.
"""
import contextlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import fakefloat as ff  # noqa: E402

__version__ = "0.0-fake"
FAKE = True

uint8 = ff.Spec("uint8", "uint", 8)
uint16 = ff.Spec("uint16", "uint", 16)
uint32 = ff.Spec("uint32", "uint", 32)
uint64 = ff.Spec("uint64", "uint", 64)
float16 = ff.F16
float32 = ff.F32
float64 = ff.F64


def _storage_bytes(spec):
    return spec.itemsize


class ndarray:
    def __init__(self, dtype, bits):
        self.dtype = dtype
        self._bits = list(bits)

    def view(self, dtype):
        if _storage_bytes(dtype) != _storage_bytes(self.dtype):
            raise ValueError("fake numpy: view between different item sizes (%s -> %s)" % (self.dtype, dtype))
        if dtype.kind not in ("uint",) and dtype.width < 8 * dtype.itemsize:
            for b in self._bits:  # FP6/FP4 in a byte: only the low bits may be set
                if b >> dtype.width:
                    raise ValueError("fake numpy: byte 0x%x is not a %s" % (b, dtype.name))
        return ndarray(dtype, self._bits)

    def astype(self, dtype):
        src = self.dtype
        if src.kind == "uint" or dtype.kind == "uint":
            raise TypeError("fake numpy: astype only between float types")
        policy = getattr(dtype, "policy", ff.IEEE_POLICY)
        out = []
        for b in self._bits:
            if getattr(dtype, "via_float32_from", None) and src in dtype.via_float32_from:
                b = ff.convert(src, ff.F32, b)  # ml_dtypes NPyCast: static_cast<float> first
                s = ff.F32
            else:
                s = src
            out.append(ff.convert(s, dtype, b, policy))
        return ndarray(dtype, out)

    def tolist(self):
        if self.dtype.kind != "uint":
            raise TypeError("fake numpy: tolist() only on integer arrays")
        return list(self._bits)

    def __len__(self):
        return len(self._bits)


def array(values, dtype):
    if dtype.kind != "uint":
        raise TypeError("fake numpy: array() only from ints to uint dtypes")
    bits = []
    for v in values:
        if not isinstance(v, int) or v < 0 or v >> dtype.width:
            raise OverflowError("Python integer %r out of bounds for %s" % (v, dtype.name))
        bits.append(v)
    return ndarray(dtype, bits)


@contextlib.contextmanager
def errstate(**kw):
    yield
