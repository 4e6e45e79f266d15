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

# non-regular files given as input: refused at once, never a hang (a FIFO without writer)
mkdir "$tmp/fifo_vec" "$tmp/fifo_man"
cp "$data/good/MANIFEST" "$tmp/fifo_vec/" && mkfifo "$tmp/fifo_vec/$f"
cp "$data/good/$f" "$tmp/fifo_man/" && mkfifo "$tmp/fifo_man/MANIFEST" && mkfifo "$tmp/fifo.profile"
expect_bad "FIFO as a vector file" "$f: cannot read: not a regular file" --vectors "$tmp/fifo_vec"
expect_bad "FIFO as MANIFEST" "MANIFEST: cannot read: not a regular file" --vectors "$tmp/fifo_man"
expect_bad "FIFO as profile" "fifo.profile: cannot read: not a regular file" --vectors "$data/good" --profile "$tmp/fifo.profile"
expect_bad "directory as profile" "cannot read: not a regular file" --vectors "$data/good" --profile "$tmp"
# the MANIFEST's case counts and a file's '# suite:' header are checked against the files
mkdir "$tmp/count" "$tmp/header" "$tmp/tier"
cp "$data/good/$f" "$tmp/count/" && sed 's/ 3 / 4 /' "$data/good/MANIFEST" >"$tmp/count/MANIFEST"
g=cvt.f32.e2m1.rne.ovf.mxv
cp "$data/good/$f" "$tmp/header/$g" && sed "s/$f/$g/" "$data/good/MANIFEST" >"$tmp/header/MANIFEST"
expect_bad "MANIFEST case count differs from the file" "$f: 3 cases, but MANIFEST says 4" --vectors "$tmp/count"
expect_bad "suite header differs from the file name" "$g: header '# suite: cvt.f32.e2m1.rne.sat' does not match the file name" \
  --vectors "$tmp/header"
# the tier comes from the MANIFEST
cp "$data/good/$f" "$tmp/tier/"
{ echo "# mxconform vectors MANIFEST: tier smoke, seed 1, profile ocp"; cat "$data/good/MANIFEST"; } >"$tmp/tier/MANIFEST"
expect_bad "--tier against the MANIFEST's tier" "--tier standard, but" --vectors "$tmp/tier" --tier standard
if "$mx" run --vectors "$tmp/tier" -q -o "$out" >/dev/null 2>&1 && grep -q '"tier": "smoke"' "$out"; then
  pass=$((pass + 1))
else
  echo "FAILED: the tier of a --vectors run is not the MANIFEST's"; fail=$((fail + 1))
fi
rm -f "$out"
# numbers that do not fit are errors, never saturated
big=99999999999999999999999
expect_bad "seed that overflows" "bad --seed '$big' (larger than 2^64-1)" --vectors "$data/good" --seed $big
expect_bad "shard that overflows" "bad --shard count '$big'" --vectors "$data/good" --shard 1/$big
expect_bad "shard out of range" "bad --shard '3/3'" --vectors "$data/good" --shard 3/3
expect_bad "max-failures that overflows" "bad --max-failures '$big'" --vectors "$data/good" --max-failures $big
expect_bad "max-failures past 2^32" "bad --max-failures '4294967296'" --vectors "$data/good" --max-failures 4294967296
expect_bad "show that overflows" "bad --show '$big'" --vectors "$data/good" --show $big
# output paths: checked before the run
expect_bad "-o and --junit the same file" "-o and --junit name the same file" --vectors "$data/good" --junit "$out"
expect_bad "empty -o" "-o '': empty file name" --vectors "$data/good" -o ''
expect_bad "-o a directory" "$tmp: cannot write there: not a regular file" --vectors "$data/good" -o "$tmp"

# an unusable target (exit 3): both outputs still say why
"$mx" run --vectors "$data/good" --target cmd:false -o "$out" --junit "$tmp/r.xml" >/dev/null 2>&1
st=$?
if [ "$st" = 3 ] && grep -q '"verdict": "error"' "$out" && grep -q 'target-usable' "$tmp/r.xml"; then
  pass=$((pass + 1))
else
  echo "FAILED: unusable target: exit $st, results.json and JUnit must both say why"; fail=$((fail + 1))
fi
rm -f "$out" "$tmp/r.xml"

# results that cannot be written after all (the temporary name is taken by a directory):
# one line, exit 2, no results file, and nothing leaked on that path (sanitizer builds)
mkdir "$tmp/late"
sh -c 'mkdir "$1/r.json.tmp.$$" && exec "$2" run --vectors "$3" -q -o "$1/r.json"' sh "$tmp/late" "$mx" "$data/good" \
  >/dev/null 2>"$tmp/stderr"
st=$?
if [ "$st" = 2 ] && [ "$(wc -l <"$tmp/stderr")" = 1 ] && grep -q "r.json: cannot write" "$tmp/stderr" && [ ! -e "$tmp/late/r.json" ]; then
  pass=$((pass + 1))
else
  echo "FAILED: a results file that cannot be written: exit $st: $(head -3 "$tmp/stderr")"; fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
