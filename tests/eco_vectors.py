#!/usr/bin/env python3
"""The vectors for other test frameworks: the 30-line reader of vectors/FORMAT.md reads
every committed .mxv file, python/mxconform_vectors reads them all (digests checked) the
same, and every `mxconform export` form reads back to the .mxv cases (the C headers
compiled and run).  usage: eco_vectors.py MXCONFORM SOURCE_DIR [CC]"""
import csv, json, os, re, shutil, subprocess, sys, tempfile

MXC, SRC = sys.argv[1], sys.argv[2]
CC = sys.argv[3] if len(sys.argv) > 3 else "cc"
sys.path.insert(0, os.path.join(SRC, "python"))
import mxconform_vectors as mv  # noqa: E402

TIERS = [os.path.join(SRC, "vectors", t) for t in ("smoke", "standard")]


def format_md_reader():
    text = open(os.path.join(SRC, "vectors", "FORMAT.md")).read()
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    env = {}
    exec(block, env)
    return env["read_vectors"]


def flat(suite_columns, case):
    """A case as one list of ints (None for an absent value), column by column."""
    out = []
    for c in suite_columns:
        v = case[c]
        out += [None] if v is None else list(v) if isinstance(v, (list, bytes)) else [v]
    return out


def h(x):
    return None if x in (None, "") else int(x, 16)


def main():
    read_vectors = format_md_reader()
    by_name = {}
    files = 0
    for tier in TIERS:
        for s in mv.suites(tier):  # digests and counts against MANIFEST
            header, cases = read_vectors(s.path)
            assert header["suite"] == s.name and len(cases) == len(s), s.path
            for md, case in zip(cases, s.cases):
                for c, field in zip(s.columns, md):
                    v = case[c]
                    if isinstance(v, bytes):
                        assert field == int.from_bytes(v, "big"), (s.path, c)
                    elif isinstance(v, list) and not isinstance(field, list):
                        assert [field] == v, (s.path, c)
                    else:
                        assert field == v, (s.path, c, field, v)
            files += 1
            if tier.endswith("smoke"):
                by_name[s.name] = s
    print("FORMAT.md reader and mxconform_vectors agree on all %d .mxv files" % files)

    with tempfile.TemporaryDirectory() as d:
        for form, ext in (("json", "json"), ("csv", "csv"), ("c-header", "h")):
            out = os.path.join(d, form)
            r = subprocess.run([MXC, "export", "--format", form, "--vectors", TIERS[0], "-o", out, "-q"],
                               capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            index = json.load(open(os.path.join(out, "index.json")))
            assert len(index["suites"]) == len(by_name)
            for entry in index["suites"]:
                s = by_name[entry["header"]["suite"]]
                assert entry["cases"] == len(s) and entry["header"]["op"] == s.op
                want = [flat(s.columns, c) for c in s.cases]
                path = os.path.join(out, entry["file"])
                if form == "json":
                    doc = json.load(open(path))
                    assert doc["columns"] == s.columns and doc["header"]["suite"] == s.name
                    got = [[h(x) for f in row for x in (f if isinstance(f, list) else [f])] for row in doc["cases"]]
                elif form == "csv":
                    rows = list(csv.reader(open(path, newline="")))
                    assert rows[0] == s.columns
                    got = [[h(x) for f in row for x in (f.split(" ") if f else [None])] for row in rows[1:]]
                else:
                    got = c_header_rows(d, path, s, len(want[0]) if want else 0)
                    if got is None:
                        continue
                assert got == want, "%s: %s differs from the .mxv cases" % (path, form)
            print("export --format %s reads back to the .mxv cases (%d suites)" % (form, len(by_name)))
        export_refuses_a_tampered_tier(d)
        pip_install(d)
    return 0


def export_refuses_a_tampered_tier(d):
    """A file that does not match its MANIFEST: one line, exit 2, nothing written."""
    tier = os.path.join(d, "tampered")
    shutil.copytree(TIERS[0], tier)
    victim = sorted(f for f in os.listdir(tier) if f.endswith(".mxv"))[-1]
    with open(os.path.join(tier, victim), "a") as f:
        f.write("00 00\n")
    out = os.path.join(d, "tampered-out")
    r = subprocess.run([MXC, "export", "--format", "json", "--vectors", tier, "-o", out], capture_output=True, text=True)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "does not match its MANIFEST" in lines[0], (r.returncode, r.stderr)
    assert not os.path.exists(out), "export wrote files from a tier that failed its check"
    print("export refuses a tampered tier:", lines[0].split(": ", 1)[1])


def pip_install(d):
    """pip install ./python works offline with setuptools alone (a copy: pip builds in tree)."""
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode:
        print("pip not found: pip install ./python not tried")
        return
    shutil.copytree(os.path.join(SRC, "python"), os.path.join(d, "python"))
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                        "--target", os.path.join(d, "site"), os.path.join(d, "python")], capture_output=True, text=True)
    if r.returncode and "setuptools" in r.stderr:
        print("setuptools missing: pip install ./python not tried")
        return
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-c", "import mxconform_vectors as m; print(m.__file__)"], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=os.path.join(d, "site")), cwd=d)
    assert r.returncode == 0 and os.path.join(d, "site") in r.stdout, r.stderr
    print("pip install ./python: importable from the install")


_compiled = set()


def c_header_rows(d, path, s, width):
    """Compile one header per op into a program that prints every row; rows as lists."""
    if s.op in _compiled or not shutil.which(CC):
        return None
    _compiled.add(s.op)
    ident = re.sub(r"[^0-9a-zA-Z]", "_", s.name).lower()
    prog = os.path.join(d, "rows_%s.c" % s.op)
    with open(prog, "w") as f:
        f.write('#include <inttypes.h>\n#include <stdio.h>\n#include "%s"\n' % path)
        f.write("int main(void) {\n  for (size_t i = 0; i < %s_CASES; i++) {\n" % ("MXV_" + ident.upper()))
        f.write("    for (size_t j = 0; j < %s_WORDS; j++)\n" % ("MXV_" + ident.upper()))
        f.write('      printf(mxv_%s[i][j] == MXV_NONE ? "- " : "%%" PRIx64 " ", mxv_%s[i][j]);\n' % (ident, ident))
        f.write('    putchar(10);\n  }\n  return 0;\n}\n')
    exe = prog[:-2]
    subprocess.run([CC, "-std=c11", "-Wall", "-Werror", "-o", exe, prog], check=True)
    rows = subprocess.run([exe], capture_output=True, text=True, check=True).stdout.splitlines()
    return [[None if w == "-" else int(w, 16) for w in r.split()] for r in rows]


if __name__ == "__main__":
    sys.exit(main())
