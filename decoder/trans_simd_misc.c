/* AdvSIMD integer operations with one register source (DDI 0487 C7.2):
 * two-register miscellaneous (vector and scalar), across lanes, and scalar
 * pairwise ADDP. */
#include "decoder/trans_simd.h"

enum {
    M_REV64 = 0x00, M_REV16 = 0x01, M_ADDLP = 0x02, M_SQADD = 0x03, M_CLS = 0x04, M_CNT = 0x05,
    M_ADALP = 0x06, M_QABS = 0x07, M_CMGT0 = 0x08, M_CMEQ0 = 0x09, M_CMLT0 = 0x0a, M_ABS = 0x0b,
    M_XTN = 0x12, M_SHLL = 0x13, M_QXTN = 0x14,
};

static unsigned clz_bits(uint64_t x, unsigned bits)
{
    return x ? (unsigned)__builtin_clzll(x) - (64 - bits) : bits;
}

static uint64_t rbit8(uint64_t x)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < 8; k++)
        r |= (x >> k & 1) << (7 - k);
    return r;
}

/* One element of the element-wise forms; d is the old destination element
 * (SUQADD/USQADD accumulate into it). */
static uint64_t misc_elem(CPUState *cpu, unsigned op, bool u, unsigned esz, uint64_t a, uint64_t d)
{
    unsigned bits = 8u << esz;
    uint64_t mask = simd_ones(bits);
    i128 x = (i128)a64_sext(a, bits);
    switch (op) {
    case M_SQADD: /* SUQADD: signed + unsigned, signed saturation; USQADD the reverse */
        return u ? simd_sat_u(cpu, (i128)d + x, bits) : simd_sat_s(cpu, (i128)a64_sext(d, bits) + (i128)a, bits);
    case M_CLS:
        return u ? clz_bits(a, bits) : clz_bits((a >> 1 ^ a) & (mask >> 1), bits - 1);
    case M_QABS: return simd_sat_s(cpu, u ? -x : (x < 0 ? -x : x), bits);
    case M_CMGT0: return (u ? x >= 0 : x > 0) ? mask : 0;
    case M_CMEQ0: return (u ? x <= 0 : x == 0) ? mask : 0;
    case M_CMLT0: return x < 0 ? mask : 0;
    default: return (uint64_t)(u ? -x : (x < 0 ? -x : x)) & mask; /* ABS, NEG */
    }
}

static uint64_t helper_simd_2misc(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), q = Q_BIT(raw) && !scalar, u = U_BIT(raw);
    unsigned op = insn_bits(raw, 12, 5), esz = SIZE(raw), bits = 8u << esz;
    SimdVec n = simd_read(cpu, RN(raw)), d = simd_read(cpu, RD(raw)), r = {{0, 0}};
    unsigned elems = scalar ? 1 : (q ? 16u : 8u) >> esz;
    switch (op) {
    case M_REV64: case M_REV16: {
        /* Reverse the elements inside each 64-, 32- or 16-bit container. */
        unsigned container = op == M_REV16 ? 1 : u ? 2 : 3, per = 1u << (container - esz);
        for (unsigned e = 0; e < elems; e++)
            simd_set(&r, e ^ (per - 1), esz, simd_get(&n, e, esz));
        break;
    }
    case M_ADDLP: case M_ADALP:
        for (unsigned e = 0; e < elems / 2; e++) {
            i128 sum = simd_int(&n, 2 * e, esz, u) + simd_int(&n, 2 * e + 1, esz, u);
            if (op == M_ADALP)
                sum += simd_int(&d, e, esz + 1, u);
            simd_set(&r, e, esz + 1, (uint64_t)sum);
        }
        break;
    case M_XTN: case M_QXTN: {
        /* Narrowing into the low half, or (Q = 1: the "2" form) the high half
         * keeping the low one. size is the narrow element size. */
        unsigned count = scalar ? 1 : 8u >> esz, base = q ? count : 0;
        if (q)
            r.d[0] = d.d[0];
        for (unsigned e = 0; e < count; e++) {
            uint64_t w = simd_get(&n, e, esz + 1);
            uint64_t v;
            if (op == M_QXTN)
                v = simd_sat(cpu, u ? (i128)w : (i128)a64_sext(w, 2 * bits), bits, u);
            else if (u) /* SQXTUN */
                v = simd_sat_u(cpu, (i128)a64_sext(w, 2 * bits), bits);
            else
                v = w & simd_ones(bits);
            simd_set(&r, base + e, esz, v);
        }
        simd_write(cpu, RD(raw), r, q);
        return 0;
    }
    case M_SHLL: {
        unsigned count = 8u >> esz, base = q ? count : 0;
        for (unsigned e = 0; e < count; e++)
            simd_set(&r, e, esz + 1, simd_get(&n, base + e, esz) << bits);
        simd_write(cpu, RD(raw), r, true);
        return 0;
    }
    case M_CNT: /* CNT, NOT (U = 1, size 00), RBIT (U = 1, size 01): all on bytes */
        for (unsigned e = 0; e < (q ? 16u : 8u); e++)
            r.b[e] = (uint8_t)(!u ? (uint64_t)__builtin_popcount(n.b[e]) : esz == 0 ? (uint64_t)~n.b[e] : rbit8(n.b[e]));
        break;
    default:
        for (unsigned e = 0; e < elems; e++)
            simd_set(&r, e, esz, misc_elem(cpu, op, u, esz, simd_get(&n, e, esz), simd_get(&d, e, esz)));
        break;
    }
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

/* Sizes allowed (bit per size value) in the vector form with Q = 1 (Q = 0
 * additionally excludes size 3 for the element-wise forms) and in the scalar
 * form, indexed by U << 5 | opcode. */
static bool misc_valid(unsigned op, bool u, unsigned size, bool q, bool scalar)
{
    unsigned key = (unsigned)u << 5 | op;
    static const uint8_t vec[64] = {
        [M_REV64] = 7, [M_REV16] = 1, [M_ADDLP] = 7, [M_SQADD] = 15, [M_CLS] = 7, [M_CNT] = 1,
        [M_ADALP] = 7, [M_QABS] = 15, [M_CMGT0] = 15, [M_CMEQ0] = 15, [M_CMLT0] = 15, [M_ABS] = 15,
        [M_XTN] = 7, [M_QXTN] = 7,
        [32 | M_REV64] = 3, [32 | M_ADDLP] = 7, [32 | M_SQADD] = 15, [32 | M_CLS] = 7, [32 | M_CNT] = 3,
        [32 | M_ADALP] = 7, [32 | M_QABS] = 15, [32 | M_CMGT0] = 15, [32 | M_CMEQ0] = 15, [32 | M_ABS] = 15,
        [32 | M_XTN] = 7, [32 | M_SHLL] = 7, [32 | M_QXTN] = 7,
    };
    static const uint8_t sca[64] = {
        [M_SQADD] = 15, [M_QABS] = 15, [M_CMGT0] = 8, [M_CMEQ0] = 8, [M_CMLT0] = 8, [M_ABS] = 8, [M_QXTN] = 7,
        [32 | M_SQADD] = 15, [32 | M_QABS] = 15, [32 | M_CMGT0] = 8, [32 | M_CMEQ0] = 8, [32 | M_ABS] = 8,
        [32 | M_XTN] = 7, [32 | M_QXTN] = 7,
    };
    if (scalar)
        return sca[key] >> size & 1;
    if (!(vec[key] >> size & 1))
        return false;
    return !(size == 3 && !q);
}

bool trans_SIMD_2misc(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    if (!misc_valid(insn_bits(raw, 12, 5), U_BIT(raw), SIZE(raw), Q_BIT(raw), SCALAR_BIT(raw)))
        return false;
    return simd_emit(s, helper_simd_2misc, raw);
}

/* ---- across lanes, scalar ADDP ---- */

static uint64_t helper_simd_across(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool scalar = SCALAR_BIT(raw), u = U_BIT(raw);
    unsigned op = insn_bits(raw, 12, 5), esz = SIZE(raw);
    unsigned elems = scalar ? 2 : (Q_BIT(raw) ? 16u : 8u) >> esz, rsz = esz;
    SimdVec n = simd_read(cpu, RN(raw)), r = {{0, 0}};
    i128 acc = simd_int(&n, 0, esz, u);
    for (unsigned e = 1; e < elems; e++) {
        i128 x = simd_int(&n, e, esz, u);
        switch (op) {
        case 0x0a: acc = x > acc ? x : acc; break; /* SMAXV, UMAXV */
        case 0x1a: acc = x < acc ? x : acc; break; /* SMINV, UMINV */
        default: acc += x; break;                  /* ADDV, SADDLV, UADDLV, ADDP */
        }
    }
    if (op == 0x03)
        rsz = esz + 1;
    simd_set(&r, 0, rsz, (uint64_t)acc);
    simd_write(cpu, RD(raw), r, false);
    return 0;
}

bool trans_SIMD_across(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned size = SIZE(raw);
    if (SCALAR_BIT(raw)) { /* scalar ADDP: two 64-bit elements */
        if (U_BIT(raw) || size != 3)
            return false;
    } else {
        if (insn_bits(raw, 12, 5) == 0x1b && U_BIT(raw)) /* ADDV has no U form */
            return false;
        if (size == 3 || (size == 2 && !Q_BIT(raw)))
            return false;
    }
    return simd_emit(s, helper_simd_across, raw);
}
