/* AdvSIMD integer "by element" forms, vector and scalar (DDI 0487 C7.2):
 * MUL/MLA/MLS, the long multiplies, the saturating doubling multiplies,
 * SQRDMLAH/SQRDMLSH (FEAT_RDM) and SDOT/UDOT (FEAT_DotProd). The second
 * operand is one element of Vm: 16-bit elements index H:L:M of V0-V15,
 * 32-bit elements index H:L of M:Rm. */
#include "decoder/simd_ops.h"

enum {
    E_MLA = 0x10, E_SMLAL = 0x02, E_UMLAL = 0x12, E_SQDMLAL = 0x03, E_MLS = 0x14, E_SMLSL = 0x06, E_UMLSL = 0x16,
    E_SQDMLSL = 0x07, E_MUL = 0x08, E_SMULL = 0x0a, E_UMULL = 0x1a, E_SQDMULL = 0x0b, E_SQDMULH = 0x0c,
    E_SQRDMULH = 0x0d, E_SDOT = 0x0e, E_UDOT = 0x1e, E_SQRDMLAH = 0x1d, E_SQRDMLSH = 0x1f,
};

/* The operand's register and element index. */
static void elem_operand(uint32_t raw, unsigned esz, unsigned *rm, unsigned *index)
{
    unsigned h = insn_bits(raw, 11, 1), l = insn_bits(raw, 21, 1), m = insn_bits(raw, 20, 1);
    if (esz == 1) {
        *rm = insn_bits(raw, 16, 4);
        *index = h << 2 | l << 1 | m;
    } else {
        *rm = insn_bits(raw, 16, 5);
        *index = h << 1 | l;
    }
}

static uint64_t helper_simd_elem(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), q = Q_BIT(raw) && !scalar, u = U_BIT(raw);
    unsigned key = (unsigned)u << 4 | insn_bits(raw, 12, 4), esz = SIZE(raw), bits = 8u << esz, rm, index;
    elem_operand(raw, esz, &rm, &index);
    SimdVec n = simd_read(cpu, RN(raw)), m = simd_read(cpu, rm), d = simd_read(cpu, RD(raw)), r = {{0, 0}};
    if (key == E_SDOT || key == E_UDOT) {
        for (unsigned e = 0; e < (q ? 4u : 2u); e++)
            simd_set(&r, e, 2, simd_dot4(&n, &m, e, index, u) + simd_get(&d, e, 2));
        simd_write(cpu, RD(raw), r, q);
        return 0;
    }
    bool is_long = (key & 0xf) == 0x02 || (key & 0xf) == 0x03 || (key & 0xf) == 0x06 || (key & 0xf) == 0x07 ||
                   (key & 0xf) == 0x0a || (key & 0xf) == 0x0b;
    if (is_long) {
        unsigned count = scalar ? 1 : 8u >> esz, base = q ? count : 0, wbits = 2 * bits;
        i128 b = simd_int(&m, index, esz, u);
        for (unsigned e = 0; e < count; e++) {
            i128 a = simd_int(&n, base + e, esz, u), acc = simd_int(&d, e, esz + 1, u), x;
            switch (key) {
            case E_SMLAL: case E_UMLAL: case E_SQDMLAL:
                x = simd_mull(cpu, LONG_MLA, key == E_SQDMLAL, acc, a, b, wbits);
                break;
            case E_SMLSL: case E_UMLSL: case E_SQDMLSL:
                x = simd_mull(cpu, LONG_MLS, key == E_SQDMLSL, acc, a, b, wbits);
                break;
            default: x = simd_mull(cpu, LONG_MUL, key == E_SQDMULL, acc, a, b, wbits); break; /* [SU]MULL, SQDMULL */
            }
            simd_set(&r, e, esz + 1, (uint64_t)x & simd_ones(wbits));
        }
        simd_write(cpu, RD(raw), r, !scalar);
        return 0;
    }
    unsigned elems = scalar ? 1 : (q ? 16u : 8u) >> esz;
    uint64_t b = simd_get(&m, index, esz);
    int64_t sb = a64_sext(b, bits);
    for (unsigned e = 0; e < elems; e++) {
        uint64_t a = simd_get(&n, e, esz), acc = simd_get(&d, e, esz), v;
        int64_t sa = a64_sext(a, bits);
        switch (key) {
        case E_MLA: v = acc + a * b; break;
        case E_MLS: v = acc - a * b; break;
        case E_MUL: v = a * b; break;
        case E_SQDMULH: v = simd_qdmulh(cpu, esz, sa, sb, false); break;
        case E_SQRDMULH: v = simd_qdmulh(cpu, esz, sa, sb, true); break;
        default: v = simd_qrdmlah(cpu, esz, sa, sb, a64_sext(acc, bits), key == E_SQRDMLSH); break;
        }
        simd_set(&r, e, esz, v);
    }
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

bool trans_SIMD_elem(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned key = U_BIT(raw) << 4 | insn_bits(raw, 12, 4), size = SIZE(raw);
    if (key == E_SDOT || key == E_UDOT) {
        if (size != 2)
            return false;
    } else if (size != 1 && size != 2) {
        return false;
    }
    if (key == 0x0f) /* U = 0, opcode 1111 in the scalar sqdml pattern: unallocated */
        return false;
    return simd_emit(s, helper_simd_elem, raw);
}
