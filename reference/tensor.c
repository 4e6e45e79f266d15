/* libmxref tensor API: quantize / dequantize n contiguous values in blocks of k, packed,
 * optionally on several threads (block.h, mxref.h).
 *
 * Each call is a loop over whole blocks: the AVX2 kernels take runs of blocks (dispatch.h);
 * quantize writes the packed layouts straight from its registers (avx2_pack.h), dequantize
 * reads codes that mxref_unpack has unpacked a chunk at a time; mxref_quantize_block /
 * mxref_dequantize_block take the blocks the kernels leave. Threads get
 * contiguous ranges of whole blocks and write disjoint output, so results are the same for
 * any thread count. */
#include <string.h>

#include "avx2.h"
#include "internal.h"
#include "dispatch.h"
#include "threads.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"

typedef struct tensor_job {
  int quantize; /* 1: quantize, 0: dequantize */
  mx_block_fmt f;
  mx_fmt fmt; /* quantize: the source; dequantize: the destination */
  const unsigned char *in;
  unsigned char *out;
  uint8_t *scales;              /* quantize writes */
  const uint8_t *scales_in;     /* dequantize reads */
  size_t k;                     /* values per block */
  size_t width;                 /* bytes per source/destination value */
  mx_pack_layout l;
  size_t packed_per_block;
  mx_block_opts o;
} tensor_job;

static size_t value_width(mx_fmt t) {
  switch (t) {
  case MX_F32: return 4;
  case MX_BF16:
  case MX_F16: return 2;
  case MX_F64: return 8;
  default: return 0;
  }
}

/* Blocks [b, b + nb) of a quantize job, written in the job's layout: runs of blocks by the
 * AVX2 kernel (which packs in registers), the blocks it leaves by mxref_quantize_block and
 * mxref_pack, one at a time (every block starts on a byte: job_init). */
static void quantize_run(const tensor_job *j, size_t b, size_t nb) {
  const size_t k = j->k, per = j->packed_per_block;
  uint8_t codes[MX_BLOCK_MAX];
  size_t done = 0;
  while (done < nb) {
#if MXR_HAVE_AVX2
    if (mxr_use_avx2() && j->o.elem.round != MX_SR && mxr_avx2_opts_known(&j->o.elem))
      done += mxr_avx2_quantize_packed(j->f, j->fmt, j->in + (b + done) * k * j->width, nb - done, k, &j->o, j->l,
                                       j->scales + b + done, j->out + (b + done) * per);
    if (done >= nb) break;
#endif
    uint8_t *dst = j->l == MX_PACK_BYTE ? j->out + (b + done) * per : codes; /* byte: straight into the output */
    mxref_quantize_block(j->f, j->fmt, j->in + (b + done) * k * j->width, k, &j->o, NULL, j->scales + b + done, dst);
    if (j->l != MX_PACK_BYTE) mxref_pack(j->f, j->l, codes, k, j->out + (b + done) * per);
    done++;
  }
}

/* Blocks [b, b + nb) of a dequantize job. Packed layouts are unpacked a chunk of blocks at a
 * time (mxref_unpack, itself AVX2) and dequantized from bytes: measured as fast as or faster
 * than unpacking inside the dequantize kernel. */
static void dequantize_run(const tensor_job *j, size_t b, size_t nb) {
  const size_t k = j->k, per = j->packed_per_block;
  uint8_t codes[MX_BLOCK_MAX];
  const size_t chunk = MX_BLOCK_MAX / k; /* >= 1 */
  for (size_t c0 = 0; c0 < nb; c0 += chunk) {
    const size_t cn = nb - c0 < chunk ? nb - c0 : chunk;
    const uint8_t *src = j->in + (b + c0) * per;
    if (j->l != MX_PACK_BYTE) { /* byte: both paths mask a code to its format's width */
      mxref_unpack(j->f, j->l, src, cn * k, codes);
      src = codes;
    }
    size_t done = 0;
    while (done < cn) {
#if MXR_HAVE_AVX2
      if (mxr_use_avx2())
        done += mxr_avx2_dequantize_blocks(j->f, j->scales_in + b + c0 + done, src + done * k, cn - done, k, j->fmt,
                                           j->out + (b + c0 + done) * k * j->width);
      if (done >= cn) break;
#endif
      mxref_dequantize_block(j->f, j->scales_in[b + c0 + done], src + done * k, k, j->fmt, &j->o,
                             j->out + (b + c0 + done) * k * j->width);
      done++;
    }
  }
}

static void tensor_run(const tensor_job *j, size_t b, size_t nb) {
  if (j->quantize) quantize_run(j, b, nb);
  else dequantize_run(j, b, nb);
}

/* One share of a job (mxr_run_shares): blocks [b0, b1), in SHARE_STREAMS equal parts side by
 * side, a segment of SEGMENT blocks of each in turn, then the rest: one core reads a large
 * tensor faster from two places at once than from one (as the NVFP4 passes do, avx2_nvfp4.c).
 * Every block is computed alone, so the order changes no result. Quantize at 256 MiB, one
 * thread (mxbench, two runs alternately, 2026-12-03): e2m3 0.49-0.54x memcpy -> 0.62-0.68,
 * e3m2 0.50-0.60 -> 0.65-0.66, e4m3 0.57-0.61 -> 0.64-0.65; dequantize 0.63-0.72 -> 0.70-0.81;
 * segments of 128 blocks gained less, four streams lost. */
enum { SHARE_STREAMS = 2, SEGMENT = 512 };

static void tensor_share(void *ctx, int share, size_t b0, size_t b1) {
  const tensor_job *j = ctx;
  (void)share;
  const size_t part = (b1 - b0) / (SHARE_STREAMS * SEGMENT) * SEGMENT;
  for (size_t c = 0; c < part; c += SEGMENT)
    for (size_t s = 0; s < SHARE_STREAMS; s++) tensor_run(j, b0 + s * part + c, SEGMENT);
  tensor_run(j, b0 + SHARE_STREAMS * part, b1 - b0 - SHARE_STREAMS * part);
}

/* The job both directions share, checked: 0 when valid, -1 otherwise. fmt is the source
 * (quantize) or the destination (dequantize); every value format has a width. */
static int job_init(tensor_job *j, int quantize, mx_block_fmt f, mx_fmt fmt, size_t n, size_t k, mx_pack_layout l,
                    const mx_block_opts *o) {
  memset(j, 0, sizeof *j);
  if ((unsigned)f >= MX_BLOCK_FMT_COUNT || k < 1 || k > MX_BLOCK_MAX || n % k != 0 || !value_width(fmt)) return -1;
  size_t per = mx_packed_size(f, l, k);
  if (per == 0) return -1;
  /* every block must start on a byte: k FP4 codes fill whole bytes when k is even, FP6 when
   * k is a multiple of 4 */
  if (per * 8 != k * (size_t)(l == MX_PACK_BYTE ? 8 : mx_format(mx_block_element(f))->bits)) return -1;
  if (o) j->o = *o;
  else mx_block_opts_default(&j->o);
  j->quantize = quantize;
  j->f = f;
  j->fmt = fmt;
  j->k = k;
  j->width = value_width(fmt);
  j->l = l;
  j->packed_per_block = per;
  return 0;
}

int mxref_quantize(mx_block_fmt f, mx_fmt src, const void *values, size_t n, size_t k, const mx_block_opts *o,
                   mx_pack_layout l, uint8_t *scales, uint8_t *out) {
  tensor_job j;
  if (job_init(&j, 1, f, src, n, k, l, o)) return -1;
  j.in = values;
  j.out = out;
  j.scales = scales;
  mxr_run_shares(n / k, n, tensor_share, &j);
  return 0;
}

int mxref_dequantize(mx_block_fmt f, const uint8_t *scales, const uint8_t *packed, size_t n, size_t k,
                     mx_pack_layout l, mx_fmt dst, const mx_block_opts *o, void *out) {
  tensor_job j;
  if ((dst != MX_F32 && dst != MX_BF16 && dst != MX_F64) || job_init(&j, 0, f, dst, n, k, l, o)) return -1;
  j.in = packed;
  j.out = out;
  j.scales_in = scales;
  mxr_run_shares(n / k, n, tensor_share, &j);
  return 0;
}
