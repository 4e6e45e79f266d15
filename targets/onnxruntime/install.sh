#!/bin/sh
# Installs the npm package onnxruntime-node into targets/onnxruntime/.deps (project-local,
# git-ignored) for mxtarget_onnxruntime.js. --ignore-scripts: its install script downloads
# GPU files from outside (and fails offline); the CPU binaries are in the package itself.
#   sh targets/onnxruntime/install.sh [VERSION]     (default 1.30.0)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v npm >/dev/null 2>&1 || { echo "onnxruntime: npm not found (Debian: apt-get install npm)" >&2; exit 2; }
mkdir -p "$here/.deps"
cd "$here/.deps"
[ -f package.json ] || echo '{"name": "mxconform-onnxruntime-deps", "private": true}' > package.json
npm install --ignore-scripts --no-audit --no-fund "onnxruntime-node@${1:-1.30.0}" >&2
