"""FAKE torch for testing targets/python/mxtarget_torch.py without PyTorch.

Implements only what the adapter (and the fake torchao) call: torch.tensor(list of ints,
dtype=integer dtype), Tensor.view / .to / .reshape / .tolist / .numel, and the dtypes
uint8 int16 int32 int64 float16 bfloat16 float32 float64 float8_e4m3fn float8_e5m2
float8_e8m0fnu float4_e2m1fn_x2. A tensor holds bit patterns; view() reinterprets, to()
converts exactly (targets/python/tests/fakefloat.py) with the choices peers.md documents for
PyTorch's c10 casts (read there, not run):
  * nearest-even; E4M3 overflow and +-Inf -> NaN (eager casts before pytorch#178817; with
    FAKE_TORCH_E4M3_SATURATE=1: saturate, as after it); E5M2 overflow -> Inf;
  * NaN keeps its sign; NaN -> E5M2 S.11111.11 (0x7F, peers.md D3);
  * E8M0: ties up, NaN/Inf -> 0xFF, sign ignored (|x|), 0 -> 0x00, overflow -> 0xFF (D5).
  * float4_e2m1fn_x2: storage only, every cast raises (as in released PyTorch). With
    FAKE_TORCH_FP4_CASTS=1 a hypothetical unpacking cast exists (byte -> 2 values, low
    nibble first; 2n values -> n bytes), to exercise the adapter's core FP4 path.
Plumbing only: a pass with this fake says nothing about the real PyTorch.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import fakefloat as ff  # noqa: E402

__version__ = "0.0-fake"
FAKE = True

uint8 = ff.Spec("uint8", "uint", 8)
int16 = ff.Spec("int16", "int", 16)
int32 = ff.Spec("int32", "int", 32)
int64 = ff.Spec("int64", "int", 64)
float16 = ff.Spec("float16", "ieee", 16, 5, 10)
bfloat16 = ff.Spec("bfloat16", "ieee", 16, 8, 7)
float32 = ff.Spec("float32", "ieee", 32, 8, 23)
float64 = ff.Spec("float64", "ieee", 64, 11, 52)
float8_e4m3fn = ff.Spec("float8_e4m3fn", "fn", 8, 4, 3)
float8_e5m2 = ff.Spec("float8_e5m2", "ieee", 8, 5, 2)
float8_e8m0fnu = ff.Spec("float8_e8m0fnu", "e8m0", 8)
float4_e2m1fn_x2 = ff.Spec("float4_e2m1fn_x2", "x2", 8)
_E2M1 = ff.Spec("e2m1", "finite", 4, 2, 1)

_SAT = os.environ.get("FAKE_TORCH_E4M3_SATURATE") == "1"
_POLICY = {
    "float8_e4m3fn": ff.Policy(saturate=_SAT),
    "float8_e5m2": ff.Policy(e5m2_nan=0x7F),
    "float8_e8m0fnu": ff.Policy(e8m0_ties="away", e8m0_zero=0x00, e8m0_neg="abs"),
}
_FLOATS = ("ieee", "fn", "e8m0")


class Tensor:
    def __init__(self, dtype, bits, shape=None):
        self.dtype = dtype
        self._bits = list(bits)
        self.shape = tuple(shape) if shape is not None else (len(self._bits),)

    def numel(self):
        return len(self._bits)

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        if shape == (-1,):
            shape = (len(self._bits),)
        n = 1
        for d in shape:
            n *= d
        if n != len(self._bits):
            raise RuntimeError("fake torch: shape %s is invalid for input of size %d" % (shape, len(self._bits)))
        return Tensor(self.dtype, self._bits, shape)

    def view(self, dtype):
        if dtype.itemsize != self.dtype.itemsize:
            raise RuntimeError("fake torch: view between different element sizes")
        return Tensor(dtype, self._bits, self.shape)

    def to(self, dtype):
        if isinstance(dtype, str):  # a device: everything is on the fake "cpu"
            return self
        src = self.dtype
        if src.kind == "x2" or dtype.kind == "x2":
            if os.environ.get("FAKE_TORCH_FP4_CASTS") != "1":
                raise NotImplementedError('"copy_" not implemented for \'Float4_e2m1fn_x2\'')
            if src.kind == "x2":  # unpack: low nibble first
                vals = []
                for b in self._bits:
                    vals += [ff.convert(_E2M1, dtype, b & 0xF), ff.convert(_E2M1, dtype, b >> 4)]
                return Tensor(dtype, vals)
            if len(self._bits) % 2:
                raise RuntimeError("fake torch: float4_e2m1fn_x2 needs an even number of values")
            codes = [ff.convert(src, _E2M1, b, ff.Policy(fp_nan="pos-max")) for b in self._bits]
            return Tensor(dtype, [codes[i] | (codes[i + 1] << 4) for i in range(0, len(codes), 2)])
        if src.kind not in _FLOATS or dtype.kind not in _FLOATS:
            raise TypeError("fake torch: to() only between float dtypes")
        policy = _POLICY.get(dtype.name, ff.IEEE_POLICY)
        return Tensor(dtype, [ff.convert(src, dtype, b, policy) for b in self._bits], self.shape)

    def tolist(self):
        if self.dtype.kind == "uint":
            flat = list(self._bits)
        elif self.dtype.kind == "int":
            w = self.dtype.width
            flat = [b - (1 << w) if b >> (w - 1) else b for b in self._bits]
        else:
            raise TypeError("fake torch: tolist() only on integer tensors")
        if len(self.shape) == 2:
            r, c = self.shape
            return [flat[i * c:(i + 1) * c] for i in range(r)]
        return flat


def tensor(values, dtype):
    if dtype.kind not in ("uint", "int"):
        raise TypeError("fake torch: tensor() only from ints to integer dtypes")
    w = dtype.width
    lo, hi = (0, 1 << w) if dtype.kind == "uint" else (-(1 << (w - 1)), 1 << (w - 1))
    bits = []
    for v in values:
        if not isinstance(v, int) or not lo <= v < hi:
            raise RuntimeError("value cannot be converted to type %s without overflow" % dtype.name)
        bits.append(v & ((1 << w) - 1))
    return Tensor(dtype, bits)
