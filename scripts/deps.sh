#!/bin/sh
# Bootstrap: make sure the Debian packages mxconform needs are installed.
# Root: installs what is missing with apt-get (the only network used).
# Not root: prints the exact apt-get line and exits 2.
# Set MXC_SKIP_DEPS=1 to skip (e.g. on a non-Debian system with the tools already present).
set -eu
[ "${MXC_SKIP_DEPS:-0}" = 1 ] && exit 0

# `sh scripts/deps.sh peers` (make deps-peers): also what the peers of scripts/peers.py need,
# all optional (a peer whose packages are missing is skipped with one line): Eigen for the
# ml_dtypes headers, NumPy for gfloat, torch + packaging for microxcaling (all for
# /usr/bin/python3), node/npm, then onnxruntime-node into targets/onnxruntime/.deps.
if [ "${1:-}" = peers ]; then
  MXC_EXTRA_PACKAGES="${MXC_EXTRA_PACKAGES:-} libeigen3-dev python3-numpy python3-torch python3-packaging"
  # A Node.js that is not Debian's (NodeSource's brings its own npm) conflicts with Debian's npm
  # package, and apt would then refuse the whole optional list: ask for node/npm only when absent.
  command -v npm >/dev/null 2>&1 || MXC_EXTRA_PACKAGES="$MXC_EXTRA_PACKAGES nodejs npm"
  export MXC_EXTRA_PACKAGES
  sh "$0" || exit $?
  here=$(cd "$(dirname "$0")/.." && pwd)
  if [ -d "$here/targets/onnxruntime/.deps/node_modules/onnxruntime-node" ]; then exit 0; fi
  if command -v npm >/dev/null 2>&1; then
    sh "$here/targets/onnxruntime/install.sh" ||
      echo "deps: onnxruntime-node not installed (npm failed); the onnxruntime peer will be skipped" >&2
  else
    echo "deps: npm not found; the onnxruntime peer will be skipped" >&2
  fi
  exit 0
fi

# Required for `make run` and `make test`. Optional extras (chromium, llvm-19-dev,
# python3-matplotlib) are found by CMake / the tests and skipped when absent.
required="cmake make gcc libc6-dev libmpfr-dev libgmp-dev python3"
extra="${MXC_EXTRA_PACKAGES:-}"
# Optional, installed when root (their tests skip without them): GNU parallel (the sharded
# sweep test), pkg-config (the install test's pkg-config half).
[ "$(id -u)" = 0 ] && extra="$extra parallel pkg-config"

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: dpkg-query not found (not Debian?); assuming $required are installed" >&2
  exit 0
fi

missing=""
for p in $required $extra; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "mxconform needs these Debian packages:$missing" >&2
  echo "run as root:  apt-get install -y$missing" >&2
  exit 2
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2 || true
req_missing="" opt_missing=""
for p in $missing; do
  case " $required " in *" $p "*) req_missing="$req_missing $p" ;; *) opt_missing="$opt_missing $p" ;; esac
done
# shellcheck disable=SC2086
[ -z "$req_missing" ] || apt-get install -y -q --no-install-recommends $req_missing >&2
# Optional extras (e.g. chromium for the report's browser test): a failure only skips them.
# shellcheck disable=SC2086
# One package apt cannot install makes it refuse them all, so on failure each is tried alone.
[ -z "$opt_missing" ] && exit 0
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $opt_missing >&2 && exit 0
for p in $opt_missing; do
  apt-get install -y -q --no-install-recommends "$p" >/dev/null 2>&1 ||
    echo "deps: could not install optional $p; the tests that need it will be skipped" >&2
done
exit 0
