/* Portable semantics of the IR vec op (ir_vec.h). */
#include "jit/ir_vec.h"

#include <string.h>

#include "fpu/fpu.h"

bool ir_vec_valid(uint64_t imm)
{
    IRVecKind k = ir_vec_kind(imm);
    unsigned bits = 8u << ir_vec_esz(imm), shift = ir_vec_shift(imm);
    if (k < VEC_KIND_COUNT && ir_vec_is_fp(imm))
        return !(imm >> 48) && !(imm >> 11 & 0x1fffff) && ir_vec_esz(imm) >= 2 &&
               (ir_vec_esz(imm) == 2 || ir_vec_q(imm));
    if (k >= VEC_KIND_COUNT || imm >> 29 || (imm >> 11 & 0x1f) || (imm >> 23 & 1))
        return false;
    if ((k == VEC_ZIP1 || k == VEC_ZIP2 || k == VEC_UZP1 || k == VEC_UZP2) && ir_vec_esz(imm) == 3 && !ir_vec_q(imm))
        return false;
    if (ir_vec_is_widening(imm) && ir_vec_esz(imm) == 3)
        return false;
    if (k == VEC_SHL)
        return shift < bits;
    if (k == VEC_USHR || k == VEC_SSHR)
        return shift >= 1 && shift <= bits;
    return shift == 0;
}

static uint64_t elem(const uint8_t *v, unsigned e, unsigned bytes)
{
    uint64_t x = 0;
    memcpy(&x, v + e * bytes, bytes); /* little-endian host */
    return x;
}

static int64_t selem(const uint8_t *v, unsigned e, unsigned bytes)
{
    unsigned drop = 64 - 8 * bytes;
    return (int64_t)(elem(v, e, bytes) << drop) >> drop;
}

/* A saturating add or subtract; *sat tells whether it saturated. */
static uint64_t saturating(IRVecKind k, unsigned bits, uint64_t a, uint64_t b, int64_t sa, int64_t sb, bool *sat)
{
    __int128 x = k == VEC_UQADD ? (__int128)a + b : k == VEC_UQSUB ? (__int128)a - b
               : k == VEC_SQADD ? (__int128)sa + sb : (__int128)sa - sb;
    bool is_unsigned = k == VEC_UQADD || k == VEC_UQSUB;
    __int128 max = is_unsigned ? ((__int128)1 << bits) - 1 : ((__int128)1 << (bits - 1)) - 1;
    __int128 min = is_unsigned ? 0 : -((__int128)1 << (bits - 1));
    if (x > max || x < min) {
        *sat = true;
        x = x > max ? max : min;
    }
    return (uint64_t)x;
}

static uint64_t one(IRVecKind k, unsigned bits, unsigned shift, const uint8_t *n, const uint8_t *m, const uint8_t *d,
                    unsigned e, unsigned bytes)
{
    uint64_t a = elem(n, e, bytes), b = elem(m, e, bytes);
    int64_t sa = selem(n, e, bytes), sb = selem(m, e, bytes);
    switch (k) {
    case VEC_ADD: return a + b;
    case VEC_SUB: return a - b;
    case VEC_CMEQ: return a == b ? ~0ull : 0;
    case VEC_CMGT: return sa > sb ? ~0ull : 0;
    case VEC_CMHI: return a > b ? ~0ull : 0;
    case VEC_CMHS: return a >= b ? ~0ull : 0;
    case VEC_CMGE: return sa >= sb ? ~0ull : 0;
    case VEC_MLA: return elem(d, e, bytes) + a * b;
    case VEC_MLS: return elem(d, e, bytes) - a * b;
    case VEC_MUL: return a * b;
    case VEC_SMAX: return (uint64_t)(sa > sb ? sa : sb);
    case VEC_SMIN: return (uint64_t)(sa < sb ? sa : sb);
    case VEC_UMAX: return a > b ? a : b;
    case VEC_UMIN: return a < b ? a : b;
    case VEC_SHL: return a << shift;
    case VEC_USHR: return shift >= bits ? 0 : a >> shift;
    default: return (uint64_t)(sa >> (shift >= bits ? bits - 1 : shift)); /* SSHR */
    }
}

/* The floating-point kinds: every lane through fpu/ in lane order, as the
 * A64 helpers do (same FPCR use, same cumulative FPSR flags). */
static void fp_exec(uint8_t *base, uint64_t imm, uint64_t imm2, const uint8_t *n, const uint8_t *m,
                    const uint8_t *d, uint8_t *r)
{
    IRVecKind k = ir_vec_kind(imm);
    FPSize sz = ir_vec_esz(imm) == 2 ? FP32 : FP64;
    unsigned bytes = 1u << ir_vec_esz(imm), lanes = (ir_vec_q(imm) ? 16 : 8) / bytes;
    FPCtx c;
    memcpy(&c.fpcr, base + ir_vec_slot_off(imm, imm2, 4), 4);
    memcpy(&c.fpsr, base + ir_vec_off(imm2, 3), 4);
    uint64_t x[4], y[4], acc[4], res[4];
    for (unsigned e = 0; e < lanes; e++) {
        x[e] = elem(n, e, bytes), y[e] = elem(m, e, bytes), acc[e] = elem(d, e, bytes);
        switch (k) {
        case VEC_FADD: res[e] = fpu_add(&c, sz, x[e], y[e]); break;
        case VEC_FSUB: res[e] = fpu_sub(&c, sz, x[e], y[e]); break;
        case VEC_FMUL: res[e] = fpu_mul(&c, sz, x[e], y[e]); break;
        case VEC_FMLS: x[e] = fpu_neg(sz, x[e]); break;
        default: break;
        }
    }
    if (k == VEC_FMLA || k == VEC_FMLS)
        fpu_muladd_lanes(&c, sz, lanes, res, acc, x, y);
    memset(r, 0, 16);
    for (unsigned e = 0; e < lanes; e++)
        memcpy(r + e * bytes, &res[e], bytes);
    memcpy(base + ir_vec_off(imm2, 3), &c.fpsr, 4);
}

void ir_vec_exec(void *env, uint64_t imm, uint64_t imm2)
{
    uint8_t *base = env, n[16], m[16], d[16], r[16];
    IRVecKind k = ir_vec_kind(imm);
    memcpy(n, base + ir_vec_off(imm2, 1), 16);
    memcpy(m, base + ir_vec_off(imm2, 2), 16);
    memcpy(d, base + ir_vec_off(imm2, 0), 16);
    if (ir_vec_is_fp(imm)) {
        fp_exec(base, imm, imm2, n, m, d, r);
    } else if (k >= VEC_AND && k <= VEC_BIF) {
        for (unsigned i = 0; i < 16; i++) {
            uint8_t a = n[i], b = m[i], c = d[i];
            switch (k) {
            case VEC_AND: r[i] = a & b; break;
            case VEC_BIC: r[i] = a & (uint8_t)~b; break;
            case VEC_ORR: r[i] = a | b; break;
            case VEC_ORN: r[i] = a | (uint8_t)~b; break;
            case VEC_EOR: r[i] = a ^ b; break;
            case VEC_BSL: r[i] = (uint8_t)(b ^ ((b ^ a) & c)); break;
            case VEC_BIT: r[i] = (uint8_t)(c ^ ((c ^ a) & b)); break;
            default: r[i] = (uint8_t)(c ^ ((c ^ a) & ~b)); break; /* BIF */
            }
        }
    } else if (k == VEC_ZIP1 || k == VEC_ZIP2) {
        unsigned bytes = 1u << ir_vec_esz(imm), elems = (ir_vec_q(imm) ? 16 : 8) / bytes;
        memset(r, 0, 16);
        for (unsigned e = 0; e < elems; e++) {
            unsigned from = (k == VEC_ZIP2) * elems / 2 + e / 2;
            memcpy(r + e * bytes, ((e & 1) ? m : n) + from * bytes, bytes);
        }
    } else if (k == VEC_UZP1 || k == VEC_UZP2) {
        unsigned bytes = 1u << ir_vec_esz(imm), elems = (ir_vec_q(imm) ? 16 : 8) / bytes;
        memset(r, 0, 16);
        for (unsigned e = 0; e < elems; e++) {
            unsigned from = 2 * e + (k == VEC_UZP2);
            memcpy(r + e * bytes, (from < elems ? n : m) + from % elems * bytes, bytes);
        }
    } else if (ir_vec_is_widening(imm)) {
        unsigned bytes = 1u << ir_vec_esz(imm), base = ir_vec_q(imm) ? 8 / bytes : 0;
        bool is_signed = k == VEC_SADDL || k == VEC_SSUBL, add = k == VEC_SADDL || k == VEC_UADDL;
        for (unsigned e = 0; e < 8 / bytes; e++) {
            uint64_t a = is_signed ? (uint64_t)selem(n, base + e, bytes) : elem(n, base + e, bytes);
            uint64_t b = is_signed ? (uint64_t)selem(m, base + e, bytes) : elem(m, base + e, bytes);
            uint64_t v = add ? a + b : a - b;
            memcpy(r + e * 2 * bytes, &v, 2 * bytes);
        }
    } else if (ir_vec_sets_flag(imm)) {
        unsigned bytes = 1u << ir_vec_esz(imm);
        bool sat = false;
        for (unsigned e = 0; e < (ir_vec_q(imm) ? 16 : 8) / bytes; e++) {
            uint64_t v = saturating(k, 8 * bytes, elem(n, e, bytes), elem(m, e, bytes), selem(n, e, bytes),
                                    selem(m, e, bytes), &sat);
            memcpy(r + e * bytes, &v, bytes);
        }
        if (sat) {
            uint32_t word;
            memcpy(&word, base + ir_vec_off(imm2, 3), 4);
            word |= 1u << ir_vec_flag_bit(imm);
            memcpy(base + ir_vec_off(imm2, 3), &word, 4);
        }
    } else {
        unsigned bytes = 1u << ir_vec_esz(imm);
        for (unsigned e = 0; e < 16 / bytes; e++) {
            uint64_t v = one(k, 8 * bytes, ir_vec_shift(imm), n, m, d, e, bytes);
            memcpy(r + e * bytes, &v, bytes);
        }
    }
    if (!ir_vec_q(imm) && !ir_vec_is_widening(imm))
        memset(r + 8, 0, 8);
    memcpy(base + ir_vec_off(imm2, 0), r, 16);
}
