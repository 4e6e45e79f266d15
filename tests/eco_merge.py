#!/usr/bin/env python3
"""mxconform merge, tested on shards cut from a real results.json (run --shard lands from
another branch): merging them gives back the whole run, unknown fields travel, and shards of
different runs, a shard given twice or a missing one are refused with one line, exit 2,
nothing written.  usage: eco_merge.py MXCONFORM MUTANT_LIB"""
import copy, json, os, subprocess, sys, tempfile

MXC, LIB = sys.argv[1], sys.argv[2]


def split(doc, n):
    """Cut a whole-run document into n shards the way run --shard writes them: suites in
    contiguous runs, totals and verdict per shard; the run-wide code maps and the fitted
    profile stay with shard 0 (the other shards' cells untested)."""
    suites = doc["suites"]
    bounds = [len(suites) * i // n for i in range(n + 1)]
    shards = []
    for i in range(n):
        s = copy.deepcopy(doc)
        s["shard"] = {"index": i, "count": n}
        s["suites"] = copy.deepcopy(suites[bounds[i]:bounds[i + 1]])
        t = {k: 0 for k in doc["totals"]}
        t["suites"] = len(s["suites"])
        for su in s["suites"]:
            t[su["status"].replace("-", "_")] += 1
            t["cases"] += su["cases"]
            t["failed_cases"] += su["failed"]
        s["totals"] = t
        bad = [su for su in s["suites"] if su["status"] not in ("pass", "unsupported")]
        s["verdict"] = "fail" if bad else "pass"
        if i:
            s.pop("detected_profile", None)
            for m in s.get("code_maps", {}).values():
                m["cells"] = [dict(c, outcome="untested", cases=0, first_failure=None) for c in m["cells"]]
        s["x_unknown_top"] = {"kept": True}
        s["x_events"] = [{"shard": i}]
        if s["suites"]:
            s["suites"][0]["x_unknown_suite"] = i
        shards.append(s)
    return shards


def mxc(*args):
    return subprocess.run([MXC, *args], capture_output=True, text=True)


def expect_refused(d, files, why):
    out = os.path.join(d, "refused.json")
    r = mxc("merge", *files, "-o", out)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and why in lines[0], (why, r.returncode, r.stderr)
    assert not os.path.exists(out), "a refused merge wrote its output"
    print("refused:", lines[0])


def main():
    with tempfile.TemporaryDirectory() as d:
        whole = os.path.join(d, "whole.json")
        r = mxc("run", "--tier", "smoke", "--target", "lib:" + LIB, "-o", whole)
        assert r.returncode == 1, "the mutant must fail some suites: %d %s" % (r.returncode, r.stderr)
        doc = json.load(open(whole))
        shards = split(doc, 3)
        files = []
        for i, s in enumerate(shards):
            files.append(os.path.join(d, "shard%d.json" % i))
            json.dump(s, open(files[-1], "w"), indent=1)
        merged_path = os.path.join(d, "all.json")
        r = mxc("merge", files[2], files[0], files[1], "-o", merged_path)  # any order
        assert r.returncode == 0, r.stderr
        m = json.load(open(merged_path))
        assert m["merged"]["shards"] == 3 and "shard" not in m
        assert m["x_unknown_top"] == {"kept": True}, "unknown field lost"
        assert m["x_events"] == [{"shard": 0}, {"shard": 1}, {"shard": 2}], "unknown arrays are joined in shard order"
        assert sum("x_unknown_suite" in s for s in m["suites"]) == 3
        for key in ("suites", "totals", "verdict", "code_maps", "detected_profile", "target", "profile", "tier", "seed"):
            got = m[key]
            if key == "suites":
                got = [{k: v for k, v in s.items() if k != "x_unknown_suite"} for s in got]
            assert got == doc[key], "merged %s differs from the whole run" % key
        print("merge of 3 shards == the whole run (%d suites, verdict %s)" % (len(m["suites"]), m["verdict"]))

        # shards that fitted their own rules: every rule line once; one profile file only if all agree
        dp0 = dict(doc["detected_profile"], diff=[], rules=["e8m0_zero = nan when overflow=ovf"], profile_file="A\n")
        for same_file in (True, False):
            ruled = copy.deepcopy(shards)
            ruled[0]["detected_profile"] = copy.deepcopy(dp0)
            ruled[1]["detected_profile"] = dict(copy.deepcopy(dp0), rules=["nan_sign = keep when src=f64",
                                                                           "e8m0_zero = nan when overflow=ovf"],
                                                profile_file="A\n" if same_file else "B\n")
            for i, sh in enumerate(ruled):
                json.dump(sh, open(files[i], "w"))
            assert mxc("merge", *files, "-o", merged_path).returncode == 0
            dm = json.load(open(merged_path))["detected_profile"]
            assert dm["rules"] == ["e8m0_zero = nan when overflow=ovf", "nan_sign = keep when src=f64"], dm["rules"]
            assert (dm.get("profile_file") == "A\n") == same_file and dm.get("profile_file_differs", False) != same_file, dm
        print("merged rules joined; a profile file only where the shards agree")
        for i, sh in enumerate(shards):
            json.dump(sh, open(files[i], "w"), indent=1)

        other = copy.deepcopy(shards[1])
        other["seed"] = 1
        json.dump(other, open(os.path.join(d, "other_seed.json"), "w"))
        expect_refused(d, [files[0], os.path.join(d, "other_seed.json"), files[2]], "different runs (their seed differs)")
        other = copy.deepcopy(shards[1])
        other["target"]["spec"] = "lib:other.so"
        json.dump(other, open(os.path.join(d, "other_target.json"), "w"))
        expect_refused(d, [files[0], os.path.join(d, "other_target.json"), files[2]], "their target differs")
        other = copy.deepcopy(shards[1])
        other["shard"]["count"] = 4
        json.dump(other, open(os.path.join(d, "other_count.json"), "w"))
        expect_refused(d, [files[0], os.path.join(d, "other_count.json"), files[2]], "their shard count differs")
        expect_refused(d, [files[0], files[1], files[1]], "are the same shard (1/3)")
        expect_refused(d, [files[0], files[2]], "shard 1/3 is missing")
        with open(os.path.join(d, "broken.json"), "w") as f:
            f.write('{\n  "schema": "mxconform-results/1",\n  "suites": [,]\n}\n')
        expect_refused(d, [files[0], os.path.join(d, "broken.json")], "broken.json:3:")
        expect_refused(d, [files[0], whole + ".absent"], "cannot read")
    return 0


if __name__ == "__main__":
    sys.exit(main())
