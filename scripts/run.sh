#!/bin/sh
# The main job (make run):
#  1. the standard tier of golden vectors against the built-in reference under the ocp
#     profile -> OUT/results.json, OUT/results.xml;
#  2. the HTML report and Markdown summary -> OUT/report.html, OUT/summary.md;
#  3. a sampled proof of the reference against the MPFR oracle (every rounding boundary and
#     its neighbours, every code value, all specials, seeded random inputs) -> OUT/selfcheck.txt.
set -eu
build=$1 out=$2
src=$(cd "$(dirname "$0")/.." && pwd)
status=0
"$build/mxconform" run --tier standard -o "$out/results.json" --junit "$out/results.xml" || status=$?

if [ -f "$src/reports/mxreport.py" ] && command -v python3 >/dev/null 2>&1; then
  python3 "$src/reports/mxreport.py" "$out/results.json" -o "$out/report.html" --markdown "$out/summary.md" || status=1
fi

log="$out/selfcheck.txt"
"$build/mxconform" prove --sample 200000 --sr-sample 20000 --max-print 5 >"$log.tmp" 2>&1 || status=1
mv "$log.tmp" "$log"
grep -E '^SUMMARY' "$log" | sed 's/^SUMMARY/reference vs oracle (sampled)/'
echo "results: $out/results.json  junit: $out/results.xml  self-check: $log"
[ -f "$out/report.html" ] && echo "report: $out/report.html"
exit $status
