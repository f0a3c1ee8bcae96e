/* AdvSIMD integer arithmetic with two register sources (DDI 0487 C7.2):
 * "three same" (vector and scalar), "three same extra" (SQRDMLAH/SQRDMLSH,
 * SDOT/UDOT) and "three different" (long, wide and narrowing forms, scalar
 * SQDMLAL/SQDMLSL/SQDMULL). */
#include "decoder/trans_simd.h"
#include "decoder/simd_ops.h"

/* ---- three same ---- */

enum {
    OP_HADD = 0x00, OP_QADD = 0x01, OP_RHADD = 0x02, OP_LOGIC = 0x03, OP_HSUB = 0x04, OP_QSUB = 0x05,
    OP_CMGT = 0x06, OP_CMGE = 0x07, OP_SHL = 0x08, OP_QSHL = 0x09, OP_RSHL = 0x0a, OP_QRSHL = 0x0b,
    OP_MAX = 0x0c, OP_MIN = 0x0d, OP_ABD = 0x0e, OP_ABA = 0x0f, OP_ADD = 0x10, OP_TST = 0x11,
    OP_MLA = 0x12, OP_MUL = 0x13, OP_MAXP = 0x14, OP_MINP = 0x15, OP_QDMULH = 0x16, OP_ADDP = 0x17,
};

/* One element of a three-same operation (not the logical or pairwise
 * ones): a and b are the source elements, d the old destination element. */
static uint64_t three_same_elem(CPUState *cpu, unsigned op, bool u, unsigned esz, uint64_t a, uint64_t b, uint64_t d)
{
    unsigned bits = 8u << esz;
    uint64_t mask = simd_ones(bits);
    i128 x = u ? (i128)a : (i128)a64_sext(a, bits), y = u ? (i128)b : (i128)a64_sext(b, bits);
    switch (op) {
    case OP_HADD: return (uint64_t)((x + y) >> 1) & mask;
    case OP_QADD: return simd_sat(cpu, x + y, bits, u);
    case OP_RHADD: return (uint64_t)((x + y + 1) >> 1) & mask;
    case OP_HSUB: return (uint64_t)((x - y) >> 1) & mask;
    case OP_QSUB: return simd_sat(cpu, x - y, bits, u);
    case OP_CMGT: return x > y ? mask : 0;
    case OP_CMGE: return x >= y ? mask : 0;
    case OP_SHL: return simd_shl_reg(cpu, x, bits, (int8_t)b, false, false, u);
    case OP_QSHL: return simd_shl_reg(cpu, x, bits, (int8_t)b, false, true, u);
    case OP_RSHL: return simd_shl_reg(cpu, x, bits, (int8_t)b, true, false, u);
    case OP_QRSHL: return simd_shl_reg(cpu, x, bits, (int8_t)b, true, true, u);
    case OP_MAX: case OP_MAXP: return (uint64_t)(x > y ? x : y) & mask;
    case OP_MIN: case OP_MINP: return (uint64_t)(x < y ? x : y) & mask;
    case OP_ABD: return (uint64_t)(x > y ? x - y : y - x) & mask;
    case OP_ABA: return (d + (uint64_t)(x > y ? x - y : y - x)) & mask;
    case OP_ADD: return (u ? a - b : a + b) & mask;
    case OP_TST: return (u ? a == b : (a & b) != 0) ? mask : 0;
    case OP_MLA: return (u ? d - a * b : d + a * b) & mask;
    case OP_MUL: return u ? crypto_pmul8((uint8_t)a, (uint8_t)b) & 0xff : (a * b) & mask; /* PMUL: the low byte */
    case OP_QDMULH: return simd_qdmulh(cpu, esz, a64_sext(a, bits), a64_sext(b, bits), u);
    default: return (a + b) & mask; /* ADDP */
    }
}

static bool three_same_is_pairwise(unsigned op) { return op >= OP_MAXP && op != OP_QDMULH; }

/* The forms three_same_vec_kind leaves to a helper: never the logical ones
 * (opcode 00011, vector only), which are all IR vec ops. */
static uint64_t helper_simd_3same(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), q = Q_BIT(raw) && !scalar, u = U_BIT(raw);
    unsigned op = insn_bits(raw, 11, 5), esz = SIZE(raw);
    SimdVec n = simd_read(cpu, RN(raw)), m = simd_read(cpu, RM(raw)), d = simd_read(cpu, RD(raw)), r = {{0, 0}};
    unsigned elems = scalar ? 1 : (q ? 16u : 8u) >> esz;
    if (three_same_is_pairwise(op)) {
        /* Pairs of adjacent elements of the concatenation Vm:Vn, Vn first. */
        for (unsigned e = 0; e < elems; e++) {
            const SimdVec *src = 2 * e < elems ? &n : &m;
            unsigned k = (2 * e) % elems;
            simd_set(&r, e, esz, three_same_elem(cpu, op, u, esz, simd_get(src, k, esz), simd_get(src, k + 1, esz), 0));
        }
    } else {
        for (unsigned e = 0; e < elems; e++)
            simd_set(&r, e, esz, three_same_elem(cpu, op, u, esz, simd_get(&n, e, esz), simd_get(&m, e, esz),
                                                 simd_get(&d, e, esz)));
    }
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

/* Sizes each operation allows (bit per size value) in the vector form, and
 * in the scalar form (0: no scalar form). */
static bool three_same_valid(unsigned op, bool u, unsigned size, bool q, bool scalar)
{
    static const uint8_t vec[24] = {
        [OP_HADD] = 7, [OP_QADD] = 15, [OP_RHADD] = 7, [OP_LOGIC] = 15, [OP_HSUB] = 7, [OP_QSUB] = 15,
        [OP_CMGT] = 15, [OP_CMGE] = 15, [OP_SHL] = 15, [OP_QSHL] = 15, [OP_RSHL] = 15, [OP_QRSHL] = 15,
        [OP_MAX] = 7, [OP_MIN] = 7, [OP_ABD] = 7, [OP_ABA] = 7, [OP_ADD] = 15, [OP_TST] = 15,
        [OP_MLA] = 7, [OP_MUL] = 7, [OP_MAXP] = 7, [OP_MINP] = 7, [OP_QDMULH] = 6, [OP_ADDP] = 15,
    };
    static const uint8_t sca[24] = {
        [OP_QADD] = 15, [OP_QSUB] = 15, [OP_CMGT] = 8, [OP_CMGE] = 8, [OP_SHL] = 8, [OP_QSHL] = 15,
        [OP_RSHL] = 8, [OP_QRSHL] = 15, [OP_ADD] = 8, [OP_TST] = 8, [OP_QDMULH] = 6,
    };
    if (op >= 24)
        return false;
    if (scalar)
        return sca[op] >> size & 1;
    if (op == OP_ADDP && u)
        return false;
    if (op == OP_MUL && u && size != 0) /* PMUL: bytes only */
        return false;
    if (op != OP_LOGIC && size == 3 && !q)
        return false;
    return vec[op] >> size & 1;
}

/* The vector forms the IR vec op implements (jit/ir_vec.h), or -1. */
static int three_same_vec_kind(unsigned op, bool u, unsigned size)
{
    static const int8_t logic[8] = {VEC_AND, VEC_BIC, VEC_ORR, VEC_ORN, VEC_EOR, VEC_BSL, VEC_BIT, VEC_BIF};
    switch (op) {
    case OP_LOGIC: return logic[u << 2 | size];
    case OP_ADD: return u ? VEC_SUB : VEC_ADD;
    case OP_TST: return u ? VEC_CMEQ : -1;
    case OP_CMGT: return u ? VEC_CMHI : VEC_CMGT;
    case OP_CMGE: return u ? VEC_CMHS : VEC_CMGE;
    case OP_MLA: return u ? VEC_MLS : VEC_MLA;
    case OP_MUL: return u ? -1 : VEC_MUL;
    case OP_MAX: return u ? VEC_UMAX : VEC_SMAX;
    case OP_MIN: return u ? VEC_UMIN : VEC_SMIN;
    case OP_QADD: return u ? VEC_UQADD : VEC_SQADD;
    case OP_QSUB: return u ? VEC_UQSUB : VEC_SQSUB;
    default: return -1;
    }
}

bool trans_SIMD_3same(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    bool scalar = SCALAR_BIT(raw);
    unsigned op = insn_bits(raw, 11, 5), size = SIZE(raw);
    if (!three_same_valid(op, U_BIT(raw), size, Q_BIT(raw), scalar))
        return false;
    int kind = scalar ? -1 : three_same_vec_kind(op, U_BIT(raw), size);
    if (kind >= 0)
        return simd_emit_vec(s, (IRVecKind)kind, op == OP_LOGIC ? 0 : size, Q_BIT(raw), 0, RD(raw), RN(raw), RM(raw));
    return simd_emit(s, helper_simd_3same, raw);
}

/* ---- three same extra: SQRDMLAH/SQRDMLSH (FEAT_RDM), SDOT/UDOT (FEAT_DotProd) ---- */

static uint64_t helper_simd_3extra(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), q = Q_BIT(raw) && !scalar, u = U_BIT(raw);
    unsigned op = insn_bits(raw, 11, 4), esz = SIZE(raw);
    SimdVec n = simd_read(cpu, RN(raw)), m = simd_read(cpu, RM(raw)), d = simd_read(cpu, RD(raw)), r = {{0, 0}};
    if (op == 2) { /* SDOT/UDOT: 32-bit lanes accumulate four byte products */
        for (unsigned e = 0; e < (q ? 4u : 2u); e++)
            simd_set(&r, e, 2, simd_dot4(&n, &m, e, e, u) + simd_get(&d, e, 2));
    } else {
        unsigned elems = scalar ? 1 : (q ? 16u : 8u) >> esz;
        for (unsigned e = 0; e < elems; e++)
            simd_set(&r, e, esz, simd_qrdmlah(cpu, esz, simd_sget(&n, e, esz), simd_sget(&m, e, esz),
                                              simd_sget(&d, e, esz), op == 1));
    }
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

bool trans_SIMD_3extra(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned op = insn_bits(raw, 11, 4), size = SIZE(raw);
    bool scalar = SCALAR_BIT(raw);
    if (op == 2 ? scalar || size != 2 : size == 0 || size == 3) /* SDOT/UDOT : SQRDMLAH/SQRDMLSH */
        return false;
    return simd_emit(s, helper_simd_3extra, raw);
}

/* ---- three different ---- */

enum {
    TD_ADDL, TD_ADDW, TD_SUBL, TD_SUBW, TD_ADDHN, TD_ABAL, TD_SUBHN, TD_ABDL,
    TD_MLAL, TD_QDMLAL, TD_MLSL, TD_QDMLSL, TD_MULL, TD_QDMULL,
};

static uint64_t helper_simd_3diff(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), part = Q_BIT(raw) && !scalar, u = U_BIT(raw);
    unsigned op = insn_bits(raw, 12, 4), esz = SIZE(raw), bits = 8u << esz;
    unsigned elems = scalar ? 1 : 8u >> esz, base = part ? elems : 0;
    SimdVec n = simd_read(cpu, RN(raw)), m = simd_read(cpu, RM(raw)), d = simd_read(cpu, RD(raw)), r = {{0, 0}};
    if (op == TD_ADDHN || op == TD_SUBHN) {
        /* Narrowing: the high half of each wide result, into the low or
         * (the "2" form) high half of Vd, keeping the other half. */
        if (part)
            r.d[0] = d.d[0];
        for (unsigned e = 0; e < elems; e++) {
            uint64_t a = simd_get(&n, e, esz + 1), b = simd_get(&m, e, esz + 1);
            unsigned __int128 sum = op == TD_ADDHN ? (unsigned __int128)a + b : (unsigned __int128)a - b;
            if (u)
                sum += (uint64_t)1 << (bits - 1);
            simd_set(&r, base + e, esz, (uint64_t)(sum >> bits));
        }
        simd_write(cpu, RD(raw), r, part);
        return 0;
    }
    unsigned wbits = 2 * bits;
    for (unsigned e = 0; e < elems; e++) {
        bool wide = op == TD_ADDW || op == TD_SUBW;
        i128 a = wide ? simd_int(&n, e, esz + 1, u) : simd_int(&n, base + e, esz, u);
        i128 b = simd_int(&m, base + e, esz, u);
        i128 acc = simd_int(&d, e, esz + 1, u), x;
        switch (op) {
        case TD_ADDL: case TD_ADDW: x = a + b; break;
        case TD_SUBL: case TD_SUBW: x = a - b; break;
        case TD_ABAL: x = acc + (a > b ? a - b : b - a); break;
        case TD_ABDL: x = a > b ? a - b : b - a; break;
        case TD_MLAL: case TD_QDMLAL: x = simd_mull(cpu, LONG_MLA, op == TD_QDMLAL, acc, a, b, wbits); break;
        case TD_MLSL: case TD_QDMLSL: x = simd_mull(cpu, LONG_MLS, op == TD_QDMLSL, acc, a, b, wbits); break;
        default: x = simd_mull(cpu, LONG_MUL, op == TD_QDMULL, acc, a, b, wbits); break; /* MULL, QDMULL */
        }
        simd_set(&r, e, esz + 1, (uint64_t)x & simd_ones(wbits));
    }
    simd_write(cpu, RD(raw), r, !scalar);
    return 0;
}

bool trans_SIMD_3diff(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned op = insn_bits(raw, 12, 4), size = SIZE(raw);
    bool scalar = SCALAR_BIT(raw), u = U_BIT(raw);
    bool sqd = op == TD_QDMLAL || op == TD_QDMLSL || op == TD_QDMULL;
    if (op > TD_QDMULL || size == 3)
        return false;
    if (sqd && (u || size == 0))
        return false;
    if (scalar && !sqd)
        return false;
    if (op == TD_ADDL || op == TD_SUBL) {
        static const IRVecKind kinds[2][2] = {{VEC_SADDL, VEC_UADDL}, {VEC_SSUBL, VEC_USUBL}};
        return simd_emit_vec(s, kinds[op == TD_SUBL][u], size, Q_BIT(raw), 0, RD(raw), RN(raw), RM(raw));
    }
    return simd_emit(s, helper_simd_3diff, raw);
}
