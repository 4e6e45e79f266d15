/* mxconform CLI plumbing: argument errors, option parsing helpers. */
#ifndef MXCONFORM_CLI_H
#define MXCONFORM_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"

#define MXC_EXIT_OK 0
#define MXC_EXIT_FAIL 1
#define MXC_EXIT_USAGE 2

/* Print "mxconform <cmd>: <message>" and exit 2. */
_Noreturn void cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The value of option argv[*i] (either "--opt=value" or "--opt value"); advances *i.
 * Returns NULL when argv[*i] is not `name`. Exits 2 when the value is missing. */
const char *cli_opt(const char *cmd, int argc, char **argv, int *i, const char *name);

mx_fmt cli_format(const char *cmd, const char *name, int want_source, int want_element);
/* Apply a knob from --round/--overflow/--knob NAME=VALUE; exits 2 with the allowed values. */
void cli_knob(const char *cmd, mx_convert_opts *o, const char *name, const char *value);
void cli_knob_assign(const char *cmd, mx_convert_opts *o, const char *assignment);
/* The scalar knobs of o that differ from the defaults, round and overflow left out, each
 * written as PREFIX NAME=VALUE (prefix " --knob " for a command line, " " for a protocol
 * line) into buf; "" when all are default. */
void cli_knobs_not_default(const mx_convert_opts *o, const char *prefix, char *buf, size_t len);
/* Split "NAME=VALUE": NAME into name[len], returns VALUE; exits 2 when malformed. */
const char *cli_split_assignment(const char *cmd, const char *assignment, char *name, size_t len);
/* An unsigned decimal/hex/octal number; exits 2 on bad text or one that does not fit. */
uint64_t cli_u64(const char *cmd, const char *what, const char *text);
/* Same, at most max. */
uint64_t cli_u64_max(const char *cmd, const char *what, const char *text, uint64_t max);
/* A source value typed on the command line: a hex bit pattern of `src` ("0x43e80000") or a
 * number ("464", "0x1.dp+8", "-inf", "nan") rounded to `src` (RNE); *rounded tells which.
 * Exits 2 on bad text. */
uint64_t cli_parse_value(const char *cmd, mx_fmt src, const char *text, int *rounded);
/* fopen(path, "rb") for a regular file only: a FIFO, device or directory given as an
 * input file is refused at once (never a hang). NULL with "PATH: cannot read: why". */
FILE *cli_open_regular(const char *path, char *err, size_t errlen);
/* "i/n" with 0 <= i < n < 2^32; exits 2 otherwise. */
void cli_shard(const char *cmd, const char *text, unsigned *i, unsigned *n);

int cmd_formats(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_probe(int argc, char **argv); /* harness/cmd_probe.c */
int cmd_quantize(int argc, char **argv);   /* harness/cmd_quantize.c */
int cmd_dequantize(int argc, char **argv); /* harness/cmd_quantize.c */
int cmd_pack(int argc, char **argv);       /* harness/cmd_pack.c */
int cmd_dot(int argc, char **argv);        /* harness/cmd_dot.c */
int cmd_explain(int argc, char **argv);    /* harness/cmd_explain.c */
int cmd_fuzz(int argc, char **argv);       /* harness/cmd_fuzz.c */
int cmd_merge(int argc, char **argv);      /* harness/cmd_merge.c */
int cmd_export(int argc, char **argv);     /* harness/cmd_export.c */

/* Block proofs (harness/prove_blocks.c), run by `mxconform prove --op scale|quantize|pack`.
 * exhaustive: all 2^32 f32 amax values for the scale proof; otherwise sampled with
 * `sample` random blocks per format x rule. Prints one line per combination like
 * cmd_prove and adds to *checked; returns the number of differences. */
uint64_t prove_blocks(const char *op, int exhaustive, uint64_t sample, uint64_t seed, unsigned jobs,
                      uint64_t *checked);

/* A comma list of hex words ("7f,80" or "0x7f,0x80"), each below 2^bits, into out[max];
 * returns the count. Bad text: "mxconform CMD: WHAT: ..." and exit 2. */
size_t cli_hex_list(const char *cmd, const char *what, const char *text, int bits, uint64_t *out, size_t max);

#endif
