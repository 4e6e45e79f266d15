/* Shared helpers of the fuzz targets: a byte consumer (the C cousin of LLVM's
 * FuzzedDataProvider), structure-aware value generators that aim at ties, subnormals,
 * specials and the edges of each element format, and the reporting helper.
 *
 * Every helper is static inline: each fuzz target is one translation unit plus the
 * libraries, so a replay binary and a libFuzzer binary are built from the same file. */
#ifndef MXCONFORM_FUZZ_COMMON_H
#define MXCONFORM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the byte consumer ------------------------------------------------------------------
 * Reads from the front; past the end every read is 0, so every input is valid and short
 * inputs mean "defaults". */
typedef struct fz {
  const uint8_t *p;
  size_t n;
} fz;

static inline uint8_t fz_u8(fz *f) {
  if (!f->n) return 0;
  f->n--;
  return *f->p++;
}

/* nbytes (<= 8) little-endian bytes. */
static inline uint64_t fz_le(fz *f, int nbytes) {
  uint64_t v = 0;
  for (int i = 0; i < nbytes; i++) v |= (uint64_t)fz_u8(f) << (8 * i);
  return v;
}

static inline unsigned fz_pick(fz *f, unsigned n) { return n ? fz_u8(f) % n : 0; }

/* Number of names in a NULL-terminated list. */
static inline unsigned fz_count(const char *const *names) {
  unsigned n = 0;
  while (names[n]) n++;
  return n;
}

/* splitmix64: random words for round=sr from a 4-byte seed (saves input bytes). */
static inline uint64_t fz_mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* ---- knobs ------------------------------------------------------------------------------- */

/* Every scalar knob from the knob table, one byte each (sr_bits: 1..32). round and overflow
 * come first so that the first two bytes of an input choose them. */
static inline void fz_convert_opts(fz *f, mx_convert_opts *o) {
  mx_convert_opts_default(o);
  for (const mx_knob *k = mx_knob_table; k->name; k++) {
    unsigned *field = (unsigned *)((char *)o + k->offset);
    if (k->is_number) *field = k->min + fz_pick(f, k->max - k->min + 1);
    else *field = fz_pick(f, fz_count(k->values));
  }
}

static inline void fz_print_opts(const mx_convert_opts *o) {
  char buf[64];
  for (const mx_knob *k = mx_knob_table; k->name; k++)
    fprintf(stderr, " --knob %s=%s", k->name, mx_knob_get(o, k, buf, sizeof buf));
}

/* ---- values -------------------------------------------------------------------------------- */

static const mx_fmt fz_sources[4] = {MX_F32, MX_BF16, MX_F16, MX_F64};
static const mx_fmt fz_elements[7] = {MX_E4M3, MX_E5M2, MX_E2M3, MX_E3M2, MX_E2M1, MX_INT8, MX_E8M0};

static inline uint64_t fz_mask(int bits) { return bits >= 64 ? ~0ull : ((1ull << bits) - 1); }

/* Exponent of the last place of element format `e` for a value in binade `ex` (value in
 * [2^ex, 2^(ex+1))): FLOAT max(ex, emin) - mbits, INT int_scale_log2, SCALE ex. */
static inline int fz_ulp_exp(mx_fmt e, int ex) {
  const mx_format_desc *d = mx_format(e);
  if (d->kind == MX_KIND_INT) return d->int_scale_log2;
  if (d->kind == MX_KIND_SCALE) return ex;
  return (ex > d->emin ? ex : d->emin) - d->mbits;
}

/* Largest binade of element format e (INT8: 0; E8M0: 127). */
static inline int fz_top_binade(mx_fmt e) { return mx_format(e)->emax; }
static inline int fz_bottom_binade(mx_fmt e) {
  const mx_format_desc *d = mx_format(e);
  if (d->kind == MX_KIND_INT) return d->int_scale_log2;
  if (d->kind == MX_KIND_SCALE) return d->emin;
  return d->emin - d->mbits;
}

/* A source bit pattern with sign s, unbiased exponent ex and the bits below element-ulp
 * position `ulp` set by pattern `tie`:
 *   0 random, 1 exact (all zero), 2 exact tie (1000..), 3 just below a tie (0111..),
 *   4 just above a tie (1000..01), 5 all ones (just below the next place), 6 ulp/2^k.
 * Exponents outside the source range become zero/subnormal or Inf. */
static inline uint64_t fz_make(mx_fmt src, int s, int ex, int ulp, int tie, uint64_t rnd) {
  const mx_format_desc *d = mx_format(src);
  int mb = d->mbits;
  int bias = d->bias;
  int be = ex + bias;
  uint64_t sign = (uint64_t)(s & 1) << (d->ebits + mb);
  int emaxb = (1 << d->ebits) - 2;
  if (be > emaxb) return sign | ((uint64_t)(emaxb + 1) << mb); /* Inf */
  uint64_t sig;                                                  /* significand incl. hidden bit */
  int lsb = ex - mb;                                             /* exponent of the source's last place */
  if (be < 1) lsb = 1 - bias - mb;                              /* subnormal: fixed last place */
  sig = rnd & fz_mask(mb + 1);
  if (be >= 1) sig |= 1ull << mb;
  else sig &= fz_mask(mb); /* a subnormal has no hidden bit */
  /* position of the element's last place inside the source significand */
  int pos = ulp - lsb; /* bits [0, pos) are below the element's last place */
  if (pos > 0 && pos <= mb) {
    uint64_t below = fz_mask(pos), half = 1ull << (pos - 1);
    uint64_t pat;
    switch (tie) {
    case 1: pat = 0; break;
    case 2: pat = half; break;
    case 3: pat = half - 1; break;
    case 4: pat = half | 1; break;
    case 5: pat = below; break;
    case 6: pat = half >> (rnd >> 60 & 7); break;
    default: pat = sig & below; break;
    }
    sig = (sig & ~below) | pat;
  }
  if (be < 1) return sign | (sig & fz_mask(mb));
  return sign | ((uint64_t)be << mb) | (sig & fz_mask(mb));
}

/* Specials and edges of a source format, by index. */
static inline uint64_t fz_special(mx_fmt src, unsigned which, int s) {
  const mx_format_desc *d = mx_format(src);
  int mb = d->mbits;
  uint64_t sign = (uint64_t)(s & 1) << (d->ebits + mb), einf = fz_mask(d->ebits) << mb;
  switch (which % 10) {
  case 0: return sign;                                       /* +-0 */
  case 1: return sign | einf;                                /* +-Inf */
  case 2: return sign | einf | (1ull << (mb - 1));           /* quiet NaN */
  case 3: return sign | einf | 1;                            /* signalling NaN, payload 1 */
  case 4: return sign | einf | fz_mask(mb);                  /* NaN, all-ones payload */
  case 5: return sign | 1;                                   /* smallest subnormal */
  case 6: return sign | fz_mask(mb);                         /* largest subnormal */
  case 7: return sign | (1ull << mb);                        /* smallest normal */
  case 8: return sign | (einf - (1ull << mb)) | fz_mask(mb); /* largest finite */
  default: return sign | ((uint64_t)d->bias << mb);          /* 1.0 */
  }
}

/* One source value aimed at element format `e` (ties, edges, specials), or raw bits.
 * `shift`: the exponent of the quantity the element sees is ex - shift (block scale). */
static inline uint64_t fz_value(fz *f, mx_fmt src, mx_fmt e, int shift) {
  const mx_format_desc *d = mx_format(src);
  unsigned mode = fz_u8(f);
  int s = mode >> 7;
  switch (mode & 7) {
  case 0:
  case 1: return fz_le(f, d->bits / 8); /* raw bits */
  case 2: return fz_special(src, fz_u8(f), s);
  default: {
    /* binade relative to the element's range: bottom - 3 .. top + 3 */
    int lo = fz_bottom_binade(e) - 3, hi = fz_top_binade(e) + 3;
    int ex = lo + (int)fz_pick(f, (unsigned)(hi - lo + 1)) + shift;
    int tie = (int)((mode >> 3) & 7) % 7;
    uint64_t rnd = fz_le(f, 8);
    return fz_make(src, s, ex, fz_ulp_exp(e, ex - shift) + shift, tie, rnd);
  }
  }
}

/* ---- formatting ---------------------------------------------------------------------------- */

static inline void fz_hex(const char *what, const uint8_t *data, size_t size) {
  fprintf(stderr, "%s (%zu bytes):", what, size);
  for (size_t i = 0; i < size; i++) fprintf(stderr, "%s%02x", i % 32 ? "" : "\n  ", data[i]);
  fputc('\n', stderr);
}

/* Print the reproducing input and abort: the fuzz targets' only way to report. */
#define FZ_FAIL(data, size, ...)                                           \
  do {                                                                     \
    fprintf(stderr, "\n==== mxconform fuzz: property violated ====\n");    \
    fprintf(stderr, __VA_ARGS__);                                          \
    fputc('\n', stderr);                                                   \
    fz_hex("input", (data), (size));                                       \
    abort();                                                               \
  } while (0)

#endif
