/* The request handler of `mxconform serve` (cmd_serve.c), apart from its stdin/stdout loop,
 * so that the protocol fuzzer (fuzz/fuzz_protocol_parser.c) drives it line by line. */
#ifndef MXCONFORM_SERVE_H
#define MXCONFORM_SERVE_H

#include "mxconform/dot.h"
#include "mxconform/profile.h"
#include "mxconform/target.h"

typedef struct serve_ctx {
  const mxc_target_api *api; /* NULL: libmxref answers */
  mx_profile profile;        /* libmxref's knobs (--profile, default ocp) */
  mx_dot_model dot_model;    /* libmxref's dot products (--dot-preset, default exact-rne) */
} serve_ctx;

/* Answer one request line of harness/PROTOCOL.md (no '\n'; modified in place) with one line
 * on stdout. `mxconform-protocol 1` and `quit` are the caller's. */
void serve_handle_line(serve_ctx *sv, char *line);

#endif
