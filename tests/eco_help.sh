#!/bin/sh
# Every command listed by `mxconform --help` answers `--help` with its usage on standard
# output and exit 0; `--version` names every version; the man page (written from the same
# help texts at build time) has a section per command and renders without roff warnings.
# usage: eco_help.sh MXCONFORM MANPAGE
set -u
mxc=$1 man1=$2
fail() { echo "help: $*" >&2; exit 1; }
cmds=$("$mxc" --help | sed -n 's/^  \([a-z][a-z]*\)  *.*/\1/p')
[ "$(echo "$cmds" | wc -l)" -ge 13 ] || fail "mxconform --help lists too few commands: $cmds"
for c in $cmds; do
  out=$("$mxc" "$c" --help 2>/tmp/mxc_help_err.$$) || fail "$c --help exits $?"
  [ -s /tmp/mxc_help_err.$$ ] && fail "$c --help wrote to standard error"
  echo "$out" | head -n 1 | grep -q "^usage: mxconform $c" || fail "$c --help does not start with 'usage: mxconform $c'"
  grep -q "^\.SS $c\$" "$man1" || fail "the man page has no section for $c"
done
rm -f /tmp/mxc_help_err.$$
v=$("$mxc" --version) || fail "--version exits $?"
for w in '^mxconform [0-9]' '^target ABI [0-9]' '^process protocol [0-9]' '^results schema ' '^vectors format [0-9]*, vector set ' \
         '^vectors standard MANIFEST sha256 [0-9a-f]\{64\}$'; do
  echo "$v" | grep -q "$w" || fail "--version lacks $w"
done
"$mxc" --version --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["target_abi"] >= 1 and len(d["vectors"]["tiers"]["standard"]["manifest_sha256"]) == 64' ||
  fail "--version --json"
if command -v man >/dev/null 2>&1; then
  warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man1" 2>&1 >/dev/null)
  [ -z "$warn" ] || fail "man page warnings: $warn"
fi
echo "help: $(echo $cmds | wc -w) commands answer --help; --version complete; man page renders"
