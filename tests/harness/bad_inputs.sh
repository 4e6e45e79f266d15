#!/bin/sh
# Bad input files and bad command-line values: `mxconform run` prints exactly one line,
# `mxconform run: file:line: reason` (or `mxconform run: reason`), exits 2, and writes no
# results file. The fixtures are tests/data/bad_vectors/<case>/ (a MANIFEST and one or two
# vector files each; the MANIFEST checksums are right wherever the file itself is the
# problem, so that the parser, not the checksum, has to find it).
#   bad_inputs.sh MXCONFORM FIXTURE_DIR
mx=$1 data=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxbadinputs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/results.json
pass=0 fail=0
f=cvt.f32.e2m1.rne.sat.mxv

# expect_bad WHAT EXPECTED-TEXT run-arguments...
expect_bad() {
  what=$1 want=$2
  shift 2
  rm -f "$out"
  "$mx" run -o "$out" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  st=$?
  err=$(cat "$tmp/stderr")
  lines=$(wc -l <"$tmp/stderr")
  problem=""
  if [ "$st" != 2 ]; then problem="exit status $st, want 2"
  elif [ "$lines" != 1 ] || [ -s "$tmp/stdout" ]; then problem="not exactly one line of output"
  else
    case "$err" in
      "mxconform run: "*"$want"*) ;;
      *) problem="message does not say '$want'" ;;
    esac
  fi
  [ -z "$problem" ] && [ -e "$out" ] && problem="a results file was written"
  if [ -n "$problem" ]; then
    echo "FAILED: $what: $problem"
    echo "  command: $mx run -o $out $*"
    sed 's/^/  stderr: /' "$tmp/stderr" | head -5
    sed 's/^/  stdout: /' "$tmp/stdout" | head -5
    fail=$((fail + 1))
  else
    echo "ok: $what: $err"
    pass=$((pass + 1))
  fi
}

# The fixtures are sound apart from their one defect: the same file passes.
if "$mx" run --vectors "$data/good" -q -o "$out" >/dev/null 2>&1 && [ -s "$out" ]; then
  pass=$((pass + 1))
else
  echo "FAILED: the good fixture does not pass"; fail=$((fail + 1))
fi

# vector files
expect_bad "too many fields" "$f:24: expected 2 space-separated fields" --vectors "$data/fields"
expect_bad "code too wide for its format" "$f:24: expected: value 1 (12) does not fit in 4 bits" --vectors "$data/too_wide"
expect_bad "not hex" "$f:24: input: value 1 is not a hex number" --vectors "$data/not_hex"
expect_bad "empty line" "$f:24: empty line" --vectors "$data/empty_line"
expect_bad "wrong magic line" "$f:1: not an mxconform vector file" --vectors "$data/magic"
expect_bad "truncated file" "$f:23: truncated file" --vectors "$data/truncated"
expect_bad "truncated header" "$f:10: truncated header" --vectors "$data/truncated_header"
expect_bad "unknown knob in a header" "$f:8: unknown knob 'colour'" --vectors "$data/unknown_knob"
expect_bad "bad knob value in a header" "$f:12: bad value 'purple' for knob nan_finite" --vectors "$data/bad_knob_value"
expect_bad "duplicate header" "$f:6: duplicate header 'dst'" --vectors "$data/duplicate_header"
# MANIFEST
expect_bad "file not in MANIFEST" "cvt.f32.e2m1.rne.ovf.mxv: not listed in MANIFEST" --vectors "$data/unlisted"
expect_bad "MANIFEST entry without file" "cvt.f32.e2m1.rne.ovf.mxv: listed in MANIFEST but missing" --vectors "$data/missing"
expect_bad "SHA-256 mismatch" "$f: SHA-256 " --vectors "$data/sha"
expect_bad "malformed MANIFEST line" "MANIFEST:2: expected 'sha256 cases file'" --vectors "$data/manifest_line"
expect_bad "truncated MANIFEST" "MANIFEST:2: truncated" --vectors "$data/manifest_truncated"
expect_bad "no MANIFEST" "MANIFEST: cannot read" --vectors "$data/no_manifest"
expect_bad "no such vector directory" "MANIFEST: cannot read" --vectors "$data/no-such-directory"
# profiles
expect_bad "unknown profile key" "unknown-key.profile:3: unknown key 'shared_exponent_rule'" \
  --vectors "$data/good" --profile "$data/unknown-key.profile"
expect_bad "unknown profile" "no-such-profile" --vectors "$data/good" --profile no-such-profile
# command-line values
expect_bad "unknown argument" "unknown argument '--frobnicate'" --vectors "$data/good" --frobnicate
expect_bad "option without its value" "option --suites needs a value" --vectors "$data/good" --suites
expect_bad "unknown tier" "unknown tier 'huge'" --tier huge
expect_bad "no suite matches" "no suite matches --suites 'quantize.*'" --vectors "$data/good" --suites 'quantize.*'
expect_bad "zero timeout" "bad --timeout '0'" --vectors "$data/good" --timeout 0
expect_bad "timeout not a number" "bad --timeout 'soon'" --vectors "$data/good" --timeout soon
expect_bad "NaN timeout" "bad --timeout 'nan'" --vectors "$data/good" --timeout nan
expect_bad "bad seed" "bad --seed '-1'" --vectors "$data/good" --seed -1
expect_bad "bad max-failures" "bad --max-failures 'many'" --vectors "$data/good" --max-failures many
expect_bad "malformed target" "bad --target 'reference-please'" --vectors "$data/good" --target reference-please
expect_bad "unwritable JUnit path" "$tmp/no-such-dir/r.xml: cannot write there" \
  --vectors "$data/good" --junit "$tmp/no-such-dir/r.xml"
# an unwritable -o path: the one case where -o itself is the problem
rm -f "$out"
if "$mx" run --vectors "$data/good" -o "$tmp/no-such-dir/r.json" >"$tmp/stdout" 2>"$tmp/stderr"; then st=0; else st=$?; fi
if [ "$st" = 2 ] && [ "$(wc -l <"$tmp/stderr")" = 1 ] && grep -q "no-such-dir/r.json: cannot write there" "$tmp/stderr"; then
  pass=$((pass + 1))
else
  echo "FAILED: unwritable -o path: exit $st: $(cat "$tmp/stderr")"; fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
