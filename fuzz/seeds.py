#!/usr/bin/env python3
"""Write the hand-made seed inputs of every fuzz target into fuzz/corpus/<target>/seed-*.

    python3 fuzz/seeds.py            # (re)writes the seed-* files; other corpus files stay
    python3 fuzz/seeds.py --check    # exit 1 when fuzz/corpus's seed-* files differ from what
                                     # it would write (a CTest: vectors and formats that grew
                                     # without their seeds)

The byte layouts are the ones documented at the top of each fuzz/fuzz_<name>.c. The seeds
aim at the famous edges (E4M3 448/464/465, E5M2 57344/61440, FP6/FP4 maxima, INT8 -2, E8M0
2^-127 and NaN, ties, subnormals, specials), the spec's worked examples, and one valid file
per vector operation and profile shape, so each target starts deep instead of at the magic
line. Corpus files found by fuzzing (merged with `make fuzz`) are named by their hash.
"""
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
OUT = CORPUS  # where write() puts the seeds (--check: a scratch directory)

SOURCES = ["f32", "bf16", "f16", "f64"]
ELEMENTS = ["e4m3", "e5m2", "e2m3", "e3m2", "e2m1", "int8", "e8m0"]
ROUNDS = ["rne", "rna", "rtz", "rup", "rdn", "sr"]
BLOCK_FMTS = ["mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4_e2m1", "mxint8"]
RULES = ["floor", "ceil", "rceil", "even", "even-tiedown"]
# knob bytes in mx_knob_table order: round, sr_bits(-1), overflow, nan_sign, e5m2_nan, inf_sat,
# nan_finite, inf_finite, int8_range, src_subnormals, e8m0_zero, e8m0_neg
DEFAULT_KNOBS = [0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def knobs(round_=0, sr_bits=16, overflow=0, **kw):
    order = ["nan_sign", "e5m2_nan", "inf_sat", "nan_finite", "inf_finite", "int8_range", "src_subnormals",
             "e8m0_zero", "e8m0_neg"]
    return bytes([round_, sr_bits - 1, overflow] + [kw.get(k, 0) for k in order])


def enc(src, x):
    """A Python float or an int bit pattern -> little-endian bytes of source format src."""
    if isinstance(x, int):
        n = {"f32": 4, "bf16": 2, "f16": 2, "f64": 8}[src]
        return x.to_bytes(n, "little")
    if src == "f32":
        return struct.pack("<f", x)
    if src == "f64":
        return struct.pack("<d", x)
    if src == "f16":
        return struct.pack("<e", x)
    return struct.pack("<f", x)[2:]  # bf16: the top half of f32 (seed values are exact)


def raw(src, x):
    """fz_value mode 0 (raw bits) followed by the bits."""
    return bytes([0]) + enc(src, x)


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


EDGES = {
    "e4m3": [448.0, 464.0, 465.0, 480.0, -465.0, 2.0 ** -9, 2.0 ** -10, 3 * 2.0 ** -11, 1.0625, 1e6],
    "e5m2": [57344.0, 61440.0, 61441.0, 65536.0, 2.0 ** -16, 2.0 ** -17, 1.125, -1e9],
    "e2m3": [7.5, 7.75, 8.0, 0.125, 0.0625, 1.0625, -7.76],
    "e3m2": [28.0, 30.0, 32.0, 0.0625, 0.03125, 1.125, -29.0],
    "e2m1": [6.0, 7.0, 5.0, 0.5, 0.25, 0.75, 2.5, -6.5],
    "int8": [127 / 64, 255 / 128, -2.0, -129 / 64, 1 / 128, 3 / 128, -1 / 128],
    "e8m0": [2.0 ** -127, 2.0 ** 127, 1.5, 0.75, 3 * 2.0 ** -128, 0.0, -1.0, 2.0 ** 128],
}
SPECIAL_BITS = {
    "f32": [0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0xFFFFFFFF, 0x00000001, 0x807FFFFF, 0x00800000, 0x7F7FFFFF,
            0x80000000],
    "bf16": [0x7F80, 0xFF80, 0x7FC0, 0x7F81, 0x0001, 0x8000, 0x7F7F],
    "f16": [0x7C00, 0xFC00, 0x7E00, 0x7C01, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x8000],
    "f64": [0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000, 0x7FF0000000000001, 0x1, 0x7FEFFFFFFFFFFFFF,
            0x8000000000000000],
}


def representable(src, x):
    try:
        b = enc(src, x)
    except (OverflowError, struct.error):
        return False
    if src == "bf16":
        return struct.unpack("<f", b"\0\0" + b)[0] == x
    if src == "f16":
        return struct.unpack("<e", b)[0] == x
    return True


def convert_seeds():
    t = "convert_differential"
    for di, dst in enumerate(ELEMENTS):
        for si, src in enumerate(SOURCES):
            vals = [v for v in EDGES[dst] if representable(src, v)][:7]
            vals.append(SPECIAL_BITS[src][(di + si) % len(SPECIAL_BITS[src])])
            for ri, (r, o) in enumerate([(0, 0), (5, 1), (2, 1)] if si == 0 else [(0, 0)]):
                data = bytes([si, di]) + knobs(r, 16 if r != 5 else 8, o) + struct.pack("<I", 0x80008000 + ri)
                data += b"".join(raw(src, v) for v in vals)
                write(t, "%s-%s-%s-%s" % (src, dst, ROUNDS[r], ["sat", "ovf"][o]), data)
    # the special-value knobs: NaN/Inf into every format under non-default knobs
    for di, dst in enumerate(ELEMENTS):
        data = bytes([0, di]) + knobs(0, 16, 0, nan_sign=1, e5m2_nan=1, inf_sat=1, nan_finite=4, inf_finite=1,
                                      int8_range=1, src_subnormals=1, e8m0_zero=1, e8m0_neg=2)
        data += b"\0\0\0\0" + b"".join(raw("f32", b) for b in SPECIAL_BITS["f32"][:8])
        write(t, "knobs-%s" % dst, data)
    # built values (fz_value modes 3..7): ties just above/below around each element
    for di, dst in enumerate(ELEMENTS):
        data = bytes([0, di]) + knobs() + b"\0\0\0\0"
        for tie in range(6):
            data += bytes([3 | (tie << 3), 3 + tie]) + bytes(8)
        write(t, "ties-%s" % dst, data)


def quantize_seeds():
    t = "quantize_differential"

    def block(bf, src, rule, vals, k=None, nanb=0, infb=0, zerob=0, scovf=0, dqovf=0, kn=None, shift=0, dq=0):
        k = len(vals) if k is None else k
        head = bytes([bf, SOURCES.index(src), rule, nanb, infb, zerob, scovf, dqovf]) + (kn or knobs())
        head += b"\x01\x02\x03\x04" + bytes([k - 1, shift & 0xFF, dq])
        return head + b"".join(raw(src, v) for v in vals)

    worked = [7.0, -3.3, 0.25, 0.001]
    for bi, bf in enumerate(BLOCK_FMTS):
        write(t, "worked-%s" % bf, block(bi, "f32", 0, worked))
        for ri, rule in enumerate(RULES[1:], 1):
            amax = {"mxfp8_e4m3": 464.0, "mxfp8_e5m2": 61440.0, "mxfp6_e2m3": 7.75, "mxfp6_e3m2": 30.0,
                    "mxfp4_e2m1": 7.0, "mxint8": 255 / 128}[bf]
            write(t, "rule-%s-%s" % (rule, bf), block(bi, "f32", ri, [amax, amax / 2, -amax / 3, 1e-30], dq=ri % 3))
    write(t, "zeros", block(0, "f32", 0, [0.0, -0.0, 0.0]))
    write(t, "zeros-one", block(0, "f32", 0, [0.0, -0.0], zerob=1))
    write(t, "nan-block", block(0, "f32", 0, [1.0, 0x7FC00000, 2.0]))
    write(t, "nan-ignore", block(4, "f32", 0, [1.0, 0x7FC00000, 2.0], nanb=1))
    write(t, "inf-maxscale", block(1, "f32", 0, [1.0, 0xFF800000, 2.0], infb=1))
    write(t, "inf-ignore", block(5, "f32", 0, [1.0, 0x7F800000, 2.0], infb=2))
    write(t, "f64-huge-clamp", block(5, "f64", 2, [1e300, -1e299, 1.0], scovf=1))
    write(t, "f64-huge-nan", block(5, "f64", 1, [1e300, 1.0]))
    write(t, "f64-tiny", block(0, "f64", 0, [1e-300, 5e-324, -1e-310]))
    write(t, "f32-subnormals-flush", block(2, "f32", 0, [0x00000001, 0x807FFFFF, 1e-39],
                                           kn=knobs(0, 16, 0, src_subnormals=1)))
    write(t, "sr", block(0, "f32", 0, [1.0625, 3.3, -448.5, 0.001], kn=knobs(5, 8, 0)))
    write(t, "ovf", block(1, "f32", 0, [61440.0, 57344.0, -60000.0], kn=knobs(0, 16, 1)))
    write(t, "int8-symmetric", block(5, "f32", 0, [-2.0, 1.0, 1.99], kn=knobs(0, 16, 0, int8_range=1)))
    write(t, "bf16-k32", block(4, "bf16", 0, [float(i) / 4 - 4 for i in range(32)]))
    write(t, "f16-k64", block(3, "f16", 3, [float(i) - 32 for i in range(64)], dq=1))
    write(t, "dequant-overflow-sat", block(1, "f64", 0, [1e38, 3e38], dqovf=1, scovf=1))
    # built values around the block's ties
    data = bytes([0, 0, 3, 0, 0, 0, 0, 0]) + knobs() + b"\0\0\0\0" + bytes([31, 0, 0])
    for i in range(32):
        data += bytes([3 | ((i % 6) << 3), 8 + i % 4]) + bytes(8)
    write(t, "ties-k32", data)


def roundtrip_seeds():
    t = "roundtrip"
    codes = {"e4m3": [0x7E, 0xFE, 0x80, 0x01, 0x08], "e5m2": [0x7B, 0x7C, 0xFC, 0x80, 0x01], "e2m3": [0x1F, 0x20, 0x01],
             "e3m2": [0x1F, 0x3F, 0x01], "e2m1": [0x7, 0xF, 0x8, 0x1], "int8": [0x80, 0x81, 0x7F, 0x01],
             "e8m0": [0x00, 0x7F, 0xFE, 0x01]}
    for fi, fmt in enumerate(ELEMENTS):
        for c in codes[fmt]:
            for si in sorted({c % 4, 3}):
                r = (c + si) % 6
                data = bytes([fi, c, si]) + knobs(r, 1 + c % 32, c & 1, src_subnormals=1) + struct.pack("<I", 0xFFFFFFFF)
                bf, lay = (fi + si) % 6, (c + si) % 4
                data += bytes([bf, lay, 31]) + bytes((c * 7 + i) & 0xFF for i in range(32))
                write(t, "%s-%02x-%s" % (fmt, c, SOURCES[si]), data)


VEC_OPS = ["decode.e8m0", "cvt.f32.e4m3.rne.sat", "cvt.f32.e4m3.sr.sat", "quantize.mxfp4_e2m1.f32",
           "dequantize.mxfp8_e5m2.f32", "pack.mxfp6_e2m3.fp6-lsb"]


def vector_seeds():
    t = "vector_parser"
    for d in ("smoke", "standard"):
        mdir = os.path.join(ROOT, "vectors", d)
        if not os.path.isdir(mdir):
            continue
        for f in sorted(os.listdir(mdir)):
            if not f.endswith(".mxv"):
                continue
            stem = f[:-4]
            if stem not in VEC_OPS and not any(stem.startswith(p) for p in ("pack.", "decode.")):
                continue
            with open(os.path.join(mdir, f), "rb") as h:
                lines = h.read().split(b"\n")
            head = [ln for ln in lines if ln.startswith(b"#")]
            body = [ln for ln in lines if ln and not ln.startswith(b"#")][:3]
            write(t, stem, b"\n".join(head + body) + b"\n")
        break
    bad = [
        b"", b"# mxconform-vectors 1\n", b"# mxconform-vectors 2\n", b"# mxconform-vectors 1\n# op: cvt\n",
        b"# mxconform-vectors 1\r\n# op: decode\r\n# fmt: e4m3\r\n# columns: code f64\r\n7e 407c000000000000\r\n",
        b"# mxconform-vectors 1\n# op: decode\n# fmt: e4m3\n# columns: code f64\n7e 407c000000000000",
        b"# mxconform-vectors 1\n# op: pack\n# fmt: mxfp4_e2m1\n# layout: fp6-lsb\n# k: 2\n# columns: codes packed\n",
        b"# mxconform-vectors 1\n# op: quantize\n# fmt: mxint8\n# src: f64\n# k: 2\n# knob rule: rceil\n"
        b"# columns: values scale codes\n3ff0000000000000,0 7f 40,00\n",
        b"# mxconform-vectors 1\n# op: dequantize\n# fmt: mxfp8_e4m3\n# dst: f64\n# k: 1\n"
        b"# knob dequant_overflow: sat\n# columns: scale codes values\nff 7e 7ff8000000000000\n",
        b"# mxconform-vectors 1\n# op: cvt\n# src: f16\n# dst: e8m0\n# param round: sr\n# param overflow: ovf\n"
        b"# knob sr_bits: 32\n# columns: input random expected\n3c00 ffffffff 7f\n",
    ]
    for i, b in enumerate(bad):
        write(t, "edge-%02d" % i, b)


def profile_seeds():
    t = "profile_parser"
    pdir = os.path.join(ROOT, "tests", "data", "profiles")
    if os.path.isdir(pdir):
        for f in sorted(os.listdir(pdir)):
            with open(os.path.join(pdir, f), "rb") as h:
                write(t, f, h.read())
    texts = [
        b"", b"name = x\n", b"base = ocp\nrule = rceil\n", b"rule = ceil\nbase = ocp\n", b"name = a\nname = b\n",
        b"round = sr\nsr_bits = 32\noverflow = ovf\nnan_sign = positive\ne5m2_nan = allones\ninf_sat = special\n"
        b"nan_finite = inverted-zero\ninf_finite = signed-zero\nint8_range = symmetric\nsrc_subnormals = flush\n"
        b"e8m0_zero = nan\ne8m0_neg = min\n",
        b"rule = even-tiedown\nnan_block = ignore\ninf_block = max-scale\nzero_block = one\nscale_overflow = clamp\n"
        b"dequant_overflow = sat\nfp4_pack = fp4-high\nfp6_pack = fp6-lsb\n",
        b"sr_bits = 033\n", b"sr_bits = 0\n", b"  \t# only a comment\r\n\r\n", b"round rne\n", b"= rne\n",
        b"round = rne # trailing\n", b"base = gfloat\r\nname = my_chip-2.0\r\n", b"name = " + b"n" * 70 + b"\n",
        b"round = \x01\n", b"unknown = 1\n",
    ]
    for i, b in enumerate(texts):
        write(t, "text-%02d" % i, b)


def protocol_seeds():
    t = "protocol_parser"
    reqs = [
        b"decode e4m3 3 7e 7f 80", b"decode e8m0 2 0 ff", b"cvt f32 e4m3 rne sat 3 43e80000 43e88000 7fc00000",
        b"cvt f32 e2m1 sr ovf 2 40c00000:ffff 3f800000:0", b"cvt f64 int8 rtz sat 1 c000000000000000",
        b"quantize mxfp4_e2m1 f32 floor rne 4 40e00000 c0533333 3e800000 3a83126f",
        b"quantize mxint8 f64 rceil rne 1 7fefffffffffffff", b"dequantize mxfp8_e5m2 f32 3 fe 7b 7c 7d",
        b"dequantize mxfp4_e2m1 bf16 2 ff 7 f", b"pack mxfp6_e2m3 fp6-lsb 4 1f 20 3f 1", b"pack mxfp4_e2m1 fp4-high 3 7 8 f",
        b"sweep bf16 e4m3 rne sat 0 ff", b"sweep f16 e2m1 rna ovf 7c00 7c10", b"bogus", b"cvt f32 e4m3 rne sat 2 1",
        b"decode e4m3 4096", b"quit",
        b"dot mxfp8_e4m3 mxfp8_e4m3 1 2 - 7f 38 38 7f 38 38",
        b"dot mxfp4_e2m1 mxfp8_e5m2 2 1 3f800000 7f 7f 1 2 7f 80 3 4",
        b"dot mxint8 mxfp6_e3m2 1 3 7fc00000 ff 7f 80 1 fe 1f 3f 0",
    ]
    for kind in range(5):
        for i, r in enumerate(reqs):
            if (i + kind) % 3 == 0 or kind == 0:
                write(t, "serve-%d-%02d" % (kind, i), bytes([0, kind, i % 6]) + r + b"\n" + reqs[(i + 3) % len(reqs)])
    # sweep lines with the expected codes' knobs after the range (sweep --profile/--knob)
    knobbed = (b"sweep f16 e2m1 rne sat 7c00 7e00 nan_finite=signed-zero inf_finite=signed-zero\n"
               b"sweep bf16 e5m2 rtz ovf ff00 ffff e5m2_nan=propagate nan_sign=nan-input-positive\n"
               b"sweep f16 int8 rne sat 0 ff round=rtz\nsweep f16 int8 rne sat 0 ff int8_range=\n")
    for kind in range(5):
        write(t, "serve-%d-sweep-knobs" % kind, bytes([0, kind, kind]) + knobbed)
    answers = [
        (1, 0x00, 0, 3, b"ok 7e 7f 80\nok 1\n"), (1, 0x00, 0, 1, b"unsupported\n"), (1, 0x00, 0, 1, b"error bad thing\r\n"),
        (2, 0x04, 3, 1, b"ok 7f 1 2 3 4\n"), (3, 0x01, 1, 1, b"ok 7ff8000000000000 0\n"), (4, 0x02, 2, 1, b"ok 0f3a\n"),
        (0, 0x00, 0, 2, b"ok 4000000000000000 3ff0000000000000\n"),
        (1, 0x00, 0, 1, b"ok 10 0 1 2 3 4 5 43e80000:7e:7f\n"), (1, 0x00, 0, 1, b"ok\n"), (1, 0, 0, 1, b"ok  7e\n"),
        # not observable (`?`, with or without the codes it may be; PROTOCOL.md)
        (1, 0x00, 0, 3, b"ok 7e ? ?7d/7e/7f\n"), (1, 0x00, 0, 2, b"ok ?7d/ ?7d/7e/7f/fd/fe/ff/00\n"),
    ]
    for i, (op, p, k1, per, text) in enumerate(answers):
        extra = bytes([per - 1]) if op in (0, 1) else bytes([3]) if op == 4 else b""  # cases per line / layout
        write(t, "answer-%02d" % i, bytes([1, op, p, k1]) + extra + text)


def target_seeds():
    t = "target_differential"
    for di, dst in enumerate(ELEMENTS):
        for si, src in enumerate(SOURCES):
            vals = [v for v in EDGES[dst] if representable(src, v)]
            vals += SPECIAL_BITS[src][:3]
            r = (di + si) % 6
            data = bytes([si, di, r, (di + si) & 1, len(vals) - 1]) + b"\x11\x22\x33\x44"
            write(t, "%s-%s-%s" % (src, dst, ROUNDS[r]), data + b"".join(raw(src, v) for v in vals))


def dot_seeds():
    t = "dot_differential"
    # model bytes (fz_model): group idx, presum idx, frac byte, align, scale_at, acc, c_at, final_round, accum,
    # subnormal, step byte. frac byte: < 32 exact, 32..249 -> (b - 32) % 64, >= 250 -> (b - 250) * 200.
    # step byte: bit 0 assign (interleaved), bit 1 step_round (rtz), bits 2..7 s: < 32 FP32, else (s - 32) % 24
    exact = bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    hopper = bytes([0, 0, 32 + 13, 0, 1, 0, 0, 0, 1, 0, (32 + 13) << 2 | 2])  # e8m13 step output, rtz
    bw_f4 = bytes([0, 5, 32 + 35, 0, 0, 1, 0, 1, 2, 0, 0])
    cdna3 = bytes([5, 0, 32 + 24, 1, 0, 1, 0, 0, 1, 0, 1])  # interleaved groups of 16
    unsupported = bytes([4, 2, 32 + 10, 2, 0, 0, 1, 0, 0, 1, 0])  # finite frac_bits, accum exact: oracle only
    flush_last = bytes([3, 3, 32 + 3, 2, 1, 0, 1, 1, 2, 1, (32 + 7) << 2 | 1])

    def head(fa, fb, nb, cmode=0, c=b"\0\0\0\0", model=exact):
        return bytes([BLOCK_FMTS.index(fa), BLOCK_FMTS.index(fb), nb - 1, cmode]) + c + model

    def scale(mode, v=0):  # mode: 0 raw v, 2 0x00, 3 0xFE, 4 0xFF, 5 near 0x7F, 6 edges, 7 = other's, 8 254 - other's
        return bytes([mode, v & 0xFF])

    def raw_codes(codes):
        return bytes([0]) + bytes(c & 0xFF for c in codes)

    def pattern(p, rest=b""):
        return bytes([p]) + rest

    ramp = [(i * 37 + 11) & 0xFF for i in range(32)]
    for fa in BLOCK_FMTS:
        for fb in BLOCK_FMTS:
            if fa != fb and (BLOCK_FMTS.index(fa) + BLOCK_FMTS.index(fb)) % 3:
                continue
            nb = 1 + (BLOCK_FMTS.index(fa) * 7 + BLOCK_FMTS.index(fb)) % 4
            data = head(fa, fb, nb, cmode=1 if nb % 2 else 0, c=struct.pack("<f", 0.75), model=hopper if nb > 2 else exact)
            for j in range(nb):
                data += scale(0, 0x7F + j - 2) + raw_codes(ramp[j:] + ramp[:j])
                data += scale(0, 0x7F - j) + raw_codes(ramp[::-1])
            write(t, "ramp-%s-%s-%d" % (fa, fb, nb), data)
    # NaN scale in the second block; E5M2 Inf x 0 (class 3 = Inf, class 0 = zero); Inf of both signs
    write(t, "nan-scale", head("mxfp8_e4m3", "mxfp8_e4m3", 2) + scale(0, 0x7F) + pattern(5, b"\x38") + scale(7)
          + pattern(5, b"\x38") + scale(4) + pattern(5, b"\x38") + scale(0, 0x7F) + pattern(5, b"\x38"))
    write(t, "e5m2-inf-times-zero", head("mxfp8_e5m2", "mxfp8_e5m2", 1) + scale(0, 0x7F) + pattern(1, bytes([3] + [5] * 31))
          + scale(0, 0x7F) + pattern(1, bytes([0] * 32)))
    write(t, "e5m2-inf-both-signs", head("mxfp8_e5m2", "mxfp6_e2m3", 1, model=bw_f4) + scale(0, 0x7F)
          + pattern(1, bytes([3, 0x83] + [5] * 30)) + scale(0, 0x7F) + pattern(1, bytes([5] * 32)))
    write(t, "e5m2-inf-vs-c", head("mxfp8_e5m2", "mxint8", 1, cmode=2, c=bytes([1, 1, 0, 0])) + scale(0, 0x7F)
          + pattern(1, bytes([3] + [0] * 31)) + scale(0, 0x7F) + pattern(1, bytes([5] * 32)))
    write(t, "e4m3-nan-code", head("mxfp8_e4m3", "mxfp4_e2m1", 1) + scale(0, 0x7F) + pattern(1, bytes([2] + [5] * 31))
          + scale(0, 0x7F) + pattern(1, bytes([5] * 32)))
    # overflow: all max at 2^127 x 2^127 (Inf, or FLT_MAX under rtz); underflow: 2^-127 x 2^-127, min subnormals
    for fa in BLOCK_FMTS:
        write(t, "max-overflow-%s" % fa, head(fa, fa, 4, model=bw_f4) + (scale(3) + pattern(3, bytes(4))
              + scale(7) + pattern(3, bytes(4))) * 4)
        write(t, "tiny-%s" % fa, head(fa, fa, 2, model=flush_last) + (scale(2) + pattern(1, bytes([4] * 32))
              + scale(7) + pattern(1, bytes([4, 0x84] * 16))) * 2)
    # cancellation: inside a block, across blocks (pattern 6), and against C (cmode 4: -result + d ulps)
    write(t, "cancel-in-block", head("mxfp8_e4m3", "mxfp8_e4m3", 1, model=cdna3) + scale(0, 0x90)
          + pattern(2, bytes(ramp[:16]) + b"\x01\x05") + scale(8) + pattern(5, b"\x38"))
    write(t, "cancel-across-blocks", head("mxfp6_e3m2", "mxfp8_e5m2", 2, model=hopper) + scale(0, 0x85)
          + raw_codes(ramp) + scale(0, 0x70) + pattern(5, b"\x3c") + scale(7) + pattern(6, b"\x81\x01")
          + scale(7) + pattern(5, b"\x3c"))
    for d in range(3):
        write(t, "cancel-with-c-%d" % d, head("mxint8", "mxfp4_e2m1", 3, cmode=4, c=bytes([d, 0, 0, 0]), model=cdna3)
              + (scale(5, 40 * d) + raw_codes(ramp) + scale(6, d) + pattern(8, bytes(range(16)))) * 3)
    write(t, "c-equals-result", head("mxfp6_e2m3", "mxfp6_e2m3", 1, cmode=5, model=unsupported) + scale(0, 0x7F)
          + raw_codes(ramp) + scale(0, 0x7F) + raw_codes(ramp))
    # alignment losses: alternating max / min subnormal, with the hardware-like models
    for mi, model in enumerate([hopper, bw_f4, cdna3, flush_last]):
        write(t, "align-%d" % mi, head("mxfp8_e4m3", "mxfp8_e5m2", 2, cmode=3, c=bytes([150, mi & 1, 0, 0]), model=model)
              + (scale(5, mi * 16) + pattern(7, b"\x55\xaa\x0f\xf0") + scale(8) + pattern(7, b"\x00\xff\x33\xcc")) * 2)
    # sparse blocks with the power-of-two C of the smallest subnormal
    write(t, "sparse-c-subnormal", head("mxfp4_e2m1", "mxfp4_e2m1", 1, cmode=3, c=bytes([0, 0, 0, 0])) + scale(2)
          + pattern(4, b"\x00\x05\x01") + scale(2) + pattern(4, b"\x00\x05\x01"))


def write_all():
    convert_seeds()
    quantize_seeds()
    roundtrip_seeds()
    vector_seeds()
    profile_seeds()
    protocol_seeds()
    target_seeds()
    dot_seeds()


def seed_files(top):
    """{target/seed-name: bytes} of the seed files under a corpus directory."""
    out = {}
    for t in sorted(os.listdir(top)):
        if os.path.isdir(os.path.join(top, t)):
            for f in os.listdir(os.path.join(top, t)):
                if f.startswith("seed-"):
                    with open(os.path.join(top, t, f), "rb") as fh:
                        out[t + "/" + f] = fh.read()
    return out


def check():
    """Compare fuzz/corpus's seed files with a fresh set: each one missing, different or no
    longer written is printed; 1 when any."""
    global OUT
    with tempfile.TemporaryDirectory() as tmp:
        OUT = tmp
        write_all()
        want = seed_files(tmp)
    have = seed_files(CORPUS)
    bad = ["missing   fuzz/corpus/" + k for k in sorted(set(want) - set(have))]
    bad += ["differs   fuzz/corpus/" + k for k in sorted(set(want) & set(have)) if want[k] != have[k]]
    bad += ["not made  fuzz/corpus/" + k for k in sorted(set(have) - set(want))]
    for line in bad:
        print(line)
    print("%d seed files, %d not as fuzz/seeds.py writes them%s" % (
        len(want), len(bad), " (run `python3 fuzz/seeds.py` and commit the corpus)" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(check())
    if sys.argv[1:]:  # anything else would silently rewrite the corpus
        sys.stderr.write("seeds.py: unknown argument '%s' (usage: seeds.py [--check])\n" % sys.argv[1])
        sys.exit(2)
    write_all()
    for t in sorted(os.listdir(CORPUS)):
        n = len([f for f in os.listdir(os.path.join(CORPUS, t)) if not f.startswith(".")])
        print("fuzz/corpus/%s: %d files" % (t, n))
