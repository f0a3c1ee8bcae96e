/* AdvSIMD floating point with one source (DDI 0487 C7.2): two-register
 * miscellaneous (vector, scalar, FP16: FABS/FNEG/FSQRT, FRINT*, FCVT*{S,U},
 * SCVTF/UCVTF, compares with zero, reciprocal estimates, FCVTN/FCVTL/FCVTXN)
 * and the fixed-point conversions of the shift-by-immediate groups. One
 * helper call per instruction; see trans_simd_fp.h. */
#include "decoder/trans_simd_fp.h"

enum {
    UN_ABS, UN_NEG, UN_SQRT, UN_RINT, UN_RINTX, UN_RINT_N, UN_TO_INT, UN_FROM_INT, UN_RECPE, UN_RSQRTE,
    UN_URECPE, UN_URSQRTE, UN_RECPX, UN_CMGT0, UN_CMGE0, UN_CMEQ0, UN_CMLE0, UN_CMLT0, UN_NONE
};

/* Descriptor param: FPRounding or ROUND_FPCR (RINT*, TO_INT); flags:
 * UN_UNSIGNED (TO_INT, FROM_INT), UN_INT64 (RINT_N). The fraction bits of
 * the fixed-point forms are the helper's second argument. */
enum { UN_UNSIGNED = 1, UN_INT64 = 2 };

static uint64_t unary_lane(FPCtx *c, const SimdFPDesc *d, unsigned fbits, uint64_t x)
{
    FPSize sz = d->sz;
    unsigned bits = 8 * fp_bytes(sz);
    uint64_t ones = fp_sign_bit(sz) * 2 - 1;
    FPRounding rounding = d->param == ROUND_FPCR ? fpu_rounding_mode(c) : (FPRounding)d->param;
    bool is_unsigned = d->flags & UN_UNSIGNED;
    switch (d->op) {
    case UN_ABS: return fpu_abs(sz, x);
    case UN_NEG: return fpu_neg(sz, x);
    case UN_SQRT: return fpu_sqrt(c, sz, x);
    case UN_RINT: return fpu_round_int(c, sz, x, rounding, false);
    case UN_RINTX: return fpu_round_int(c, sz, x, rounding, true);
    case UN_RINT_N: return fpu_round_int_n(c, sz, x, rounding, d->flags & UN_INT64 ? 64 : 32);
    case UN_TO_INT: return fpu_to_fixed(c, sz, x, bits, fbits, is_unsigned, rounding);
    case UN_FROM_INT: return fpu_from_fixed(c, sz, x, bits, fbits, is_unsigned, fpu_rounding_mode(c));
    case UN_RECPE: return fpu_recip_estimate(c, sz, x);
    case UN_RSQRTE: return fpu_rsqrt_estimate(c, sz, x);
    case UN_URECPE: return fpu_unsigned_recip_estimate((uint32_t)x);
    case UN_URSQRTE: return fpu_unsigned_rsqrt_estimate((uint32_t)x);
    case UN_RECPX: return fpu_recpx(c, sz, x);
    case UN_CMGT0: return fpu_compare_gt(c, sz, x, 0) ? ones : 0;
    case UN_CMGE0: return fpu_compare_ge(c, sz, x, 0) ? ones : 0;
    case UN_CMEQ0: return fpu_compare_eq(c, sz, x, 0) ? ones : 0;
    case UN_CMLE0: return fpu_compare_ge(c, sz, 0, x) ? ones : 0;
    default: return fpu_compare_gt(c, sz, 0, x) ? ones : 0; /* UN_CMLT0 */
    }
}

/* b: the fraction bits of the fixed-point conversions (0 otherwise). */
static uint64_t helper_simd_fp_unary(void *env, uint64_t desc, uint64_t fbits, uint64_t c_)
{
    (void)c_;
    CPUState *cpu = env;
    SimdFPDesc d = simd_fp_unpack(desc);
    unsigned bytes = fp_bytes(d.sz);
    FPCtx c = fp_ctx(cpu);
    SimdVec out = {{0, 0}};
    for (unsigned e = 0; e < d.nelem; e++)
        vlane_set(&out, e, bytes, unary_lane(&c, &d, (unsigned)fbits, vlane(cpu, d.rn, e, bytes)));
    simd_write(cpu, d.rd, out, true);
    fp_ctx_done(cpu, &c);
    return 0;
}

/* FCVTN/FCVTXN (op 0; sz the source size; param: rounding) write nelem
 * narrowed lanes to the low half of Vd (zeroing the rest), or with flags = 1
 * (the "2" forms) to the high half, keeping the low one. FCVTL (op 1) widens
 * the low or (flags = 1) high half of Vn. */
static uint64_t helper_simd_fp_resize(void *env, uint64_t desc, uint64_t b, uint64_t c_)
{
    (void)b, (void)c_;
    CPUState *cpu = env;
    SimdFPDesc d = simd_fp_unpack(desc);
    FPCtx c = fp_ctx(cpu);
    FPRounding rounding = d.param == ROUND_FPCR ? fpu_rounding_mode(&c) : (FPRounding)d.param;
    SimdVec out = {{0, 0}};
    bool upper = d.flags & 1;
    if (d.op == 0) {
        FPSize to = (FPSize)(d.sz - 1);
        unsigned first = upper ? d.nelem : 0;
        if (upper)
            out.d[0] = cpu->v[d.rd][0];
        for (unsigned e = 0; e < d.nelem; e++)
            vlane_set(&out, first + e, fp_bytes(to),
                      fpu_convert(&c, to, d.sz, vlane(cpu, d.rn, e, fp_bytes(d.sz)), rounding));
    } else {
        FPSize to = (FPSize)(d.sz + 1);
        unsigned first = upper ? d.nelem : 0;
        for (unsigned e = 0; e < d.nelem; e++)
            vlane_set(&out, e, fp_bytes(to),
                      fpu_convert(&c, to, d.sz, vlane(cpu, d.rn, first + e, fp_bytes(d.sz)), rounding));
    }
    simd_write(cpu, d.rd, out, true);
    fp_ctx_done(cpu, &c);
    return 0;
}

/* ---- decoding ---- */

typedef struct {
    uint8_t op, param, flags;
} UnaryOp;

#define R(mode) UN_RINT, FP_ROUND_##mode, 0
#define CVT(mode, u) UN_TO_INT, FP_ROUND_##mode, u
#define NONE UN_NONE, 0, 0
/* Opcode 11xxx by U, size<1> (a) and opcode<2:0>. */
static const UnaryOp misc_ops[2][2][8] = {
    {{{R(TIEEVEN)}, {R(NEGINF)}, {CVT(TIEEVEN, 0)}, {CVT(NEGINF, 0)}, {CVT(TIEAWAY, 0)}, {UN_FROM_INT, 0, 0},
      {UN_RINT_N, FP_ROUND_ZERO, 0}, {UN_RINT_N, FP_ROUND_ZERO, UN_INT64}},
     {{R(POSINF)}, {R(ZERO)}, {CVT(POSINF, 0)}, {CVT(ZERO, 0)}, {UN_URECPE, 0, 0}, {UN_RECPE, 0, 0}, {NONE},
      {UN_RECPX, 0, 0}}},
    {{{R(TIEAWAY)}, {UN_RINTX, ROUND_FPCR, 0}, {CVT(TIEEVEN, 1)}, {CVT(NEGINF, 1)}, {CVT(TIEAWAY, 1)},
      {UN_FROM_INT, 0, UN_UNSIGNED}, {UN_RINT_N, ROUND_FPCR, 0}, {UN_RINT_N, ROUND_FPCR, UN_INT64}},
     {{NONE}, {UN_RINT, ROUND_FPCR, 0}, {CVT(POSINF, 1)}, {CVT(ZERO, 1)}, {UN_URSQRTE, 0, 0}, {UN_RSQRTE, 0, 0},
      {NONE}, {UN_SQRT, 0, 0}}},
};
/* Opcode 011xx (size<1> = 1) by U and opcode<1:0>. */
static const UnaryOp cmp_ops[2][4] = {
    {{UN_CMGT0, 0, 0}, {UN_CMEQ0, 0, 0}, {UN_CMLT0, 0, 0}, {UN_ABS, 0, 0}},
    {{UN_CMGE0, 0, 0}, {UN_CMLE0, 0, 0}, {NONE}, {UN_NEG, 0, 0}},
};
#undef R
#undef CVT
#undef NONE

enum { FORM_VECTOR, FORM_SCALAR };

/* The op of a two-register misc FP encoding with a 5-bit opcode, a = size<1>;
 * UN_NONE when the form (vector/scalar, FP16) does not have it. */
static UnaryOp misc_op(DisasContext *s, unsigned u, unsigned a, unsigned opcode, int form, bool half)
{
    static const UnaryOp none = {UN_NONE, 0, 0};
    UnaryOp op;
    if ((opcode & 0x1c) == 0x0c) {
        if (!a)
            return none;
        op = cmp_ops[u][opcode & 3];
        if (form == FORM_SCALAR && (op.op == UN_ABS || op.op == UN_NEG))
            return none;
        return op;
    }
    if ((opcode & 0x18) != 0x18)
        return none;
    op = misc_ops[u][a][opcode & 7];
    switch (op.op) {
    case UN_TO_INT: case UN_FROM_INT: case UN_RECPE: case UN_RSQRTE: return op;
    case UN_RECPX: return form == FORM_SCALAR ? op : none;
    case UN_URECPE: case UN_URSQRTE: return form == FORM_VECTOR && !half ? op : none;
    case UN_RINT_N:
        return form == FORM_VECTOR && !half && feature_has(&s->cpu->features, FEAT_FRINTTS) ? op : none;
    case UN_NONE: return none;
    default: return form == FORM_VECTOR ? op : none;
    }
}

static bool unary(DisasContext *s, UnaryOp op, FPSize sz, unsigned nelem, unsigned rd, unsigned rn)
{
    if (op.op == UN_NONE)
        return false;
    if (!fp_access_check(s))
        return true;
    gen_helper(s, helper_simd_fp_unary, konst(s, simd_fp_desc(op.op, sz, nelem, rd, rn, 0, op.param, op.flags)),
               konst(s, 0), 0);
    return true;
}

static bool fcvt_narrow_widen(DisasContext *s, const A64Insn *i)
{
    bool q = i->f[F_Q], sz = i->f[F_sz];
    unsigned u = i->f[F_U], widen = i->f[F_opcode];
    if (widen && u)
        return false;
    if (u && !sz)
        return false; /* FCVTXN is double to single only */
    if (!fp_access_check(s))
        return true;
    FPSize from = widen ? (sz ? FP32 : FP16) : (sz ? FP64 : FP32);
    unsigned rounding = u ? FP_ROUND_ODD : ROUND_FPCR;
    unsigned n = widen ? 8 / fp_bytes(from) : 8 / fp_bytes((FPSize)(from - 1));
    gen_helper(s, helper_simd_fp_resize,
               konst(s, simd_fp_desc(widen, from, n, i->f[F_Rd], i->f[F_Rn], 0, rounding, q)), 0, 0);
    return true;
}

bool trans_SIMD_FP_misc(DisasContext *s, const A64Insn *i)
{
    unsigned opcode5 = i->raw >> 12 & 0x1f, a = i->raw >> 23 & 1;
    if ((opcode5 & 0x1e) == 0x16)
        return fcvt_narrow_widen(s, i);
    FPSize sz = i->f[F_sz] ? FP64 : FP32;
    if (sz == FP64 && !i->f[F_Q])
        return false;
    UnaryOp op = misc_op(s, i->f[F_U], a, opcode5, FORM_VECTOR, false);
    if ((op.op == UN_URECPE || op.op == UN_URSQRTE) && sz == FP64)
        return false;
    return unary(s, op, sz, simd_lanes(sz, i->f[F_Q]), i->f[F_Rd], i->f[F_Rn]);
}

bool trans_SIMD_FP16_misc(DisasContext *s, const A64Insn *i)
{
    UnaryOp op = misc_op(s, i->f[F_U], i->f[F_a], i->f[F_opcode], FORM_VECTOR, true);
    return unary(s, op, FP16, simd_lanes(FP16, i->f[F_Q]), i->f[F_Rd], i->f[F_Rn]);
}

bool trans_SIMD_FP_smisc(DisasContext *s, const A64Insn *i)
{
    unsigned opcode5 = i->raw >> 12 & 0x1f, a = i->raw >> 23 & 1;
    if (opcode5 == 0x16) { /* FCVTXN Sd, Dn */
        if (!i->f[F_sz])
            return false;
        if (!fp_access_check(s))
            return true;
        gen_helper(s, helper_simd_fp_resize,
                   konst(s, simd_fp_desc(0, FP64, 1, i->f[F_Rd], i->f[F_Rn], 0, FP_ROUND_ODD, 0)), 0, 0);
        return true;
    }
    FPSize sz = i->f[F_sz] ? FP64 : FP32;
    return unary(s, misc_op(s, i->f[F_U], a, opcode5, FORM_SCALAR, false), sz, 1, i->f[F_Rd], i->f[F_Rn]);
}

bool trans_SIMD_FP16_smisc(DisasContext *s, const A64Insn *i)
{
    UnaryOp op = misc_op(s, i->f[F_U], i->f[F_a], i->f[F_opcode], FORM_SCALAR, true);
    return unary(s, op, FP16, 1, i->f[F_Rd], i->f[F_Rn]);
}

/* Shift by immediate, SCVTF/UCVTF (opcode 00) and FCVTZS/FCVTZU (11) with
 * fbits = 2 * esize - immh:immb; the element size is immh's leading one. */
static bool fixed_point(DisasContext *s, const A64Insn *i, bool scalar)
{
    unsigned opcode = i->f[F_opcode], immhb = i->raw >> 16 & 0x7f;
    FPSize sz = immhb >= 64 ? FP64 : immhb >= 32 ? FP32 : FP16;
    unsigned esize = 8 * fp_bytes(sz);
    if (opcode == 1 || opcode == 2 || (!scalar && sz == FP64 && !i->f[F_Q]))
        return false;
    UnaryOp op = opcode == 0 ? (UnaryOp){UN_FROM_INT, 0, 0} : (UnaryOp){UN_TO_INT, FP_ROUND_ZERO, 0};
    op.flags = i->f[F_U] ? UN_UNSIGNED : 0;
    if (!fp_access_check(s))
        return true;
    unsigned n = scalar ? 1 : simd_lanes(sz, i->f[F_Q]);
    gen_helper(s, helper_simd_fp_unary,
               konst(s, simd_fp_desc(op.op, sz, n, i->f[F_Rd], i->f[F_Rn], 0, op.param, op.flags)),
               konst(s, 2 * esize - immhb), 0);
    return true;
}

bool trans_SIMD_FP_fixed(DisasContext *s, const A64Insn *i) { return fixed_point(s, i, false); }
bool trans_SIMD_FP_sfixed(DisasContext *s, const A64Insn *i) { return fixed_point(s, i, true); }
