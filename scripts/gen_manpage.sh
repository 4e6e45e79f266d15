#!/bin/sh
# Write mxconform.1 (man(7) roff) from the program's own help texts, so the manual says
# what `mxconform COMMAND --help` says. Run by the build (cmake/install.cmake); installed
# into share/man/man1 by cmake --install.  usage: gen_manpage.sh MXCONFORM > mxconform.1
set -eu
mxc=$1
version=$("$mxc" --version | sed -n '1s/^mxconform //p')

# roff-safe text: backslashes, leading dots and quotes, hyphens of options
roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'; }

cat <<HEAD
.TH MXCONFORM 1 "" "mxconform $version" "User Commands"
.SH NAME
mxconform \\- conformance suite and exact oracle for the OCP MX formats
.SH SYNOPSIS
.B mxconform
.I command
.RI [ options ]
.br
.B mxconform \\-\\-version
.RB [ \\-\\-json ]
.SH DESCRIPTION
mxconform checks implementations of the OCP Microscaling (MX) formats (FP8, FP6, FP4,
INT8 elements with E8M0 scales) against an exact MPFR oracle: golden vectors, exhaustive
sweeps of conversions, dot-product fingerprints and results in JSON. Every expected value
comes from the oracle or the specification's tables, never from the code under test.
.SH COMMANDS
HEAD
"$mxc" --help | sed -n 's/^  \([a-z][a-z]*\)  *.*/\1/p' | while read -r c; do
  printf '.SS %s\n.nf\n' "$c"
  "$mxc" "$c" --help | roff
  printf '.fi\n'
done
cat <<'TAIL'
.SH VERSIONS
.B mxconform \-\-version
prints the program version, the target ABI version, the process protocol version, the
results.json schema, the vector format and vector-set versions and each tier's MANIFEST
digest;
.B \-\-json
prints the same as one JSON object.
.SH EXIT STATUS
.TP
.B 0
pass: every supported suite passed, no mismatch, or the command did what it was asked
.TP
.B 1
failures: a suite failed, a sweep or proof found differences, a probe did not confirm
.TP
.B 2
bad usage or bad input (one line saying what is wrong; nothing partial is written), or a
merge refused shards of different runs
.TP
.B 3
the target is unusable (it cannot be loaded, started or does not answer the handshake)
.SH ENVIRONMENT
.TP
.B MXCONFORM_VECTORS
the vectors root (holding smoke/ and standard/); default: share/mxconform/vectors beside an
installed program, else the source tree it was built from
.TP
.B MXREF_PATH
libmxref's code path: scalar, avx2 or auto
.TP
.B MXREF_THREADS
threads libmxref splits large tensors over
.TP
.BR MXC_PROGRESS ", " MXC_PROGRESS_INTERVAL
progress lines of long work on standard error: 0 (none), tty (one rewritten line) or plain
(a line every MXC_PROGRESS_INTERVAL seconds, default 30); -q silences them
.SH FILES
.TP
.I share/mxconform/vectors/
the golden vectors (format: vectors/FORMAT.md in the source)
.TP
.I include/mxconform/target.h
the C ABI a library implements to be tested with \-\-target lib:PATH
.TP
.I lib/pkgconfig/mxref.pc ", " lib/cmake/mxconform/
pkg\-config and CMake packages of libmxref
.SH SEE ALSO
README.md, harness/RESULTS.md (results.json), harness/PROTOCOL.md (the process protocol)
and vectors/FORMAT.md in the mxconform source.
TAIL
