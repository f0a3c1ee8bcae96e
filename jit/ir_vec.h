/* The IR's one vector operation, `vec`: a 128-bit operation on three
 * 16-byte slots of env (guest vector registers), executed by every engine
 * with the same C semantics (ir_vec_exec) and by the x86-64 backend with
 * SSE where the host has the instruction (DESIGN.md: the JIT agrees with the
 * interpreter bit for bit).
 *
 * imm = kind | esz << 8 | q << 10 | shift << 16 | flag_bit << 24,
 * imm2 = d | n << 16 | m << 32 | flag << 48 (byte offsets in env). The
 * saturating kinds also set bit flag_bit of the 32-bit word at flag (a
 * sticky saturation flag, FPSR.QC for A64) when any element saturated. Elements are esz-sized (0: 8 bits .. 3: 64 bits),
 * little-endian within the slot. The result is d = n OP m (bitwise select
 * forms also read d); with q = 0 only its low 8 bytes are kept and bytes
 * 15:8 of d become zero. The shift forms use shift (0..64) and ignore m.
 * Neither source is read after d is written, so d may equal n or m.
 *
 * The floating-point kinds (VEC_FADD..VEC_FMLS, esz 2 or 3, esz 3 only with
 * q = 1) are the fpu/ library's operations (Arm FPAdd/FPSub/FPMul/FPMulAdd,
 * lane 0 first): the flag word is FPSR (read for the cumulative flags and
 * written back) and the 32-bit word at imm bits 47:32 is FPCR (read only);
 * flag_bit is 0. FMLA is d + n * m and FMLS d + (-n) * m, fused. */
#ifndef NESTOR_JIT_IR_VEC_H
#define NESTOR_JIT_IR_VEC_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    VEC_ADD, VEC_SUB, VEC_AND, VEC_BIC, VEC_ORR, VEC_ORN, VEC_EOR,
    VEC_BSL,  /* d = d ? n : m, bitwise */
    VEC_BIT,  /* d = m ? n : d */
    VEC_BIF,  /* d = m ? d : n */
    VEC_CMEQ, VEC_CMGT, /* all-ones or zero elements; CMGT signed */
    VEC_MUL, VEC_SMAX, VEC_SMIN, VEC_UMAX, VEC_UMIN,
    VEC_SHL, VEC_USHR, VEC_SSHR, /* by imm shift; USHR/SSHR by the element size give 0 / the sign */
    VEC_SQADD, VEC_UQADD, VEC_SQSUB, VEC_UQSUB, /* saturating: set the flag bit */
    VEC_ZIP1, VEC_ZIP2, /* interleave the low / high halves of the q-sized vectors (not 64-bit with q = 0) */
    VEC_CMHI, VEC_CMHS, VEC_CMGE, /* unsigned >, unsigned >=, signed >= */
    VEC_MLA, VEC_MLS, /* d + n * m, d - n * m (wrapping) */
    VEC_UZP1, VEC_UZP2, /* even / odd elements of the q-sized m:n (not 64-bit with q = 0) */
    /* widening: elements of esz from the low (q = 0) or high (q = 1) halves of
     * n and m, sign- or zero-extended to esz + 1 (esz < 3), added or
     * subtracted: a 128-bit result whatever q */
    VEC_SADDL, VEC_UADDL, VEC_SSUBL, VEC_USUBL,
    VEC_FADD, VEC_FSUB, VEC_FMUL, VEC_FMLA, VEC_FMLS, /* floating point: FPSR in the flag word, FPCR read */
    VEC_KIND_COUNT
} IRVecKind;

static inline uint64_t ir_vec_imm(IRVecKind kind, unsigned esz, bool q, unsigned shift, unsigned flag_bit)
{
    return (uint64_t)kind | (uint64_t)esz << 8 | (uint64_t)q << 10 | (uint64_t)shift << 16 | (uint64_t)flag_bit << 24;
}
/* A floating-point kind: FPCR at env offset fpcr. */
static inline uint64_t ir_vec_imm_fp(IRVecKind kind, unsigned esz, bool q, uint32_t fpcr)
{
    return ir_vec_imm(kind, esz, q, 0, 0) | (uint64_t)(fpcr & 0xffff) << 32;
}
static inline uint64_t ir_vec_imm2(uint32_t d, uint32_t n, uint32_t m, uint32_t flag)
{
    return (uint64_t)d | (uint64_t)n << 16 | (uint64_t)m << 32 | (uint64_t)flag << 48;
}
static inline IRVecKind ir_vec_kind(uint64_t imm) { return (IRVecKind)(imm & 0xff); }
static inline unsigned ir_vec_esz(uint64_t imm) { return imm >> 8 & 3; }
static inline bool ir_vec_q(uint64_t imm) { return imm >> 10 & 1; }
static inline unsigned ir_vec_shift(uint64_t imm) { return (unsigned)(imm >> 16 & 0x7f); }
/* which: 0 d, 1 n, 2 m, 3 the flag word */
static inline uint32_t ir_vec_off(uint64_t imm2, unsigned which) { return (uint32_t)(imm2 >> (16 * which) & 0xffff); }
static inline unsigned ir_vec_flag_bit(uint64_t imm) { return (unsigned)(imm >> 24 & 31); }
static inline bool ir_vec_is_widening(uint64_t imm)
{
    return ir_vec_kind(imm) >= VEC_SADDL && ir_vec_kind(imm) <= VEC_USUBL;
}
static inline bool ir_vec_is_fp(uint64_t imm)
{
    return ir_vec_kind(imm) >= VEC_FADD && ir_vec_kind(imm) <= VEC_FMLS;
}
/* Does the op read and write the flag word? */
static inline bool ir_vec_sets_flag(uint64_t imm)
{
    return (ir_vec_kind(imm) >= VEC_SQADD && ir_vec_kind(imm) <= VEC_UQSUB) || ir_vec_is_fp(imm);
}

/* The env slots the op reads (all of them) and writes (d and the flag
 * word): slot which (0 d, 1 n, 2 m, 3 the flag word, 4 FPCR) for which <
 * ir_vec_nslots, at ir_vec_slot_off, of ir_vec_slot_size bytes. */
static inline unsigned ir_vec_nslots(uint64_t imm) { return ir_vec_is_fp(imm) ? 5 : ir_vec_sets_flag(imm) ? 4 : 3; }
static inline unsigned ir_vec_slot_size(unsigned which) { return which < 3 ? 16 : 4; }
static inline uint32_t ir_vec_slot_off(uint64_t imm, uint64_t imm2, unsigned which)
{
    return which == 4 ? (uint32_t)(imm >> 32 & 0xffff) : ir_vec_off(imm2, which);
}

/* Is imm a vec operation the engines implement? (the verifier's check) */
bool ir_vec_valid(uint64_t imm);
/* The reference semantics, also the JIT's fallback (a plain C call). */
void ir_vec_exec(void *env, uint64_t imm, uint64_t imm2);

#endif
