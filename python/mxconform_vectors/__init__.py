"""Read mxconform golden vectors (.mxv files, vectors/FORMAT.md) without mxconform.

Dependency-free (standard library only). Every expected value in the files was computed
by the MPFR oracle, so a test that compares an implementation with these cases is a
conformance test:

    from mxconform_vectors import read
    suite = read("vectors/standard/cvt.f32.e4m3.rne.sat.mxv")
    for case in suite.cases:            # dicts keyed by column name
        assert my_convert(case["input"]) == case["expected"]

Fields: an int (a bit pattern or code); a list of ints for the list columns (values, codes,
scales, scales_a, codes_a, scales_b, codes_b); bytes for pack's `packed`; None for dot's absent C
(and nvfp4_quantize's absent amax).
"""
import hashlib
import os

__all__ = ["Suite", "VectorError", "read", "cases", "suites", "tier_dir", "LIST_COLUMNS"]
__version__ = "0.1.0"

LIST_COLUMNS = frozenset(("values", "codes", "scales", "scales_a", "codes_a", "scales_b", "codes_b"))
FORMAT_VERSION = 1


class VectorError(ValueError):
    """A file that is not a well-formed .mxv file: str() is "path:line: reason"."""


class Suite:
    """One .mxv file: name, op, header (every "# key: value"), params and knobs (from the
    "param X" and "knob X" header keys), columns, and cases (a list of dicts)."""

    def __init__(self, path, header, columns, cases):
        self.path, self.header, self.columns, self.cases = path, header, columns, cases
        self.name = header.get("suite", "")
        self.op = header.get("op", "")
        self.params = {k[6:]: v for k, v in header.items() if k.startswith("param ")}
        self.knobs = {k[5:]: v for k, v in header.items() if k.startswith("knob ")}

    def __iter__(self):
        return iter(self.cases)

    def __len__(self):
        return len(self.cases)

    def __repr__(self):
        return "<Suite %s: %d cases>" % (self.name, len(self.cases))


def _field(path, n, column, text):
    try:
        if column == "packed":
            return bytes.fromhex(text)
        if text == "-":
            return None
        if column in LIST_COLUMNS:
            return [int(w, 16) for w in text.split(",")]
        return int(text, 16)
    except ValueError:
        raise VectorError("%s:%d: bad %s field %r" % (path, n, column, text)) from None


def read(path):
    """The Suite of one .mxv file; VectorError on a malformed file."""
    header, columns, rows = {}, None, []
    with open(path, encoding="ascii") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if n == 1:
                if not line.startswith("# mxconform-vectors "):
                    raise VectorError("%s:1: not a vector file (no '# mxconform-vectors N')" % path)
                if int(line.split()[-1]) > FORMAT_VERSION:
                    raise VectorError("%s:1: format version %s is newer than this reader (%d)"
                                      % (path, line.split()[-1], FORMAT_VERSION))
                continue
            if line.startswith("# "):
                key, _, value = line[2:].partition(": ")
                header[key] = value
                if key == "columns":
                    columns = value.split(" ")
                continue
            if columns is None:
                raise VectorError("%s:%d: a case before the '# columns:' line" % (path, n))
            fields = line.split(" ")
            if len(fields) != len(columns):
                raise VectorError("%s:%d: %d fields, want %d (%s)" % (path, n, len(fields), len(columns), " ".join(columns)))
            rows.append({c: _field(path, n, c, t) for c, t in zip(columns, fields)})
    if columns is None:
        raise VectorError("%s: no '# columns:' line" % path)
    return Suite(path, header, columns, rows)


def cases(path):
    """Yield the cases of one .mxv file (dicts keyed by column)."""
    yield from read(path).cases


def tier_dir(tier="standard"):
    """The directory of a committed tier: $MXCONFORM_VECTORS/<tier> when set, else the
    source tree's vectors/<tier> beside this package, else an installed
    <prefix>/share/mxconform/vectors/<tier>."""
    roots = [os.environ.get("MXCONFORM_VECTORS")]
    here = os.path.dirname(os.path.abspath(__file__))
    roots.append(os.path.join(here, "..", "..", "vectors"))
    roots += [os.path.join(p, "share", "mxconform", "vectors") for p in ("/usr/local", "/usr")]
    for r in roots:
        if r and os.path.isdir(os.path.join(r, tier)):
            return os.path.normpath(os.path.join(r, tier))
    raise FileNotFoundError("no mxconform vectors tier %r (set MXCONFORM_VECTORS)" % tier)


def suites(directory, verify=True):
    """Yield the Suite of every file a tier's MANIFEST lists, in its order; with verify, a
    file whose SHA-256 or case count differs from its MANIFEST line is a VectorError."""
    manifest = os.path.join(directory, "MANIFEST")
    with open(manifest, encoding="ascii") as f:
        lines = [(n, l.split()) for n, l in enumerate(f, 1) if l.strip() and not l.startswith("#")]
    for n, (sha, count, name) in lines:
        path = os.path.join(directory, name)
        if verify:
            with open(path, "rb") as g:
                if hashlib.sha256(g.read()).hexdigest() != sha:
                    raise VectorError("%s:%d: %s does not match its digest" % (manifest, n, name))
        s = read(path)
        if verify and len(s) != int(count):
            raise VectorError("%s:%d: %s has %d cases, MANIFEST says %s" % (manifest, n, name, len(s), count))
        yield s
