"""Pins scripts/peers.py's listing of a detected-stage sweep: every mismatch is classified
input by input, none left "unlisted", whatever the count. A target (the symmetric-MXINT8
mutant: 65536 mismatches in f32 shard 3071/4096, far past the 4096 a sweep lists by halving)
through its lib: serve child (halving, then sweep --list) and as a cmd: target (sweep --list
at once) gives the same 65536 listed mismatches, the first -1.9921875 -> 0x81 (expected 0x80).
  peers_detected_lists_every_mismatch.py MXCONFORM MUTANT.so"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
sys.argv = [sys.argv[0], "list"] + sys.argv[1:]  # peers.py reads its mode at import
import peers  # noqa: E402

mxc, lib = sys.argv[2], sys.argv[3]
fails = []
for spec in ("lib:" + lib, "cmd:%s serve --lib %s" % (mxc, lib)):
    r = peers.run_sweep_listed(mxc, spec, "f32", "int8", "rne", "sat", None, 3071, 4096)
    listed = r.get("listed", r["examples"])
    bugs = peers.sweep_bugs("none", "f32", "int8", "rne", "sat", r)
    ok = r["mismatches"] == 65536 and len(listed) == 65536 and len(set(listed)) == 65536 and \
        listed[0] == "bfff0000:80:81" and "unlisted" not in bugs
    print("%s %s: %d mismatches, %d listed, first %s, bugs column %s" % (
        "ok  " if ok else "FAIL", spec.split(":")[0], r["mismatches"], len(listed), listed[:1], bugs))
    if not ok:
        fails.append(spec)
sys.exit(1 if fails else 0)
