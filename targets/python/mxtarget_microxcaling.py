#!/usr/bin/python3
"""mxtarget_microxcaling.py - microxcaling (Microsoft's MX emulation library, the MX paper's
PyTorch code) as an mxconform process target, on the CPU (custom_cuda=False).

    mxconform run --target cmd:'/usr/bin/python3 targets/python/mxtarget_microxcaling.py'
    mxconform probe dot --target cmd:'/usr/bin/python3 targets/python/mxtarget_microxcaling.py'
    options: --mx=DIR   the folder holding the `mx` package (default: $MICROXCALING_DIR, else
                        an installed `mx`, else ../shared/thirdparty/microxcaling)

Needs PyTorch (Debian 12: python3-torch 1.13) and python3-packaging. microxcaling works on
values (float tensors in, quantized float tensors out): the adapter turns source bits into
a float tensor and the library's values back into codes (mxproto.encode_f32 from FP32 bits, or encode_values: exact,
a value that is no code of the format is answered refused `!`: the library gave no code).

  cvt         mx.elemwise_ops._quantize_elemwise(x, ELEM, round=R, saturate_normals=S):
              ELEM fp8_e4m3 fp8_e5m2 fp6_e2m3 fp6_e3m2 fp4_e2m1 int8; R rne -> "even",
              rna -> "nearest" (the library's default), rtz -> "floor" (truncation toward
              zero); sat -> saturate_normals=True (what MX conversion needs, the library
              says), ovf -> False (overflow becomes +-Inf, no code for E4M3/FP6/FP4).
              Its `dither` SR draws its own torch.rand numbers: `sr` is unsupported (the
              harness's random words could not be honoured). No E8M0 element conversion.
              Sources f32 bf16 f16 as float32 tensors, f64 as a float64 tensor.
  quantize    mx.mx_ops._quantize_mx(x, 8, ELEM, "max", axes=[-1], block_size=K, round=R)
              (rule floor, the library's only one) -> dequantized values; the scale is the
              library's shared exponent (_shared_exponents(x, "max") minus the element emax,
              clamped to +-127 as _quantize_mx does; NaN -> 0xFF) and the codes are
              value / 2^scale, exact.
  dot         mx.matmul(A, B, mx_specs) with a_elem_format = FA, w_elem_format = FB
              (mode_config "aw"), block_size K, bfloat 0 (no output rounding), C as its bias:
              A (1 x NK) and B (NK x 1) are the given blocks decoded exactly into FP32 (an MX
              value >= 2^128 becomes Inf there); the library quantizes them again to MX with
              its floor rule, which is NOT the identity on every MX block (a block whose
              largest element is below the format's top binade gets a smaller scale: E4M3
              1.875 * 2^e at the top is clamped; an MXINT8 block holding -2 gets a larger
              one; -0 becomes +0), then multiplies with torch.matmul in FP32. On Debian's
              torch 1.13 that is the reference BLAS sgemm (libblas3): FP32 products added
              in index order from +0, no FMA; the bias C is added after. Measured and
              explained case by case in scripts/peers_bugs.py (dot-order-fp32-sequential,
              dot-requantizes-operands, dot-operand-beyond-fp32).
decode, dequantize and pack are unsupported (the library has no such functions: it never
stores codes). Exit status 3 with one line on stderr when torch or mx does not import.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mxproto  # noqa: E402

PREFIX = "mxtarget_microxcaling"
ELEM = {"e4m3": "fp8_e4m3", "e5m2": "fp8_e5m2", "e2m3": "fp6_e2m3", "e3m2": "fp6_e3m2", "e2m1": "fp4_e2m1",
        "int8": "int8"}
ROUND = {"rne": "even", "rna": "nearest", "rtz": "floor"}


def _default_dir():
    if os.environ.get("MICROXCALING_DIR"):
        return os.environ["MICROXCALING_DIR"]
    try:
        import importlib.util
        if importlib.util.find_spec("mx") is not None:
            return None
    except Exception:
        pass
    return os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "thirdparty", "microxcaling"))


class MicroxcalingBackend(mxproto.Backend):
    name = "microxcaling"
    range_chunk = mxproto.RANGE_MAX  # unsliced: slices of 2^16 gained in-process, not end to end (2^24 inputs 3.3-3.7 s vs 3.0-3.5)

    def __init__(self, np, torch, mx, where):
        self.np, self.torch, self.mx = np, torch, mx
        self.version = "(git snapshot) on torch %s from %s" % (torch.__version__, where)

    def _tensor(self, src, bits):
        x = mxproto.source_array(src, bits)
        return self.torch.from_numpy(x if src == "f64" else x.astype(self.np.float32))

    def cvt_array(self, src, dst, rounding, overflow, bits):
        if dst not in ELEM or rounding not in ROUND:
            raise mxproto.Unsupported()
        from mx.elemwise_ops import _quantize_elemwise
        q = _quantize_elemwise(self._tensor(src, bits), ELEM[dst], round=ROUND[rounding],
                               saturate_normals=overflow == "sat", allow_denorm=True)
        q = q.numpy()  # FP32 for every source but f64: its bits give the codes (encode_f32, no search)
        return mxproto.encode_f32(dst, q) if q.dtype == self.np.float32 else mxproto.encode_values(dst, q)

    def cvt(self, src, dst, rounding, overflow, values):
        codes, nocode = self.cvt_array(src, dst, rounding, overflow, values)
        return [None if r else int(c) for c, r in zip(codes, nocode)]

    def quantize(self, block_fmt, src, rule, rounding, values):
        if rule != "floor" or rounding not in ROUND:
            raise mxproto.Unsupported()
        torch, np = self.torch, self.np
        from mx.mx_ops import _quantize_mx, _shared_exponents
        from mx.formats import _get_format_params
        elem = mxproto.BLOCK_ELEMENT[block_fmt]
        k = len(values)
        x = self._tensor(src, values).reshape(1, k)
        q = _quantize_mx(x, 8, ELEM[elem], shared_exp_method="max", axes=[-1], block_size=k, round=ROUND[rounding])
        shared = float(_shared_exponents(x, method="max", axes=[-1], ebits=0).reshape(-1)[0])
        emax = _get_format_params(ELEM[elem])[2]
        if shared != shared or shared - emax > 127:  # NaN (or Inf) shared exponent: a NaN block
            return 0xFF, [0] * k
        e = int(max(shared - emax, -127))
        vals = q.to(torch.float64).numpy().reshape(-1) / np.float64(2.0) ** e
        codes, nocode = mxproto.encode_values(elem, vals)
        if nocode.any():
            raise mxproto.Refused("microxcaling value %r is no %s code at scale 2^%d"
                                  % (float(q.reshape(-1)[int(np.flatnonzero(nocode)[0])]), elem, e))
        return e + 127, [int(c) for c in codes]

    def dot(self, fa, fb, n, k, c, sa, a, sb, b):
        torch, np = self.torch, self.np
        import mx
        ea, eb = mxproto.BLOCK_ELEMENT[fa], mxproto.BLOCK_ELEMENT[fb]
        va = self._block_values(ea, sa, a, k)
        vb = self._block_values(eb, sb, b, k)
        specs = mx.finalize_mx_specs({"a_elem_format": ELEM[ea], "w_elem_format": ELEM[eb], "block_size": k,
                                      "bfloat": 0, "custom_cuda": False, "round": "even"})
        A = torch.from_numpy(va.astype(np.float32)).reshape(1, n * k)
        B = torch.from_numpy(vb.astype(np.float32)).reshape(n * k, 1)
        bias = None
        if c is not None:
            bias = torch.from_numpy(np.array([c], dtype=np.uint32).view(np.float32))
        out = mx.matmul(A, B, bias, mx_specs=specs, mode_config="aw")
        return int(out.detach().reshape(-1)[0:1].numpy().astype(np.float32).view(np.uint32)[0])

    def _block_values(self, elem, scales, codes, k):
        """Exact values of MX blocks (scale 2^(s-127) x element value), as float64."""
        np = self.np
        f = mxproto.fmt(elem)
        out = np.empty(len(codes), dtype=np.float64)
        for j, s in enumerate(scales):
            for i in range(k):
                kind, v = f.value(codes[j * k + i])
                if s == 0xFF or kind == "nan":
                    out[j * k + i] = np.nan
                elif kind == "inf":
                    out[j * k + i] = v * np.inf
                else:
                    out[j * k + i] = float(v) * 2.0 ** (s - 127)
        return out


def _torch113_matmul_precision(torch):
    """mx.matmul_precision.set_matmul_precision reads
    torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction, which torch 1.13
    (Debian 12) does not have: every mx.matmul raises AssertionError there (reports/peers:
    a finding). On CPU tensors the context manager only saves and restores that CUDA flag,
    so where the flag is missing the adapter swaps it for a no-op context manager — what it
    amounts to on the CPU with a newer torch — and says so on stderr."""
    try:
        torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction
        return
    except (AssertionError, AttributeError):
        pass
    import contextlib
    import importlib
    mm = importlib.import_module("mx.matmul")  # the module (mx.matmul, the name, is its function)
    mm.set_matmul_precision = lambda *a, **k: contextlib.nullcontext()
    mxproto.log(PREFIX, "torch %s lacks allow_bf16_reduced_precision_reduction: mx.matmul's "
                "set_matmul_precision replaced by a no-op (CPU only)" % torch.__version__)


def main(argv):
    mdir = None
    for a in argv:
        if a.startswith("--mx="):
            mdir = a[5:]
        else:
            sys.stderr.write("usage: mxtarget_microxcaling.py [--mx=DIR]\n")
            return 2
    mdir = mdir or _default_dir()
    try:
        import numpy as np
        import torch
        if mdir:
            sys.path.insert(0, mdir)
        import mx  # noqa: F401
        import mx.elemwise_ops  # noqa: F401
    except Exception as exc:
        mxproto.refuse("microxcaling (mx from %s; needs torch, numpy, packaging)" % (mdir or "site-packages"), exc)
    _torch113_matmul_precision(torch)
    np.seterr(all="ignore")
    torch.set_num_threads(1)  # one core each: the harness runs beside it
    return mxproto.serve(MicroxcalingBackend(np, torch, mx, mdir or "site-packages"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
