#!/bin/sh
# Install the build into a temporary prefix, then build a small C program against the
# installed tree the two ways a user would: pkg-config and CMake find_package. Nothing may
# come from the source or build tree. usage: install.sh BUILD_DIR SOURCE_DIR [CMAKE]
set -eu
build=$1 src=$2 cmake=${3:-cmake}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/p" >/dev/null
# moved after installing: every installed path must be relative to the prefix
mv "$tmp/p" "$tmp/q"
p=$tmp/q
for f in bin/mxconform include/mxconform/mxref.h include/mxconform/formats.def lib/libmxref.a \
         lib/pkgconfig/mxref.pc lib/cmake/mxconform/mxconformConfig.cmake share/mxconform/vectors/standard/MANIFEST \
         share/man/man1/mxconform.1; do
  [ -e "$p/$f" ] || fail "$f was not installed"
done
so=$(ls "$p"/lib/libmxref.so.*.*.* 2>/dev/null | head -n 1)
[ -n "$so" ] || fail "no versioned libmxref.so.X.Y.Z"
[ -L "$p/lib/libmxref.so" ] || fail "no libmxref.so link"
if command -v objdump >/dev/null 2>&1; then
  objdump -p "$so" | grep -q 'SONAME *libmxref\.so\.[0-9]*$' || fail "$so has no SONAME libmxref.so.N"
fi
"$p/bin/mxconform" --help >/dev/null || fail "installed mxconform does not run"
# the installed program reads the installed vectors, wherever the tree was moved
"$p/bin/mxconform" --version | grep -q "in $p/bin/../share/mxconform/vectors\$" || fail "installed mxconform does not find its vectors"
"$p/bin/mxconform" --version | grep -q '^vectors standard MANIFEST sha256 [0-9a-f]\{64\}$' || fail "no MANIFEST digest"

cc=${CC:-cc}
if command -v pkg-config >/dev/null 2>&1; then
  export PKG_CONFIG_PATH="$p/lib/pkgconfig"
  [ "$(pkg-config --modversion mxref)" = "$("$p/bin/mxconform" --version | sed -n 's/^mxconform \([^ ]*\).*/\1/p')" ] ||
    fail "mxref.pc version differs from mxconform --version"
  # shellcheck disable=SC2046
  "$cc" -o "$tmp/pc_shared" "$src/tests/install/consumer.c" $(pkg-config --cflags --libs mxref)
  LD_LIBRARY_PATH="$p/lib" "$tmp/pc_shared" || fail "pkg-config (shared) program failed"
  # shellcheck disable=SC2046
  "$cc" -o "$tmp/pc_static" "$src/tests/install/consumer.c" $(pkg-config --cflags mxref) \
    "$p/lib/libmxref.a" $(pkg-config --static --libs-only-l mxref | sed 's/-lmxref//')
  "$tmp/pc_static" || fail "pkg-config (static) program failed"
  echo "install: pkg-config builds (shared, static) ok"
else
  echo "install: pkg-config not found; that half skipped"
fi

"$cmake" -S "$src/tests/install" -B "$tmp/cb" -DCMAKE_PREFIX_PATH="$p" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$cmake" --build "$tmp/cb" >/dev/null
LD_LIBRARY_PATH="$p/lib" "$tmp/cb/consumer_shared" || fail "find_package program (mxconform::mxref) failed"
"$tmp/cb/consumer_static" || fail "find_package program (mxconform::mxref_static) failed"
(cd "$tmp/cb" && "${cmake%cmake}ctest" --output-on-failure >/dev/null) || fail "add_test(COMMAND mxconform::mxconform run) failed"
echo "install: find_package(mxconform) builds (mxconform::mxref, mxconform::mxref_static) and tests with mxconform::mxconform ok"
