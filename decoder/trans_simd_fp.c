/* AdvSIMD floating point with two sources (DDI 0487 C7.2): three same (vector,
 * scalar, FP16), pairwise (vector and scalar), across lanes, by element
 * (vector and scalar), FCMLA/FCADD (FEAT_FCMA). One helper call per
 * instruction; see trans_simd_fp.h. */
#include "decoder/trans_simd_fp.h"

uint64_t simd_fp_lane2(FPCtx *c, unsigned op, FPSize sz, uint64_t a, uint64_t b, uint64_t d)
{
    uint64_t ones = fp_sign_bit(sz) * 2 - 1;
    switch (op) {
    case SF_ADD: return fpu_add(c, sz, a, b);
    case SF_SUB: return fpu_sub(c, sz, a, b);
    case SF_MUL: return fpu_mul(c, sz, a, b);
    case SF_DIV: return fpu_div(c, sz, a, b);
    case SF_MAX: return fpu_max(c, sz, a, b);
    case SF_MIN: return fpu_min(c, sz, a, b);
    case SF_MAXNM: return fpu_maxnum(c, sz, a, b);
    case SF_MINNM: return fpu_minnum(c, sz, a, b);
    case SF_MULX: return fpu_mulx(c, sz, a, b);
    case SF_ABD: return fpu_abs(sz, fpu_sub(c, sz, a, b));
    case SF_CMEQ: return fpu_compare_eq(c, sz, a, b) ? ones : 0;
    case SF_CMGE: return fpu_compare_ge(c, sz, a, b) ? ones : 0;
    case SF_CMGT: return fpu_compare_gt(c, sz, a, b) ? ones : 0;
    case SF_ACGE: return fpu_compare_ge(c, sz, fpu_abs(sz, a), fpu_abs(sz, b)) ? ones : 0;
    case SF_ACGT: return fpu_compare_gt(c, sz, fpu_abs(sz, a), fpu_abs(sz, b)) ? ones : 0;
    case SF_RECPS: return fpu_recip_step(c, sz, a, b);
    case SF_RSQRTS: return fpu_rsqrt_step(c, sz, a, b);
    case SF_MLA: return fpu_muladd(c, sz, d, a, b);
    default: return fpu_muladd(c, sz, d, fpu_neg(sz, a), b); /* SF_MLS */
    }
}

/* ---- helpers ---- */

enum { SIMD_PAIRWISE = 1, SIMD_BY_ELEMENT = 2 };

/* Three same and by element (param: the index into Vm); pairwise ops take
 * lane pairs of Vm:Vn (Vn the low half). */
/* The lanes of a three same or by element op, for a constant lane size so that
 * the lane accesses compile to plain loads and stores (the common FP32/FP64
 * cases are hot in vectorised code). */
static inline __attribute__((always_inline)) void fp_2op_lanes(CPUState *cpu, FPCtx *c, const SimdFPDesc *d,
                                                               unsigned bytes, SimdVec *out)
{
    unsigned ym = d->flags & SIMD_BY_ELEMENT ? d->param : 0, ystep = d->flags & SIMD_BY_ELEMENT ? 0 : 1;
    if (d->op == SF_MLA || d->op == SF_MLS) { /* all lanes at once */
        uint64_t x[4] = {0}, y[4] = {0}, acc[4] = {0}; /* FP32/FP64: at most 4 lanes */
        for (unsigned e = 0; e < d->nelem; e++) {
            x[e] = vlane(cpu, d->rn, e, bytes), y[e] = vlane(cpu, d->rm, ym + e * ystep, bytes);
            acc[e] = vlane(cpu, d->rd, e, bytes);
            if (d->op == SF_MLS)
                x[e] = fpu_neg(d->sz, x[e]);
        }
        fpu_muladd_lanes(c, d->sz, d->nelem, acc, acc, x, y);
        for (unsigned e = 0; e < d->nelem; e++)
            vlane_set(out, e, bytes, acc[e]);
        return;
    }
    for (unsigned e = 0; e < d->nelem; e++) {
        uint64_t x = vlane(cpu, d->rn, e, bytes), y = vlane(cpu, d->rm, ym + e * ystep, bytes);
        vlane_set(out, e, bytes, simd_fp_lane2(c, d->op, d->sz, x, y, vlane(cpu, d->rd, e, bytes)));
    }
}

static uint64_t helper_simd_fp_2op(void *env, uint64_t desc, uint64_t b, uint64_t c_)
{
    (void)b, (void)c_;
    CPUState *cpu = env;
    SimdFPDesc d = simd_fp_unpack(desc);
    unsigned bytes = fp_bytes(d.sz);
    FPCtx c = fp_ctx(cpu);
    SimdVec out = {{0, 0}};
    if (!(d.flags & SIMD_PAIRWISE) && d.sz != FP16) {
        if (d.sz == FP32)
            fp_2op_lanes(cpu, &c, &d, 4, &out);
        else
            fp_2op_lanes(cpu, &c, &d, 8, &out);
        simd_write(cpu, d.rd, out, true);
        fp_ctx_done(cpu, &c);
        return 0;
    }
    for (unsigned e = 0; e < d.nelem; e++) {
        uint64_t x, y;
        if (d.flags & SIMD_PAIRWISE) {
            unsigned k = 2 * e, reg = k < d.nelem ? d.rn : d.rm;
            x = vlane(cpu, reg, k % d.nelem, bytes);
            y = vlane(cpu, reg, k % d.nelem + 1, bytes);
        } else {
            x = vlane(cpu, d.rn, e, bytes);
            y = vlane(cpu, d.rm, d.flags & SIMD_BY_ELEMENT ? d.param : e, bytes);
        }
        vlane_set(&out, e, bytes, simd_fp_lane2(&c, d.op, d.sz, x, y, vlane(cpu, d.rd, e, bytes)));
    }
    simd_write(cpu, d.rd, out, true);
    fp_ctx_done(cpu, &c);
    return 0;
}

/* FMLAL/FMLSL (flags: SIMD_FHM_SUB) and their "2" forms (SIMD_FHM_UPPER):
 * nelem single lanes of Vd += the half lanes of the low (or upper) half of
 * Vn's first 2 * nelem * 2 bytes times those of Vm (or, by element, Vm's half
 * lane param), with one rounding (FPMulAddH). */
enum { SIMD_FHM_SUB = 4, SIMD_FHM_UPPER = 8 };
static uint64_t helper_simd_fp_fmlal(void *env, uint64_t desc, uint64_t b, uint64_t c_)
{
    (void)b, (void)c_;
    CPUState *cpu = env;
    SimdFPDesc d = simd_fp_unpack(desc);
    FPCtx c = fp_ctx(cpu);
    SimdVec out = {{0, 0}};
    unsigned first = d.flags & SIMD_FHM_UPPER ? d.nelem : 0;
    for (unsigned e = 0; e < d.nelem; e++) {
        uint16_t x = (uint16_t)vlane(cpu, d.rn, first + e, 2);
        uint16_t y = (uint16_t)vlane(cpu, d.rm, d.flags & SIMD_BY_ELEMENT ? d.param : first + e, 2);
        if (d.flags & SIMD_FHM_SUB)
            x ^= 0x8000;
        vlane_set(&out, e, 4, fpu_muladd_h(&c, (uint32_t)vlane(cpu, d.rd, e, 4), x, y));
    }
    simd_write(cpu, d.rd, out, true);
    fp_ctx_done(cpu, &c);
    return 0;
}

/* Reduce() of the pseudocode: the halves reduced separately, then combined. */
static uint64_t reduce(FPCtx *c, const SimdFPDesc *d, const CPUState *cpu, unsigned first, unsigned count)
{
    if (count == 1)
        return vlane(cpu, d->rn, first, fp_bytes(d->sz));
    uint64_t lo = reduce(c, d, cpu, first, count / 2);
    uint64_t hi = reduce(c, d, cpu, first + count / 2, count / 2);
    return simd_fp_lane2(c, d->op, d->sz, lo, hi, 0);
}

/* Across lanes and scalar pairwise: Vd = Reduce(op, Vn's nelem lanes). */
static uint64_t helper_simd_fp_reduce(void *env, uint64_t desc, uint64_t b, uint64_t c_)
{
    (void)b, (void)c_;
    CPUState *cpu = env;
    SimdFPDesc d = simd_fp_unpack(desc);
    FPCtx c = fp_ctx(cpu);
    uint64_t r = reduce(&c, &d, cpu, 0, d.nelem);
    cpu->v[d.rd][0] = r;
    cpu->v[d.rd][1] = 0;
    fp_ctx_done(cpu, &c);
    return 0;
}

/* FCMLA (param: rotation; flags: by element, index in bits 7:4 of flags),
 * FCADD (op = 1, param: rotation 0 = 90, 1 = 270). */
static uint64_t helper_simd_fp_complex(void *env, uint64_t desc, uint64_t b, uint64_t c_)
{
    (void)b, (void)c_;
    CPUState *cpu = env;
    SimdFPDesc d = simd_fp_unpack(desc);
    unsigned bytes = fp_bytes(d.sz);
    FPSize sz = d.sz;
    FPCtx c = fp_ctx(cpu);
    SimdVec out = {{0, 0}};
    for (unsigned e = 0; e < d.nelem / 2; e++) {
        unsigned m = d.flags & SIMD_BY_ELEMENT ? d.flags >> 4 : e;
        uint64_t n_re = vlane(cpu, d.rn, 2 * e, bytes), n_im = vlane(cpu, d.rn, 2 * e + 1, bytes);
        uint64_t m_re = vlane(cpu, d.rm, 2 * m, bytes), m_im = vlane(cpu, d.rm, 2 * m + 1, bytes);
        uint64_t re, im;
        if (d.op) { /* FCADD: Vn + Vm rotated by 90 or 270 degrees */
            re = fpu_add(&c, sz, n_re, d.param ? m_im : fpu_neg(sz, m_im));
            im = fpu_add(&c, sz, n_im, d.param ? fpu_neg(sz, m_re) : m_re);
        } else {
            /* FCMLA: one half of the complex product by rotation (element1..4 of
             * the pseudocode): 0 and 180 use Vn's real part, 90 and 270 its
             * imaginary part. */
            uint64_t e1, e2, e3;
            switch (d.param) {
            case 0: e1 = m_re, e2 = n_re, e3 = m_im; break;
            case 1: e1 = fpu_neg(sz, m_im), e2 = n_im, e3 = m_re; break;
            case 2: e1 = fpu_neg(sz, m_re), e2 = n_re, e3 = fpu_neg(sz, m_im); break;
            default: e1 = m_im, e2 = n_im, e3 = fpu_neg(sz, m_re); break;
            }
            re = fpu_muladd(&c, sz, vlane(cpu, d.rd, 2 * e, bytes), e2, e1);
            im = fpu_muladd(&c, sz, vlane(cpu, d.rd, 2 * e + 1, bytes), e2, e3);
        }
        vlane_set(&out, 2 * e, bytes, re);
        vlane_set(&out, 2 * e + 1, bytes, im);
    }
    simd_write(cpu, d.rd, out, true);
    fp_ctx_done(cpu, &c);
    return 0;
}

/* ---- decoding ---- */

/* The three-same FP ops by U, size<1> (a) and opcode<2:0> (the FP16 group has
 * the same layout); P marks the pairwise ones. */
#define P 0x100
static const uint16_t three_same_ops[2][2][8] = {
    {{SF_MAXNM, SF_MLA, SF_ADD, SF_MULX, SF_CMEQ, SF_NONE, SF_MAX, SF_RECPS},
     {SF_MINNM, SF_MLS, SF_SUB, SF_NONE, SF_NONE, SF_NONE, SF_MIN, SF_RSQRTS}},
    {{SF_MAXNM | P, SF_NONE, SF_ADD | P, SF_MUL, SF_CMGE, SF_ACGE, SF_MAX | P, SF_DIV},
     {SF_MINNM | P, SF_NONE, SF_ABD, SF_NONE, SF_CMGT, SF_ACGT, SF_MIN | P, SF_NONE}},
};
#undef P

static bool simd_fp_call(DisasContext *s, IRHelper fn, uint64_t desc)
{
    if (!fp_access_check(s))
        return true;
    gen_helper(s, fn, konst(s, desc), 0, 0);
    return true;
}

static bool three_same(DisasContext *s, const A64Insn *i, FPSize sz, bool scalar)
{
    if (!scalar && sz == FP32 && i->f[F_opcode] == (i->f[F_U] ? 1u : 5u)) {
        /* FMLAL/FMLSL (U = 0) and FMLAL2/FMLSL2 (U = 1), size<1> = subtract */
        if (!feature_has(&s->cpu->features, FEAT_FHM))
            return false;
        unsigned flags = (i->f[F_a] ? SIMD_FHM_SUB : 0) | (i->f[F_U] ? SIMD_FHM_UPPER : 0);
        return simd_fp_call(s, helper_simd_fp_fmlal, simd_fp_desc(0, FP32, i->f[F_Q] ? 4 : 2, i->f[F_Rd],
                                                                    i->f[F_Rn], i->f[F_Rm], 0, flags));
    }
    unsigned op = three_same_ops[i->f[F_U]][i->f[F_a]][i->f[F_opcode]];
    if ((op & 0xff) == SF_NONE)
        return false;
    if (scalar) {
        /* Only FMULX, FCMxx, FACxx, FABD, FRECPS and FRSQRTS have scalar forms. */
        static const uint32_t scalar_ops = 1u << SF_MULX | 1u << SF_CMEQ | 1u << SF_CMGE | 1u << SF_CMGT |
                                           1u << SF_ACGE | 1u << SF_ACGT | 1u << SF_ABD | 1u << SF_RECPS |
                                           1u << SF_RSQRTS;
        if ((op & 0x100) || !(scalar_ops >> op & 1))
            return false;
    } else if (sz == FP64 && !i->f[F_Q]) {
        return false; /* 1D is reserved */
    }
    if (!scalar && sz != FP16 && !(op & 0x100)) {
        /* The IR vec op: the same fpu/ functions in the same lane order, with
         * a packed host fast path in the JIT (jit/ir_vec.h). */
        static const int8_t vec_kinds[] = {[SF_ADD] = VEC_FADD, [SF_SUB] = VEC_FSUB, [SF_MUL] = VEC_FMUL,
                                           [SF_MLA] = VEC_FMLA, [SF_MLS] = VEC_FMLS};
        if (op <= SF_MLS && vec_kinds[op]) {
            if (fp_access_check(s))
                ir_vec(s->ir, ir_vec_imm_fp((IRVecKind)vec_kinds[op], sz == FP32 ? 2 : 3, i->f[F_Q],
                                            (uint32_t)(offsetof(CPUState, sr) + 8 * SR_FPCR)),
                       ir_vec_imm2((uint32_t)V_OFFSET(i->f[F_Rd]), (uint32_t)V_OFFSET(i->f[F_Rn]),
                                   (uint32_t)V_OFFSET(i->f[F_Rm]), (uint32_t)(offsetof(CPUState, sr) + 8 * SR_FPSR)));
            return true;
        }
    }
    unsigned n = scalar ? 1 : simd_lanes(sz, i->f[F_Q]);
    return simd_fp_call(s, helper_simd_fp_2op,
                        simd_fp_desc(op & 0xff, sz, n, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm], 0,
                                     op & 0x100 ? SIMD_PAIRWISE : 0));
}

bool trans_SIMD_FP_3same(DisasContext *s, const A64Insn *i)
{
    return three_same(s, i, i->f[F_sz] ? FP64 : FP32, false);
}
bool trans_SIMD_FP16_3same(DisasContext *s, const A64Insn *i) { return three_same(s, i, FP16, false); }
bool trans_SIMD_FP_s3same(DisasContext *s, const A64Insn *i)
{
    return three_same(s, i, i->f[F_sz] ? FP64 : FP32, true);
}
bool trans_SIMD_FP16_s3same(DisasContext *s, const A64Insn *i) { return three_same(s, i, FP16, true); }

/* Pairwise and across-lane ops by opcode<1:0> and size<1>: 00 FMAXNM/FMINNM,
 * 01 FADD (a = 0 only), 11 FMAX/FMIN. U = 0 with size<0> = 0 is the FP16
 * encoding (FEAT_FP16); U = 1 is single/double. */
static unsigned reduce_op(const A64Insn *i)
{
    static const uint8_t ops[2][4] = {{SF_MAXNM, SF_ADD, SF_NONE, SF_MAX}, {SF_MINNM, SF_NONE, SF_NONE, SF_MIN}};
    return ops[i->f[F_a]][i->f[F_opcode]];
}

static bool reduce_size(DisasContext *s, const A64Insn *i, FPSize *sz)
{
    if (!i->f[F_U]) {
        if (i->f[F_sz] || !feature_has(&s->cpu->features, FEAT_FP16))
            return false;
        *sz = FP16;
    } else {
        *sz = i->f[F_sz] ? FP64 : FP32;
    }
    return true;
}

bool trans_SIMD_FP_spair(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    unsigned op = reduce_op(i);
    if (op == SF_NONE || !reduce_size(s, i, &sz))
        return false;
    return simd_fp_call(s, helper_simd_fp_reduce, simd_fp_desc(op, sz, 2, i->f[F_Rd], i->f[F_Rn], 0, 0, 0));
}

/* FMAXV and friends (no FADDV): 4S, 4H or 8H. */
bool trans_SIMD_FP_across(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    unsigned op = reduce_op(i);
    if (op == SF_NONE || op == SF_ADD || !reduce_size(s, i, &sz))
        return false;
    if (sz == FP64 || (sz == FP32 && !i->f[F_Q]))
        return false;
    return simd_fp_call(s, helper_simd_fp_reduce,
                        simd_fp_desc(op, sz, simd_lanes(sz, i->f[F_Q]), i->f[F_Rd], i->f[F_Rn], 0, 0, 0));
}

/* By element: size 00 is half (FEAT_FP16; index H:L:M, Vm in V0-V15), 10
 * single (index H:L), 11 double (index H; L = 1 is reserved). */
static bool by_element(DisasContext *s, const A64Insn *i, bool scalar)
{
    unsigned size = i->f[F_size], h = i->f[F_H], l = i->f[F_L], m = i->f[F_M], rm = i->f[F_Rm];
    unsigned index;
    FPSize sz;
    switch (size) {
    case 0:
        if (!feature_has(&s->cpu->features, FEAT_FP16))
            return false;
        sz = FP16, index = h << 2 | l << 1 | m;
        break;
    case 2: sz = FP32, index = h << 1 | l, rm |= m << 4; break;
    case 3:
        if (l || (!scalar && !i->f[F_Q]))
            return false;
        sz = FP64, index = h, rm |= m << 4;
        break;
    default: return false;
    }
    unsigned op;
    if (i->raw >> 15 & 1) /* opcode 1001: FMUL, FMULX */
        op = i->f[F_U] ? SF_MULX : SF_MUL;
    else
        op = i->f[F_a] ? SF_MLS : SF_MLA;
    unsigned n = scalar ? 1 : simd_lanes(sz, i->f[F_Q]);
    return simd_fp_call(s, helper_simd_fp_2op,
                        simd_fp_desc(op, sz, n, i->f[F_Rd], i->f[F_Rn], rm, index, SIMD_BY_ELEMENT));
}

bool trans_SIMD_FP_elem(DisasContext *s, const A64Insn *i) { return by_element(s, i, false); }
bool trans_SIMD_FP_selem(DisasContext *s, const A64Insn *i) { return by_element(s, i, true); }

/* FCMLA/FCADD element size: 01 half (FEAT_FP16), 10 single, 11 double (Q = 1 only). */
static bool complex_size(DisasContext *s, const A64Insn *i, FPSize *sz)
{
    switch (i->f[F_size]) {
    case 1: *sz = FP16; return feature_has(&s->cpu->features, FEAT_FP16);
    case 2: *sz = FP32; return true;
    case 3: *sz = FP64; return i->f[F_Q];
    default: return false;
    }
}

/* FCMLA (op 0) and FCADD (op 1) by vector. */
static bool complex_vector(DisasContext *s, const A64Insn *i, unsigned op)
{
    FPSize sz;
    if (!complex_size(s, i, &sz))
        return false;
    return simd_fp_call(s, helper_simd_fp_complex, simd_fp_desc(op, sz, simd_lanes(sz, i->f[F_Q]), i->f[F_Rd],
                                                                  i->f[F_Rn], i->f[F_Rm], i->f[F_rot], 0));
}

bool trans_SIMD_FCMLA(DisasContext *s, const A64Insn *i) { return complex_vector(s, i, 0); }
bool trans_SIMD_FCADD(DisasContext *s, const A64Insn *i) { return complex_vector(s, i, 1); }

/* FCMLA by element: size 01 half (index H:L; H = 1 is reserved for 4H), 10
 * single (index H, Q = 1 and L = 0 only); the index selects a pair of Vm. */
bool trans_SIMD_FCMLA_elem(DisasContext *s, const A64Insn *i)
{
    FPSize sz;
    unsigned index, q = i->f[F_Q], h = i->f[F_H], l = i->f[F_L];
    if (i->f[F_size] == 1 && feature_has(&s->cpu->features, FEAT_FP16) && (q || !h))
        sz = FP16, index = h << 1 | l;
    else if (i->f[F_size] == 2 && q && !l)
        sz = FP32, index = h;
    else
        return false;
    unsigned rm = i->f[F_M] << 4 | i->f[F_Rm];
    return simd_fp_call(s, helper_simd_fp_complex, simd_fp_desc(0, sz, simd_lanes(sz, q), i->f[F_Rd], i->f[F_Rn],
                                                                  rm, i->f[F_rot], SIMD_BY_ELEMENT | index << 4));
}

/* FMLAL/FMLSL (by element): index H:L:M, Vm in V0-V15. */
bool trans_SIMD_FMLAL_elem(DisasContext *s, const A64Insn *i)
{
    unsigned index = i->f[F_H] << 2 | i->f[F_L] << 1 | i->f[F_M];
    unsigned flags = SIMD_BY_ELEMENT | (i->f[F_a] ? SIMD_FHM_SUB : 0) | (i->raw >> 29 & 1 ? SIMD_FHM_UPPER : 0);
    return simd_fp_call(s, helper_simd_fp_fmlal,
                        simd_fp_desc(0, FP32, i->f[F_Q] ? 4 : 2, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm], index, flags));
}
