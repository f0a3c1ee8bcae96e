/* Scalar floating point: data processing with 1, 2 and 3 sources, compares,
 * conditional compare and select, FMOV (register, immediate) (DDI 0487
 * C6.2). Arithmetic runs in fpu/ through helpers that read FPCR and update
 * FPSR (ir_call); moves, FABS, FNEG and FCSEL raise no FP exception and are
 * plain IR. Every form first checks that FP is enabled (fp_access_check),
 * after rejecting reserved field values: UNDEFINED wins over the trap. */
#include "decoder/trans_fp.h"

/* ---- helpers: run time, FPCR/FPSR in CPUState ---- */

enum { FP2_MUL, FP2_DIV, FP2_ADD, FP2_SUB, FP2_MAX, FP2_MIN, FP2_MAXNM, FP2_MINNM, FP2_NMUL };

/* desc = opcode (the FP_2src opcode field) | FPSize << 8 */
static uint64_t helper_fp_2src(void *env, uint64_t a, uint64_t b, uint64_t desc)
{
    FPCtx c = fp_ctx(env);
    FPSize sz = (FPSize)(desc >> 8);
    uint64_t r;
    switch (desc & 0xff) {
    case FP2_MUL: r = fpu_mul(&c, sz, a, b); break;
    case FP2_DIV: r = fpu_div(&c, sz, a, b); break;
    case FP2_ADD: r = fpu_add(&c, sz, a, b); break;
    case FP2_SUB: r = fpu_sub(&c, sz, a, b); break;
    case FP2_MAX: r = fpu_max(&c, sz, a, b); break;
    case FP2_MIN: r = fpu_min(&c, sz, a, b); break;
    case FP2_MAXNM: r = fpu_maxnum(&c, sz, a, b); break;
    case FP2_MINNM: r = fpu_minnum(&c, sz, a, b); break;
    default: r = fpu_neg(sz, fpu_mul(&c, sz, a, b)); break; /* FNMUL negates the rounded product */
    }
    fp_ctx_done(env, &c);
    return r;
}

/* FMADD and friends: the translator applies FPNeg to the inputs first. */
#define FMA_HELPER(name, size)                                                    \
    static uint64_t name(void *env, uint64_t addend, uint64_t op1, uint64_t op2)  \
    {                                                                             \
        FPCtx c = fp_ctx(env);                                                    \
        uint64_t r = fpu_muladd(&c, size, addend, op1, op2);                      \
        fp_ctx_done(env, &c);                                                     \
        return r;                                                                 \
    }
FMA_HELPER(helper_fma16, FP16)
FMA_HELPER(helper_fma32, FP32)
FMA_HELPER(helper_fma64, FP64)
static const IRHelper fma_helpers[3] = {helper_fma16, helper_fma32, helper_fma64};

enum { FP1_SQRT, FP1_CVT, FP1_ROUND, FP1_ROUND_N };

/* desc = kind | FPSize << 4 | p1 << 8 | p2 << 16, where p1/p2 are:
 * FP1_CVT: target size, -; FP1_ROUND: FPRounding or ROUND_FPCR, exact;
 * FP1_ROUND_N: FPRounding or ROUND_FPCR, integer bits. */
static uint64_t helper_fp_1src(void *env, uint64_t a, uint64_t desc, uint64_t unused)
{
    (void)unused;
    FPCtx c = fp_ctx(env);
    FPSize sz = (FPSize)(desc >> 4 & 3);
    unsigned p1 = desc >> 8 & 0xff, p2 = (unsigned)(desc >> 16 & 0xff);
    FPRounding rounding = p1 == ROUND_FPCR ? fpu_rounding_mode(&c) : (FPRounding)p1;
    uint64_t r;
    switch (desc & 0xf) {
    case FP1_SQRT: r = fpu_sqrt(&c, sz, a); break;
    case FP1_CVT: r = fpu_convert(&c, (FPSize)p1, sz, a, fpu_rounding_mode(&c)); break;
    case FP1_ROUND: r = fpu_round_int(&c, sz, a, rounding, p2); break;
    default: r = fpu_round_int_n(&c, sz, a, rounding, p2); break;
    }
    fp_ctx_done(env, &c);
    return r;
}

/* FCMP/FCMPE, and FCCMP/FCCMPE when desc's condition holds for the current
 * NZCV (else the immediate flags, and no FP exception).
 * desc = FPSize | signal_nans << 2 | conditional << 3 | cond << 4 | nzcv << 8.
 * Returns the new NZCV word. */
static uint64_t helper_fp_compare(void *env, uint64_t a, uint64_t b, uint64_t desc)
{
    CPUState *cpu = env;
    if ((desc & 8) && !ir_condition_holds(desc >> 4 & 0xf, cpu->nzcv))
        return (desc >> 8 & 0xf) << 28;
    FPCtx c = fp_ctx(cpu);
    unsigned nzcv = fpu_compare(&c, (FPSize)(desc & 3), a, b, desc & 4);
    fp_ctx_done(cpu, &c);
    return (uint64_t)nzcv << 28;
}

/* ---- translators ---- */

static void write_scalar(DisasContext *s, unsigned rd, IRTemp v) { write_v(s, rd, v, 0); }

bool trans_FP_2src(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    if (i->f[F_opcode] > FP2_NMUL)
        return false;
    FP_BEGIN(s, i->f[F_ftype], sz);
    unsigned n = fp_bytes(sz);
    IRTemp r = gen_helper(s, helper_fp_2src, read_v(s, i->f[F_Rn], n), read_v(s, i->f[F_Rm], n),
                          konst(s, i->f[F_opcode] | (unsigned)sz << 8));
    write_scalar(s, i->f[F_Rd], r);
    return true;
}

/* FMADD (o1:o0 = 00), FMSUB (01), FNMADD (10), FNMSUB (11): addend + op1 * op2
 * with FPNeg applied to op1 when o1 != o0 and to the addend when o1 = 1. */
bool trans_FP_3src(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    FP_BEGIN(s, i->f[F_ftype], sz);
    unsigned n = fp_bytes(sz);
    IRTemp addend = read_v(s, i->f[F_Ra], n), op1 = read_v(s, i->f[F_Rn], n), op2 = read_v(s, i->f[F_Rm], n);
    IRTemp sign = konst(s, fp_sign_bit(sz));
    if (i->f[F_o1])
        addend = ir_op2(s->ir, IR_xor, 8, addend, sign);
    if (i->f[F_o1] != i->f[F_o0])
        op1 = ir_op2(s->ir, IR_xor, 8, op1, sign);
    write_scalar(s, i->f[F_Rd], gen_helper(s, fma_helpers[sz], addend, op1, op2));
    return true;
}

/* FMOV, FABS, FNEG, FSQRT, FCVT, FRINT*. */
bool trans_FP_1src(DisasContext *s, const A64Insn *i)
{
    unsigned opcode = i->f[F_opcode], ftype = i->f[F_ftype];
    FPSize sz;
    uint64_t desc;
    if ((opcode & 0x3c) == 0x04) { /* FCVT: opcode<1:0> is the target type; half needs no FEAT_FP16 */
        static const int8_t sizes[4] = {FP32, FP64, -1, FP16};
        if (sizes[ftype] < 0 || sizes[opcode & 3] < 0 || ftype == (opcode & 3))
            return false;
        sz = (FPSize)sizes[ftype];
        desc = FP1_CVT | (uint64_t)sz << 4 | (uint64_t)sizes[opcode & 3] << 8;
    } else {
        if (!fp_ftype(s, ftype, &sz))
            return false;
        if (opcode <= 2) {
            /* FMOV, FABS, FNEG: sign-bit operations, no flags. */
            if (!fp_access_check(s))
                return true;
            IRTemp v = read_v(s, i->f[F_Rn], fp_bytes(sz));
            if (opcode == 1)
                v = ir_op2(s->ir, IR_and, 8, v, konst(s, fp_sign_bit(sz) - 1));
            else if (opcode == 2)
                v = ir_op2(s->ir, IR_xor, 8, v, konst(s, fp_sign_bit(sz)));
            write_scalar(s, i->f[F_Rd], v);
            return true;
        }
        /* FRINTN, P, M, Z, A, (reserved), X, I: rounding per opcode<2:0>. */
        static const uint8_t frint_rounding[8] = {FP_ROUND_TIEEVEN, FP_ROUND_POSINF, FP_ROUND_NEGINF, FP_ROUND_ZERO,
                                                  FP_ROUND_TIEAWAY, 0, ROUND_FPCR, ROUND_FPCR};
        if (opcode == 3) {
            desc = FP1_SQRT | (uint64_t)sz << 4;
        } else if (opcode >= 0x08 && opcode <= 0x0f && opcode != 0x0d) {
            desc = FP1_ROUND | (uint64_t)sz << 4 | (uint64_t)frint_rounding[opcode & 7] << 8 |
                   (uint64_t)(opcode == 0x0e) << 16;
        } else if (opcode >= 0x10 && opcode <= 0x13 && sz != FP16 &&
                   feature_has(&s->cpu->features, FEAT_FRINTTS)) {
            /* FRINT32Z, FRINT32X, FRINT64Z, FRINT64X */
            desc = FP1_ROUND_N | (uint64_t)sz << 4 | (uint64_t)((opcode & 1) ? ROUND_FPCR : FP_ROUND_ZERO) << 8 |
                   (uint64_t)((opcode & 2) ? 64 : 32) << 16;
        } else {
            return false;
        }
    }
    if (!fp_access_check(s))
        return true;
    IRTemp r = gen_helper(s, helper_fp_1src, read_v(s, i->f[F_Rn], fp_bytes(sz)), konst(s, desc), 0);
    write_scalar(s, i->f[F_Rd], r);
    return true;
}

/* FCMP/FCMPE (opcode2<4> = E) against Vm or, with opcode2<3>, against +0.0
 * (whose Rm field is should-be-zero: ignored, as QEMU does). */
bool trans_FP_cmp(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    unsigned opcode2 = i->f[F_opcode2];
    if (opcode2 & 7)
        return false;
    FP_BEGIN(s, i->f[F_ftype], sz);
    unsigned n = fp_bytes(sz);
    IRTemp b = (opcode2 & 8) ? konst(s, 0) : read_v(s, i->f[F_Rm], n);
    write_nzcv(s, gen_helper(s, helper_fp_compare, read_v(s, i->f[F_Rn], n), b,
                             konst(s, sz | (opcode2 & 0x10) >> 2)));
    return true;
}

bool trans_FP_ccmp(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    FP_BEGIN(s, i->f[F_ftype], sz);
    unsigned n = fp_bytes(sz);
    uint64_t desc = sz | i->f[F_op] << 2 | 8 | i->f[F_cond] << 4 | i->f[F_nzcv] << 8;
    write_nzcv(s, gen_helper(s, helper_fp_compare, read_v(s, i->f[F_Rn], n), read_v(s, i->f[F_Rm], n),
                             konst(s, desc)));
    return true;
}

bool trans_FCSEL(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    FP_BEGIN(s, i->f[F_ftype], sz);
    unsigned n = fp_bytes(sz);
    IRTemp holds = ir_cond(s->ir, i->f[F_cond], read_nzcv(s));
    write_scalar(s, i->f[F_Rd], ir_select(s->ir, holds, read_v(s, i->f[F_Rn], n), read_v(s, i->f[F_Rm], n)));
    return true;
}

uint64_t vfp_expand_imm(unsigned imm8, FPSize sz)
{
    unsigned bits = 8 * fp_bytes(sz), e = sz == FP16 ? 5 : sz == FP32 ? 8 : 11, f = bits - e - 1;
    uint64_t b6 = imm8 >> 6 & 1;
    uint64_t exp = (b6 ^ 1) << (e - 1) | (b6 ? ((1ull << (e - 3)) - 1) << 2 : 0) | (imm8 >> 4 & 3);
    uint64_t frac = (uint64_t)(imm8 & 0xf) << (f - 4);
    return (uint64_t)(imm8 >> 7) << (bits - 1) | exp << f | frac;
}

bool trans_FMOV_imm(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    if (i->f[F_imm5])
        return false;
    FP_BEGIN(s, i->f[F_ftype], sz);
    write_scalar(s, i->f[F_Rd], konst(s, vfp_expand_imm(i->f[F_imm8], sz)));
    return true;
}
