#!/bin/sh
# The report on real harness output: the reference and a mutant target (failures, detected
# profile) each run the smoke tier; the report renders each alone and side by side, with a
# code map per format, and — where chromium is installed — in a real headless browser with
# no script errors (screenshots left in the build directory for a person to look at).
set -eu
mx=$1 mutant=$2 src=$3 out=$4
mkdir -p "$out"
"$mx" run --tier smoke -q -o "$out/reference.json" >/dev/null
st=0
"$mx" run --tier smoke -q --target "lib:$mutant" -o "$out/mutant.json" >/dev/null || st=$?
[ "$st" = 1 ] || { echo "FAILED: the mutant run should exit 1, got $st"; exit 1; }
py=python3
$py "$src/reports/mxreport.py" "$out/mutant.json" -o "$out/mutant.html" --markdown "$out/mutant.md"
$py "$src/reports/mxreport.py" "$out/reference.json" "$out/mutant.json" -o "$out/side_by_side.html"
$py - "$out" <<'PY'
import os, re, sys
out = sys.argv[1]
m = open(os.path.join(out, "mutant.html"), encoding="utf-8").read()
s = open(os.path.join(out, "side_by_side.html"), encoding="utf-8").read()
md = open(os.path.join(out, "mutant.md"), encoding="utf-8").read()
checks = [
    ('data-verdict="fail"' in m, "mutant report shows a FAIL verdict"),
    (len(re.findall(r'<svg class="codemap"', m)) == 12, "mutant report has a code map per element format (12)"),
    ("Detected profile" in m or "detected" in m.lower(), "mutant report has the detected-profile section"),
    ("mxconform convert" in m, "mutant report carries reproduce commands"),
    (s.count('class="verdict v-') == 2, "side by side shows two verdicts"),
    (len(re.findall(r'<svg class="codemap"', s)) == 24, "side by side shows both runs' code maps"),
    (len(md.splitlines()) <= 60 and len(md) < 10240, "markdown summary fits a pull-request comment"),
]
bad = [what for ok, what in checks if not ok]
for what in bad: print("FAILED:", what)
print("%d passed, %d failed" % (len(checks) - len(bad), len(bad)))
sys.exit(1 if bad else 0)
PY
if command -v chromium >/dev/null 2>&1; then
  for page in mutant side_by_side; do
    prof=$(mktemp -d)
    flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$prof"
    # shellcheck disable=SC2086
    timeout 120 chromium $flags --enable-logging=stderr --v=0 --dump-dom "file://$out/$page.html" >"$out/$page.dom" 2>"$out/$page.err" || true
    # shellcheck disable=SC2086
    timeout 120 chromium $flags --screenshot="$out/$page.png" --window-size=1280,2000 "file://$out/$page.html" >/dev/null 2>&1 || true
    rm -rf "$prof"
    grep -q 'data-js="ok"' "$out/$page.dom" || { echo "FAILED: $page.html did not finish its script in chromium"; exit 1; }
    if grep -q "Uncaught" "$out/$page.err"; then echo "FAILED: script error in $page.html"; exit 1; fi
    [ -s "$out/$page.png" ] || { echo "FAILED: no screenshot of $page.html"; exit 1; }
    echo "rendered in chromium: $out/$page.png"
  done
else
  echo "chromium not installed: the browser half of this test was skipped"
fi
