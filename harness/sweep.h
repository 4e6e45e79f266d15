/* Exhaustive sweeps of one conversion of a target against libmxref: the engine is
 * harness/sweep.c, the target side target.c, the command cmd_sweep.c. */
#ifndef MXCONFORM_SWEEP_H
#define MXCONFORM_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "mxconform/knobs.h"
#include "mxconform/profile.h"
#include "target.h"

typedef struct sweep_req {
  mx_fmt src, dst;
  mx_round round;
  mx_overflow overflow;
  /* the other scalar knobs the expected codes follow (sweep --profile/--knob; the serve
   * child gets the non-default ones on its `sweep` line); round and overflow are above */
  mx_convert_opts knobs;
} sweep_req;

/* q's knobs with q's round and overflow: what libmxref converts with for the expected codes. */
void sweep_expected_opts(const sweep_req *q, mx_convert_opts *o);

/* libmxref's codes for inputs first..first+n-1 under q (MX_CODE_REFUSED, 0x200, where the
 * knobs say the library refuses). */
void sweep_expected_codes(const sweep_req *q, uint64_t first, size_t n, uint16_t *out);

#define SWEEP_MAX_FIRST 64
/* The actual code of an input the target answered `?C1/../Cn` (harness/PROTOCOL.md) where the
 * expected code is none of them: a mismatch whose exact code the target cannot see. */
#define SWEEP_CODE_NOT_EXPECTED 0x401u
#define SWEEP_MAX_UNOBSERVED 8

typedef struct sweep_tally {
  uint64_t checked, mismatches, by_class[5];
  uint64_t unsupported; /* inputs the target declined (MXC_UNSUPPORTED) */
  uint64_t isolated;    /* crashing/hanging inputs narrowed down one by one so far */
  uint64_t unreproduced; /* attempts that crashed, hung or got a bad answer that no retry
                            reproduced: the sweep cannot pass (flaky) */
  uint64_t refused;     /* inputs the library refused (raised on): mismatches with actual 0x200, not crashes */
  uint64_t unobserved;  /* inputs whose result the target cannot observe (actual MX_CODE_UNOBSERVED: `?`, `??`):
                           never compared, so neither checked nor mismatches; the sweep cannot pass */
  uint64_t unobserved_first[SWEEP_MAX_UNOBSERVED]; /* the first of them, as examples */
  struct {
    uint64_t bits;
    uint32_t expected, actual; /* actual 0x100: the target crashed or hung on this input; 0x200: refused */
  } first[SWEEP_MAX_FIRST];
  unsigned nfirst;
  FILE *every; /* when set, every mismatch is written here as it is counted ("BITS EXPECTED ACTUAL"
                  in hex, one per line: sweep --list); lib: targets are then compared here, not in
                  the serve child, whose answers list at most 16 per request */
} sweep_tally;

void sweep_tally_add(sweep_tally *t, mx_fmt src, uint64_t bits, uint32_t expected, uint32_t actual);
/* Compare a target's codes for inputs first..first+n-1 with libmxref (q's knobs). A code
 * above 0xFF (no element code is that wide) is a mismatch whatever the reference says, except
 * MX_CODE_UNOBSERVED: counted in t->unobserved, never compared. */
void sweep_compare(const sweep_req *q, uint64_t first, size_t n, const uint16_t *codes, sweep_tally *t);
/* Add a `sweep` answer line [a, end) of `mxconform serve` ("ok CHECKED MISMATCHES C0..C4
 * [BITS:EXPECTED:ACTUAL ...]", harness/PROTOCOL.md) to the tally; -1 when malformed. */
int target_parse_sweep_answer(const char *a, const char *end, sweep_tally *tally);
/* Sweep inputs [lo, hi) of the target; returns the number of inputs that crashed/hung it. */
uint64_t target_sweep(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally);

/* The reproduce line of one mismatch (input `bits`): the same target on that one input under
 * the sweep's knobs (reproduce.h), for the terminal and sweep -o. */
void sweep_reproduce(const char *spec, const char *profile_spec, const mx_profile *p, const sweep_req *q,
                     uint64_t bits, char *buf, size_t len);

/* cmd: targets: the sweep through `cvtrange` requests (harness/PROTOCOL.md; target_ranged.c).
 * Returns -1 (nothing counted) when the target answers `unsupported` to the first one;
 * otherwise 0, with *bad += the inputs that crashed or hung it. A range the target fails on
 * (error, crash, timeout, garbage) goes to `fallback` (ordinary batches, which narrow a
 * crash down to its input). */
typedef uint64_t (*sweep_range_fn)(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally);
int target_sweep_ranged(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally, uint64_t *bad,
                        sweep_range_fn fallback);
#endif
