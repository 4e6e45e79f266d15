// ml_dtypes_target.cpp — an mxconform target (include/mxconform/target.h) whose every answer
// comes from ml_dtypes' C++ header-only types (ml_dtypes/include/float8.h, mxfloat.h; the
// code JAX and XLA use for these dtypes). Nothing here rounds or encodes by itself: the
// shim builds the library type from the source value (ConvertFrom<kSaturate, kTruncate>)
// and hands back rep(); decode is ConvertTo<double>.
//
// What it maps (README.md in this directory has the table):
//   element formats  e4m3 -> float8_e4m3fn, e5m2 -> float8_e5m2, e2m3 -> float6_e2m3fn,
//                    e3m2 -> float6_e3m2fn, e2m1 -> float4_e2m1fn, e8m0 -> float8_e8m0fnu;
//                    the FP8 variants e4m3fnuz -> float8_e4m3fnuz, e5m2fnuz -> float8_e5m2fnuz,
//                    e4m3b11fnuz -> float8_e4m3b11fnuz, e4m3ieee -> float8_e4m3 (IEEE-like,
//                    bias 7), e3m4 -> float8_e3m4 (IEEE-like, bias 3);
//                    int8: no MXINT8 element type -> unsupported.
//   sources          f32 -> float, bf16 -> Eigen::bfloat16, f16 -> Eigen::half, f64 -> double
//   rounding         rne -> kTruncate = false (the library's round-to-nearest-even),
//                    rtz -> kTruncate = true; rna rup rdn sr -> unsupported (no such mode).
//   overflow         sat -> kSaturate = true, ovf -> kSaturate = false (the library's
//                    default: a plain constructor `float8_e4m3fn(x)` is <false, false>).
// Every (rounding, overflow) pair the library has is therefore reachable, and nothing else
// is claimed.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <Eigen/Core>

// Eigen 3.4 (Debian 12's libeigen3-dev) lacks Eigen::numext::get_integer_by_size, which
// float8.h names for its bit types (added to Eigen after 3.4). A compatibility definition,
// not a change of behaviour: the unsigned integer of each byte size.
#if !EIGEN_VERSION_AT_LEAST(3, 4, 90)
namespace Eigen {
namespace numext {
template <int N> struct get_integer_by_size;
template <> struct get_integer_by_size<1> { typedef int8_t signed_type; typedef uint8_t unsigned_type; };
template <> struct get_integer_by_size<2> { typedef int16_t signed_type; typedef uint16_t unsigned_type; };
template <> struct get_integer_by_size<4> { typedef int32_t signed_type; typedef uint32_t unsigned_type; };
template <> struct get_integer_by_size<8> { typedef int64_t signed_type; typedef uint64_t unsigned_type; };
} // namespace numext
} // namespace Eigen
#endif

#include "ml_dtypes/include/float8.h"
#include "ml_dtypes/include/mxfloat.h"

#include "mxconform/target.h"

#ifndef MXC_ML_DTYPES_COMMIT
#define MXC_ML_DTYPES_COMMIT "unknown"
#endif

namespace {

// ABI enumeration values (formats.h mx_fmt, knobs.h mx_round / mx_overflow); fixed for ABI
// version 1, repeated here so the shim needs only target.h.
enum { FMT_E4M3 = 0, FMT_E5M2, FMT_E2M3, FMT_E3M2, FMT_E2M1, FMT_INT8, FMT_E8M0, FMT_F32, FMT_BF16, FMT_F16, FMT_F64,
       FMT_E4M3FNUZ, FMT_E5M2FNUZ, FMT_E4M3B11FNUZ, FMT_E4M3IEEE, FMT_E3M4 };
enum { ROUND_RNE = 0, ROUND_RNA, ROUND_RTZ, ROUND_RUP, ROUND_RDN, ROUND_SR };
enum { OVERFLOW_SAT = 0, OVERFLOW_OVF = 1 };

template <typename T> T from_bits(uint64_t b) {
  T v;
  if constexpr (sizeof(T) == 2) {
    uint16_t x = (uint16_t)b;
    std::memcpy(static_cast<void *>(&v), &x, 2);
  } else if constexpr (sizeof(T) == 4) {
    uint32_t x = (uint32_t)b;
    std::memcpy(static_cast<void *>(&v), &x, 4);
  } else {
    std::memcpy(&v, &b, 8);
  }
  return v;
}

// One source type into one destination type, n values, one (saturate, truncate) pair.
template <typename Dst, typename Src, bool kSat, bool kTrunc>
void convert_n(const uint64_t *in, size_t n, uint64_t *out) {
  for (size_t i = 0; i < n; i++)
    out[i] = Dst::template ConvertFrom<kSat, kTrunc>(from_bits<Src>(in[i])).rep();
}

template <typename Dst, typename Src> int convert_modes(int round, int overflow, const uint64_t *in, size_t n, uint64_t *out) {
  const bool sat = overflow == OVERFLOW_SAT, trunc = round == ROUND_RTZ;
  if (round != ROUND_RNE && round != ROUND_RTZ) return MXC_UNSUPPORTED;
  if (sat && trunc) convert_n<Dst, Src, true, true>(in, n, out);
  else if (sat) convert_n<Dst, Src, true, false>(in, n, out);
  else if (trunc) convert_n<Dst, Src, false, true>(in, n, out);
  else convert_n<Dst, Src, false, false>(in, n, out);
  return MXC_OK;
}

template <typename Dst> int convert_from(int src, int round, int overflow, const uint64_t *in, size_t n, uint64_t *out) {
  switch (src) {
  case FMT_F32: return convert_modes<Dst, float>(round, overflow, in, n, out);
  case FMT_BF16: return convert_modes<Dst, Eigen::bfloat16>(round, overflow, in, n, out);
  case FMT_F16: return convert_modes<Dst, Eigen::half>(round, overflow, in, n, out);
  case FMT_F64: return convert_modes<Dst, double>(round, overflow, in, n, out);
  default: return MXC_UNSUPPORTED;
  }
}

int ml_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *, size_t n, uint64_t *out) {
  using namespace ml_dtypes;
  switch (dst) {
  case FMT_E4M3: return convert_from<float8_e4m3fn>(src, round, overflow, in, n, out);
  case FMT_E5M2: return convert_from<float8_e5m2>(src, round, overflow, in, n, out);
  case FMT_E2M3: return convert_from<float6_e2m3fn>(src, round, overflow, in, n, out);
  case FMT_E3M2: return convert_from<float6_e3m2fn>(src, round, overflow, in, n, out);
  case FMT_E2M1: return convert_from<float4_e2m1fn>(src, round, overflow, in, n, out);
  case FMT_E8M0: return convert_from<float8_e8m0fnu>(src, round, overflow, in, n, out);
  case FMT_E4M3FNUZ: return convert_from<float8_e4m3fnuz>(src, round, overflow, in, n, out);
  case FMT_E5M2FNUZ: return convert_from<float8_e5m2fnuz>(src, round, overflow, in, n, out);
  case FMT_E4M3B11FNUZ: return convert_from<float8_e4m3b11fnuz>(src, round, overflow, in, n, out);
  case FMT_E4M3IEEE: return convert_from<float8_e4m3>(src, round, overflow, in, n, out);
  case FMT_E3M4: return convert_from<float8_e3m4>(src, round, overflow, in, n, out);
  default: return MXC_UNSUPPORTED;
  }
}

template <typename T> void decode_n(const uint64_t *codes, size_t n, uint64_t *out) {
  for (size_t i = 0; i < n; i++) {
    double d = T::template ConvertTo<double>(T::FromRep((uint8_t)codes[i]));
    std::memcpy(&out[i], &d, 8);
  }
}

int ml_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *out) {
  using namespace ml_dtypes;
  switch (fmt) {
  case FMT_E4M3: decode_n<float8_e4m3fn>(codes, n, out); return MXC_OK;
  case FMT_E5M2: decode_n<float8_e5m2>(codes, n, out); return MXC_OK;
  case FMT_E2M3: decode_n<float6_e2m3fn>(codes, n, out); return MXC_OK;
  case FMT_E3M2: decode_n<float6_e3m2fn>(codes, n, out); return MXC_OK;
  case FMT_E2M1: decode_n<float4_e2m1fn>(codes, n, out); return MXC_OK;
  case FMT_E8M0: decode_n<float8_e8m0fnu>(codes, n, out); return MXC_OK;
  case FMT_E4M3FNUZ: decode_n<float8_e4m3fnuz>(codes, n, out); return MXC_OK;
  case FMT_E5M2FNUZ: decode_n<float8_e5m2fnuz>(codes, n, out); return MXC_OK;
  case FMT_E4M3B11FNUZ: decode_n<float8_e4m3b11fnuz>(codes, n, out); return MXC_OK;
  case FMT_E4M3IEEE: decode_n<float8_e4m3>(codes, n, out); return MXC_OK;
  case FMT_E3M4: decode_n<float8_e3m4>(codes, n, out); return MXC_OK;
  default: return MXC_UNSUPPORTED;
  }
}

mxc_target_api make_api() {
  mxc_target_api a{};
  a.abi_version = MXC_TARGET_ABI_VERSION;
  a.struct_size = sizeof(mxc_target_api);
  a.name = "ml_dtypes";
  a.version = "C++ headers " MXC_ML_DTYPES_COMMIT;
  a.decode = ml_decode;
  a.convert = ml_convert;
  return a;
}

const mxc_target_api api = make_api();

} // namespace

extern "C" __attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &api; }
