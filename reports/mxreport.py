#!/usr/bin/env python3
"""mxreport: results JSON (schema mxconform-results/1) -> HTML report, Markdown summary, JUnit XML.

    python3 reports/mxreport.py results1.json [results2.json ...] -o report.html \
        [--markdown summary.md] [--junit results.xml]

Several results files are shown side by side. Standard library only (Python >= 3.9).
Exit status: 0 written (whatever the verdicts), 2 bad usage or an unreadable results file,
with one line `reports: FILE: reason` on stderr.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report_model import ResultsError, load, write_atomic  # noqa: E402

USAGE = "mxreport.py RESULTS.json [RESULTS.json ...] -o REPORT.html [--markdown SUMMARY.md] [--junit RESULTS.xml]"


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (not argparse's multi-line usage dump)
        raise _Usage(message)


def _parser():
    p = _Parser(prog="mxreport.py", usage=USAGE, description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="+", help="results files (schema mxconform-results/1)")
    p.add_argument("-o", "--output", help="HTML report to write")
    p.add_argument("--markdown", help="Markdown summary to write (short: fits a pull-request comment)")
    p.add_argument("--junit", help="JUnit XML to write (one testsuite per results file)")
    return p


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = _parser().parse_args(argv)
    except _Usage as ex:
        print("reports: %s (usage: %s)" % (ex, USAGE), file=sys.stderr)
        return 2
    if not (args.output or args.markdown or args.junit):
        print("reports: nothing to write: give -o REPORT.html, --markdown FILE or --junit FILE", file=sys.stderr)
        return 2
    outs = [o for o in (args.output, args.markdown, args.junit) if o]
    for o in outs:
        d = os.path.dirname(os.path.abspath(o))
        if not os.path.isdir(d):
            print("reports: %s: no such directory" % d, file=sys.stderr)
            return 2
    if len(set(os.path.abspath(o) for o in outs)) != len(outs):
        print("reports: the output files must differ", file=sys.stderr)
        return 2

    runs = []
    for path in args.results:
        try:
            runs.append(load(path))
        except ResultsError as ex:
            print("reports: %s: %s" % (path, " ".join(str(ex).split())), file=sys.stderr)
            return 2

    # Render everything first, then write: a rendering bug leaves every old output intact.
    from report_html import render
    from report_text import render_junit, render_markdown

    pending = []
    if args.output:
        pending.append((args.output, render(runs)))
    if args.markdown:
        pending.append((args.markdown, render_markdown(runs)))
    if args.junit:
        pending.append((args.junit, render_junit(runs)))
    for path, data in pending:
        try:
            write_atomic(path, data)
        except OSError as ex:
            print("reports: %s: %s" % (path, ex.strerror or ex), file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
