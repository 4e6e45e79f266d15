/* libmxref tensor API: quantize / dequantize n contiguous values in blocks of k, packed,
 * optionally on several threads (block.h, mxref.h).
 *
 * Each call is a loop over whole blocks: the AVX2 kernels take runs of blocks (dispatch.h),
 * mxref_quantize_block / mxref_dequantize_block take the ones they leave, and codes go
 * through a small per-chunk buffer into mxref_pack / from mxref_unpack. Threads get
 * contiguous ranges of whole blocks and write disjoint output, so results are the same for
 * any thread count. */
#include <pthread.h>
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"

#define CHUNK_VALUES MX_BLOCK_MAX /* codes staged per pack/unpack step: at least one block */

typedef struct tensor_job {
  int quantize; /* 1: quantize, 0: dequantize */
  mx_block_fmt f;
  mx_fmt fmt; /* quantize: the source; dequantize: the destination */
  const unsigned char *in;
  unsigned char *out;
  uint8_t *scales;              /* quantize writes */
  const uint8_t *scales_in;     /* dequantize reads */
  size_t k, b0, b1;             /* blocks [b0, b1) */
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

/* Blocks [b, b + nb) of a quantize job into codes[] (one per byte). */
static void quantize_run(const tensor_job *j, size_t b, size_t nb, uint8_t *codes) {
  const size_t k = j->k;
  size_t done = 0;
  while (done < nb) {
#if MXR_HAVE_AVX2
    if (mxr_use_avx2() && j->o.elem.round != MX_SR)
      done += mxr_avx2_quantize_blocks(j->f, j->fmt, j->in + (b + done) * k * j->width, nb - done, k, &j->o,
                                       j->scales + b + done, codes + done * k);
    if (done >= nb) break;
#endif
    mxref_quantize_block(j->f, j->fmt, j->in + (b + done) * k * j->width, k, &j->o, NULL, j->scales + b + done,
                         codes + done * k);
    done++;
  }
}

static void dequantize_run(const tensor_job *j, size_t b, size_t nb, const uint8_t *codes) {
  const size_t k = j->k;
  size_t done = 0;
  while (done < nb) {
#if MXR_HAVE_AVX2
    if (mxr_use_avx2())
      done += mxr_avx2_dequantize_blocks(j->f, j->scales_in + b + done, codes + done * k, nb - done, k, j->fmt,
                                         j->out + (b + done) * k * j->width);
    if (done >= nb) break;
#endif
    mxref_dequantize_block(j->f, j->scales_in[b + done], codes + done * k, k, j->fmt, &j->o,
                           j->out + (b + done) * k * j->width);
    done++;
  }
}

static void *tensor_worker(void *arg) {
  const tensor_job *j = arg;
  uint8_t codes[CHUNK_VALUES];
  const size_t per_chunk = CHUNK_VALUES / j->k; /* >= 1: k <= MX_BLOCK_MAX = CHUNK_VALUES */
  for (size_t b = j->b0; b < j->b1; b += per_chunk) {
    size_t nb = j->b1 - b < per_chunk ? j->b1 - b : per_chunk;
    if (j->quantize) {
      if (j->l == MX_PACK_BYTE) {
        quantize_run(j, b, nb, j->out + b * j->k); /* straight into the output */
      } else {
        quantize_run(j, b, nb, codes);
        mxref_pack(j->f, j->l, codes, nb * j->k, j->out + b * j->packed_per_block);
      }
    } else {
      const uint8_t *src = j->in + b * j->packed_per_block;
      if (j->l == MX_PACK_BYTE) {
        dequantize_run(j, b, nb, src); /* both paths mask a code to its format's width */
      } else {
        mxref_unpack(j->f, j->l, src, nb * j->k, codes);
        dequantize_run(j, b, nb, codes);
      }
    }
  }
  return NULL;
}

/* Split [0, nblocks) over the configured threads (only for large inputs) and run. */
static void run_job(tensor_job *base, size_t nblocks) {
  int threads = mxref_get_threads();
  size_t n = nblocks * base->k;
  if (threads <= 1 || n < MXREF_THREAD_MIN_VALUES || nblocks < (size_t)threads) {
    base->b0 = 0;
    base->b1 = nblocks;
    tensor_worker(base);
    return;
  }
  tensor_job jobs[256];
  pthread_t tid[256];
  int started[256];
  for (int t = 0; t < threads; t++) {
    jobs[t] = *base;
    jobs[t].b0 = nblocks * (size_t)t / (size_t)threads;
    jobs[t].b1 = nblocks * (size_t)(t + 1) / (size_t)threads;
  }
  /* thread 0's share runs on the caller; a thread that cannot start runs here too */
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&tid[t], NULL, tensor_worker, &jobs[t]) == 0;
  tensor_worker(&jobs[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(tid[t], NULL);
    else tensor_worker(&jobs[t]);
  }
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
  run_job(&j, n / k);
  return 0;
}

int mxref_dequantize(mx_block_fmt f, const uint8_t *scales, const uint8_t *packed, size_t n, size_t k,
                     mx_pack_layout l, mx_fmt dst, const mx_block_opts *o, void *out) {
  tensor_job j;
  if ((dst != MX_F32 && dst != MX_BF16 && dst != MX_F64) || job_init(&j, 0, f, dst, n, k, l, o)) return -1;
  j.in = packed;
  j.out = out;
  j.scales_in = scales;
  run_job(&j, n / k);
  return 0;
}
