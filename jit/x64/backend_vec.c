/* The IR vec op (jit/ir_vec.h) on x86-64: SSE2 for most kinds (also the
 * saturating ones of 8- and 16-bit elements, with the flag from comparing
 * against the wrapping result), SSE4.1/4.2
 * where the host has them (cpuid at compiler creation), else a call of the
 * interpreter's own C function ir_vec_exec. Operands are loaded from env
 * with movdqu (xmm0 = n, xmm1 = m, xmm2 = d); xmm registers hold no IR
 * temps, so nothing else needs saving. */
#include "fpu/fpu.h"
#include "jit/ir_vec.h"
#include "jit/x64/backend_internal.h"

enum { NEED_SSE2, NEED_SSE41, NEED_SSE42 };

enum { PAND = 0xdb, PANDN = 0xdf, POR = 0xeb, PXOR = 0xef, PCMPEQB = 0x74, PCMPEQD = 0x76, MOVDQA = 0x6f,
       PMOVMSKB = 0xd7, PSRLDQ = 0x73, PSRLDQ_EXT = 3 };

/* One SSE instruction "op xmm0, xmm1" per (kind, esz), 0 if none. */
typedef struct {
    uint16_t opcode[4];
    uint8_t need[4];
} VecBinop;

static const VecBinop binops[VEC_KIND_COUNT] = {
    [VEC_ADD] = {{0xfc, 0xfd, 0xfe, 0xd4}, {0}},
    [VEC_SUB] = {{0xf8, 0xf9, 0xfa, 0xfb}, {0}},
    [VEC_AND] = {{PAND, PAND, PAND, PAND}, {0}},
    [VEC_ORR] = {{POR, POR, POR, POR}, {0}},
    [VEC_EOR] = {{PXOR, PXOR, PXOR, PXOR}, {0}},
    [VEC_CMEQ] = {{PCMPEQB, 0x75, PCMPEQD, 0x3829}, {0, 0, 0, NEED_SSE41}},
    [VEC_CMGT] = {{0x64, 0x65, 0x66, 0x3837}, {0, 0, 0, NEED_SSE42}},
    [VEC_MUL] = {{0, 0xd5, 0x3840, 0}, {0, 0, NEED_SSE41, 0}},
    [VEC_SMAX] = {{0x383c, 0xee, 0x383d, 0}, {NEED_SSE41, 0, NEED_SSE41, 0}},
    [VEC_SMIN] = {{0x3838, 0xea, 0x3839, 0}, {NEED_SSE41, 0, NEED_SSE41, 0}},
    [VEC_UMAX] = {{0xde, 0x383e, 0x383f, 0}, {0, NEED_SSE41, NEED_SSE41, 0}},
    [VEC_UMIN] = {{0xda, 0x383a, 0x383b, 0}, {0, NEED_SSE41, NEED_SSE41, 0}},
    [VEC_SQADD] = {{0xec, 0xed, 0, 0}, {0}},
    [VEC_UQADD] = {{0xdc, 0xdd, 0, 0}, {0}},
    [VEC_SQSUB] = {{0xe8, 0xe9, 0, 0}, {0}},
    [VEC_UQSUB] = {{0xd8, 0xd9, 0, 0}, {0}},
    [VEC_ZIP1] = {{0x60, 0x61, 0x62, 0x6c}, {0}}, /* punpckl*: also ZIP2 with q = 0 */
    [VEC_ZIP2] = {{0x68, 0x69, 0x6a, 0x6d}, {0}}, /* punpckh* */
};

/* The wrapping forms of the saturating ones: saturation happened where they differ. */
static const IRVecKind wrapping[4] = {VEC_ADD, VEC_ADD, VEC_SUB, VEC_SUB};

/* Shifts by immediate: "66 0F op /ext ib" for 16-, 32-, 64-bit elements. */
static const struct {
    uint8_t opcode[4];
    uint8_t ext;
} shifts[3] = {{{0, 0x71, 0x72, 0x73}, 6}, {{0, 0x71, 0x72, 0x73}, 2}, {{0, 0x71, 0x72, 0}, 4}};

/* Shift kind k (VEC_SHL, VEC_USHR, VEC_SSHR) of the elements of xmm. */
static void emit_shift(X64Buf *b, IRVecKind k, unsigned esz, int xmm, unsigned amount)
{
    x64_sse_shift_imm(b, shifts[k - VEC_SHL].opcode[esz], shifts[k - VEC_SHL].ext, xmm, (uint8_t)amount);
}

/* Source slots (bit k for slot k) that pending puts of 8-byte halves are
 * about to store: a 16-byte load of them would wait for the stores to
 * retire (no store forwarding from two stores, about a dozen cycles), so
 * they are loaded in halves. Narrower puts keep the 16-byte load. */
static unsigned halves_of_pending(const JitCompiler *c, uint64_t imm, uint64_t imm2)
{
    unsigned mask = 0;
    for (unsigned k = 0; k < 3; k++) {
        uint32_t off = ir_vec_slot_off(imm, imm2, k);
        bool any = false, all_halves = true;
        for (unsigned p = 0; p < c->npending; p++) {
            const PendingPut *put = &c->pending[p];
            if (put->offset + put->size <= off || off + 16 <= put->offset)
                continue;
            any = true;
            all_halves &= put->size == 8 && (put->offset - off) % 8 == 0;
        }
        if (any && all_halves)
            mask |= 1u << k;
    }
    return mask;
}

static void load_slot(JitCompiler *c, unsigned halves, int xmm, uint64_t imm2, unsigned which)
{
    X64Mem m = env_mem(ir_vec_off(imm2, which));
    if (halves >> which & 1)
        x64_sse_load_halves(c->buf, xmm, m);
    else
        x64_sse_load(c->buf, xmm, m);
}

static bool host_has(const JitCompiler *c, unsigned need)
{
    return need == NEED_SSE2 || (need == NEED_SSE41 && c->sse41) || (need == NEED_SSE42 && c->sse42);
}

/* The plain SSE2 forms of binops: punpckl*, pcmpgt* (b, w, d), padd*, psub*. */
static uint16_t punpckl(unsigned esz) { return binops[VEC_ZIP1].opcode[esz]; }
static uint16_t pcmpgt(unsigned esz) { return binops[VEC_CMGT].opcode[esz]; }
static uint16_t padd(unsigned esz) { return binops[VEC_ADD].opcode[esz]; }
static uint16_t psub(unsigned esz) { return binops[VEC_SUB].opcode[esz]; }

/* Fills xmm with the 32-bit pattern v (pshufd order picks dwords). */
static void splat32(X64Buf *b, int xmm, uint32_t v, uint8_t order)
{
    x64_mov_ri(b, RAX, v);
    x64_sse_movd_from(b, xmm, RAX);
    x64_sse_pshufd(b, xmm, xmm, order);
}

/* The unsigned and signed >= compares, MLA/MLS, UZP1/UZP2 and the widening
 * adds and subtracts; false if the host has no SSE form (the caller then
 * calls the C function). Result stored like emit_sse. */
static bool emit_sse_more(JitCompiler *c, uint64_t imm, uint64_t imm2, unsigned halves)
{
    X64Buf *b = c->buf;
    IRVecKind k = ir_vec_kind(imm);
    unsigned esz = ir_vec_esz(imm);
    bool q = ir_vec_q(imm);
    int result = 0;
    switch (k) {
    case VEC_CMHI: case VEC_CMHS: case VEC_CMGE:
        if (esz == 3 && !c->sse42)
            return false;
        break;
    case VEC_MLA: case VEC_MLS:
        if (esz == 0 || esz == 3 || (esz == 2 && !c->sse41))
            return false;
        break;
    default: break;
    }
    load_slot(c, halves, 0, imm2, 1);
    load_slot(c, halves, 1, imm2, 2);
    uint16_t gt = pcmpgt(esz); /* pcmpgtq (SSE4.2) for esz 3 */
    switch (k) {
    case VEC_CMHI: case VEC_CMHS: {
        /* unsigned compare = signed compare after flipping the sign bits */
        static const uint32_t sign[4] = {0x80808080u, 0x80008000u, 0x80000000u, 0x80000000u};
        splat32(b, 2, sign[esz], esz == 3 ? 0x11 : 0);
        x64_sse_rr(b, PXOR, 0, 2);
        x64_sse_rr(b, PXOR, 1, 2);
    }
        /* fall through */
    case VEC_CMGE:
        if (k == VEC_CMHI) {
            x64_sse_rr(b, gt, 0, 1);
        } else { /* n >= m is not m > n */
            x64_sse_rr(b, gt, 1, 0);
            x64_sse_rr(b, PCMPEQD, 2, 2);
            x64_sse_rr(b, PXOR, 1, 2);
            result = 1;
        }
        break;
    case VEC_MLA: case VEC_MLS:
        load_slot(c, halves, 2, imm2, 0);
        x64_sse_rr(b, binops[VEC_MUL].opcode[esz], 0, 1); /* pmullw, pmulld */
        x64_sse_rr(b, k == VEC_MLA ? padd(esz) : psub(esz), 2, 0);
        result = 2;
        break;
    case VEC_UZP1: case VEC_UZP2: {
        bool odd = k == VEC_UZP2;
        if (!q) { /* the elements of the 128-bit m:n, twice */
            x64_sse_rr(b, punpckl(3), 0, 1);
            x64_sse_rr(b, MOVDQA, 1, 0);
        }
        switch (esz) {
        case 0: case 1: { /* keep the even or odd halves of wider lanes, sign-extended, then pack (exact) */
            unsigned half = 8u << esz;
            for (int x = 0; x < 2; x++) {
                if (!odd)
                    emit_shift(b, VEC_SHL, esz + 1, x, half);
                emit_shift(b, VEC_SSHR, esz + 1, x, half);
            }
            x64_sse_rr(b, esz ? 0x6b : 0x63, 0, 1); /* packssdw, packsswb */
            break;
        }
        case 2:
            x64_sse_fp_rr(b, 0, 0xc6, 0, 1); /* shufps */
            x64_put8(b, odd ? 0xdd : 0x88);
            break;
        default:
            x64_sse_rr(b, binops[odd ? VEC_ZIP2 : VEC_ZIP1].opcode[3], 0, 1); /* punpck[lh]qdq */
            break;
        }
        break;
    }
    default: { /* widening */
        bool is_signed = k == VEC_SADDL || k == VEC_SSUBL, add = k == VEC_SADDL || k == VEC_UADDL;
        for (int x = 0; x < 2; x++) {
            if (q)
                x64_sse_pshufd(b, x, x, 0xee); /* the high half */
            x64_sse_rr(b, PXOR, 2, 2);
            if (is_signed)
                x64_sse_rr(b, pcmpgt(esz), 2, x); /* the sign of each element */
            x64_sse_rr(b, punpckl(esz), x, 2);
        }
        x64_sse_rr(b, add ? padd(esz + 1) : psub(esz + 1), 0, 1);
        q = true;
        break;
    }
    }
    if (!q)
        x64_sse_movq_zx(b, result);
    x64_sse_store(b, env_mem(ir_vec_off(imm2, 0)), result);
    return true;
}

/* Emits the operation with the result in an xmm register; false if the host
 * has no SSE form of it. */
static bool emit_sse(JitCompiler *c, uint64_t imm, uint64_t imm2, unsigned halves)
{
    X64Buf *b = c->buf;
    IRVecKind k = ir_vec_kind(imm);
    unsigned esz = ir_vec_esz(imm);
    int result = 0;
    const VecBinop *op = &binops[k];
    bool is_shift = k == VEC_SHL || k == VEC_USHR || k == VEC_SSHR;
    if (is_shift ? !shifts[k - VEC_SHL].opcode[esz] : (k < VEC_BIC || k > VEC_BIF) && k != VEC_ORN &&
                                                       (!op->opcode[esz] || !host_has(c, op->need[esz])))
        return false;
    X64Mem d = env_mem(ir_vec_off(imm2, 0));
    load_slot(c, halves, 0, imm2, 1);
    if (!is_shift)
        load_slot(c, halves, 1, imm2, 2);
    switch (k) {
    case VEC_SHL: case VEC_USHR: case VEC_SSHR:
        emit_shift(b, k, esz, 0, ir_vec_shift(imm));
        break;
    case VEC_BIC: /* n & ~m */
        x64_sse_rr(b, PANDN, 1, 0);
        result = 1;
        break;
    case VEC_ORN: /* n | ~m */
        x64_sse_rr(b, PCMPEQD, 2, 2);
        x64_sse_rr(b, PXOR, 1, 2);
        x64_sse_rr(b, POR, 0, 1);
        break;
    case VEC_BSL: /* m ^ ((m ^ n) & d) */
        load_slot(c, halves, 2, imm2, 0);
        x64_sse_rr(b, PXOR, 0, 1);
        x64_sse_rr(b, PAND, 0, 2);
        x64_sse_rr(b, PXOR, 0, 1);
        break;
    case VEC_BIT: /* d ^ ((d ^ n) & m) */
        load_slot(c, halves, 2, imm2, 0);
        x64_sse_rr(b, PXOR, 0, 2);
        x64_sse_rr(b, PAND, 0, 1);
        x64_sse_rr(b, PXOR, 0, 2);
        break;
    case VEC_BIF: /* d ^ ((d ^ n) & ~m) */
        load_slot(c, halves, 2, imm2, 0);
        x64_sse_rr(b, PXOR, 0, 2);
        x64_sse_rr(b, PANDN, 1, 0);
        x64_sse_rr(b, PXOR, 1, 2);
        result = 1;
        break;
    case VEC_ZIP2:
        if (!ir_vec_q(imm)) { /* the high halves of 64-bit vectors: bytes 15:8 of punpckl */
            x64_sse_rr(b, punpckl(esz), 0, 1);
            x64_sse_shift_imm(b, PSRLDQ, PSRLDQ_EXT, 0, 8);
            break;
        }
        x64_sse_rr(b, op->opcode[esz], 0, 1);
        break;
    case VEC_SQADD: case VEC_UQADD: case VEC_SQSUB: case VEC_UQSUB: {
        /* xmm2 = the wrapping result; a byte mask of where it equals the
         * saturating one; the flag bit is or-ed in unless all (of the low
         * 8 bytes with q = 0) are equal. RAX, RCX, RDX are scratch here. */
        X64Mem flag = env_mem(ir_vec_off(imm2, 3));
        x64_sse_rr(b, MOVDQA, 2, 0);
        x64_sse_rr(b, op->opcode[esz], 0, 1);
        x64_sse_rr(b, binops[wrapping[k - VEC_SQADD]].opcode[esz], 2, 1);
        x64_sse_rr(b, PCMPEQB, 2, 0);
        x64_sse_rr(b, PMOVMSKB, RAX, 2);
        unsigned all = ir_vec_q(imm) ? 0xffff : 0xff;
        if (!ir_vec_q(imm))
            x64_alu_ri(b, ALU_AND, 4, RAX, 0xff);
        x64_alu_ri(b, ALU_CMP, 4, RAX, (int32_t)all);
        x64_setcc_zx(b, CC_NE, RCX);
        x64_shift_ri(b, SH_SHL, 4, RCX, (uint8_t)ir_vec_flag_bit(imm));
        x64_load(b, 4, false, RDX, flag);
        x64_alu_rr(b, ALU_OR, 4, RDX, RCX);
        x64_store(b, 4, flag, RDX);
        break;
    }
    default:
        x64_sse_rr(b, op->opcode[esz], 0, 1);
        break;
    }
    if (!ir_vec_q(imm))
        x64_sse_movq_zx(b, result);
    x64_sse_store(b, d, result);
    return true;
}

/* The floating-point kinds: packed SSE (FMA3 for FMLA/FMLS) when the result
 * is certainly the one fpu/ gives, else the C function. The packed result
 * is the Arm one (DDI 0487 FPRound) when FPCR.RMode is RN and FPCR.FZ is 0
 * (so denormal operands are exact on both sides) and every result lane is
 * a normal number with a biased exponent of at least 2: a NaN or infinity
 * operand gives a NaN or infinite result, a finite result rules out
 * overflow and the exponent margin underflow whether tininess is detected
 * before rounding (Arm) or after (x86). The only exception left is Inexact,
 * so the fast path also requires FPSR.IXC set already (cumulative: the
 * packed op can then change no flag). Otherwise nothing has been written
 * and the C function computes the instruction from scratch. */
static void emit_fp(JitCompiler *c, const IRInsn *in, uint32_t i, unsigned halves)
{
    X64Buf *b = c->buf;
    uint64_t imm = in->imm, imm2 = in->imm2;
    IRVecKind k = ir_vec_kind(imm);
    bool dbl = ir_vec_esz(imm) == 3, q = ir_vec_q(imm), fused = k == VEC_FMLA || k == VEC_FMLS;
    size_t slow[3] = {0}, done = 0;
    if (!fused || c->fma) {
        X64Mem d = env_mem(ir_vec_off(imm2, 0));
        x64_load(b, 4, false, RAX, env_mem(ir_vec_slot_off(imm, imm2, 4)));
        x64_alu_ri(b, ALU_AND, 4, RAX, (int32_t)(FPCR_RMODE | FPCR_FZ));
        slow[0] = x64_jcc(b, CC_NE);
        x64_load(b, 4, false, RAX, env_mem(ir_vec_off(imm2, 3)));
        x64_alu_ri(b, ALU_AND, 4, RAX, FPSR_IXC);
        slow[1] = x64_jcc(b, CC_E);
        load_slot(c, halves, 0, imm2, 1);
        load_slot(c, halves, 1, imm2, 2);
        int res = 0;
        if (fused) {
            load_slot(c, halves, 2, imm2, 0);
            x64_vex_fma(b, k == VEC_FMLA ? 0xb8 : 0xbc, dbl, 2, 0, 1); /* vf[n]madd231p[sd] */
            res = 2;
        } else {
            static const uint8_t ops[] = {[VEC_FADD - VEC_FADD] = 0x58, [VEC_FSUB - VEC_FADD] = 0x5c,
                                          [VEC_FMUL - VEC_FADD] = 0x59};
            x64_sse_fp_rr(b, dbl ? 0x66 : 0, ops[k - VEC_FADD], 0, 1);
        }
        /* Biased exponent e in [2, max - 1] of each lane (of the high dword
         * for doubles): t = the dword shifted left by one (e at the top),
         * good iff t - (2 << top) < (max - 2) << top unsigned, done as a
         * signed compare after adding 0x80000000 - (2 << top). */
        uint32_t add = dbl ? 0x7fc00000u : 0x7e000000u, limit = dbl ? 0x7fa00000u : 0x7d000000u;
        int32_t lanes = dbl ? 0xa : q ? 0xf : 0x3;
        x64_sse_rr(b, MOVDQA, 3, res);
        emit_shift(b, VEC_SHL, 2, 3, 1); /* pslld */
        splat32(b, 4, add, 0);
        x64_sse_rr(b, padd(2), 3, 4);
        splat32(b, 4, limit, 0);
        x64_sse_rr(b, pcmpgt(2), 4, 3);
        x64_sse_movmskps(b, RAX, 4);
        x64_alu_ri(b, ALU_AND, 4, RAX, lanes);
        x64_alu_ri(b, ALU_CMP, 4, RAX, lanes);
        slow[2] = x64_jcc(b, CC_NE);
        if (!q)
            x64_sse_movq_zx(b, res);
        x64_sse_store(b, d, res);
        done = x64_jmp(b);
        for (unsigned s = 0; s < 3; s++)
            if (slow[s])
                x64_patch_rel32(b->start, slow[s], b->p);
    }
    /* The C function, keeping the allocator's state: live caller-saved
     * registers are pushed around the call (RSP stays 16-byte aligned). */
    uint16_t save = ra_live_caller_saved(c, i, 0);
    x64_push_mask(b, save);
    x64_mov_rr(b, 8, RDI, JIT_ENV);
    x64_mov_ri(b, RSI, imm);
    x64_mov_ri(b, RDX, imm2);
    x64_mov_ri(b, RAX, (uint64_t)(uintptr_t)ir_vec_exec);
    x64_call_r(b, RAX);
    x64_pop_mask(b, save);
    if (done)
        x64_patch_rel32(b->start, done, b->p);
}

void emit_vec(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    /* Like gets of the three slots: pending puts to them reach env first. */
    unsigned halves = halves_of_pending(c, in->imm, in->imm2);
    for (unsigned k = 0; k < ir_vec_nslots(in->imm); k++) {
        uint32_t off = ir_vec_slot_off(in->imm, in->imm2, k);
        unsigned size = ir_vec_slot_size(k);
        ra_flush_overlapping(c, off, size);
        if (flags_overlap_nzcv(c->jit->target, off, size))
            emit_materialize_flags(c);
    }
    if (ir_vec_is_fp(in->imm)) {
        emit_fp(c, in, i, halves);
        return;
    }
    if (ir_vec_kind(in->imm) >= VEC_CMHI ? emit_sse_more(c, in->imm, in->imm2, halves)
                                         : emit_sse(c, in->imm, in->imm2, halves))
        return;
    X64Buf *b = c->buf;
    ra_spill_caller_saved(c, i);
    x64_mov_rr(b, 8, RDI, JIT_ENV);
    x64_mov_ri(b, RSI, in->imm);
    x64_mov_ri(b, RDX, in->imm2);
    x64_mov_ri(b, RAX, (uint64_t)(uintptr_t)ir_vec_exec);
    x64_call_r(b, RAX);
}
