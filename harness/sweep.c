/* The sweep engine (sweep.h): tallies of a target's codes against libmxref, itself proven
 * equal to the oracle by `make exhaustive`. Used by `mxconform sweep` (cmd_sweep.c) and by
 * the targets' sweep paths (target.c). */
#include <inttypes.h>
#include <stdio.h>

#include "reproduce.h"
#include "sweep.h"

#include "mxconform/mxref.h"

void sweep_tally_add(sweep_tally *t, mx_fmt src, uint64_t bits, uint32_t expected, uint32_t actual) {
  mx_class c = mx_classify(src, bits);
  t->by_class[c]++;
  t->mismatches++;
  if (t->every) fprintf(t->every, "%0*" PRIx64 " %x %x\n", mx_format(src)->bits / 4, bits, expected, actual);
  if (t->nfirst < SWEEP_MAX_FIRST) {
    t->first[t->nfirst].bits = bits;
    t->first[t->nfirst].expected = expected;
    t->first[t->nfirst].actual = actual;
    t->nfirst++;
  }
}

void sweep_expected_opts(const sweep_req *q, mx_convert_opts *o) {
  *o = q->knobs;
  o->round = q->round;
  o->overflow = q->overflow;
}

void sweep_expected_codes(const sweep_req *q, uint64_t first, size_t n, uint16_t *out) {
  union { uint16_t h[4096]; uint32_t w[4096]; } in;
  uint8_t ref[4096];
  mx_convert_opts o;
  sweep_expected_opts(q, &o);
  const int may_refuse = mx_convert_opts_may_refuse(&o); /* a byte cannot say "refused" */
  for (size_t done = 0; done < n;) {
    size_t m = n - done < 4096 ? n - done : 4096;
    if (may_refuse) {
      for (size_t i = 0; i < m; i++) /* MX_CODE_REFUSED is the sweeps' 0x200 */
        out[done + i] = (uint16_t)mxref_convert_one(q->dst, q->src, first + done + i, &o, 0);
    } else {
      for (size_t i = 0; i < m; i++) {
        if (mx_format(q->src)->bits == 16) in.h[i] = (uint16_t)(first + done + i);
        else in.w[i] = (uint32_t)(first + done + i);
      }
      mxref_convert(q->dst, q->src, &in, ref, m, &o, NULL);
      for (size_t i = 0; i < m; i++) out[done + i] = ref[i];
    }
    done += m;
  }
}

/* Compare codes[] of inputs first..first+n-1 with the reference. */
void sweep_compare(const sweep_req *q, uint64_t first, size_t n, const uint16_t *codes, sweep_tally *t) {
  uint16_t ref[4096];
  for (size_t done = 0; done < n;) {
    size_t m = n - done < 4096 ? n - done : 4096;
    sweep_expected_codes(q, first + done, m, ref);
    size_t unseen = 0;
    for (size_t i = 0; i < m; i++) {
      if (codes[done + i] == MX_CODE_UNOBSERVED) { /* the target cannot see it: no verdict on the library */
        if (t->unobserved + unseen < SWEEP_MAX_UNOBSERVED) t->unobserved_first[t->unobserved + unseen] = first + done + i;
        unseen++;
      } else if (ref[i] != codes[done + i]) {
        sweep_tally_add(t, q->src, first + done + i, ref[i], codes[done + i]);
      }
    }
    t->unobserved += unseen;
    t->checked += m - unseen;
    done += m;
  }
}

/* The reproduce line of one mismatch: the same target on that one input (reproduce.h). */
void sweep_reproduce(const char *spec, const char *profile_spec, const mx_profile *p, const sweep_req *q,
                     uint64_t bits, char *buf, size_t len) {
  vec_suite s;
  uint32_t rnd = 0;
  vec_suite_init(&s);
  s.op = OP_CVT;
  s.src = q->src;
  s.dst = q->dst;
  s.round = q->round;
  s.overflow = q->overflow;
  s.knobs = *p;
  s.knobs.o.elem = q->knobs;
  vec_suite_shape(&s);
  s.in = &bits;
  s.rnd = &rnd;
  s.ncases = 1;
  reproduce_command(spec, profile_spec, &s, 0, buf, len);
}
