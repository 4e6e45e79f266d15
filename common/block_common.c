/* Names and defaults of the block layer (block.h), shared by oracle, reference and harness. */
#include <string.h>

#include "mxconform/block.h"

const char *const mx_block_fmt_names[] = {"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2",
                                          "mxfp4_e2m1", "mxint8", NULL};
const char *const mx_scale_rule_names[] = {"floor", "ceil", "rceil", "even", "even-tiedown", NULL};
const char *const mx_pack_layout_names[] = {"byte", "fp4-low", "fp4-high", "fp6-lsb", NULL};

mx_fmt mx_block_element(mx_block_fmt f) {
  static const mx_fmt elem[MX_BLOCK_FMT_COUNT] = {MX_E4M3, MX_E5M2, MX_E2M3, MX_E3M2, MX_E2M1, MX_INT8};
  return (unsigned)f < MX_BLOCK_FMT_COUNT ? elem[f] : MX_E4M3;
}

int mx_block_fmt_by_name(const char *name) {
  for (int i = 0; mx_block_fmt_names[i]; i++)
    if (!strcmp(mx_block_fmt_names[i], name)) return i;
  return -1;
}

void mx_block_opts_default(mx_block_opts *o) {
  memset(o, 0, sizeof *o);
  mx_convert_opts_default(&o->elem);
  o->rule = MX_RULE_FLOOR;
  o->nan_block = MX_NANB_NAN_SCALE;
  o->inf_block = MX_INFB_NAN_SCALE;
  o->zero_block = MX_ZEROB_MIN;
  o->scale_overflow = MX_SCALEOVF_NAN;
  o->dequant_overflow = MX_DQOVF_INF;
}

size_t mx_packed_size(mx_block_fmt f, mx_pack_layout l, size_t n) {
  int bits = mx_format(mx_block_element(f))->bits;
  switch (l) {
  case MX_PACK_BYTE: return n;
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH: return bits == 4 ? (n + 1) / 2 : 0;
  case MX_PACK_FP6_LSB: return bits == 6 ? (n * 6 + 7) / 8 : 0;
  default: return 0;
  }
}
