/* AdvSIMD moves and permutes (DDI 0487 C7.2): modified immediate (MOVI,
 * MVNI, ORR, BIC, FMOV vector), copy (DUP, INS, SMOV, UMOV, scalar DUP),
 * ZIP/UZP/TRN, EXT and TBL/TBX. The modified immediates and copies are
 * plain IR; the rest runs in helpers. */
#include "decoder/trans_simd.h"

/* ---- modified immediate ---- */

/* The multiplier that replicates an element of log2-byte size esz across 64 bits. */
static const uint64_t rep_ones[4] = {0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull, 1};

/* AdvSIMDExpandImm for the integer forms (cmode != 1111). */
static uint64_t expand_imm(bool op, unsigned cmode, uint64_t imm8)
{
    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3: return (imm8 << (8 * (cmode >> 1))) * rep_ones[2];
    case 4: case 5: return (imm8 << (8 * (cmode >> 1 & 1))) * rep_ones[1];
    case 6: /* MSL: ones shifted in */
        return (cmode & 1 ? imm8 << 16 | 0xffff : imm8 << 8 | 0xff) * rep_ones[2];
    default:
        if (!op)
            return imm8 * rep_ones[0];
        uint64_t r = 0;
        for (unsigned k = 0; k < 8; k++)
            if (imm8 >> k & 1)
                r |= 0xffull << (8 * k);
        return r;
    }
}

/* The FMOV (vector, immediate) constants: VFPExpandImm, replicated. */
static uint64_t expand_fmov(unsigned imm8, FPSize sz)
{
    return vfp_expand_imm(imm8, sz) * rep_ones[__builtin_ctz(fp_bytes(sz))];
}

bool trans_SIMD_modimm(DisasContext *s, const A64Insn *i)
{
    bool q = i->f[F_Q], op = i->raw >> 29 & 1;
    unsigned cmode = insn_bits(i->raw, 12, 4), imm8 = i->f[F_immlo] << 5 | i->f[F_immhi], rd = i->f[F_Rd];
    uint64_t imm;
    if (i->raw >> 11 & 1) { /* o2: FMOV (vector, immediate), half precision (SIMD_fmov_h) */
        imm = expand_fmov(imm8, FP16);
    } else if (cmode == 15) {
        if (op && !q)
            return false;
        imm = expand_fmov(imm8, op ? FP64 : FP32);
    } else {
        imm = expand_imm(op, cmode, imm8);
    }
    if (!fp_access_check(s))
        return true;
    bool logical = cmode < 12 && (cmode & 1); /* ORR (op 0), BIC (op 1) */
    bool invert = op && cmode < 14 && !logical; /* MVNI */
    if (invert)
        imm = ~imm;
    if (!logical) {
        write_v(s, rd, konst(s, imm), q ? konst(s, imm) : 0);
        return true;
    }
    IRTemp mask = konst(s, op ? ~imm : imm);
    IROp bop = op ? IR_and : IR_or;
    IRTemp lo = ir_op2(s->ir, bop, 8, read_v(s, rd, 8), mask);
    write_v(s, rd, lo, q ? ir_op2(s->ir, bop, 8, read_v_hi(s, rd), mask) : 0);
    return true;
}

/* ---- copy: plain IR (gets and puts of elements) ---- */

/* v replicated to 64 bits from its low esize bits. */
static IRTemp replicate64(DisasContext *s, IRTemp v, unsigned esz)
{
    return esz == 3 ? v : ir_op2(s->ir, IR_mul, 8, v, konst(s, rep_ones[esz]));
}

bool trans_SIMD_copy(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned imm5 = insn_bits(raw, 16, 5), imm4 = insn_bits(raw, 11, 4), rn = RN(raw), rd = RD(raw);
    bool q = Q_BIT(raw), scalar = SCALAR_BIT(raw);
    if ((imm5 & 0xf) == 0)
        return false;
    unsigned esz = (unsigned)__builtin_ctz(imm5), bytes = 1u << esz, index = imm5 >> (esz + 1);
    size_t elem = V_OFFSET(rn) + index * bytes; /* element index of Vn */
    if (scalar) { /* DUP (scalar): the element, zero-extended into Vd */
        if (fp_access_check(s))
            write_v(s, rd, ir_get(s->ir, bytes, elem), 0);
        return true;
    }
    if (U_BIT(raw)) { /* INS (element): Vd[index] = Vn[imm4 >> size] */
        if (!q)
            return false;
        if (fp_access_check(s))
            ir_put(s->ir, bytes, V_OFFSET(rd) + index * bytes, ir_get(s->ir, bytes, V_OFFSET(rn) + (imm4 >> esz) * bytes));
        return true;
    }
    switch (imm4) {
    case 0: case 1: /* DUP (element), DUP (general) */
        if (esz == 3 && !q)
            return false;
        if (fp_access_check(s)) {
            IRTemp v = imm4 == 0 ? ir_get(s->ir, bytes, elem) : read_x(s, rn);
            if (imm4 == 1 && esz < 3)
                v = ir_ext(s->ir, false, 8, v, 8 * bytes);
            IRTemp lo = replicate64(s, v, esz);
            write_v(s, rd, lo, q ? lo : 0);
        }
        return true;
    case 3: /* INS (general) */
        if (!q)
            return false;
        if (fp_access_check(s))
            ir_put(s->ir, bytes, V_OFFSET(rd) + index * bytes, read_x(s, rn));
        return true;
    case 5: case 7: { /* SMOV, UMOV: Q selects X or W */
        if (imm4 == 5 ? esz == 3 || (esz == 2 && !q) : q ? esz != 3 : esz == 3)
            return false;
        if (fp_access_check(s)) {
            IRTemp v = ir_get(s->ir, bytes, elem);
            if (imm4 == 5)
                v = ir_ext(s->ir, true, q ? 8 : 4, v, 8 * bytes);
            write_x(s, rd, v, q);
        }
        return true;
    }
    default: return false;
    }
}

/* ---- ZIP, UZP, TRN ---- */

static uint64_t helper_simd_permute(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool q = Q_BIT(raw);
    unsigned op = insn_bits(raw, 12, 3), esz = SIZE(raw), elems = (q ? 16u : 8u) >> esz, part = op >> 2;
    SimdVec n = simd_read(cpu, RN(raw)), m = simd_read(cpu, RM(raw)), r = {{0, 0}};
    for (unsigned e = 0; e < elems; e++) {
        /* TRN (ZIP and UZP are the IR vec op, trans_SIMD_permute) */
        uint64_t v = (e & 1) ? simd_get(&m, (e & ~1u) + part, esz) : simd_get(&n, e + part, esz);
        simd_set(&r, e, esz, v);
    }
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

bool trans_SIMD_permute(DisasContext *s, const A64Insn *i)
{
    uint32_t raw = i->raw;
    unsigned op = insn_bits(raw, 12, 3);
    if ((op & 3) == 0 || (SIZE(raw) == 3 && !Q_BIT(raw)))
        return false;
    if ((op & 3) == 3) /* ZIP1, ZIP2: the IR vec op */
        return simd_emit_vec(s, op == 3 ? VEC_ZIP1 : VEC_ZIP2, SIZE(raw), Q_BIT(raw), 0, RD(raw), RN(raw), RM(raw));
    if ((op & 3) == 1) /* UZP1, UZP2 */
        return simd_emit_vec(s, op == 1 ? VEC_UZP1 : VEC_UZP2, SIZE(raw), Q_BIT(raw), 0, RD(raw), RN(raw), RM(raw));
    return simd_emit(s, helper_simd_permute, raw);
}

/* ---- EXT ---- */

static uint64_t helper_simd_ext(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool q = Q_BIT(raw);
    unsigned pos = insn_bits(raw, 11, 4), bytes = q ? 16 : 8;
    SimdVec n = simd_read(cpu, RN(raw)), m = simd_read(cpu, RM(raw)), r = {{0, 0}};
    for (unsigned k = 0; k < bytes; k++)
        r.b[k] = pos + k < bytes ? n.b[pos + k] : m.b[pos + k - bytes];
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

bool trans_SIMD_ext(DisasContext *s, const A64Insn *i)
{
    if (!Q_BIT(i->raw) && (insn_bits(i->raw, 11, 4) & 8))
        return false;
    return simd_emit(s, helper_simd_ext, i->raw);
}

/* ---- TBL, TBX: 1-4 table registers from Rn, wrapping at V31 ---- */

static uint64_t helper_simd_tbl(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool q = Q_BIT(raw), tbx = insn_bits(raw, 12, 1);
    unsigned regs = insn_bits(raw, 13, 2) + 1;
    SimdVec table[4], idx = simd_read(cpu, RM(raw)), r = simd_read(cpu, RD(raw));
    for (unsigned k = 0; k < regs; k++)
        table[k] = simd_read(cpu, (RN(raw) + k) % 32);
    for (unsigned k = 0; k < (q ? 16u : 8u); k++) {
        unsigned x = idx.b[k];
        if (x < 16 * regs)
            r.b[k] = table[x / 16].b[x % 16];
        else if (!tbx)
            r.b[k] = 0;
    }
    simd_write(cpu, RD(raw), r, q);
    return 0;
}

bool trans_SIMD_tbl(DisasContext *s, const A64Insn *i) { return simd_emit(s, helper_simd_tbl, i->raw); }
