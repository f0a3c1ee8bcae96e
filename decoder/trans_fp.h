/* Shared by the scalar FP translators (trans_fp*.c, trans_ldst_fp.c): the
 * SIMD&FP register file in IR, precision decoding, and the FPCR/FPSR context
 * of the soft-float helpers. */
#ifndef NESTOR_DECODER_TRANS_FP_H
#define NESTOR_DECODER_TRANS_FP_H

#include "decoder/translate.h"
#include "fpu/fpu.h"

#define V_OFFSET(n) (offsetof(CPUState, v) + 16 * (size_t)(n))

/* The low size bytes (1, 2, 4 or 8) of Vn, zero-extended; bits 127:64. */
static inline IRTemp read_v(DisasContext *s, unsigned reg, unsigned size) { return ir_get(s->ir, size, V_OFFSET(reg)); }
static inline IRTemp read_v_hi(DisasContext *s, unsigned reg) { return ir_get(s->ir, 8, V_OFFSET(reg) + 8); }

/* Writes Vn: lo is bits 63:0, hi bits 127:64 (0: zero). A scalar write
 * (B, H, S, D) zeroes every bit above it: lo must already be zero-extended. */
static inline void write_v(DisasContext *s, unsigned reg, IRTemp lo, IRTemp hi)
{
    ir_put(s->ir, 8, V_OFFSET(reg), lo);
    ir_put(s->ir, 8, V_OFFSET(reg) + 8, hi ? hi : konst(s, 0));
}

/* Bytes of an FPSize. */
static inline unsigned fp_bytes(FPSize sz) { return 2u << sz; }

/* VFPExpandImm: the FMOV immediate imm8 as a value of size sz: sign b7,
 * exponent NOT(b6):b6 repeated:b5:4, fraction b3:0 (trans_fp.c). */
uint64_t vfp_expand_imm(unsigned imm8, FPSize sz);

/* The ftype field of the FP data-processing and conversion groups: 00 single,
 * 01 double, 11 half (FEAT_FP16), 10 reserved. */
static inline bool fp_ftype(DisasContext *s, unsigned ftype, FPSize *sz)
{
    switch (ftype) {
    case 0: *sz = FP32; return true;
    case 1: *sz = FP64; return true;
    case 3: *sz = FP16; return feature_has(&s->cpu->features, FEAT_FP16);
    default: return false;
    }
}

/* The start of a translator with an ftype field, after its other reserved
 * values were rejected: UNDEFINED (return false) for a reserved ftype, then
 * the FP access check (return true once the trap is emitted). */
#define FP_BEGIN(s, ftype, sz)                                                    \
    do {                                                                          \
        if (!fp_ftype((s), (ftype), &(sz)))                                       \
            return false;                                                         \
        if (!fp_access_check(s))                                                  \
            return true;                                                          \
    } while (0)

/* A rounding-mode argument of a helper meaning "FPCR.RMode at run time"
 * (beside the FPRounding values, which name fixed modes). */
enum { ROUND_FPCR = 7 };

/* The FP context of a helper: FPCR in, cumulative FPSR flags out. */
static inline FPCtx fp_ctx(const CPUState *cpu)
{
    return (FPCtx){(uint32_t)cpu->sr[SR_FPCR], (uint32_t)cpu->sr[SR_FPSR]};
}
static inline void fp_ctx_done(CPUState *cpu, const FPCtx *c) { cpu->sr[SR_FPSR] = c->fpsr; }

/* Sign bit of an FP value of size sz (FPNeg/FPAbs flip or clear it). */
static inline uint64_t fp_sign_bit(FPSize sz) { return 1ull << (8 * fp_bytes(sz) - 1); }

#endif
