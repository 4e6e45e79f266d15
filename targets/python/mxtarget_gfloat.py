#!/usr/bin/python3
"""mxtarget_gfloat.py - gfloat (Graphcore's generic float library, Python + NumPy) as an
mxconform process target.

    mxconform run --target cmd:'/usr/bin/python3 targets/python/mxtarget_gfloat.py' -o gfloat.json
    options: --gfloat=DIR     gfloat's `src` folder (default: $GFLOAT_DIR, else an installed
                              gfloat, else ../shared/thirdparty/gfloat/src beside the project)
             --api=ndarray|scalar   round_ndarray/encode_ndarray (default; vectorised) or
                              round_float/encode_float, one value at a time (the two differ:
                              reports/peers/gfloat.md)
             --sr=MODE        gfloat's stochastic RoundMode for `sr`: StochasticFastest
                              (default: "floor(delta*2^k) + r >= 2^k", the definition of
                              mxconform's `sr`), StochasticFast, Stochastic, StochasticOdd
             --srbits=K       random bits used (default 16 = the profile's sr_bits default)

What answers what (every value comes from gfloat; this file only moves bits):
  decode      decode_ndarray(format_info_ocp_*, codes) -> f64 bits
  cvt         round_ndarray(fi, x, RoundMode, sat) then encode_ndarray(fi, .) ; x is the
              source value as an f64 array (exact). rne rna rtz rup rdn -> TiesToEven,
              TiesToAway, TowardZero, TowardPositive, TowardNegative; sat -> sat=True,
              ovf -> sat=False; sr -> --sr with srbits = the low K bits of the random word.
  quantize    the block API: compute_scale_amax(etype.emax, x) (rule `floor`, the only one
              gfloat has) and encode_block(BlockFormatInfo(K), scale, x / scale, RoundMode),
              as gfloat's quantize_block does, keeping the codes instead of decoding them.
  dequantize  decode_block(BlockFormatInfo(K), [scale] + codes) -> f64 (dst f64), or NumPy's
              f64 -> f32 cast of that (dst f32); bf16 unsupported.
  cvtrange    (sweeps) the cvt route on whole NumPy ranges.
Where gfloat raises (ValueError: NaN into a format without NaN via the scalar API, overflow
without `sat` into a format without Inf, a scale out of E8M0's range; AssertionError: NaN
into INT8), that value (cvt) or block (quantize) is answered refused: the library's answer,
not an error of the suite. So is a "code" gfloat returns that does not fit the format
(encode_ndarray gives 2^64-1 for -1.0 into E8M0): the library gave no code for that value.
The ndarray API raises for a whole array: the adapter asks round_ndarray and encode_ndarray
apart and splits the array in halves, for the call that raised, down to 16 values, then asks
each of those alone, until it has the single values that raise (a NaN into FP6/FP4 costs
about one encode call, 0.01 ms; an overflow without sat one rounding call, 0.075 ms;
measured 2026-12-04).

Exit status 3 with one line on stderr when gfloat or NumPy does not import. gfloat imports
`array_api_compat` (not in Debian): when it does not import, targets/python/shims (a minimal
NumPy-only stand-in) is put on sys.path.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mxproto  # noqa: E402

PREFIX = "mxtarget_gfloat"


def _import_gfloat(gdir):
    try:
        import array_api_compat  # noqa: F401
    except ImportError:
        sys.path.append(os.path.join(HERE, "shims"))
    if gdir:
        sys.path.insert(0, gdir)
    import numpy
    import gfloat
    import gfloat.formats
    return numpy, gfloat


def _default_dir():
    if os.environ.get("GFLOAT_DIR"):
        return os.environ["GFLOAT_DIR"]
    try:
        import importlib.util
        if importlib.util.find_spec("gfloat") is not None:
            return None  # installed
    except Exception:
        pass
    return os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "thirdparty", "gfloat", "src"))


def _version(gfloat):
    """gfloat has no __version__: the installed distribution's, else its checkout's pyproject.toml."""
    try:
        import importlib.metadata
        return importlib.metadata.version("gfloat")
    except Exception:
        pass
    try:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(gfloat.__file__))))
        with open(os.path.join(root, "pyproject.toml")) as f:
            for line in f:
                m = re.match(r'version\s*=\s*"([^"]+)"', line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return "?"


ROUND = {"rne": "TiesToEven", "rna": "TiesToAway", "rtz": "TowardZero", "rup": "TowardPositive",
         "rdn": "TowardNegative"}
ELEMENT_INFO = {"e4m3": "format_info_ocp_e4m3", "e5m2": "format_info_ocp_e5m2", "e2m3": "format_info_ocp_e2m3",
                "e3m2": "format_info_ocp_e3m2", "e2m1": "format_info_ocp_e2m1", "int8": "format_info_ocp_int8",
                "e8m0": "format_info_ocp_e8m0"}


class GfloatBackend(mxproto.Backend):
    name = "gfloat"
    range_chunk = 1 << 14  # 2^20 f32 inputs: 0.12-0.15 s in slices of 2^14, 0.14-0.16 of 2^16, 0.31-0.38 whole

    def __init__(self, np, gfloat, api, sr_mode, srbits, where):
        self.np, self.g = np, gfloat
        self.api, self.srbits = api, srbits
        self.sr_mode = gfloat.RoundMode[sr_mode]
        self.version = "%s (%s API, sr=%s/%d bits) from %s" % (
            _version(gfloat), api, sr_mode, srbits, where)

    def _fi(self, name):
        return getattr(self.g.formats, ELEMENT_INFO[name])

    # ---- source bits -> f64 values (exact) ----
    def _values(self, src, bits):
        np = self.np
        b = np.asarray(bits, dtype=np.uint64)
        if src == "f32":
            return b.astype(np.uint32).view(np.float32).astype(np.float64)
        if src == "bf16":
            return (b.astype(np.uint32) << np.uint32(16)).view(np.float32).astype(np.float64)
        if src == "f16":
            return b.astype(np.uint16).view(np.float16).astype(np.float64)
        return b.view(np.float64)

    # ---- conversion, refusing single values where gfloat raises ----
    def _round_encode(self, fi, x, rnd, sat, sr):
        g = self.g
        if self.api == "scalar":
            out = []
            for i, v in enumerate(x):
                try:
                    if sr is None:
                        r = g.round_float(fi, float(v), rnd, sat)
                    else:
                        r = g.round_float(fi, float(v), rnd, sat, int(sr[i]), self.srbits)
                    c = int(g.encode_float(fi, r))
                    out.append(c if 0 <= c < (1 << fi.k) else None)
                except (ValueError, AssertionError):
                    out.append(None)
            return out
        codes, refused = self._ndarray(fi, x, rnd, sat, sr)
        return [None if r else int(c) for c, r in zip(codes, refused)]

    def _ndarray(self, fi, x, rnd, sat, sr):
        """-> (codes, refused mask). Rounding and encoding are asked apart, each split in halves
        where gfloat raises for the array: a NaN that encode_ndarray refuses then costs one
        encode call per value, not one rounding and encoding of every part that holds it."""
        np, g = self.np, self.g
        if sr is None:
            rounded, refused = self._each(np.float64, lambda xs: g.round_ndarray(fi, xs, rnd, sat), x)
        else:
            rounded, refused = self._each(np.float64, lambda xs, rs: g.round_ndarray(fi, xs, rnd, sat, rs, self.srbits),
                                          x, sr)
        codes = np.zeros(len(x), dtype=np.uint64)
        ok = ~refused
        if ok.any():
            codes[ok], refused[ok] = self._each(np.uint64, lambda rs: g.encode_ndarray(fi, rs), rounded[ok])
        return codes, refused | (codes >= (1 << fi.k))  # no code at all: see the module docstring

    # A call over at most this many values that raised asks each of them alone: halving on
    # costs about two calls per value where most of them raise (a NaN binade), asking alone
    # one. 2^14 NaNs into E2M3: 0.283 s halving to single values, 0.156 s with 16 (0.143 s
    # with 64, which costs a sparse NaN 64 calls; a sweep's refusals come in runs).
    ALONE = 16

    def _each(self, dtype, fn, *arrays):
        """fn over equally long arrays -> (its array as dtype, mask of the values where it raised
        alone; their places hold 0)."""
        np, n = self.np, len(arrays[0])
        out, refused = np.zeros(n, dtype=dtype), np.zeros(n, dtype=bool)
        self._each_into(out, refused, 0, n, fn, arrays)
        return out, refused

    def _each_into(self, out, refused, lo, hi, fn, arrays):
        """_each for the slice [lo, hi), written into out and refused."""
        if self._ask(out, lo, hi, fn, arrays):
            return
        if hi - lo == 1:
            refused[lo] = True
        elif hi - lo <= self.ALONE:
            for i in range(lo, hi):
                refused[i] = not self._ask(out, i, i + 1, fn, arrays)
        else:
            mid = (lo + hi) // 2
            self._each_into(out, refused, lo, mid, fn, arrays)
            self._each_into(out, refused, mid, hi, fn, arrays)

    def _ask(self, out, lo, hi, fn, arrays):
        """fn over the slice [lo, hi) into out -> False where gfloat raised for it."""
        try:
            out[lo:hi] = self.np.asarray(fn(*[a[lo:hi] for a in arrays]), dtype=out.dtype)
            return True
        except (ValueError, AssertionError):
            return False

    def decode(self, fmt, codes):
        np = self.np
        v = self.g.decode_ndarray(self._fi(fmt), np.asarray(codes, dtype=np.int64))
        return [int(b) for b in np.asarray(v, dtype=np.float64).view(np.uint64)]

    def cvt(self, src, dst, rounding, overflow, values):
        return self._round_encode(self._fi(dst), self._values(src, values), self.g.RoundMode[ROUND[rounding]],
                                  overflow == "sat", None)

    def cvt_sr(self, src, dst, overflow, values, randoms):
        np = self.np
        sr = np.asarray(randoms, dtype=np.int64) & ((1 << self.srbits) - 1)
        return self._round_encode(self._fi(dst), self._values(src, values), self.sr_mode, overflow == "sat", sr)

    def cvt_array(self, src, dst, rounding, overflow, bits):
        if self.api == "scalar":
            return mxproto.Backend.cvt_array(self, src, dst, rounding, overflow, bits)
        return self._ndarray(self._fi(dst), self._values(src, bits), self.g.RoundMode[ROUND[rounding]],
                             overflow == "sat", None)

    def _block(self, block_fmt, k):
        f = self.g.formats
        return f.BlockFormatInfo(block_fmt, self._fi(mxproto.BLOCK_ELEMENT[block_fmt]), k, f.format_info_ocp_e8m0)

    def quantize(self, block_fmt, src, rule, rounding, values):
        if rule != "floor" or rounding not in ROUND:
            raise mxproto.Unsupported()
        g, np = self.g, self.np
        bfi = self._block(block_fmt, len(values))
        x = self._values(src, values)
        try:
            with np.errstate(all="ignore"):
                scale = g.compute_scale_amax(bfi.etype.emax, x)
                enc = [int(c) for c in g.encode_block(bfi, scale, x / scale, g.RoundMode[ROUND[rounding]])]
        except ValueError as e:
            raise mxproto.Refused("gfloat: %s" % e)
        return enc[0], enc[1:]

    def dequantize(self, block_fmt, dst, scale, codes):
        if dst not in ("f32", "f64"):
            raise mxproto.Unsupported()
        np = self.np
        vals = np.array(list(self.g.decode_block(self._block(block_fmt, len(codes)), [scale] + list(codes))),
                        dtype=np.float64)
        if dst == "f32":
            with np.errstate(all="ignore"):
                return [int(b) for b in vals.astype(np.float32).view(np.uint32)]
        return [int(b) for b in vals.view(np.uint64)]


def main(argv):
    opts = {"gfloat": None, "api": "ndarray", "sr": "StochasticFastest", "srbits": "16"}
    for a in argv:
        k, _, v = a.partition("=")
        if not k.startswith("--") or k[2:] not in opts or not v:
            sys.stderr.write("usage: mxtarget_gfloat.py [--gfloat=DIR] [--api=ndarray|scalar] [--sr=MODE] [--srbits=K]\n")
            return 2
        opts[k[2:]] = v
    if opts["api"] not in ("ndarray", "scalar"):
        sys.stderr.write("mxtarget_gfloat.py: --api must be ndarray or scalar\n")
        return 2
    gdir = opts["gfloat"] or _default_dir()
    try:
        np, gfloat = _import_gfloat(gdir)
        sr_mode = opts["sr"]
        gfloat.RoundMode[sr_mode]
    except KeyError:
        sys.stderr.write("mxtarget_gfloat.py: --sr: gfloat has no RoundMode %s\n" % opts["sr"])
        return 2
    except Exception as exc:
        mxproto.refuse("gfloat (from %s)" % (gdir or "site-packages"), exc)
    np.seterr(all="ignore")  # NaN/overflow casts of sweep inputs are expected, not news
    backend = GfloatBackend(np, gfloat, opts["api"], sr_mode, int(opts["srbits"]), gdir or "site-packages")
    return mxproto.serve(backend)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
