/* The format table (rows in include/mxconform/formats.def), data only. Checked against the OCP MX v1.0
 * and OFP8 spec tables by tests/test_format_table.c; see spec_notes/formats.md. */
#include "mxconform/formats.h"

#include <string.h>

static const mx_format_desc k_formats[MX_FMT_COUNT] = {
#define MX_FORMAT(id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src) \
  {id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src},
#include "mxconform/formats.def"
#undef MX_FORMAT
};

const mx_format_desc *mx_format(mx_fmt id) {
  if ((unsigned)id >= MX_FMT_COUNT) return &k_formats[0];
  return &k_formats[id];
}

int mx_format_by_name(const char *name) {
  if (!name) return -1;
  for (int i = 0; i < MX_FMT_COUNT; i++)
    if (strcmp(k_formats[i].name, name) == 0) return i;
  return -1;
}

uint64_t mx_format_code_count(mx_fmt id) {
  int b = mx_format(id)->bits;
  return b > 32 ? 0 : (uint64_t)1 << b;
}

int mx_code_sign(mx_fmt id, uint64_t code) {
  const mx_format_desc *d = mx_format(id);
  if (!d->has_sign) return 0;
  return (int)((code >> (d->bits - 1)) & 1u);
}

mx_class mx_classify(mx_fmt id, uint64_t code) {
  const mx_format_desc *d = mx_format(id);
  uint64_t mask = d->bits >= 64 ? ~0ull : (((uint64_t)1 << d->bits) - 1);
  code &= mask;
  switch (d->kind) {
  case MX_KIND_INT:
    return code == 0 ? MX_CLASS_ZERO : MX_CLASS_NORMAL;
  case MX_KIND_SCALE:
    return code == mask ? MX_CLASS_NAN : MX_CLASS_NORMAL;
  case MX_KIND_FLOAT:
  default: {
    uint64_t mant = code & (((uint64_t)1 << d->mbits) - 1);
    uint64_t expf = (code >> d->mbits) & (((uint64_t)1 << d->ebits) - 1);
    uint64_t eall = ((uint64_t)1 << d->ebits) - 1;
    uint64_t mall = ((uint64_t)1 << d->mbits) - 1;
    if (expf == eall) {
      if (d->specials == MX_SPECIALS_IEEE) return mant ? MX_CLASS_NAN : MX_CLASS_INF;
      if (d->specials == MX_SPECIALS_NAN_ALLONES && mant == mall) return MX_CLASS_NAN;
    }
    if (d->specials == MX_SPECIALS_NAN_NEGZERO && code == (uint64_t)1 << (d->bits - 1)) return MX_CLASS_NAN;
    if (expf == 0) return mant ? MX_CLASS_SUBNORMAL : MX_CLASS_ZERO;
    return MX_CLASS_NORMAL;
  }
  }
}

const char *mx_class_name(mx_class c) {
  static const char *names[] = {"zero", "subnormal", "normal", "inf", "nan"};
  return (unsigned)c < 5 ? names[c] : "?";
}
