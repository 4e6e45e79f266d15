"""The HTML report renders in a real browser: headless Chromium loads it with no network,
runs its script without errors, and draws the verdict and the code maps.

    cd reports && python3 -m unittest -v test_browser     # skipped when chromium is absent
    python3 reports/test_browser.py                       # exit 77 when skipped (CTest SKIP_RETURN_CODE)

Screenshots are kept for a human to look at, in $MXREPORT_SHOTS_DIR or else
<tmp>/mxreport-screenshots/ (outside the repository): mutant.png, side_by_side.png.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mxreport  # noqa: E402

DATA = os.path.join(HERE, "testdata")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = ("chromium is not on PATH (Debian: apt-get install -y --no-install-recommends chromium); "
               "the headless rendering check is skipped")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
TIMEOUT = 240  # seconds per browser run (2 shared cores can be slow)


def shots_dir() -> str:
    d = os.environ.get("MXREPORT_SHOTS_DIR") or os.path.join(tempfile.gettempdir(), "mxreport-screenshots")
    os.makedirs(d, exist_ok=True)
    return d


def chromium(*args):
    """Run headless Chromium with a fresh profile: (stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="mxreport-chromium-")
    try:
        r = subprocess.run([CHROMIUM] + FLAGS + ["--user-data-dir=" + profile] + list(args),
                           capture_output=True, text=True, timeout=TIMEOUT, errors="replace")
        return r.stdout, r.stderr
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def file_url(path: str) -> str:
    return "file://" + os.path.abspath(path)


def script_errors(stderr: str) -> list:
    return [line for line in stderr.splitlines() if "Uncaught" in line or ("CONSOLE" in line and "Error" in line)]


def png_info(path: str):
    """(width, height, distinct byte values in the decompressed image data)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("%s is not a PNG" % path)
    w, h = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw = zlib.decompress(idat)
    return w, h, len(set(raw[: 4 << 20]))


@unittest.skipUnless(CHROMIUM, SKIP_REASON)
class HeadlessChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mxreport-browser-")
        cls.shots = shots_dir()
        cls.mutant = os.path.join(cls.tmp, "mutant.html")
        cls.side = os.path.join(cls.tmp, "side_by_side.html")
        for out, inputs in ((cls.mutant, ["mutant_fail.json"]),
                            (cls.side, ["reference_pass.json", "mutant_fail.json"])):
            rc = mxreport.main([os.path.join(DATA, n) for n in inputs] + ["-o", out])
            if rc != 0:
                raise AssertionError("mxreport failed on %s" % inputs)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def dom(self, html_path: str) -> str:
        out, err = chromium("--dump-dom", file_url(html_path))
        self.assertEqual(script_errors(err), [], "script errors in %s" % html_path)
        self.assertIn("<html", out, "no DOM dumped; chromium stderr tail:\n" + err[-2000:])
        return out

    def screenshot(self, html_path: str, name: str) -> str:
        png = os.path.join(self.shots, name)
        if os.path.exists(png):
            os.unlink(png)
        _, err = chromium("--screenshot=" + png, "--window-size=1280,2000", file_url(html_path))
        self.assertTrue(os.path.exists(png), "no screenshot; chromium stderr tail:\n" + err[-2000:])
        w, h, distinct = png_info(png)
        self.assertEqual((w, h), (1280, 2000))
        self.assertGreater(distinct, 16, "the screenshot looks blank")
        sys.stderr.write("\n  screenshot: %s " % png)
        return png

    def test_error_detection_works(self):
        bad = os.path.join(self.tmp, "bad.html")
        with open(bad, "w") as f:
            f.write("<!doctype html><html><body><p>x</p><script>noSuchFunction();</script></body></html>")
        _, err = chromium("--dump-dom", file_url(bad))
        self.assertTrue(script_errors(err), "a thrown script error was not seen; the check below would be blind")

    def test_mutant_report_renders(self):
        dom = self.dom(self.mutant)
        self.assertRegex(dom, r'<html lang="en" data-js="ok"')      # the whole script ran
        self.assertIn('data-verdict="fail"', dom)
        self.assertIn('<span class="badge">FAIL</span>', dom)
        self.assertEqual(len(re.findall(r'<svg class="codemap"', dom)), 7)
        self.assertIn('class="tip"', dom)                           # hover tooltip installed
        self.assertIn('data-tip="e5m2 0x3c = 1', dom)              # titles moved into it
        self.screenshot(self.mutant, "mutant.png")

    def test_side_by_side_report_renders(self):
        dom = self.dom(self.side)
        self.assertRegex(dom, r'<html lang="en" data-js="ok"')
        self.assertEqual(dom.count('class="verdict v-'), 2)
        compare = dom[dom.index('<section id="compare">'):]
        self.assertEqual(compare[:compare.index("</thead>")].count('<th class="run">'), 2)
        self.assertEqual(len(re.findall(r'<svg class="codemap"', dom)), 14)
        self.screenshot(self.side, "side_by_side.png")


if __name__ == "__main__":
    if not CHROMIUM:
        print("SKIP: " + SKIP_REASON, file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=2)
