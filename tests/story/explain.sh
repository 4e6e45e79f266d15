#!/bin/sh
# mxconform explain on results files of real runs.
# usage: explain.sh MXCONFORM CHECK [TARGET_SPEC]
#   mutant    TARGET fails: the story names failing inputs, expected/actual, a reproduce command
#             that shows the bug against the target, the summary, in under 40 lines; --show 1
#             and -v print more; a document with unknown fields reads the same.
#   passing   the reference passes: no failure class, VERDICT: PASS, exit 0.
#   bad-file  unreadable, malformed or foreign files: one line on stderr, exit 2, no stdout.
#   color     ANSI colour on a terminal (util-linux script), none with NO_COLOR; 77 without script.
mxc=$1 check=$2 target=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

case "$check" in
mutant)
  "$mxc" run --target "$target" -q -o "$tmp/r.json" >/dev/null 2>&1
  [ $? = 1 ] || fail "the run against $target did not fail"
  "$mxc" explain "$tmp/r.json" >"$tmp/out" 2>&1
  st=$?
  cat "$tmp/out"
  [ $st = 1 ] || fail "explain exit $st, expected 1 (the run's)"
  lines=$(wc -l <"$tmp/out")
  [ "$lines" -lt 40 ] || fail "$lines lines, expected under 40"
  grep -q '^FAILED ' "$tmp/out" || fail "no failure class"
  grep -q ' -> expected .*, got ' "$tmp/out" || fail "no input with expected and actual"
  grep -q 'failure class.* in .* suite' "$tmp/out" || fail "no summary"
  grep -q '^VERDICT: FAIL' "$tmp/out" || fail "no verdict"
  grep -q "$(printf '\033')" "$tmp/out" && fail "colour on a pipe"
  # the first reproduce command of the story shows the wrong answer against the target
  line=$(grep -m1 '^    reproduce: ' "$tmp/out" | sed 's/^    reproduce: //')
  case "$line" in "mxconform "*" --target "*) ;; *) fail "reproduce line '$line'" ;; esac
  eval "\"\$mxc\" ${line#mxconform }" >"$tmp/rep" 2>&1
  st=$?
  cat "$tmp/rep"
  [ $st = 1 ] && grep -q '^DIFFERENT' "$tmp/rep" || fail "the reproduce command did not show the bug (exit $st)"
  # -v: every failure the file holds; --show 1: one of every failing suite
  nrep=$(grep -c '"reproduce": ' "$tmp/r.json")
  nv=$("$mxc" explain "$tmp/r.json" -v | grep -c '^    reproduce: ')
  [ "$nv" = "$nrep" ] || fail "-v printed $nv failures, the file holds $nrep"
  nsuites=$(grep -c '"status": "fail"' "$tmp/r.json")
  ns=$("$mxc" explain --show 1 "$tmp/r.json" | grep -c '^    reproduce: ')
  [ "$ns" = "$nsuites" ] || fail "--show 1 printed $ns failures for $nsuites failing suites"
  # readers tolerate fields added later (results.json may grow)
  sed 's/^  "schema": "mxconform-results\/1",/  "schema": "mxconform-results\/1", "added_later": {"x": [1, 2.5e3, null, true, "\\u00e9"]},/' \
    "$tmp/r.json" >"$tmp/more.json"
  cmp -s "$tmp/r.json" "$tmp/more.json" && fail "could not add a field to the document"
  "$mxc" explain "$tmp/more.json" | sed 1d >"$tmp/out2"
  sed 1d "$tmp/out" | cmp -s - "$tmp/out2" || fail "an unknown field changed the story"
  ;;
passing)
  "$mxc" run --target reference --tier smoke -q -o "$tmp/r.json" >/dev/null 2>&1 || fail "the reference run failed"
  "$mxc" explain "$tmp/r.json" >"$tmp/out" 2>&1
  st=$?
  cat "$tmp/out"
  [ $st = 0 ] || fail "explain exit $st, expected 0"
  grep -q '^FAILED' "$tmp/out" && fail "a failure class in a passing run"
  grep -q '^VERDICT: PASS' "$tmp/out" || fail "no PASS verdict"
  ;;
bad-file)
  printf '{"schema": "mxconform-results/1", "suites": [\n' >"$tmp/truncated.json"
  printf '{"results": []}\n' >"$tmp/foreign.json"
  printf 'not json\n' >"$tmp/text.json"
  for f in "$tmp/missing.json" "$tmp/truncated.json" "$tmp/foreign.json" "$tmp/text.json" "$tmp"; do
    "$mxc" explain "$f" >"$tmp/out" 2>"$tmp/err"
    st=$?
    echo "$f: exit $st: $(cat "$tmp/err")"
    [ $st = 2 ] || fail "exit $st, expected 2"
    [ -s "$tmp/out" ] && fail "something on stdout"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "not one line"
  done
  "$mxc" explain >/dev/null 2>&1; [ $? = 2 ] || fail "no file: not exit 2"
  "$mxc" explain a.json b.json >/dev/null 2>&1; [ $? = 2 ] || fail "two files: not exit 2"
  ;;
color)
  command -v script >/dev/null 2>&1 || { echo "no script(1): skipped"; exit 77; }
  "$mxc" run --target "$target" --suites 'cvt.f32.e2m1.rne.*' -q -o "$tmp/r.json" >/dev/null 2>&1
  esc=$(printf '\033')
  env -u NO_COLOR script -qc "\"$mxc\" explain \"$tmp/r.json\"" /dev/null >"$tmp/tty" 2>&1 </dev/null
  grep -q "$esc\[" "$tmp/tty" || fail "no colour on a terminal"
  NO_COLOR=1 script -qc "\"$mxc\" explain \"$tmp/r.json\"" /dev/null >"$tmp/tty" 2>&1 </dev/null
  grep -q '^FAILED' "$tmp/tty" || fail "no story under NO_COLOR"
  grep -q "$esc\[" "$tmp/tty" && fail "colour despite NO_COLOR"
  ;;
*) fail "unknown check $check" ;;
esac
echo ok
