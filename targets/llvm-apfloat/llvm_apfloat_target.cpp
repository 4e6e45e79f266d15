// llvm_apfloat_target.cpp — an mxconform target (include/mxconform/target.h) whose every
// answer comes from llvm::APFloat, LLVM's software floating-point (LLVM 19 as packaged by
// Debian 12: llvm-19-dev 19.1.7). Nothing here rounds or encodes by itself: the shim turns
// bit patterns into APFloat objects, calls APFloat::convert, and hands back bitcastToAPInt.
//
// What it maps (README.md in this directory has the full table and the measured results):
//   element formats  e4m3 -> Float8E4M3FN, e5m2 -> Float8E5M2, e2m3 -> Float6E2M3FN,
//                    e3m2 -> Float6E3M2FN, e2m1 -> Float4E2M1FN.
//                    e4m3fnuz -> Float8E4M3FNUZ, e5m2fnuz -> Float8E5M2FNUZ,
//                    e4m3b11fnuz -> Float8E4M3B11FNUZ, e4m3ieee -> Float8E4M3;
//                    e3m4 -> Float8E3M4 from LLVM 20 (LLVM 19 lacks it) -> unsupported in 19;
//                    e8m0: LLVM 19 has no Float8E8M0FNU (added in LLVM 20) -> unsupported;
//                    int8: APFloat has no MXINT8 element -> unsupported.
//   sources          f32 -> IEEEsingle, bf16 -> BFloat, f16 -> IEEEhalf, f64 -> IEEEdouble.
//   rounding         rne rna rtz rup rdn -> rmNearestTiesToEven, rmNearestTiesToAway,
//                    rmTowardZero, rmTowardPositive, rmTowardNegative; sr -> unsupported.
//   overflow  ovf    APFloat::convert exactly as it is (IEEE overflow per rounding mode:
//                    E4M3FN -> NaN, E5M2 -> Inf, directed modes toward zero -> max;
//                    FP6/FP4 saturate on their own). This is APFloat's native behaviour.
//             sat    APFloat has no saturating conversion. Emulated the way a compiler
//                    built on APFloat does it: convert, and when the returned status has
//                    opOverflow, replace the result by APFloat::getLargest(dst, sign of
//                    the input). Non-finite inputs are not touched (they raise no
//                    overflow), so +-Inf -> E5M2 stays Inf and +-Inf -> E4M3FN becomes NaN:
//                    that is APFloat's status reporting, measured, not a shim decision.
//   decode           APFloat(element semantics, code) converted to IEEEdouble (exact).
//
// NaN or Inf into the formats that have neither (FP6, FP4): LLVM 19's convert keeps the
// NaN/Inf category and bitcastToAPInt reaches an llvm_unreachable. In an assertion build
// that aborts (the harness runs this library in a child process and contains it); in
// Debian's release build it is __builtin_unreachable, and the measured result is a code
// with only the sign bit (peers.md D1). The shim does not guard it on purpose: the point
// is to measure what APFloat does. Build with -DMXC_APFLOAT_GUARD_NONFINITE=1 to answer
// those inputs with MXC_ERROR instead, or =2 to abort() on them the way an assertion-enabled
// LLVM does (used to check that the harness contains such a crash; targets/llvm-apfloat/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <llvm/ADT/APFloat.h>
#include <llvm/ADT/APInt.h>
#include <llvm/Config/llvm-config.h>

#include "mxconform/target.h"

#ifndef MXC_APFLOAT_GUARD_NONFINITE
#define MXC_APFLOAT_GUARD_NONFINITE 0
#endif

namespace {

// ABI enumeration values (formats.h mx_fmt, knobs.h mx_round / mx_overflow); fixed for
// ABI version 1, repeated here so the shim needs only target.h.
enum { FMT_E4M3 = 0, FMT_E5M2, FMT_E2M3, FMT_E3M2, FMT_E2M1, FMT_INT8, FMT_E8M0, FMT_F32, FMT_BF16, FMT_F16, FMT_F64,
       FMT_E4M3FNUZ, FMT_E5M2FNUZ, FMT_E4M3B11FNUZ, FMT_E4M3IEEE, FMT_E3M4 };
enum { ROUND_RNE = 0, ROUND_RNA, ROUND_RTZ, ROUND_RUP, ROUND_RDN, ROUND_SR };
enum { OVERFLOW_SAT = 0, OVERFLOW_OVF = 1 };

struct sem_info {
  const llvm::fltSemantics *sem;
  unsigned bits;
  bool has_nonfinite; // the format can hold NaN (and possibly Inf)
};

bool element_semantics(int fmt, sem_info *s) {
  switch (fmt) {
  case FMT_E4M3: *s = {&llvm::APFloat::Float8E4M3FN(), 8, true}; return true;
  case FMT_E5M2: *s = {&llvm::APFloat::Float8E5M2(), 8, true}; return true;
  case FMT_E2M3: *s = {&llvm::APFloat::Float6E2M3FN(), 6, false}; return true;
  case FMT_E3M2: *s = {&llvm::APFloat::Float6E3M2FN(), 6, false}; return true;
  case FMT_E2M1: *s = {&llvm::APFloat::Float4E2M1FN(), 4, false}; return true;
  case FMT_E4M3FNUZ: *s = {&llvm::APFloat::Float8E4M3FNUZ(), 8, true}; return true;
  case FMT_E5M2FNUZ: *s = {&llvm::APFloat::Float8E5M2FNUZ(), 8, true}; return true;
  case FMT_E4M3B11FNUZ: *s = {&llvm::APFloat::Float8E4M3B11FNUZ(), 8, true}; return true;
  case FMT_E4M3IEEE: *s = {&llvm::APFloat::Float8E4M3(), 8, true}; return true;
#if LLVM_VERSION_MAJOR >= 20
  case FMT_E3M4: *s = {&llvm::APFloat::Float8E3M4(), 8, true}; return true;
#endif
  default: return false; // int8: no APFloat semantics; e8m0: none before LLVM 20
  }
}

bool source_semantics(int fmt, sem_info *s) {
  switch (fmt) {
  case FMT_F32: *s = {&llvm::APFloat::IEEEsingle(), 32, true}; return true;
  case FMT_BF16: *s = {&llvm::APFloat::BFloat(), 16, true}; return true;
  case FMT_F16: *s = {&llvm::APFloat::IEEEhalf(), 16, true}; return true;
  case FMT_F64: *s = {&llvm::APFloat::IEEEdouble(), 64, true}; return true;
  default: return false;
  }
}

bool rounding_mode(int round, llvm::RoundingMode *rm) {
  switch (round) {
  case ROUND_RNE: *rm = llvm::APFloat::rmNearestTiesToEven; return true;
  case ROUND_RNA: *rm = llvm::APFloat::rmNearestTiesToAway; return true;
  case ROUND_RTZ: *rm = llvm::APFloat::rmTowardZero; return true;
  case ROUND_RUP: *rm = llvm::APFloat::rmTowardPositive; return true;
  case ROUND_RDN: *rm = llvm::APFloat::rmTowardNegative; return true;
  default: return false; // stochastic rounding: APFloat has none
  }
}

bool fits(uint64_t v, unsigned bits) { return bits >= 64 || (v >> bits) == 0; }

int apfloat_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  sem_info e;
  if (!element_semantics(fmt, &e)) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) {
    if (!fits(codes[i], e.bits)) return MXC_ERROR;
    llvm::APFloat v(*e.sem, llvm::APInt(e.bits, codes[i]));
    bool loses_info = false;
    v.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &loses_info);
    f64_out[i] = v.bitcastToAPInt().getZExtValue();
  }
  return MXC_OK;
}

int apfloat_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random, size_t n,
                    uint64_t *out) {
  (void)sr_random;
  sem_info d, s;
  llvm::RoundingMode rm;
  if (!element_semantics(dst, &d) || !source_semantics(src, &s) || !rounding_mode(round, &rm)) return MXC_UNSUPPORTED;
  if (overflow != OVERFLOW_SAT && overflow != OVERFLOW_OVF) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) {
    if (!fits(in[i], s.bits)) return MXC_ERROR;
    llvm::APFloat v(*s.sem, llvm::APInt(s.bits, in[i]));
    if (MXC_APFLOAT_GUARD_NONFINITE && !d.has_nonfinite && !v.isFinite()) {
      if (MXC_APFLOAT_GUARD_NONFINITE == 2) std::abort(); // what llvm_unreachable does with assertions on
      return MXC_ERROR;
    }
    const bool negative = v.isNegative();
    bool loses_info = false;
    llvm::APFloat::opStatus st = v.convert(*d.sem, rm, &loses_info);
    if (overflow == OVERFLOW_SAT && (st & llvm::APFloat::opOverflow)) v = llvm::APFloat::getLargest(*d.sem, negative);
    out[i] = v.bitcastToAPInt().getZExtValue();
  }
  return MXC_OK;
}

// Filled field by field (value-initialised first), so that entries added to the ABI table
// later (dot, reserved[]) stay NULL = unsupported without touching this file.
mxc_target_api make_api() {
  mxc_target_api a{};
  a.abi_version = MXC_TARGET_ABI_VERSION;
  a.struct_size = sizeof(mxc_target_api);
  a.name = "llvm-apfloat";
  a.version = "LLVM " LLVM_VERSION_STRING;
  a.decode = apfloat_decode;
  a.convert = apfloat_convert; // quantize, dequantize, pack, dot: APFloat has no MX block operations
  return a;
}

const mxc_target_api apfloat_api = make_api();

} // namespace

extern "C" __attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &apfloat_api; }
