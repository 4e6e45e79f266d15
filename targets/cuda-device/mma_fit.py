#!/usr/bin/python3
"""mma_fit.py - how well candidate models of the FP8 tensor-core sum reproduce the raw answers
of `mxc_mma_raw` (mma_raw.cu). Python 3 standard library only; exact integer arithmetic.

  mma_fit.py (INPUTS_DIR | --generator PROGRAM) ANSWERS [--records R] [--check FILE]
    INPUTS_DIR  the mma_in.<pair>.bin files of `mxc_mma_raw --inputs` (default N = 4096)
    PROGRAM     or run PROGRAM --inputs into a temporary directory: mxc_mma_raw, or
                mxc_mma_inputs (the same generator built without CUDA)
    ANSWERS     a directory of mma_out.<pair>.bin (a GPU run, N records per class), or a
                sample file *.first<R>.bin.xz: per pair, per class, the first R records' answers
    --records R use the first R records of each class (default: all the sample holds, or 32)
    --check F   compare the table with F (a previous output): exit 1 when any rate differs

Prints one line per model, pair and class: of the 128*R dot products (less those with a NaN
or Inf operand or addend), how many the model gives bit for bit. The models are the
candidates tried so far (README.md, "Raw mma data"):
  exact-rne, exact-rtz   the exact sum of the 32 products and C, rounded once
  window<F>-rtz          each product and C aligned to E, the largest exponent among them
                         (a product's exponent: the sum of its operands' exponents, i.e. of
                         1.x * 1.y in [1, 4); C's: its leading bit), and truncated (toward
                         zero) to multiples of 2^(E-F); the sum rounded toward zero
"""
import lzma, os, re, shutil, struct, subprocess, sys, tempfile

PAIRS = ("e4m3.e4m3", "e5m2.e5m2", "e4m3.e5m2", "e5m2.e4m3")
CLASSES = ("random", "sparse", "few", "addend", "cancel")
REC_BYTES, WORDS = 16 * 32 + 8 * 32 + 128 * 4, 128


def fp8(code, e4m3):
    """exact (signed integer m, exponent e, operand exponent) of an FP8 code; None: NaN/Inf"""
    s = -1 if code & 0x80 else 1
    if e4m3:
        f, m = (code >> 3) & 15, code & 7
        if f == 15 and m == 7:
            return None
        return (s * (8 + m), f - 10, f - 7) if f else (s * m, -9, -6)
    f, m = (code >> 2) & 31, code & 3
    if f == 31:
        return None
    return (s * (4 + m), f - 17, f - 15) if f else (s * m, -16, -14)


def f32_exact(u):
    """FP32 bits -> (integer m, exponent e) with value m * 2^e; None for Inf/NaN"""
    e, f = (u >> 23) & 255, u & 0x7FFFFF
    if e == 255:
        return None
    m, x = (f | 0x800000, e - 150) if e else (f, -149)
    return (-m if u >> 31 else m, x)


def round_f32(m, x, mode):
    """m * 2^x (exact) -> FP32 bits, round to nearest even ('rne') or toward zero ('rtz')"""
    if m == 0:
        return 0
    sign, a = (1 << 31 if m < 0 else 0), abs(m)
    q = max(a.bit_length() - 1 + x, -126) - 23
    if q > x:
        sh = q - x
        r, rem = a >> sh, a & ((1 << sh) - 1)
        if mode == "rne" and (rem > 1 << (sh - 1) or (rem == 1 << (sh - 1) and r & 1)):
            r += 1
    else:
        r = a << (x - q)
    if r >> 24:
        r, q = r >> 1, q + 1
    if q + 23 > 127:
        return sign | (0x7F7FFFFF if mode == "rtz" else 0x7F800000)
    return sign | ((q + 150) << 23 | (r - (1 << 23)) if r >> 23 else r)


def exact(terms, c, mode):
    parts = [(m, e) for m, e, _ in terms] + ([c] if c else [])
    lo = min(e for _, e in parts)
    return round_f32(sum(m << (e - lo) for m, e in parts), lo, mode)


def window(frac_bits):
    def model(terms, c, mode):
        exps = [E for _, _, E in terms] + ([abs(c[0]).bit_length() - 1 + c[1]] if c else [])
        q = max(exps) - frac_bits
        total = 0
        for m, e in [(m, e) for m, e, _ in terms] + ([c] if c else []):
            v = abs(m) << (e - q) if e >= q else abs(m) >> (q - e)
            total += -v if m < 0 else v
        return round_f32(total, q, mode)
    return model


MODELS = [("exact-rne", exact, "rne"), ("exact-rtz", exact, "rtz")] + \
         [("window%d-rtz" % f, window(f), "rtz") for f in (24, 25, 26)]


def dot_cases(rec, e4a, e4b, answers):
    """(products, C, answer) of one record's 128 dot products; NaN/Inf operands left out"""
    a, b = rec[:512], rec[512:768]
    cs = struct.unpack("<128I", rec[768:])
    for i in range(16):
        for j in range(8):
            terms = []
            for k in range(32):
                x, y = fp8(a[i * 32 + k], e4a), fp8(b[j * 32 + k], e4b)
                if x is None or y is None:
                    break
                if x[0] * y[0]:
                    terms.append((x[0] * y[0], x[1] + y[1], x[2] + y[2]))
            else:
                c = f32_exact(cs[i * 8 + j])
                if c is None:
                    continue
                c = c if c[0] else None
                if terms or c:
                    yield terms, c, answers[i * 8 + j]


def load_answers(path, records):
    """{(pair, class): [128-word tuples]}"""
    out = {}
    if path.endswith(".xz"):
        m = re.search(r"first(\d+)", path)
        have = int(m.group(1)) if m else 32
        data = lzma.open(path).read()
        records = min(records or have, have)
        for p, pair in enumerate(PAIRS):
            for c in range(len(CLASSES)):
                base = (p * len(CLASSES) + c) * have * WORDS * 4
                out[pair, c] = [struct.unpack_from("<128I", data, base + r * WORDS * 4) for r in range(records)]
        return out, records
    records = records or 32
    for pair in PAIRS:
        with open(os.path.join(path, "mma_out.%s.bin" % pair), "rb") as f:
            data = f.read()
        n = len(data) // (WORDS * 4 * len(CLASSES))
        for c in range(len(CLASSES)):
            out[pair, c] = [struct.unpack_from("<128I", data, (c * n + r) * WORDS * 4) for r in range(records)]
    return out, records


def main(argv):
    args, records, check, generator = [], 0, None, None
    it = iter(argv)
    for a in it:
        if a == "--generator":
            generator = next(it)
        elif a == "--records":
            records = int(next(it))
        elif a == "--check":
            check = next(it)
        else:
            args.append(a)
    if len(args) != (1 if generator else 2):
        sys.stderr.write(__doc__)
        return 2
    if not generator:
        return report(args[0], args[1], records, check)
    tmp = tempfile.mkdtemp(prefix="mma_fit.")
    try:
        subprocess.run([generator, "--inputs", tmp], check=True, stdout=subprocess.DEVNULL)
        return report(tmp, args[0], records, check)
    finally:
        shutil.rmtree(tmp)


def report(inputs_dir, answers_path, records, check):
    answers, records = load_answers(answers_path, records)
    lines = []
    for pair in PAIRS:
        e4a, e4b = (part == "e4m3" for part in pair.split("."))
        with open(os.path.join(inputs_dir, "mma_in.%s.bin" % pair), "rb") as f:
            inputs = f.read()
        n = len(inputs) // (REC_BYTES * len(CLASSES))
        for c, cname in enumerate(CLASSES):
            cases = [case for r in range(records)
                     for case in dot_cases(inputs[(c * n + r) * REC_BYTES:(c * n + r + 1) * REC_BYTES], e4a, e4b,
                                           answers[pair, c][r])]
            for name, model, mode in MODELS:
                hits = sum(model(t, cc, mode) == want for t, cc, want in cases)
                lines.append("%-13s %-10s %-7s %6d/%-6d %.4f" % (name, pair, cname, hits, len(cases),
                                                                 hits / len(cases) if cases else 0))
    print("\n".join(lines))
    if check:
        with open(check) as f:
            want = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
        if want != lines:
            sys.stderr.write("mma_fit: the table differs from %s\n" % check)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
