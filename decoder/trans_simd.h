/* Shared by the AdvSIMD integer translators (trans_simd_*.c, trans_ldst_simd.c).
 *
 * Each instruction is checked at translation time (reserved size/Q
 * combinations UNDEF, then the FP access check, DDI 0487 AArch64.CheckFPEnabled)
 * and then runs as one helper call that receives the instruction word and
 * works on CPUState.v directly: the helper decodes the fields again. Helpers
 * read every source element before writing the destination (Rd may equal Rn
 * or Rm), and a 64-bit (Q = 0) or scalar result zeroes bits 127:64.
 *
 * Element numbering follows the Arm ARM: element e of size esize bits is bits
 * [e*esize+esize-1 : e*esize] of the 128-bit register; CPUState.v[n][0] holds
 * bits 63:0, so on the little-endian host a register is 16 bytes in element
 * order. */
#ifndef NESTOR_DECODER_TRANS_SIMD_H
#define NESTOR_DECODER_TRANS_SIMD_H

#include <string.h>

#include "crypto/crypto.h"
#include "decoder/trans_fp.h"
#include "jit/ir_vec.h"

typedef __int128 i128;

/* A register value being computed: 16 bytes, element order (crypto/'s
 * 128-bit value, so the crypto helpers take it as it is). */
typedef Vec128 SimdVec;

static inline SimdVec simd_read(const CPUState *cpu, unsigned reg)
{
    SimdVec v;
    v.d[0] = cpu->v[reg][0];
    v.d[1] = cpu->v[reg][1];
    return v;
}

/* Writes a whole register; with q == false (64-bit or scalar result) bits
 * 127:64 become zero. */
static inline void simd_write(CPUState *cpu, unsigned reg, SimdVec v, bool q)
{
    cpu->v[reg][0] = v.d[0];
    cpu->v[reg][1] = q ? v.d[1] : 0;
}

/* Element e of log2-byte size esz (0: 8 bits .. 3: 64 bits) of the 16 bytes
 * of a register at p (a SimdVec or CPUState.v[n]), zero-extended. */
static inline uint64_t simd_elem_load(const void *p, unsigned e, unsigned esz)
{
    const uint8_t *b = (const uint8_t *)p + ((e << esz) & 15);
    switch (esz) {
    case 0: return *b;
    case 1: { uint16_t x; memcpy(&x, b, 2); return x; }
    case 2: { uint32_t x; memcpy(&x, b, 4); return x; }
    default: { uint64_t x; memcpy(&x, b, 8); return x; }
    }
}

static inline void simd_elem_store(void *p, unsigned e, unsigned esz, uint64_t x)
{
    uint8_t *b = (uint8_t *)p + ((e << esz) & 15);
    switch (esz) {
    case 0: *b = (uint8_t)x; break;
    case 1: { uint16_t y = (uint16_t)x; memcpy(b, &y, 2); break; }
    case 2: { uint32_t y = (uint32_t)x; memcpy(b, &y, 4); break; }
    default: memcpy(b, &x, 8); break;
    }
}

/* Element e of a value being computed, zero- or sign-extended. */
static inline uint64_t simd_get(const SimdVec *v, unsigned e, unsigned esz) { return simd_elem_load(v->b, e, esz); }

static inline int64_t simd_sget(const SimdVec *v, unsigned e, unsigned esz)
{
    return a64_sext(simd_get(v, e, esz), 8u << esz);
}

static inline void simd_set(SimdVec *v, unsigned e, unsigned esz, uint64_t x) { simd_elem_store(v->b, e, esz, x); }

/* The all-ones value of an element size (bits: 8..64). */
static inline uint64_t simd_ones(unsigned bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }

/* FPSR.QC: set by every saturating instruction that saturated. */
static inline void simd_set_qc(CPUState *cpu) { cpu->sr[SR_FPSR] |= FPSR_QC; }

/* SignedSatQ / UnsignedSatQ of an exact value to an element of bits bits,
 * setting QC when it saturates. The result is truncated to bits bits. */
static inline uint64_t simd_sat_s(CPUState *cpu, i128 x, unsigned bits)
{
    i128 max = ((i128)1 << (bits - 1)) - 1, min = -((i128)1 << (bits - 1));
    if (x > max) {
        simd_set_qc(cpu);
        x = max;
    } else if (x < min) {
        simd_set_qc(cpu);
        x = min;
    }
    return (uint64_t)x & simd_ones(bits);
}

static inline uint64_t simd_sat_u(CPUState *cpu, i128 x, unsigned bits)
{
    i128 max = ((i128)1 << bits) - 1;
    if (x > max) {
        simd_set_qc(cpu);
        x = max;
    } else if (x < 0) {
        simd_set_qc(cpu);
        x = 0;
    }
    return (uint64_t)x;
}

static inline uint64_t simd_sat(CPUState *cpu, i128 x, unsigned bits, bool is_unsigned)
{
    return is_unsigned ? simd_sat_u(cpu, x, bits) : simd_sat_s(cpu, x, bits);
}

/* An element as an exact integer (signed or unsigned interpretation). */
static inline i128 simd_int(const SimdVec *v, unsigned e, unsigned esz, bool is_unsigned)
{
    return is_unsigned ? (i128)simd_get(v, e, esz) : (i128)simd_sget(v, e, esz);
}

/* Instruction fields, for helpers that decode the word again. */
static inline unsigned insn_bits(uint32_t raw, unsigned pos, unsigned len) { return raw >> pos & ((1u << len) - 1); }
#define RD(raw) insn_bits(raw, 0, 5)
#define RN(raw) insn_bits(raw, 5, 5)
#define RM(raw) insn_bits(raw, 16, 5)
#define Q_BIT(raw) insn_bits(raw, 30, 1)
#define U_BIT(raw) insn_bits(raw, 29, 1)
#define SIZE(raw) insn_bits(raw, 22, 2)
#define SCALAR_BIT(raw) insn_bits(raw, 28, 1) /* the AdvSIMD scalar groups */

/* Emits the run-time part of an AdvSIMD instruction: one helper call with
 * the instruction word. Call after the reserved-value checks. Returns true
 * (the translator's result) whether the helper or the FP trap was emitted. */
static inline bool simd_emit(DisasContext *s, IRHelper fn, uint32_t raw)
{
    if (fp_access_check(s))
        gen_helper(s, fn, konst(s, raw), 0, 0);
    return true;
}

/* The vector fast path: the operation as one IR vec op (jit/ir_vec.h) on
 * Vd, Vn, Vm, after the FP access check. */
_Static_assert(offsetof(CPUState, v) + 16 * 32 <= 0x10000, "V registers beyond the vec op's 16-bit offsets");
_Static_assert(offsetof(CPUState, sr) + 8 * SR_FPSR < 0x10000, "FPSR beyond the vec op's 16-bit offsets");
static inline bool simd_emit_vec(DisasContext *s, IRVecKind kind, unsigned esz, bool q, unsigned shift, unsigned rd,
                                 unsigned rn, unsigned rm)
{
    if (fp_access_check(s))
        ir_vec(s->ir, ir_vec_imm(kind, esz, q, shift, (unsigned)__builtin_ctz(FPSR_QC)), /* saturation sets FPSR.QC */
               ir_vec_imm2((uint32_t)V_OFFSET(rd), (uint32_t)V_OFFSET(rn), (uint32_t)V_OFFSET(rm),
                           (uint32_t)(offsetof(CPUState, sr) + 8 * SR_FPSR)));
    return true;
}

#endif
