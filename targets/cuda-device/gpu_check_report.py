#!/usr/bin/python3
"""gpu_check_report.py OUTDIR - the tables of a gpu_check.sh run, from the files it left in
OUTDIR (so they can be rendered again from saved results): OUTDIR/sweeps.tsv from
sweeps/plan.txt and sweeps/*.txt, host_vs_device.md from the two standard-tier results, and
summary.md, the one page of the run. Python 3 standard library only."""
import json, os, re, sys


def sweeps_table(out, plan):
    rows = ["src\tdst\tround\toverflow\tstatus\tchecked\tmismatches\tseconds\tdetail"]
    for line in open(plan):
        src, dst, rnd, ovf = line.split()
        f = os.path.join(out, "sweeps", "%s.%s.%s.%s.txt" % (src, dst, rnd, ovf))
        txt = open(f).read() if os.path.exists(f) else "missing"
        # one sweep, or the shards of one (a summary line and an "exit N" line each)
        done = re.findall(r"(\d+) checked, (\d+) mismatches, ([\d.]+)s", txt)
        exits = re.findall(r"^exit (\d+)\s*$", txt, re.M)
        status = "timed-out" if any(e in ("124", "137") for e in exits) or (done and "not started" in txt) else \
                 "not-started" if "not started" in txt else \
                 "done" if done and exits and all(e in ("0", "1") for e in exits) else "error"
        # the lines that are not a shard's summary or exit: mismatches by input class, examples
        detail = " | ".join(l.strip() for l in txt.splitlines()
                            if l.strip() and not l.startswith("exit") and " checked, " not in l)[:300]
        sums = [str(sum(int(d[0]) for d in done)), str(sum(int(d[1]) for d in done)),
                "%.1f" % max(float(d[2]) for d in done)] if done else ["", "", ""]
        rows.append("\t".join([src, dst, rnd, ovf, status] + sums + [detail]))
    open(os.path.join(out, "sweeps.tsv"), "w").write("\n".join(rows) + "\n")


def comparison_and_summary(out):
    def load(name):
        try:
            return json.load(open(os.path.join(out, name)))
        except (OSError, ValueError):
            return None
    dev, host = load("cuda-device.standard.json"), load("cuda-host.standard.json")
    lines = ["# cuda-device vs cuda-host, standard tier", ""]
    if dev and host and dev.get("suites") and host.get("suites"):
        hs = {s["name"]: s for s in host["suites"]}
        diffs = 0
        for s in dev["suites"]:
            h = hs.get(s["name"])
            if not h:
                continue
            if s["status"] != h["status"]:
                lines.append("- %s: device %s, host %s" % (s["name"], s["status"], h["status"]))
                diffs += 1
            if "unsupported" in (s["status"], h["status"]):
                continue  # one side answered nothing: the suite line above says so, no case to compare
            hf = {f["input"]: f.get("actual") for f in h.get("failures", [])}
            df = {f["input"]: f.get("actual") for f in s.get("failures", [])}
            for k in sorted(set(hf) | set(df)):
                if hf.get(k) != df.get(k):
                    diffs += 1
                    if diffs <= 200:
                        lines.append("- %s input %s: device %s, host %s" % (s["name"], k, df.get(k, "(passes)"), hf.get(k, "(passes)")))
        lines.insert(2, "%d differences (suite status or a failing case's answer; `ocp` passes are not listed)" % diffs)
    else:
        lines.append("(one of the two results files is missing)")
    open(os.path.join(out, "host_vs_device.md"), "w").write("\n".join(lines) + "\n")

    S = ["# cuda-device GPU check", ""]
    dev_txt = os.path.join(out, "device.txt")
    S += ["## Device", "", "```", open(dev_txt).read().strip() if os.path.exists(dev_txt) else "(no device.txt)", "```", ""]
    for name, r in (("cuda-device", dev), ("cuda-host", host)):
        if r:
            t = r.get("totals", {})
            S.append("- standard tier, %s: verdict %s, suites pass %s fail %s unsupported %s crash %s; %s" % (
                name, r.get("verdict"), t.get("pass"), t.get("fail"), t.get("unsupported"), t.get("crash"),
                (r.get("detected_profile") or {}).get("summary", "-")))
    S += ["- host vs device: " + lines[2] if len(lines) > 2 else "", "", "## probe dot", ""]
    for pair in ("mxfp8_e4m3", "mxfp8_e5m2", "mxfp8_e4m3-mxfp8_e5m2"):
        p = os.path.join(out, "probe.%s.txt" % pair)
        if os.path.exists(p):
            keep = [l for l in open(p) if l.split(":")[0] in ("model", "nearest", "confirm", "unobservable on these probes", "probes",
                                                              "mxconform probe", "cuda-device")]
            S += ["### " + pair, "", "```"] + [l.rstrip() for l in keep] + ["```", ""]
    fit = os.path.join(out, "mma_fit.txt")
    if os.path.exists(fit):
        S += ["## raw mma (mma_fit.py, first 32 records per class)", "", "```"] + [l.rstrip() for l in open(fit)] + ["```", ""]
    S += ["## sweeps", "", "```"] + [l.rstrip() for l in open(os.path.join(out, "sweeps.tsv"))][:80] + ["```", ""]
    open(os.path.join(out, "summary.md"), "w").write("\n".join(S) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__ + "\n")
        sys.exit(2)
    out_dir = sys.argv[1]
    sweeps_table(out_dir, os.path.join(out_dir, "sweeps", "plan.txt"))
    comparison_and_summary(out_dir)
