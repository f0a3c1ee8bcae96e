/* AdvSIMD shift by immediate, vector and scalar (DDI 0487 C7.2): right
 * shifts with rounding, accumulation and insertion, left shifts with
 * saturation and insertion, narrowing and lengthening shifts. The
 * fixed-point conversions of the same class are floating point.
 *
 * immh:immb encodes both the element size (the leading one of immh) and the
 * shift: right shifts are 2*esize - immh:immb (1..esize), left shifts
 * immh:immb - esize (0..esize-1). */
#include "decoder/simd_ops.h"

enum {
    S_SSHR = 0x00, S_SSRA = 0x02, S_SRSHR = 0x04, S_SRSRA = 0x06, S_SRI = 0x08, S_SHL = 0x0a, S_SQSHLU = 0x0c,
    S_SQSHL = 0x0e, S_SHRN = 0x10, S_RSHRN = 0x11, S_QSHRN = 0x12, S_QRSHRN = 0x13, S_SSHLL = 0x14,
};

static unsigned immh_esz(uint32_t raw) { return 31u - (unsigned)__builtin_clz(insn_bits(raw, 19, 4)); }

static uint64_t shift_elem(CPUState *cpu, unsigned op, bool u, unsigned bits, unsigned rshift, unsigned lshift,
                           uint64_t a, uint64_t d)
{
    uint64_t mask = simd_ones(bits);
    i128 x = u ? (i128)a : (i128)a64_sext(a, bits);
    switch (op) {
    case S_SSHR: return simd_shl_reg(cpu, x, bits, -(int)rshift, false, false, u);
    case S_SRSHR: return simd_shl_reg(cpu, x, bits, -(int)rshift, true, false, u);
    case S_SSRA: return (d + simd_shl_reg(cpu, x, bits, -(int)rshift, false, false, u)) & mask;
    case S_SRSRA: return (d + simd_shl_reg(cpu, x, bits, -(int)rshift, true, false, u)) & mask;
    case S_SRI: {
        uint64_t m = rshift >= 64 ? 0 : mask >> rshift;
        return (d & ~m) | (rshift >= 64 ? 0 : a >> rshift);
    }
    case S_SHL:
        if (u) /* SLI */
            return (d & ~(mask << lshift) & mask) | ((a << lshift) & mask);
        return (a << lshift) & mask;
    case S_SQSHLU: return simd_shl_reg(cpu, (i128)a64_sext(a, bits), bits, (int)lshift, false, true, true);
    default: return simd_shl_reg(cpu, x, bits, (int)lshift, false, true, u); /* SQSHL, UQSHL */
    }
}

static uint64_t helper_simd_shift(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), q = Q_BIT(raw) && !scalar, u = U_BIT(raw);
    unsigned op = insn_bits(raw, 11, 5), esz = immh_esz(raw), bits = 8u << esz, immhb = insn_bits(raw, 16, 7);
    unsigned rshift = 2 * bits - immhb, lshift = immhb - bits;
    SimdVec n = simd_read(cpu, RN(raw)), d = simd_read(cpu, RD(raw)), r = {{0, 0}};
    if (op >= S_SHRN && op <= S_QRSHRN) {
        /* Narrowing: esz is the narrow size; sources are 2*bits wide. */
        unsigned count = scalar ? 1 : 8u >> esz, base = q ? count : 0, wbits = 2 * bits;
        bool round = op & 1;
        if (q)
            r.d[0] = d.d[0];
        for (unsigned e = 0; e < count; e++) {
            uint64_t w = simd_get(&n, e, esz + 1);
            uint64_t v;
            if (op <= S_RSHRN && !u) /* SHRN, RSHRN */
                v = simd_shl_reg(cpu, (i128)w, wbits, -(int)rshift, round, false, true) & simd_ones(bits);
            else { /* SQSHRUN, SQRSHRUN (signed source, unsigned result), [SU]Q[R]SHRN */
                bool src_unsigned = u && op >= S_QSHRN;
                i128 x = src_unsigned ? (i128)w : (i128)a64_sext(w, wbits);
                v = simd_sat(cpu, (x + (round ? (i128)1 << (rshift - 1) : 0)) >> rshift, bits, u);
            }
            simd_set(&r, base + e, esz, v);
        }
        simd_write(cpu, RD(raw), r, q);
        return 0;
    }
    if (op == S_SSHLL) {
        unsigned count = 8u >> esz, base = Q_BIT(raw) ? count : 0;
        for (unsigned e = 0; e < count; e++) {
            i128 x = simd_int(&n, base + e, esz, u);
            simd_set(&r, e, esz + 1, (uint64_t)(x * ((i128)1 << lshift)));
        }
        simd_write(cpu, RD(raw), r, true);
        return 0;
    }
    unsigned elems = scalar ? 1 : (q ? 16u : 8u) >> esz;
    for (unsigned e = 0; e < elems; e++)
        simd_set(&r, e, esz, shift_elem(cpu, op, u, bits, rshift, lshift, simd_get(&n, e, esz), simd_get(&d, e, esz)));
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

bool trans_SIMD_shift(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned op = insn_bits(raw, 11, 5), immh = insn_bits(raw, 19, 4);
    bool scalar = SCALAR_BIT(raw), u = U_BIT(raw), q = Q_BIT(raw);
    if (immh == 0)
        return false;
    bool narrow_or_long = op >= S_SHRN;
    switch (op) {
    case S_SSHR: case S_SSRA: case S_SRSHR: case S_SRSRA: case S_SHL: case S_SQSHL: break;
    case S_SRI: case S_SQSHLU: if (!u) return false; break;
    case S_SHRN: case S_RSHRN: case S_QSHRN: case S_QRSHRN: break;
    case S_SSHLL: if (scalar) return false; break;
    default: return false;
    }
    if (scalar) {
        bool any_size = op == S_SQSHLU || op == S_SQSHL;
        if (narrow_or_long) {
            if ((op <= S_RSHRN && !u) || (immh & 8))
                return false;
        } else if (!any_size && !(immh & 8)) {
            return false;
        }
    } else if (narrow_or_long ? (immh & 8) : ((immh & 8) && !q)) {
        return false;
    }
    unsigned esz = immh_esz(raw), bits = 8u << esz, immhb = insn_bits(raw, 16, 7);
    if (!scalar && (op == S_SSHR || (op == S_SHL && !u))) /* SSHR, USHR, SHL: the IR vec op */
        return simd_emit_vec(s, op == S_SHL ? VEC_SHL : u ? VEC_USHR : VEC_SSHR, esz, q,
                             op == S_SHL ? immhb - bits : 2 * bits - immhb, RD(raw), RN(raw), RN(raw));
    return simd_emit(s, helper_simd_shift, raw);
}
