"""Tests of the report generator: HTML, Markdown and JUnit outputs from results JSON.

    cd reports && python3 -m unittest -v test_reports

Standard library only; fixtures in testdata/ (written from harness/RESULTS.md by hand).
"""
from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mxreport  # noqa: E402
import report_model  # noqa: E402
import report_text  # noqa: E402

DATA = os.path.join(HERE, "testdata")
CELLS = {"e4m3": 256, "e5m2": 256, "e2m3": 64, "e3m2": 64, "e2m1": 16, "int8": 256, "e8m0": 256}


def fixture(name: str) -> str:
    return os.path.join(DATA, name)


def load_fixture(name: str) -> dict:
    with open(fixture(name), encoding="utf-8") as f:
        return json.load(f)


def codemaps(html: str) -> dict:
    """{format: number of cell groups} for every code-map SVG in the page."""
    out = {}
    for m in re.finditer(r'<svg class="codemap" data-format="([^"]+)"[^>]*>(.*?)</svg>', html, re.S):
        out.setdefault(m.group(1), []).append(len(re.findall(r'<g class="cell ', m.group(2))))
    return out


class ReportCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mxreport-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name: str) -> str:
        return os.path.join(self.tmp, name)

    def write_json(self, name: str, doc) -> str:
        p = self.path(name)
        with open(p, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return p

    def main(self, *args):
        """Run the CLI in-process: (exit status, stderr text)."""
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = mxreport.main(list(args))
        return rc, err.getvalue()

    def render(self, *inputs, **outs) -> dict:
        """Render inputs; returns {'html': ..., 'md': ..., 'xml': ...} for the outputs asked."""
        args = list(inputs) + ["-o", self.path("report.html")]
        if outs.get("md"):
            args += ["--markdown", self.path("summary.md")]
        if outs.get("xml"):
            args += ["--junit", self.path("results.xml")]
        rc, err = self.main(*args)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        res = {}
        for key, name in (("html", "report.html"), ("md", "summary.md"), ("xml", "results.xml")):
            if os.path.exists(self.path(name)):
                with open(self.path(name), encoding="utf-8") as f:
                    res[key] = f.read()
        return res


class HtmlReport(ReportCase):
    def test_verdict_line_names_target_profile_and_verdict(self):
        html = self.render(fixture("mutant_fail.json"))["html"]
        self.assertIn('data-verdict="fail"', html)
        self.assertIn('<span class="badge">FAIL</span>', html)
        self.assertIn("mutant-rceil", html)
        self.assertIn("against profile <b>ocp</b>", html)
        self.assertRegex(html, r"72 suites: 58 pass, 12 fail, 2 unsupported")
        html = self.render(fixture("reference_pass.json"))["html"]
        self.assertIn('<span class="badge">PASS</span>', html)

    def test_one_code_map_per_format_with_every_code(self):
        html = self.render(fixture("reference_pass.json"))["html"]
        maps = codemaps(html)
        self.assertEqual(set(maps), set(CELLS))
        for fmt, n in CELLS.items():
            self.assertEqual(maps[fmt], [n], fmt)
        # all ok: no other outcome class on any cell
        self.assertEqual(len(re.findall(r'<g class="cell ok"', html)), sum(CELLS.values()))

    def test_code_map_cells_carry_outcome_hover_value_and_first_failure(self):
        html = self.render(fixture("mutant_fail.json"))["html"]
        self.assertEqual({f: c[0] for f, c in codemaps(html).items()}, CELLS)
        m = re.search(r'<g class="cell nonconformance" data-code="0x3c" tabindex="0"><title>(.*?)</title>', html, re.S)
        self.assertIsNotNone(m)
        hover = m.group(1)
        self.assertIn("e5m2 0x3c = 1", hover)
        self.assertIn("cvt.bf16.e5m2.rne.sat", hover)
        self.assertIn("input 0x3f90", hover)
        self.assertIn('<g class="cell divergence" data-code="0x7"', html)          # e2m1 NaN -> +max
        self.assertEqual(len(re.findall(r'<g class="cell untested"', html)), 128)  # e8m0 outside 0x40..0xbf
        self.assertIn("0x00\u20130x3f, 0xc0\u20130xff", html)

    def test_legend_names_every_outcome_with_pattern(self):
        html = self.render(fixture("mutant_fail.json"))["html"]
        m = re.search(r'<div class="legend".*?</div>', html, re.S)
        self.assertIsNotNone(m)
        legend = m.group(0)
        for label in ("ok", "divergence (implementation-defined)", "nonconformance", "untested"):
            self.assertIn("<b>%s</b>" % label, legend)
        self.assertIn("stripes = divergence", legend)
        self.assertIn("cross-hatch = nonconformance", legend)
        self.assertEqual(legend.count('<svg class="swatch"'), 4)

    def test_detected_profile_is_a_diff_with_evidence(self):
        html = self.render(fixture("mutant_fail.json"))["html"]
        sec = html[html.index('<section id="profile">'):]
        sec = sec[:sec.index("</section>")]
        text = re.sub(r"<[^>]+>", "", sec)
        self.assertIn("rule: floor \u2192 rceil; nan_finite: pos-max \u2192 signed-zero", text)
        self.assertIn("Evidence", text)
        self.assertIn("quantize.mxfp8_e4m3.floor", text)
        self.assertIn("74 failures not explained", text)

    def test_failure_tables_show_bits_values_explanation_and_reproduce(self):
        html = self.render(fixture("mutant_fail.json"))["html"]
        sec = html[html.index('<section id="failures">'):]
        self.assertIn("0x3f90<br><span class=\"v\">1.125</span>", sec)
        self.assertIn('<span class="chip o-divergence">nan_finite=signed-zero</span>', sec)
        self.assertIn('<span class="chip o-nonconformance">nonconformance</span>', sec)
        self.assertIn('<pre class="repro"><code>mxconform convert --from bf16 --to e5m2 --round rne --overflow sat '
                      '--impl oracle 0x3f90</code></pre>', sec)
        # failing suites first, worst first: the unexplained ones lead
        first = re.search(r'<details class="group" open><summary>.*?<span class="mono">([^<]+)</span>', sec).group(1)
        self.assertEqual(first, "cvt.bf16.e5m2.rne.sat")

    def test_crash_timeout_protocol_error_are_listed_first_with_their_messages(self):
        html = self.render(fixture("crash.json"))["html"]
        sec = html[html.index("Non-passing suites"):]
        order = re.findall(r'<span class="chip s-([a-z-]+)">', sec[:sec.index("</table>")])
        self.assertEqual(order, ["crash", "timeout", "protocol-error", "fail"])
        self.assertIn("target exited on signal 11 (SIGSEGV)", html)
        self.assertIn("reply line 3: expected 32 codes, got 31", html)
        self.assertNotIn('id="codemaps"', html)  # no code_maps in this file: no section

    def test_strings_from_json_are_escaped(self):
        html = self.render(fixture("crash.json"))["html"]
        self.assertNotIn('<script>alert("pwned")</script>', html)
        self.assertIn("crashy&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; co", html)
        self.assertNotIn("<b>beta</b>", html)
        self.assertNotIn("<b>bold?</b>", html)
        self.assertEqual(html.count("<script"), 1)  # only the report's own script
        self.assertIn("&amp;&amp; echo &#x27;&lt;script&gt;x&lt;/script&gt;&#x27;", html)

    def test_self_contained_no_network_no_external_assets(self):
        html = self.render(fixture("mutant_fail.json"), fixture("dot_fingerprint.json"))["html"]
        for bad in ("<link", "@import", 'src="http', "src='http", 'href="http', "url(http", "<img", "<iframe"):
            self.assertNotIn(bad, html)
        self.assertIn("<style>", html)

    def test_readable_without_js_details_and_hover_titles_are_static(self):
        html = self.render(fixture("mutant_fail.json"))["html"]
        self.assertIn('<html lang="en" data-js="off">', html)
        self.assertIn("<details", html)
        self.assertGreater(html.count("<title>"), 1000)  # page title + one per cell

    def test_side_by_side_two_files_two_columns(self):
        html = self.render(fixture("reference_pass.json"), fixture("mutant_fail.json"))["html"]
        self.assertEqual(html.count('<div class="verdict '), 2)
        sec = html[html.index('<section id="compare">'):]
        head = sec[:sec.index("</thead>")]
        self.assertEqual(head.count('<th class="run">'), 2)
        self.assertIn("libmxref", head)
        self.assertIn("mutant-rceil", head)
        row = re.search(r'<tr><td class="mono">cvt.bf16.e5m2.rne.sat</td>(.*?)</tr>', sec).group(1)
        self.assertEqual(re.findall(r'chip s-([a-z-]+)', row), ["pass", "fail"])
        # the code maps of one format stand next to each other, one per file
        for fmt in CELLS:
            m = re.search(r'<div class="maprow" data-format="%s">(.*?)</div></div>' % fmt, html, re.S)
            self.assertIsNotNone(m, fmt)
            self.assertEqual(m.group(1).count('<figure class="map"'), 2, fmt)
        self.assertEqual({f: len(c) for f, c in codemaps(html).items()}, {f: 2 for f in CELLS})
        # detected profiles side by side too
        self.assertIn('<div class="cols"><div class="card detected"><h3>libmxref', html)

    def test_side_by_side_format_missing_in_one_file(self):
        html = self.render(fixture("crash.json"), fixture("dot_fingerprint.json"))["html"]
        m = re.search(r'<div class="maprow" data-format="e4m3">(.*?)</div></div>', html, re.S)
        self.assertIn("not in this results file", m.group(1))

    def test_dot_section_only_when_present(self):
        html = self.render(fixture("dot_fingerprint.json"))["html"]
        self.assertIn('<section id="dot"><h2>Dot-product fingerprint</h2>', html)
        self.assertIn("accumulator_bits", html)
        self.assertIn("Nearest preset: <b>hopper-fp8-tensorcore</b>", html)
        svg = re.search(r'<svg class="scatter".*?</svg>', html, re.S).group(0)
        self.assertEqual(svg.count("<circle"), len(load_fixture("dot_fingerprint.json")["dot"]["errors"]))
        html = self.render(fixture("mutant_fail.json"))["html"]
        self.assertNotIn("Dot-product fingerprint", html)

    def test_dot_section_without_errors_or_fit_still_renders(self):
        doc = load_fixture("reference_pass.json")
        doc["dot"] = {"nearest_preset": "exact-then-round"}
        html = self.render(self.write_json("dot.json", doc))["html"]
        self.assertIn("Nearest preset: <b>exact-then-round</b>", html)
        self.assertNotIn('<svg class="scatter"', html)


class Robustness(ReportCase):
    def test_minimal_file_renders(self):
        p = self.write_json("min.json", {"schema": "mxconform-results/1"})
        res = self.render(p, md=True, xml=True)
        self.assertIn("unknown target", res["html"])
        self.assertIn("UNKNOWN", res["html"])
        ET.fromstring(res["xml"].encode("utf-8"))

    def test_unknown_fields_and_newer_minor_schema_render(self):
        doc = load_fixture("crash.json")
        doc["schema"] = "mxconform-results/1.3"
        doc["brand_new"] = {"deep": [{"x": 1}]}
        doc["suites"][0]["new_suite_field"] = [1, 2]
        doc["code_maps"] = {"e2m1": {"bits": 4, "cells": [{"code": "0x3", "outcome": "nonconformance", "new": 1}],
                                     "new_map_field": True}}
        html = self.render(self.write_json("new.json", doc))["html"]
        self.assertEqual(codemaps(html), {"e2m1": [16]})
        self.assertEqual(len(re.findall(r'<g class="cell untested"', html)), 15)
        self.assertIn('<g class="cell nonconformance" data-code="0x3"', html)
        self.assertIn("e2m1 0x3 = 1.5", html)  # exact value computed when the file gives none

    def test_harness_shapes_formats_and_hex_float_values(self):
        """What `mxconform run` writes: formats {fmt, src} / {fmt}, values "0x1.ep+2 (7.5)"."""
        doc = load_fixture("crash.json")
        doc["suites"][0]["formats"] = {"fmt": "mxfp4_e2m1", "src": "f32"}
        doc["suites"][1]["formats"] = {"fmt": "e3m2"}
        doc["code_maps"] = {"e2m3": {"bits": 6, "cells": [{"code": "0x1f", "value": "0x1.ep+2 (7.5)", "outcome": "ok"}]},
                            "e9m9": {"bits": 4, "cells": [{"code": "0x3", "value": "0x1.8p+1 (3)", "outcome": "ok"}]}}
        html = self.render(self.write_json("harness.json", doc))["html"]
        self.assertIn("<td class=\"nw\">f32 \u2192 mxfp4_e2m1</td>", html)
        self.assertIn("<td class=\"nw\">e3m2</td>", html)
        self.assertIn("e2m3 0x1f = 0x1.ep+2 (7.5)", html)          # hover keeps the file's text
        self.assertRegex(html, r'class="val" fill="[^"]+">7.5</text>')  # the cell shows the decimal
        self.assertRegex(html, r'class="val" fill="[^"]+">3</text>')    # unknown format: from "(...)"

    def test_newer_major_schema_renders_with_a_note(self):
        doc = load_fixture("reference_pass.json")
        doc["schema"] = "mxconform-results/2"
        html = self.render(self.write_json("v2.json", doc))["html"]
        self.assertIn("newer than this report generator", html)

    def test_missing_totals_and_verdict_are_derived(self):
        doc = load_fixture("mutant_fail.json")
        for k in ("totals", "verdict", "detected_profile", "code_maps", "target", "profile", "tool"):
            del doc[k]
        for s in doc["suites"]:
            for k in ("op", "formats", "params", "seconds", "passed", "dontcare"):
                s.pop(k, None)
        html = self.render(self.write_json("bare.json", doc))["html"]
        self.assertIn('data-verdict="fail"', html)
        self.assertIn("72 suites: 58 pass, 12 fail, 2 unsupported", html)

    def test_unknown_status_and_outcome_values(self):
        doc = load_fixture("crash.json")
        doc["suites"][0]["status"] = "flaky"
        doc["code_maps"] = {"int8": {"cells": [{"code": "0x80", "outcome": "weird"}]}}
        html = self.render(self.write_json("odd.json", doc))["html"]
        self.assertIn("flaky", html)
        self.assertIn("outcome: weird", html)
        self.assertEqual(codemaps(html), {"int8": [256]})

    def test_unobserved_results_are_incomplete_never_pass(self):
        # harness/PROTOCOL.md "Not observable": a suite whose only deviations are results the
        # target could not see is `incomplete`, shown with its count, and fails in JUnit
        doc = load_fixture("crash.json")
        s = doc["suites"][0]
        s.update({"status": "incomplete", "failed": 0, "unobserved": 3,
                  "failures": [{"input": "0x7f81", "expected": "0x7e", "actual": "unobserved", "status": "unobserved"}]})
        doc["verdict"] = "incomplete"
        doc["totals"]["unobserved"] = 3
        res = self.render(self.write_json("unobs.json", doc), md=True, xml=True)
        self.assertIn('<span class="badge">INCOMPLETE</span>', res["html"])
        self.assertIn("3 not observable", res["html"])
        self.assertIn("**INCOMPLETE**", res["md"])
        self.assertNotIn("**PASS**", res["md"])
        root = ET.fromstring(res["xml"].encode("utf-8"))
        msgs = [f.get("message") for f in root.findall("./testsuite/testcase/failure")]
        self.assertIn("3 results not observable by the target", msgs)

    def test_error_verdict(self):
        doc = {"schema": "mxconform-results/1", "target": {"spec": "lib:./nope.so", "name": "nope"},
               "verdict": "error", "suites": []}
        res = self.render(self.write_json("err.json", doc), md=True, xml=True)
        self.assertIn('<span class="badge">ERROR</span>', res["html"])
        self.assertIn("**ERROR**", res["md"])
        root = ET.fromstring(res["xml"].encode("utf-8"))
        self.assertEqual(len(root.findall("./testsuite/testcase/error")), 1)


class Markdown(ReportCase):
    def check_short(self, md: str):
        self.assertLessEqual(md.count("\n"), 60, md)
        self.assertLessEqual(len(md.encode("utf-8")), 10 * 1024)

    def test_mutant_summary(self):
        md = self.render(fixture("mutant_fail.json"), md=True)["md"]
        self.check_short(md)
        self.assertTrue(md.startswith("### mxconform: FAIL\n"))
        self.assertIn("| **FAIL** | mutant-rceil | ocp | 72 | 58 | 12 | 2 | 0 | 0 | 0 | 1,352 |", md)
        self.assertIn("`rule`: floor \u2192 rceil; `nan_finite`: pos-max \u2192 signed-zero", md)
        self.assertIn("`mxconform convert --from bf16 --to e5m2 --round rne --overflow sat --impl oracle 0x3f90`", md)
        self.assertIn("| fail | `quantize.mxfp4_e2m1.floor` | 422/31,494 | divergence: rule=rceil |", md)
        self.assertNotIn("| pass | `", md)

    def test_pass_summary_is_tiny(self):
        md = self.render(fixture("reference_pass.json"), md=True)["md"]
        self.assertLessEqual(md.count("\n"), 8)
        self.assertIn("| **PASS** | libmxref |", md)

    def test_huge_failure_lists_stay_short(self):
        doc = load_fixture("mutant_fail.json")
        long_repro = "mxconform convert " + "--knob x=y " * 40
        for i in range(400):
            doc["suites"].append({"name": "cvt.synthetic.%04d" % i, "status": "fail", "cases": 9, "failed": 9,
                                  "failures": [{"input": "0x%08x" % j, "expected": "0x01", "actual": "0x02",
                                                "reproduce": long_repro} for j in range(20)]})
        p = self.write_json("huge.json", doc)
        md = self.render(p, p, md=True)["md"]  # through the CLI once
        self.check_short(md)
        run = report_model.load(p)
        for n in (1, 3, 12, 80):  # then straight to the renderer: many results files
            md = report_text.render_markdown([run] * n)
            self.check_short(md)
            self.assertIn("**FAIL**", md)

    def test_markdown_escapes_markup(self):
        md = self.render(fixture("crash.json"), md=True)["md"]
        self.assertNotIn("<script>", md.replace("`", "").split("reproduce")[0].split("\n- ")[0])
        self.assertIn("crashy&lt;script&gt;", md)


class JUnit(ReportCase):
    def parse(self, *inputs):
        xml = self.render(*inputs, xml=True)["xml"]
        return ET.fromstring(xml.encode("utf-8"))

    def test_counts_match_the_suites(self):
        for name in ("reference_pass.json", "mutant_fail.json", "crash.json", "dot_fingerprint.json"):
            doc = load_fixture(name)
            root = self.parse(fixture(name))
            suites = root.findall("testsuite")
            self.assertEqual(len(suites), 1)
            ts = suites[0]
            st = [s["status"] for s in doc["suites"]]
            self.assertEqual(ts.get("name"), "mxconform." + doc["target"]["name"])
            self.assertEqual(len(ts.findall("testcase")), len(st))
            self.assertEqual(len(ts.findall("testcase/failure")), st.count("fail"), name)
            self.assertEqual(len(ts.findall("testcase/skipped")), st.count("unsupported"), name)
            self.assertEqual(len(ts.findall("testcase/error")),
                             st.count("crash") + st.count("timeout") + st.count("protocol-error"), name)
            self.assertEqual(int(ts.get("tests")), len(st))
            self.assertEqual(int(ts.get("failures")), st.count("fail"))
            self.assertEqual(int(ts.get("skipped")), st.count("unsupported"))

    def test_failure_text_lists_failures_with_reproduce_commands(self):
        root = self.parse(fixture("mutant_fail.json"))
        tc = root.find("testsuite/testcase[@name='cvt.bf16.e5m2.rne.sat']")
        f = tc.find("failure")
        self.assertIn("37 of 4408 cases failed", f.get("message"))
        self.assertIn("input 0x3f90 (1.125): expected 0x3c (1), actual 0x3d (1.25) [nonconformance]", f.text)
        self.assertIn("reproduce: mxconform convert --from bf16 --to e5m2", f.text)

    def test_one_testsuite_per_file_and_escaped_names(self):
        root = self.parse(fixture("crash.json"), fixture("mutant_fail.json"), fixture("mutant_fail.json"))
        names = [ts.get("name") for ts in root.findall("testsuite")]
        self.assertEqual(len(names), 3)
        self.assertEqual(len(set(names)), 3)
        self.assertEqual(names[0], 'mxconform.crashy<script>alert("pwned")</script> & co')
        self.assertEqual(int(root.get("tests")), sum(int(t.get("tests")) for t in root.findall("testsuite")))

    def test_control_characters_do_not_break_the_xml(self):
        doc = load_fixture("crash.json")
        doc["suites"][2]["message"] = "bad \x01\x1b[31m bytes \ud800"
        root = self.parse(self.write_json("ctl.json", doc))
        self.assertIn("bytes", root.find("testsuite/testcase[@name='cvt.f32.e3m2.rne.sat']/error").get("message"))


class Errors(ReportCase):
    def assert_one_line_exit_2(self, path, reason_part):
        out = self.path("report.html")
        rc, err = self.main(path, "-o", out)
        self.assertEqual(rc, 2)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertTrue(err.startswith("reports: %s: " % path), err)
        self.assertIn(reason_part, err)
        self.assertFalse(os.path.exists(out))

    def test_malformed_json(self):
        p = self.path("bad.json")
        with open(p, "w") as f:
            f.write('{"schema": "mxconform-results/1", "suites": [\n  {"name": "x",}\n]}')
        self.assert_one_line_exit_2(p, "invalid JSON")

    def test_not_an_object_wrong_schema_wrong_types_missing_file(self):
        self.assert_one_line_exit_2(self.write_json("list.json", [1, 2]), "not a JSON object")
        self.assert_one_line_exit_2(self.write_json("other.json", {"schema": "something-else/1"}), "schema")
        self.assert_one_line_exit_2(self.write_json("noschema.json", {"suites": []}), "schema")
        self.assert_one_line_exit_2(self.write_json("types.json", {"schema": "mxconform-results/1", "suites": "x"}),
                                    "suites")
        self.assert_one_line_exit_2(self.path("absent.json"), "No such file")
        p = self.path("binary.json")
        with open(p, "wb") as f:
            f.write(b"\xff\xfe\x00garbage")
        self.assert_one_line_exit_2(p, "UTF-8")

    def test_one_bad_file_among_good_ones_writes_nothing(self):
        bad = self.write_json("list.json", [])
        rc, err = self.main(fixture("reference_pass.json"), bad, "-o", self.path("r.html"), "--junit", self.path("j.xml"))
        self.assertEqual(rc, 2)
        self.assertEqual(os.listdir(self.tmp), ["list.json"])

    def test_real_process_exit_status_and_stderr(self):
        p = self.path("bad.json")
        with open(p, "w") as f:
            f.write("{ nope")
        r = subprocess.run([sys.executable, "-B", os.path.join(HERE, "mxreport.py"), p, "-o", self.path("x.html")],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr.count("\n"), 1)
        self.assertRegex(r.stderr, r"^reports: .*bad\.json: invalid JSON: .* at line 1 column 3\n$")

    def test_usage_errors_are_one_line(self):
        for args in ([], [fixture("reference_pass.json")], ["--bogus", fixture("reference_pass.json"), "-o", "x"]):
            rc, err = self.main(*args)
            self.assertEqual(rc, 2, args)
            self.assertEqual(err.count("\n"), 1, err)
            self.assertTrue(err.startswith("reports: "), err)


class AtomicWrites(ReportCase):
    def test_outputs_replace_old_ones_and_leave_no_temp_files(self):
        for name in ("report.html", "summary.md", "results.xml"):
            with open(self.path(name), "w") as f:
                f.write("old")
        os.chmod(self.path("report.html"), 0o600)
        res = self.render(fixture("mutant_fail.json"), md=True, xml=True)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["report.html", "results.xml", "summary.md"])
        for v in res.values():
            self.assertNotEqual(v, "old")
        mode = os.stat(self.path("summary.md")).st_mode & 0o777
        self.assertEqual(mode & 0o044, 0o044 & ~current_umask())

    def test_failed_write_keeps_the_old_file_and_removes_the_temp(self):
        target = self.path("keep.html")
        with open(target, "w") as f:
            f.write("old")
        real = os.replace

        def boom(a, b):
            raise OSError(28, "No space left on device")

        os.replace = boom
        try:
            with self.assertRaises(OSError):
                report_model.write_atomic(target, "new")
        finally:
            os.replace = real
        with open(target) as f:
            self.assertEqual(f.read(), "old")
        self.assertEqual(os.listdir(self.tmp), ["keep.html"])

    def test_unwritable_directory_is_one_line_exit_2(self):
        rc, err = self.main(fixture("reference_pass.json"), "-o", self.path("no/such/dir/r.html"))
        self.assertEqual(rc, 2)
        self.assertEqual(err.count("\n"), 1)


def current_umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


if __name__ == "__main__":
    unittest.main()
