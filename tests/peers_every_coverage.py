"""Pins scripts/peers.py's stage `every` and the README's 2^32 coverage lines on a small
sweeps.tsv: a combination counts as swept over every f32 input only from an ocp row covering
all 2^32 (not a binades row, not a detected-profile row); a peer answers the combinations
whose bf16 sweep checked something; the line for a peer with combinations left names the
command that sweeps them; and the stage sweeps exactly those left, in order, so an
interrupted campaign resumes where it stopped and a finished one sweeps nothing."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import peers  # noqa: E402

FAILS = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILS.append(what)


def row(target, src, dst, rnd, ovf, coverage, checked, knobs="ocp"):
    r = {c: "0" for c in peers.TSV_COLS}
    r.update(target=target, src=src, dst=dst, round=rnd, overflow=ovf, coverage=coverage, checked=str(checked),
             seconds="1.0", examples="-", knobs=knobs, bugs="")
    return r


def total(checked):
    t = {k: 0 for k in ["mismatches", "zero", "subnormal", "normal", "inf", "nan", "crashed", "unobserved"]}
    t.update(checked=checked, seconds=1.0, examples=[])
    return t


def main():
    rows = [
        row("lib", "bf16", "e4m3", "rne", "sat", "all 2^16", 65536),
        row("lib", "bf16", "e4m3", "rne", "ovf", "all 2^16", 65536),
        row("lib", "bf16", "e5m2", "rtz", "sat", "all 2^16", 65536),
        row("lib", "bf16", "e2m1", "rne", "sat", "all 2^16", 0),  # not answered
        row("lib", "f32", "e4m3", "rne", "sat", "all 2^32", 2 ** 32),  # swept
        row("lib", "f32", "e4m3", "rne", "ovf", "binades 0/1 (x2 signs)", 1000),  # not a 2^32 sweep
        row("lib", "f32", "e5m2", "rtz", "sat", "all 2^32", 2 ** 32, knobs="detected"),  # not ocp
        row("done", "bf16", "e4m3", "rne", "sat", "all 2^16", 65536),
        row("done", "f32", "e4m3", "rne", "sat", "all 2^32", 2 ** 32),
    ]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "sweeps.tsv")
        peers.save_tsv(path, rows)
        check(peers.swept_2_32(path, "lib") == {("e4m3", "rne", "sat")},
              "only the ocp all-2^32 row counts as swept: %s" % sorted(peers.swept_2_32(path, "lib")))
        full = [r for r in peers.load_tsv(path) if r["coverage"].startswith("all 2^32")]  # as cmd_readme passes it
        lines = peers.coverage_2_32(peers.load_tsv(path), full)
        want = "- lib: 1 of 3 (`PEERS_ONLY=lib make peers-every` sweeps the other 2, resumable)"
        check(want in lines, "the coverage line names the command for the other two: %s" % lines)
        check("- done: 1 of 1" in lines, "a peer with every combination swept has no command")

        answered = [("e4m3", "rne", "sat"), ("e4m3", "rne", "ovf"), ("e5m2", "rtz", "sat")]
        calls = []

        def fake_sweep(mxc, lib, src, dst, rnd, ovf, *rest):
            calls.append((src, dst, rnd, ovf))
            return total(2 ** 32)

        real_sweep = peers.run_sweep
        peers.run_sweep = fake_sweep
        try:
            peers.sweep_every("mxconform", "lib:x.so", "lib", path, answered)
            check(calls == [("f32", "e4m3", "rne", "ovf"), ("f32", "e5m2", "rtz", "sat")],
                  "every sweeps only the two left, in order: %s" % calls)
            check(peers.swept_2_32(path, "lib") == set(answered), "and records each as it ends")
            calls.clear()
            peers.sweep_every("mxconform", "lib:x.so", "lib", path, answered)
            check(calls == [], "a finished campaign sweeps nothing: %s" % calls)
        finally:
            peers.run_sweep = real_sweep
        lines = peers.coverage_2_32(peers.load_tsv(path),
                                    [r for r in peers.load_tsv(path) if r["coverage"].startswith("all 2^32")])
        check("- lib: 3 of 3" in lines, "then the line says 3 of 3: %s" % lines)

        # a combination the peer's every_beyond names: not swept, not counted, its reason given
        peers.PEERS.append({"name": "lib", "every_beyond": (("e4m3", "rne", "ovf"), "too slow here")})
        try:
            peers.save_tsv(path, [r for r in peers.load_tsv(path)
                                  if not (r["src"] == "f32" and (r["dst"], r["round"], r["overflow"]) == answered[1])])
            peers.run_sweep = fake_sweep
            calls.clear()
            peers.sweep_every("mxconform", "lib:x.so", "lib", path, answered)
            check(calls == [], "every leaves the combination out: %s" % calls)
            lines = peers.coverage_2_32(peers.load_tsv(path),
                                        [r for r in peers.load_tsv(path) if r["coverage"].startswith("all 2^32")])
            check("- lib: 2 of 2; 1 more left out: too slow here" in lines, "and the line says why: %s" % lines)
        finally:
            peers.run_sweep = real_sweep
            peers.PEERS.pop()
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
