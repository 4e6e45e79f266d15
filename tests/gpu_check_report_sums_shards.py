#!/usr/bin/python3
"""gpu_check_report.py's sweeps table: a sweep split in shards is one row whose counts are the
shards' sums; a shard cut by the budget makes the row timed-out; an unsharded sweep, a sweep not
started and a target that could not run keep their own status."""
import os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, "..", "targets", "cuda-device", "gpu_check_report.py")
LINE = "sweep cvt.%s: target lib:x.so, profile cuda-host-detected, inputs [0x0, 0x1), %d checked, %d mismatches, %.1fs\n"
FILES = {
    "f32.e4m3.rne.sat": LINE % ("f32.e4m3", 3000, 0, 2.5) + "exit 0\n" + LINE % ("f32.e4m3", 1000, 2, 3.5) + "exit 1\n",
    "f32.e5m2.rne.sat": LINE % ("f32.e5m2", 3000, 0, 2.0) + "exit 0\n" + "exit 124\n",
    "bf16.e4m3.rne.sat": LINE % ("bf16.e4m3", 65536, 127, 0.1) + "exit 1\n",
    "f16.e4m3.rne.sat": "not started: time budget spent\n",
    "f32.e2m1.rne.sat": "cuda-device: no CUDA device\nexit 3\n",
}
WANT = {
    ("f32", "e4m3"): ["done", "4000", "2", "3.5"],
    ("f32", "e5m2"): ["timed-out", "3000", "0", "2.0"],
    ("bf16", "e4m3"): ["done", "65536", "127", "0.1"],
    ("f16", "e4m3"): ["not-started", "", "", ""],
    ("f32", "e2m1"): ["error", "", "", ""],
}


def main():
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "sweeps"))
        with open(os.path.join(d, "sweeps", "plan.txt"), "w") as f:
            f.write("".join(" ".join(k.split(".")) + "\n" for k in FILES))
        for k, txt in FILES.items():
            with open(os.path.join(d, "sweeps", k + ".txt"), "w") as f:
                f.write(txt)
        subprocess.run([sys.executable, "-B", REPORT, d], check=True)
        rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(d, "sweeps.tsv"))][1:]
        got = {(r[0], r[1]): r[4:8] for r in rows}
        fails = [k for k in WANT if got.get(k) != WANT[k]]
        for k in WANT:
            print("%-4s %s %s: %s" % ("FAIL" if k in fails else "ok", k[0], k[1], got.get(k)))
        return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
