"""The Markdown summary (short enough for a pull-request comment) and JUnit XML."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from report_model import fmt_int, fmt_seconds, text

MD_MAX_LINES = 60
MD_MAX_BYTES = 10000

# ----------------------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md_text(s) -> str:
    """Plain text safe in Markdown (also inside a table cell): no markup, no raw HTML."""
    s = " ".join(text(s).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def md_code(s, in_table: bool = False) -> str:
    """Inline code span around arbitrary text (backticks in it get a longer fence)."""
    s = " ".join(text(s).split())
    if not s:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    out = fence + pad + s + pad + fence
    return out.replace("|", "\\|") if in_table else out


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "\u2026"


VERDICT_WORD = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "incomplete": "INCOMPLETE"}


def _verdict_table(runs, max_rows: int):
    lines = ["| verdict | target | profile | suites | pass | fail | unsupported | crash | timeout | protocol error |"
             " failed cases | refused | not observable |",
             "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in runs[:max_rows]:
        t = r.totals
        lines.append("| **%s** | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            VERDICT_WORD.get(r.verdict, "UNKNOWN"), md_text(_clip(r.target, 40)), md_text(_clip(r.profile, 30)),
            fmt_int(t["suites"]), fmt_int(t["pass"]), fmt_int(t["fail"]), fmt_int(t["unsupported"]),
            fmt_int(t["crash"]), fmt_int(t["timeout"]), fmt_int(t["protocol-error"]), fmt_int(t["failed_cases"]),
            fmt_int(t["refused"]), fmt_int(t["unobserved"])))
    if len(runs) > max_rows:
        lines.append("| \u2026 | %d more results files | | | | | | | | | | | |" % (len(runs) - max_rows))
    return lines


def _profile_line(r, multi: bool) -> str:
    head = "- **%s \u00b7 %s**" % (md_text(_clip(r.target, 40)), md_text(_clip(r.profile, 30)))
    if multi:
        head += " (%s)" % md_text(_clip(r.label, 40))
    dp = r.detected
    if dp is not None and dp.diff:
        head += ": behaves like %s with %s" % (md_text(dp.base or r.profile), "; ".join(
            "%s: %s \u2192 %s" % (md_code(k.knob), md_text(k.profile_value), md_text(k.detected_value))
            for k in dp.diff[:6]))
        if len(dp.diff) > 6:
            head += "; \u2026"
    elif dp is not None and dp.summary:
        head += ": " + md_text(_clip(dp.summary, 160))
    elif r.verdict == "error":
        head += ": the target was unusable"
    else:
        head += ": " + md_text(r.counts_text())
    if dp is not None and dp.unexplained:
        head += " \u00b7 **%s unexplained failure%s (nonconformance)**" % (
            fmt_int(dp.unexplained), "" if dp.unexplained == 1 else "s")
    return head


def _suite_note(s) -> str:
    kind, knobs = s.kind()
    if kind == "divergence":
        return "divergence: " + md_text(_clip(", ".join(knobs), 60))
    if kind == "mixed":
        return "nonconformance + divergence: " + md_text(_clip(", ".join(knobs), 50))
    return kind or md_text(_clip(s.message, 80))


def _markdown(runs, max_suites: int, max_failures: int, max_rows: int, max_profiles: int) -> str:
    worst = "pass"
    for r in runs:
        if r.verdict == "error" or (r.verdict in ("fail", "unknown") and worst == "pass"):
            worst = r.verdict
    lines = ["### mxconform: %s" % VERDICT_WORD.get(worst, "UNKNOWN"), ""]
    lines += _verdict_table(runs, max_rows)
    multi = len(runs) > 1
    bad_runs = [r for r in runs if r.verdict != "pass" or r.detected is not None]
    if bad_runs and max_profiles > 0:
        lines.append("")
        lines += [_profile_line(r, multi) for r in bad_runs[:max_profiles]]
        if len(bad_runs) > max_profiles:
            lines.append("- \u2026 %d more results files" % (len(bad_runs) - max_profiles))
    # non-passing suites of every file, round-robin so each file shows its worst first
    queues = [[(r, s) for s in r.bad_suites()] for r in bad_runs]
    total_bad = sum(len(q) for q in queues)
    picked = []
    while len(picked) < min(max_suites, total_bad):
        for q in queues:
            if q and len(picked) < max_suites:
                picked.append(q.pop(0))
    if picked:
        lines.append("")
        lines.append("| status | %ssuite | failed cases | failures are |" % ("target | " if multi else ""))
        lines.append("|---|%s---|--:|---|" % ("---|" if multi else ""))
        for r, s in picked:
            fc = "%s/%s" % (fmt_int(s.failed), fmt_int(s.cases)) if s.cases else (fmt_int(s.failed) if s.failed else "")
            tgt = "%s | " % md_text(_clip(r.target, 24)) if multi else ""
            lines.append("| %s | %s%s | %s | %s |" % (md_text(s.status), tgt, md_code(_clip(s.name, 70), True), fc,
                                                      _suite_note(s)))
        if total_bad > len(picked):
            lines.append("| | %s\u2026 %d more non-passing suites | | |" % ("| " if multi else "", total_bad - len(picked)))
    if max_failures > 0:
        fails = []
        # unexplained (nonconformance) first: they are the ones that need a fix
        for want_unexplained in (True, False):
            per_run = [[(r, s, f) for s in r.bad_suites() for f in s.failures
                        if (not f.explained_by) == want_unexplained] for r in bad_runs]
            while len(fails) < max_failures and any(per_run):
                for q in per_run:  # round-robin: every file gets its first failure shown
                    if q and len(fails) < max_failures:
                        fails.append(q.pop(0))
        if fails:
            lines.append("")
            lines.append("First failures:")
            for r, s, f in fails:
                kind = ("divergence: " + md_text(f.explained_by)) if f.explained_by else "nonconformance"
                item = "- %s%s %s \u2192 expected %s, actual %s (%s)" % (
                    "%s: " % md_text(_clip(r.target, 24)) if multi else "",
                    md_code(_clip(s.name, 60)), md_code(_clip(f.input, 40)), md_code(_clip(f.expected, 24)),
                    md_code(_clip(f.actual, 24)), kind)
                if f.reproduce:
                    item += ": " + md_code(_clip(f.reproduce, 220))
                lines.append(item)
    lines.append("")
    lines.append("<sub>Full report with code maps: the HTML from reports/mxreport.py.</sub>")
    return "\n".join(lines) + "\n"


def _fits(md: str) -> bool:
    return md.count("\n") <= MD_MAX_LINES and len(md.encode("utf-8")) <= MD_MAX_BYTES


def render_markdown(runs) -> str:
    """Shrink the detail until the summary fits a PR comment (<= 60 lines, <= 10 KB)."""
    rows = 40
    plans = [(10, 3, 10), (8, 3, 6), (6, 2, 5), (4, 2, 4), (3, 1, 3), (2, 1, 2), (0, 1, 1), (0, 0, 0)]
    for ms, mf, mp in plans:
        md = _markdown(runs, ms, mf, rows, mp)
        if _fits(md):
            return md
    for rows in (30, 20, 10, 5, 1):
        md = _markdown(runs, 0, 0, rows, 0)
        if _fits(md):
            return md
    return md


# ----------------------------------------------------------------------------------------
# JUnit XML

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def x(s) -> str:
    """Text that XML 1.0 can carry (control characters and lone surrogates replaced)."""
    return _XML_BAD.sub("\ufffd", text(s))


def _failure_text(s) -> str:
    out = []
    for f in s.failures:
        line = "input %s%s: expected %s%s, actual %s%s" % (
            f.input or "?", " (%s)" % f.input_value if f.input_value else "",
            f.expected or "?", " (%s)" % f.expected_value if f.expected_value else "",
            f.actual or "?", " (%s)" % f.actual_value if f.actual_value else "")
        line += " [divergence: explained by %s]" % f.explained_by if f.explained_by else " [nonconformance]"
        out.append(line)
        if f.reproduce:
            out.append("  reproduce: " + f.reproduce)
    if s.failed > len(s.failures):
        out.append("(first %d of %d failing cases)" % (len(s.failures), s.failed))
    if s.message:
        out.append(s.message)
    return "\n".join(out)


def _timestamp(started: str) -> str:
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", started or "")
    return m.group(1) if m else ""


def render_junit(runs) -> str:
    root = ET.Element("testsuites", name="mxconform")
    names = set()
    agg = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
    for r in runs:
        name = "mxconform." + r.target
        if name in names:
            name += "." + r.profile
        base, k = name, 2
        while name in names:
            name = "%s#%d" % (base, k)
            k += 1
        names.add(name)
        ts = ET.SubElement(root, "testsuite", name=x(name))
        props = ET.SubElement(ts, "properties")
        for pk, pv in (("file", r.path), ("target", r.target), ("target.spec", r.target_spec),
                       ("target.version", r.target_version), ("profile", r.profile), ("tier", r.tier),
                       ("seed", r.seed), ("verdict", r.verdict), ("command", r.command),
                       ("detected_profile", r.detected.diff_text() or r.detected.summary if r.detected else "")):
            if pv:
                ET.SubElement(props, "property", name=pk, value=x(pv))
        tests = failures = errors = skipped = 0
        total_time = 0.0
        for s in r.suites:
            tc = ET.SubElement(ts, "testcase", classname=x(name), name=x(s.name))
            if s.seconds is not None:
                tc.set("time", "%.3f" % s.seconds)
                total_time += s.seconds
            tests += 1
            if s.status == "pass":
                pass
            elif s.status == "unsupported":
                skipped += 1
                sk = ET.SubElement(tc, "skipped", message="unsupported by the target")
                if s.message:
                    sk.text = x(s.message)
            elif s.status == "incomplete":  # never a pass: those results were not checked
                failures += 1
                ET.SubElement(tc, "failure", message=x("%s results not observable by the target" % s.unobserved),
                              type="incomplete")
            elif s.status == "fail":
                failures += 1
                msg = "%s of %s cases failed" % (s.failed, s.cases) if s.cases else "failed"
                if s.failures:
                    msg += " (%d of the first %d unexplained)" % (s.unexplained, len(s.failures))
                fe = ET.SubElement(tc, "failure", message=x(msg), type="fail")
                fe.text = x(_failure_text(s))
            else:
                errors += 1
                er = ET.SubElement(tc, "error", message=x(s.status + (": " + s.message if s.message else "")),
                                   type=x(s.status))
                er.text = x(_failure_text(s) or s.status)
        if r.verdict == "error" or (not r.suites and r.verdict != "pass"):
            tc = ET.SubElement(ts, "testcase", classname=x(name), name="target")
            tests += 1
            errors += 1
            ET.SubElement(tc, "error", message="the target was unusable (verdict %s)" % x(r.verdict), type="error")
        wall = r.wall if r.wall is not None else total_time
        ts.set("tests", str(tests))
        ts.set("failures", str(failures))
        ts.set("errors", str(errors))
        ts.set("skipped", str(skipped))
        ts.set("time", "%.3f" % wall)
        stamp = _timestamp(r.started)
        if stamp:
            ts.set("timestamp", stamp)
        for key, val in (("tests", tests), ("failures", failures), ("errors", errors), ("skipped", skipped),
                         ("time", wall)):
            agg[key] += val
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(agg[key]))
    root.set("time", "%.3f" % agg["time"])
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _indent(elem, level=0):
    """ET.indent() is Python 3.9+ only as a function on ElementTree; do it by hand, without
    touching text that carries content."""
    pad = "\n" + "  " * (level + 1)
    children = list(elem)
    if children:
        if not (elem.text or "").strip():
            elem.text = pad
        for child in children:
            _indent(child, level + 1)
            if not (child.tail or "").strip():
                child.tail = pad
        children[-1].tail = "\n" + "  " * level


__all__ = ["render_markdown", "render_junit", "fmt_seconds"]
