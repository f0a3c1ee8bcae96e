/* Element operations shared by several AdvSIMD integer groups (the Arm ARM
 * pseudocode's integer arithmetic on exact values, DDI 0487 J1). */
#ifndef NESTOR_DECODER_SIMD_OPS_H
#define NESTOR_DECODER_SIMD_OPS_H

#include "decoder/trans_simd.h"

/* (x + round_const) << shift, shift negative meaning a right shift, with
 * round_const = 2^(-shift-1) for rounding right shifts (the SSHL/SRSHL/
 * SQSHL/SQRSHL pseudocode, also the immediate shifts). x is the exact
 * element value; the result saturates (SatQ, signed or unsigned) or is
 * truncated to bits. */
static inline uint64_t simd_shl_reg(CPUState *cpu, i128 x, unsigned bits, int shift, bool round, bool sat,
                                    bool is_unsigned)
{
    i128 v;
    if (shift >= 0) {
        if (x == 0)
            v = 0;
        else if (shift >= 64) /* beyond any element: only the sign matters */
            v = x > 0 ? (i128)1 << 126 : -((i128)1 << 126);
        else
            v = (i128)((unsigned __int128)x << shift);
    } else {
        int n = -shift;
        if (n > 65) /* |x| < 2^64: even with the rounding constant nothing is left */
            v = round ? 0 : (x < 0 ? -1 : 0);
        else
            v = (x + (round ? (i128)1 << (n - 1) : 0)) >> n;
    }
    return sat ? simd_sat(cpu, v, bits, is_unsigned) : (uint64_t)v & simd_ones(bits);
}

/* SDOT/UDOT: the sum of the four byte products of 32-bit lane en of n and
 * lane em of m (the caller adds the accumulator and truncates). */
static inline uint64_t simd_dot4(const SimdVec *n, const SimdVec *m, unsigned en, unsigned em, bool is_unsigned)
{
    int64_t sum = 0;
    for (unsigned k = 0; k < 4; k++)
        sum += (int64_t)simd_int(n, 4 * en + k, 0, is_unsigned) * (int64_t)simd_int(m, 4 * em + k, 0, is_unsigned);
    return (uint64_t)sum;
}

/* The long multiplies on exact element values, by vector (three different)
 * or by element: SMLAL/UMLAL (LONG_MLA: acc + a*b), SMLSL/UMLSL (LONG_MLS:
 * acc - a*b), SMULL/UMULL (LONG_MUL: a*b). The doubling forms SQDMLAL/
 * SQDMLSL/SQDMULL saturate the doubled product to wbits bits first, then
 * the accumulation (SignedSatQ twice, setting QC). The caller truncates. */
enum { LONG_MLA, LONG_MLS, LONG_MUL };
static inline i128 simd_mull(CPUState *cpu, unsigned kind, bool doubling, i128 acc, i128 a, i128 b, unsigned wbits)
{
    i128 p = doubling ? (i128)a64_sext(simd_sat_s(cpu, 2 * a * b, wbits), wbits) : a * b;
    i128 x = kind == LONG_MUL ? p : kind == LONG_MLA ? acc + p : acc - p;
    if (doubling && kind != LONG_MUL)
        x = (i128)a64_sext(simd_sat_s(cpu, x, wbits), wbits);
    return x;
}

/* SQRDMLAH/SQRDMLSH of signed elements: (d << esize) +/- 2*a*b, rounded
 * and saturated to the high half. */
static inline uint64_t simd_qrdmlah(CPUState *cpu, unsigned esz, int64_t a, int64_t b, int64_t d, bool sub)
{
    unsigned bits = 8u << esz;
    i128 prod = 2 * (i128)a * b;
    i128 acc = (i128)d * ((i128)1 << bits) + (sub ? -prod : prod) + ((i128)1 << (bits - 1));
    return simd_sat_s(cpu, acc >> bits, bits);
}

/* SQDMULH/SQRDMULH of signed elements. */
static inline uint64_t simd_qdmulh(CPUState *cpu, unsigned esz, int64_t a, int64_t b, bool round)
{
    unsigned bits = 8u << esz;
    i128 p = 2 * (i128)a * b + (round ? (i128)1 << (bits - 1) : 0);
    return simd_sat_s(cpu, p >> bits, bits);
}

#endif
