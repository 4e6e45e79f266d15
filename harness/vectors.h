/* Golden vectors: the operation table, the in-memory suite, and the text format of
 * vectors/FORMAT.md (reader and writer). */
#ifndef MXCONFORM_VECTORS_H
#define MXCONFORM_VECTORS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mxconform/block.h"
#include "mxconform/dot.h"
#include "mxconform/profile.h"

/* The operations, TestFloat-style: one row each, with what the op's suites are keyed by
 * and which knobs its expected values depend on (op_table in vectors.c). */
typedef enum vec_op {
  OP_DECODE = 0, OP_CVT, OP_QUANTIZE, OP_DEQUANTIZE, OP_PACK, OP_DOT,
  OP_NVFP4_QUANTIZE,   /* a tensor of n blocks of 16 f32 -> tensor scale, E4M3 block scales, E2M1 codes */
  OP_NVFP4_DEQUANTIZE, /* one NVFP4 block (tensor scale, block scale, 16 codes) -> 16 f32 */
  OP_NVFP4_DOT,        /* DotGeneral of two NVFP4 vectors of n blocks (+ C) -> f32, exact-rne */
  OP_COUNT
} vec_op;

typedef struct op_info {
  vec_op op;
  const char *name;          /* "cvt" */
  const char *columns;       /* the columns line, e.g. "input expected" */
  const char *const *knobs;  /* profile keys the expected values depend on, NULL-terminated: read
                              * them through vec_op_knobs (cvt's list is filled on first use) */
  const char *summary;
} op_info;

extern const op_info op_table[OP_COUNT];
const op_info *op_find(const char *name);
/* The knobs op's expected values depend on (op_table's list, NULL-terminated; thread-safe). */
const char *const *vec_op_knobs(vec_op op);

/* One suite = one vector file: the operation, its parameters, the knob values under which
 * the expected values were computed, and the cases. A case is `nin` input words and `nout`
 * expected words (bit patterns; for pack, the expected words are bytes). A dot case's inputs
 * are [A scales (n), A codes (n*k), B scales (n), B codes (n*k), has_c, c]. An nvfp4_quantize
 * case's inputs are [16n f32 values, has_amax, amax], its outputs [tensor scale, n block
 * scales, 16n codes]; an nvfp4_dequantize case's inputs [tensor scale, block scale, 16 codes];
 * an nvfp4_dot case's inputs [A tensor scale, A block scales (n), A codes (16n), the same for
 * B, has_c, c]. */
typedef struct vec_suite {
  char name[128]; /* e.g. "cvt.f32.e4m3.rne.sat" */
  char origin[512]; /* file path for messages */
  vec_op op;
  mx_fmt src, dst, fmt;   /* cvt: src/dst; decode: fmt; dequantize: dst */
  mx_block_fmt bfmt;      /* quantize, dequantize, pack; dot: operand A */
  mx_block_fmt bfmt_b;    /* dot: operand B */
  size_t nblocks;         /* dot, nvfp4_dot: blocks per operand; nvfp4_quantize: blocks per tensor */
  mx_pack_layout layout;  /* pack */
  mx_round round;         /* cvt param */
  mx_overflow overflow;   /* cvt param */
  int rule;               /* quantize param `rule` (an mx_scale_rule), or -1: the profile's knob */
  size_t k;               /* block size (quantize/dequantize), codes per case (pack) */
  mx_profile knobs;       /* the knob values the expected outputs were computed under */
  uint64_t seed;
  char generator[256];
  size_t nin, nout, nrand; /* words per case; nrand = 1 for cvt with round=sr */
  size_t ncases, cap;
  uint64_t *in, *out;
  uint32_t *rnd;
} vec_suite;

void vec_suite_init(vec_suite *s);
void vec_suite_free(vec_suite *s);
/* Add a case (copies nin + nout words and the random word). */
void vec_suite_add(vec_suite *s, const uint64_t *in, const uint64_t *out, uint32_t rnd);
/* Set nin/nout/nrand from the op and parameters. */
void vec_suite_shape(vec_suite *s);
/* The canonical suite name from the op and parameters. */
void vec_suite_make_name(vec_suite *s);

/* Hex digits [a, b) (1..16 of them, no 0x) as a word below 2^bits (bits = 64: any).
 * 0, or -1 when not such a word. Shared by the vector reader and the protocol reader. */
int vec_hex_word(const char *a, const char *b, int bits, uint64_t *v);

/* The operands of dot case `in` of suite s: fills sa/sb (n scales) and ca/cb (n*k codes),
 * points a and b at them, and returns 1 with C's bits in *c when the case has a C. */
int vec_dot_operands(const vec_suite *s, const uint64_t *in, uint8_t *sa, uint8_t *ca, uint8_t *sb, uint8_t *cb,
                     mx_dot_vec *a, mx_dot_vec *b, uint32_t *c);

/* The operands of nvfp4_dot case `in`: the tensor scales' bits, sa/sb (n block scale codes)
 * and ca/cb (16n codes); returns 1 with C's bits in *c when the case has a C. */
int vec_nvfp4_dot_operands(const vec_suite *s, const uint64_t *in, uint32_t *st_a, uint8_t *sa, uint8_t *ca,
                           uint32_t *st_b, uint8_t *sb, uint8_t *cb, uint32_t *c);

/* Write the suite in the documented text format. Returns 0, or -1 on a write error. */
int vec_write(FILE *f, const vec_suite *s);

/* Read a vector file. 0 on success; otherwise "path:line: reason" in err and nonzero. */
int vec_read_file(const char *path, vec_suite *s, char *err, size_t errlen);
int vec_parse(const char *text, size_t len, const char *origin, vec_suite *s, char *err, size_t errlen);

#endif
