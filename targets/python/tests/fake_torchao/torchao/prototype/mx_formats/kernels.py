"""FAKE torchao FP4 element kernels: f32_to_f4_unpacked (RNE, saturating; NaN -> 1.5 with its
sign, the bit-trick artefact peers.md D1 reads in `_f32_to_floatx_unpacked`) and
f4_unpacked_to_f32 (exact)."""
import torch
import fakefloat as ff

_E2M1 = ff.Spec("e2m1", "finite", 4, 2, 1)


def f32_to_f4_unpacked(x):
    assert x.dtype is torch.float32
    out = []
    for b in x._bits:
        v = ff.decode(ff.F32, b)
        out.append((0xB if v[1] else 0x3) if v[0] == "nan" else ff.encode(_E2M1, v, ff.Policy(saturate=True)))
    return torch.Tensor(torch.uint8, out, x.shape)


def f4_unpacked_to_f32(x):
    assert x.dtype is torch.uint8
    return torch.Tensor(torch.float32, [ff.convert(_E2M1, ff.F32, b) for b in x._bits], x.shape)
