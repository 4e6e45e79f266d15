#!/usr/bin/env python3
"""Run `mxconform run` on mutant targets and require that each bug is caught.

One mutant (CTest runs one per mutant):

    check_mutants.py MXCONFORM MUTANT.so [EXPECT ...] [--tiers smoke,standard] [-- MORE RUN ARGS]
    check_mutants.py MXCONFORM MUTANT.so --expect-from mutant_target.c [--tiers ...]

The tiers are tried in order until one catches the bug (the cheap smoke tier first; the
standard tier, what `make run` runs, only for what smoke misses). EXPECT is one of
    KNOB=VALUE     the bug is a legitimate alternative knob value: profile detection must
                   name it (a `detected_profile.diff` entry with that knob and detected
                   value) and explain every failure with its findings
                   (e.g. int8_range=symmetric, `cvt round=rne=rtz`, dot_model=fp32-sequential)
    KNOB=VALUE when COND   a conditional value (profile rule): the diff entry's condition
                   must be COND (e.g. `e8m0_zero=nan when overflow=ovf`)
    unexplained    the bug is no legitimate choice: detection must leave failures
                   unexplained (`detected_profile.matches` is false), never excuse it
--expect-from reads the EXPECTs from the mutant's line in mutant_target.c: `[A=B; C=D]`
at the start of its comment lists them; `[dot model ...]` marks an accumulation model
outside the presets (caught is enough); no bracket means a bug (unexplained).

Always: exit status 1 (failures found), verdict "fail", and at least one failed suite.

The table of every mutant (tests/mutants/README.md):

    check_mutants.py --table mutant_target.c MXCONFORM LIBDIR [-j N] [-o README.md]

runs every mutant on the smoke and the standard tier and writes the table: slice, caught
by smoke / standard, the cases that caught it, what detection said.

Standard library only. Exit status 0 when every expectation holds, 1 otherwise.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time

LINE = re.compile(r"^\s+M_(\w+)\s*(?:=\s*\d+)?\s*,?\s*/\*\s*(.*?)\s*\*/\s*$")


def read_mutants(source):
    """[(name, expects, slice, kind)] in the enum's order; kind: bug, knob, model."""
    out = []
    with open(source) as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            name, text = m.group(1), m.group(2)
            expects, kind = ["unexplained"], "bug"
            b = re.match(r"^\[(.*?)\]\s*(.*)$", text)
            if b:
                tag, text = b.group(1), b.group(2)
                if tag.startswith("dot model"):
                    # a model outside the presets: run's dot detection fits it from the dot
                    # suites' answers and names it as exact-rne with the differing parameter
                    param = tag[len("dot model "):]
                    expects, kind = ["dot_model=exact-rne with " + param], "model (" + param + ")"
                else:
                    expects, kind = [t.strip() for t in tag.split(";")], "legit"
            out.append((name, expects, text, kind))
    return out


def run_tier(mxconform, lib, tier, extra):
    """One run: (exit status, results dict or None, seconds, summary lines)."""
    with tempfile.TemporaryDirectory(prefix="mxmutant.") as tmp:
        results = os.path.join(tmp, "r.json")
        cmd = [mxconform, "run", "--target", "lib:" + lib, "--tier", tier, "-q", "-o", results] + extra
        started = time.monotonic()
        run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        seconds = time.monotonic() - started
        summary = [l.strip() for l in run.stdout.splitlines() if l.strip().startswith(("suites", "profile:", "VERDICT"))]
        r = None
        if os.path.exists(results):
            with open(results) as f:
                r = json.load(f)
        return run.returncode, r, seconds, summary, run.stdout


def judge(rc, r, expects):
    """Problems with one run's answer (empty: caught as expected)."""
    problems = []
    if rc != 1:
        problems.append("exit status %d, want 1 (the bug was not caught)" % rc)
    if r is None:
        return problems + ["no results file written"]
    if r.get("verdict") != "fail":
        problems.append("verdict %r, want 'fail'" % r.get("verdict"))
    if not [s for s in r["suites"] if s["status"] == "fail"]:
        problems.append("no suite has status 'fail'")
    detected = r.get("detected_profile")
    if detected is None:
        return problems + ["no detected_profile in the results"]
    diff = [(d["knob"], d["detected_value"], d.get("condition", "")) for d in detected["diff"]]
    for want in expects:
        if want == "unexplained":
            if detected["matches"] or detected["unexplained_failures"] == 0:
                problems.append("a bug was explained away as a profile: %s" % detected["summary"])
            continue
        # "e8m0_zero=nan when overflow=ovf": a conditional value (its diff entry's condition)
        want, _, condition = want.partition(" when ")
        # "cvt round=rne=rna": the knob is all before the last '='; a dot model's value
        # ("exact-rne with final=rtz") holds '=' itself
        knob, _, value = want.partition("=") if want.startswith("dot_model=") else want.rpartition("=")
        said = "%s = %s%s" % (knob, value, " when " + condition if condition else "")
        if (knob, value, condition) not in diff:
            problems.append("detection did not name %s; it found: %s" % (said, detected["summary"]))
        elif detected["unexplained_failures"]:
            problems.append("%s found, but %d failures stay unexplained: %s"
                            % (said, detected["unexplained_failures"], detected["summary"]))
    return problems


def caught_cases(r):
    """(failed cases, failed suites) of a run."""
    failed = [s for s in r["suites"] if s["status"] == "fail"] if r else []
    return sum(s.get("failed", 0) for s in failed), [s["name"] for s in failed]


def check(mxconform, lib, expects, tiers, extra):
    problems = []
    for tier in tiers:
        rc, r, seconds, summary, stdout = run_tier(mxconform, lib, tier, extra)
        print("%s, %s tier: exit %d in %.1fs" % (os.path.basename(lib), tier, rc, seconds))
        for line in summary:
            print("   " + line)
        problems = judge(rc, r, expects)
        if r:
            n, names = caught_cases(r)
            if names:
                print("   failed: %d cases in %d suites: %s%s" % (n, len(names), " ".join(names[:6]), " ..." if len(names) > 6 else ""))
        if not problems:
            return []
        for p in problems:
            print("   %s tier: %s" % (tier, p))
        if rc != 1 and rc != 0:
            print(stdout[-2000:])
    return problems


def table_row(mxconform, libdir, name, expects, slice_, kind):
    lib = os.path.join(libdir, "libmxmutant_%s.so" % name)
    row = {"name": name, "slice": slice_, "kind": kind, "tiers": {}}
    for tier in ("smoke", "standard"):
        rc, r, seconds, summary, _ = run_tier(mxconform, lib, tier, [])
        n, names = caught_cases(r)
        problems = judge(rc, r, expects)
        det = r.get("detected_profile", {}).get("summary", "") if r else ""
        row["tiers"][tier] = {"caught": rc == 1 and bool(names), "ok": not problems, "cases": n, "suites": names,
                              "detected": det, "seconds": seconds, "problems": problems}
    return row


def write_table(rows, out):
    def cell(t):
        if not t["caught"]:
            return "**missed**"
        return "yes" + ("" if t["ok"] else " (detection: see notes)")

    bugs = [r for r in rows if r["kind"] == "bug"]
    lines = []
    for tier in ("smoke", "standard"):
        n = sum(1 for r in bugs if r["tiers"][tier]["caught"] and r["tiers"][tier]["ok"])
        lines.append("- %s tier: %d of %d bug mutants caught (%.0f %%); %d of %d mutants in all"
                     % (tier, n, len(bugs), 100.0 * n / max(1, len(bugs)),
                        sum(1 for r in rows if r["tiers"][tier]["caught"] and r["tiers"][tier]["ok"]), len(rows)))
    lines.append("")
    lines.append("| mutant | kind | slice | smoke | standard | cases that caught it (standard) | detection (standard) |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in rows:
        st = r["tiers"]["standard"]
        where = "%d in %d suites: %s%s" % (st["cases"], len(st["suites"]), ", ".join("`%s`" % s for s in st["suites"][:3]),
                                          " …" if len(st["suites"]) > 3 else "") if st["suites"] else "-"
        lines.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (r["name"], r["kind"], r["slice"].replace("|", "\\|"),
                                                               cell(r["tiers"]["smoke"]), cell(st), where,
                                                               st["detected"].replace("|", "\\|")))
    notes = [(r["name"], t, r["tiers"][t]["problems"]) for r in rows for t in ("smoke", "standard")
             if r["tiers"][t]["caught"] and r["tiers"][t]["problems"]]
    if notes:
        lines.append("")
        lines.append("Notes (caught, but detection did not say what the mutant's line expects):")
        lines.append("")
        for name, tier, problems in notes:
            lines.append("- `%s`, %s: %s" % (name, tier, "; ".join(problems)))
    text = "\n".join(lines) + "\n"
    begin, end = "<!-- mutant table: begin -->", "<!-- mutant table: end -->"
    if out and os.path.exists(out):
        old = open(out).read()
        if begin in old and end in old:
            text = old[:old.index(begin) + len(begin)] + "\n" + text + old[old.index(end):]
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def main_table(argv):
    source, mxconform, libdir = argv[0], argv[1], argv[2]
    jobs, out = 2, None
    rest = argv[3:]
    while rest:
        if rest[0] == "-j":
            jobs, rest = int(rest[1]), rest[2:]
        elif rest[0] == "-o":
            out, rest = rest[1], rest[2:]
        else:
            print("unknown argument %r" % rest[0], file=sys.stderr)
            return 2
    mutants = read_mutants(source)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        rows = list(ex.map(lambda m: table_row(mxconform, libdir, *m), mutants))
    for r in rows:
        print("%-36s smoke %-5s standard %-5s %s" % (r["name"], r["tiers"]["smoke"]["caught"], r["tiers"]["standard"]["caught"],
                                                   "; ".join(r["tiers"]["standard"]["problems"])))
    write_table(rows, out)
    bugs = [r for r in rows if r["kind"] == "bug"]
    return 0 if all(r["tiers"]["standard"]["caught"] and r["tiers"]["standard"]["ok"] for r in bugs) else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "--table":
        return main_table(argv[2:])
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    mxconform, lib, rest = argv[1], argv[2], argv[3:]
    tiers, expects, source = ["standard"], [], None
    while rest:
        if rest[0] == "--tiers":
            tiers, rest = rest[1].split(","), rest[2:]
        elif rest[0] == "--expect-from":
            source, rest = rest[1], rest[2:]
        else:
            expects.append(rest[0])
            rest = rest[1:]
    if source:
        name = re.sub(r"^libmxmutant_|\.so$", "", os.path.basename(lib))
        found = [m for m in read_mutants(source) if m[0] == name]
        if not found:
            print("%s: no mutant %s" % (source, name), file=sys.stderr)
            return 2
        expects = found[0][1]
    problems = check(mxconform, lib, expects, tiers, extra)
    for p in problems:
        print("FAILED: %s: %s" % (os.path.basename(lib), p))
    if not problems:
        print("caught: %s" % os.path.basename(lib))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
