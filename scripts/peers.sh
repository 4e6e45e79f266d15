#!/bin/sh
# Kept for old command lines: the peers campaign is scripts/peers.py (one table of peers).
# It runs under /usr/bin/python3 where present (the interpreter that sees Debian's
# python3-numpy/-torch for the Python peers); MXC_PEER_PYTHON names another.
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" -B "$here/peers.py" "$@"
