/* mma_fp8.cuh — the one FP8 tensor-core instruction that cuda_device_target.cu (DotGeneral) and
 * mma_raw.cu (its raw answers) both issue, so that both ask the hardware the same question. */
#ifndef MXC_MMA_FP8_CUH
#define MXC_MMA_FP8_CUH

/* D = A(16x32, row) * B(32x8, col) + C, FP32 accumulate (PTX ISA, "Matrix fragments for
 * mma.m16n8k32" with 8-bit types): lane = 4*g + t holds A[g][4t..4t+3] in a0, A[g+8][..] in
 * a1, A[g][16+4t..] in a2, A[g+8][16+4t..] in a3 (lowest column in the lowest byte);
 * B[4t..4t+3][g] in b0, B[16+4t..][g] in b1; D[g][2t], D[g][2t+1] in d0, d1 (and C alike), row
 * g+8 in d2, d3. TA, TB: "e4m3" or "e5m2"; d, a, b, c: float[4], unsigned[4], unsigned[2],
 * float[4] in scope. Needs sm_89 or later. */
#define MXC_MMA_FP8(TA, TB)                                                                                  \
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f32." TA "." TB ".f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "    \
               "{%8,%9}, {%10,%11,%12,%13};\n"                                                               \
               : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])                                              \
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "f"(c[0]), "f"(c[1]),     \
                 "f"(c[2]), "f"(c[3]))

/* four bytes as one fragment register, the lowest index in the lowest byte */
__device__ static inline unsigned mxc_load4(const unsigned char *p) {
  return (unsigned)p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16 | (unsigned)p[3] << 24;
}

#endif
