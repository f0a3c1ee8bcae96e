/* Scalar floating point <-> integer: FCVT{N,P,M,Z,A}{S,U}, SCVTF/UCVTF (also
 * fixed point), FMOV between SIMD&FP and general registers (including the top
 * half of V), FJCVTZS (DDI 0487 C6.2). */
#include "decoder/trans_fp.h"

/* desc = FPSize | unsigned << 2 | is_64 << 3 | FPRounding or ROUND_FPCR << 4 | fbits << 8 */
static uint64_t helper_fp_to_fixed(void *env, uint64_t a, uint64_t desc, uint64_t unused)
{
    (void)unused;
    FPCtx c = fp_ctx(env);
    unsigned r = desc >> 4 & 7;
    uint64_t v = fpu_to_fixed(&c, (FPSize)(desc & 3), a, (desc & 8) ? 64 : 32, (unsigned)(desc >> 8 & 0xff), desc & 4,
                              r == ROUND_FPCR ? fpu_rounding_mode(&c) : (FPRounding)r);
    fp_ctx_done(env, &c);
    return v;
}

/* The same desc; the rounding is always FPCR's. */
static uint64_t helper_fp_from_fixed(void *env, uint64_t v, uint64_t desc, uint64_t unused)
{
    (void)unused;
    FPCtx c = fp_ctx(env);
    uint64_t r = fpu_from_fixed(&c, (FPSize)(desc & 3), v, (desc & 8) ? 64 : 32, (unsigned)(desc >> 8 & 0xff),
                                desc & 4, fpu_rounding_mode(&c));
    fp_ctx_done(env, &c);
    return r;
}

/* Returns the W result, and the Z flag in bit 32. */
static uint64_t helper_fjcvtzs(void *env, uint64_t a, uint64_t b, uint64_t unused)
{
    (void)b, (void)unused;
    FPCtx c = fp_ctx(env);
    bool z;
    uint32_t r = fpu_to_int32_js(&c, a, &z);
    fp_ctx_done(env, &c);
    return r | (uint64_t)z << 32;
}

static void fp_to_int(DisasContext *s, const A64Insn *i, FPSize sz, bool is_unsigned, unsigned rounding,
                      unsigned fbits)
{
    bool sf = i->f[F_sf];
    uint64_t desc = sz | (unsigned)is_unsigned << 2 | (unsigned)sf << 3 | rounding << 4 | fbits << 8;
    IRTemp r = gen_helper(s, helper_fp_to_fixed, read_v(s, i->f[F_Rn], fp_bytes(sz)), konst(s, desc), 0);
    write_x(s, i->f[F_Rd], r, sf);
}

static void int_to_fp(DisasContext *s, const A64Insn *i, FPSize sz, bool is_unsigned, unsigned fbits)
{
    bool sf = i->f[F_sf];
    uint64_t desc = sz | (unsigned)is_unsigned << 2 | (unsigned)sf << 3 | (unsigned)ROUND_FPCR << 4 | fbits << 8;
    IRTemp r = gen_helper(s, helper_fp_from_fixed, read_x(s, i->f[F_Rn]), konst(s, desc), 0);
    write_v(s, i->f[F_Rd], r, 0);
}

/* rmode:opcode = 00:01x SCVTF/UCVTF, 11:00x FCVTZS/FCVTZU, with 64 - scale
 * fraction bits (at most 32 for W). */
bool trans_FP_fixed(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    unsigned rmode = i->f[F_rmode], opcode = i->f[F_opcode], scale = i->f[F_scale];
    bool to_fp = rmode == 0 && (opcode >> 1) == 1, to_int = rmode == 3 && (opcode >> 1) == 0;
    if ((!to_fp && !to_int) || (!i->f[F_sf] && scale < 32))
        return false;
    FP_BEGIN(s, i->f[F_ftype], sz);
    if (to_fp)
        int_to_fp(s, i, sz, opcode & 1, 64 - scale);
    else
        fp_to_int(s, i, sz, opcode & 1, FP_ROUND_ZERO, 64 - scale);
    return true;
}

/* FMOV between a general register and the low bits of V (or V.D[1]). */
static bool fmov_general(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf], to_v = i->f[F_opcode] & 1;
    unsigned ftype = i->f[F_ftype], rmode = i->f[F_rmode];
    unsigned rd = i->f[F_Rd], rn = i->f[F_Rn];
    unsigned bytes;
    bool top = false;
    if (rmode == 0 && ftype == 3 && feature_has(&s->cpu->features, FEAT_FP16))
        bytes = 2; /* Hd <-> Wn/Xn */
    else if (rmode == 0 && ftype == (sf ? 1u : 0u))
        bytes = sf ? 8 : 4;
    else if (rmode == 1 && ftype == 2 && sf)
        bytes = 8, top = true; /* Vd.D[1] <-> Xn */
    else
        return false;
    if (!fp_access_check(s))
        return true;
    if (to_v) {
        IRTemp v = read_x(s, rn);
        if (bytes < 8)
            v = ir_ext(s->ir, false, 8, v, 8 * bytes);
        if (top) /* only the top half changes */
            ir_put(s->ir, 8, V_OFFSET(rd) + 8, v);
        else
            write_v(s, rd, v, 0);
    } else {
        write_x(s, rd, top ? read_v_hi(s, rn) : read_v(s, rn, bytes), sf);
    }
    return true;
}

/* rmode:opcode = xx:00x FCVT{N,P,M,Z}{S,U}, 00:01x SCVTF/UCVTF, 00:10x
 * FCVTA{S,U}, 0x:11x FMOV. */
bool trans_FP_int(DisasContext *s, const A64Insn *i)
{
    unsigned rmode = i->f[F_rmode], opcode = i->f[F_opcode];
    if (opcode >= 6)
        return fmov_general(s, i);
    FPSize sz;
    if (rmode != 0 && opcode >= 2)
        return false;
    FP_BEGIN(s, i->f[F_ftype], sz);
    static const uint8_t rounding[4] = {FP_ROUND_TIEEVEN, FP_ROUND_POSINF, FP_ROUND_NEGINF, FP_ROUND_ZERO};
    switch (opcode >> 1) {
    case 0: fp_to_int(s, i, sz, opcode & 1, rounding[rmode], 0); break;
    case 1: int_to_fp(s, i, sz, opcode & 1, 0); break;
    default: fp_to_int(s, i, sz, opcode & 1, FP_ROUND_TIEAWAY, 0); break;
    }
    return true;
}

/* FJCVTZS (FEAT_JSCVT): Wd = the double in Dn as a JavaScript int32; NZCV = 0Z00. */
bool trans_FJCVTZS(DisasContext *s, const A64Insn *i)
{
    if (!fp_access_check(s))
        return true;
    IRTemp r = gen_helper(s, helper_fjcvtzs, read_v(s, i->f[F_Rn], 8), 0, 0);
    write_x(s, i->f[F_Rd], r, false);
    IRTemp z = ir_opi(s->ir, IR_shr, 8, r, 32);
    write_nzcv(s, ir_opi(s->ir, IR_shl, 4, z, 30));
    return true;
}
