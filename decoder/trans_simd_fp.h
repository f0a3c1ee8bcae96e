/* Shared by the AdvSIMD floating-point translators (trans_simd_fp*.c): lane
 * access to the V registers from helpers, the per-lane operations, and the
 * descriptor that tells a helper which registers and lanes to work on.
 *
 * Every AdvSIMD FP instruction but the vector FADD/FSUB/FMUL/FMLA/FMLS (IR
 * vec ops with the same fpu/ semantics, jit/ir_vec.h) is one helper call
 * (gen_helper: a full-sync call) that reads its source registers from CPUState, computes every lane
 * with the fpu/ soft-float functions (bit-exact, FPCR modes and FPSR flags as
 * scalar FP, lane 0 first as the pseudocode's loops) and writes the whole
 * destination register: a 64-bit vector or a scalar zeroes the bits above it. */
#ifndef NESTOR_DECODER_TRANS_SIMD_FP_H
#define NESTOR_DECODER_TRANS_SIMD_FP_H

#include "decoder/trans_simd.h"

/* Element idx (of bytes bytes) of Vreg, zero-extended, and the setter of a
 * result being built: trans_simd.h's element accessors with the lane size
 * in bytes, as fp_bytes() gives it. */
static inline uint64_t vlane(const CPUState *cpu, unsigned reg, unsigned idx, unsigned bytes)
{
    return simd_elem_load(cpu->v[reg], idx, (unsigned)__builtin_ctz(bytes));
}
static inline void vlane_set(SimdVec *out, unsigned idx, unsigned bytes, uint64_t v)
{
    simd_set(out, idx, (unsigned)__builtin_ctz(bytes), v);
}

/* Helper descriptor (first helper argument): op (bits 7:0), FPSize (9:8),
 * element count (14:10), Rd (19:15), Rn (24:20), Rm (29:25), a parameter of
 * the op (39:32: rounding, fbits, index, rotation) and one of its flags (40+). */
typedef struct {
    unsigned op, nelem, rd, rn, rm, param, flags;
    FPSize sz;
} SimdFPDesc;

static inline uint64_t simd_fp_desc(unsigned op, FPSize sz, unsigned nelem, unsigned rd, unsigned rn, unsigned rm,
                                    unsigned param, unsigned flags)
{
    return op | (uint64_t)sz << 8 | (uint64_t)nelem << 10 | (uint64_t)rd << 15 | (uint64_t)rn << 20 |
           (uint64_t)rm << 25 | (uint64_t)param << 32 | (uint64_t)flags << 40;
}

static inline SimdFPDesc simd_fp_unpack(uint64_t d)
{
    return (SimdFPDesc){(unsigned)(d & 0xff), (unsigned)(d >> 10 & 0x1f), (unsigned)(d >> 15 & 0x1f),
                        (unsigned)(d >> 20 & 0x1f), (unsigned)(d >> 25 & 0x1f), (unsigned)(d >> 32 & 0xff),
                        (unsigned)(d >> 40 & 0xff), (FPSize)(d >> 8 & 3)};
}

/* Elements of a vector of FPSize sz: Q selects 128 or 64 bits. */
static inline unsigned simd_lanes(FPSize sz, bool q) { return (q ? 16u : 8u) / fp_bytes(sz); }

/* Two-operand lane operations (three same, by element, pairwise, across). */
enum {
    SF_ADD, SF_SUB, SF_MUL, SF_DIV, SF_MAX, SF_MIN, SF_MAXNM, SF_MINNM, SF_MULX, SF_ABD,
    SF_CMEQ, SF_CMGE, SF_CMGT, SF_ACGE, SF_ACGT, SF_RECPS, SF_RSQRTS, SF_MLA, SF_MLS,
    SF_NONE = 0xff
};

/* One lane of a two-operand op; d is the destination lane (FMLA/FMLS addend). */
uint64_t simd_fp_lane2(FPCtx *c, unsigned op, FPSize sz, uint64_t a, uint64_t b, uint64_t d);

#endif
