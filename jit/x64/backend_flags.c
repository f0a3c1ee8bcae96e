/* NZCV: computed with one host flag-setting instruction, read directly by the
 * conditions that use it, packed into the IR's NZCV word only when something
 * else (a put, a helper, a later block) needs it.
 *
 * Arm and x86 agree on N (SF), Z (ZF) and V (OF) for additions and
 * subtractions; C is x86's CF for additions and its complement for
 * subtractions (Arm's carry is "no borrow"). */
#include "jit/x64/backend_internal.h"

#include "trace/log.h"

typedef enum { FORM_SUB, FORM_ADD, FORM_LOGIC } FlagsForm;

enum { CC_NEVER = -2, CC_ALWAYS = -3, CC_NONE = -1 };

/* x86 condition for A64 condition 0..15 after each form, or CC_NONE. */
static const int cond_cc[3][16] = {
    [FORM_SUB] = {CC_E, CC_NE, CC_AE, CC_B, CC_S, CC_NS, CC_O, CC_NO, CC_A, CC_BE, CC_GE, CC_L, CC_G, CC_LE,
                  CC_ALWAYS, CC_ALWAYS},
    [FORM_ADD] = {CC_E, CC_NE, CC_B, CC_AE, CC_S, CC_NS, CC_O, CC_NO, CC_NONE, CC_NONE, CC_GE, CC_L, CC_G, CC_LE,
                  CC_ALWAYS, CC_ALWAYS},
    /* after TEST: C = V = 0 */
    [FORM_LOGIC] = {CC_E, CC_NE, CC_NEVER, CC_ALWAYS, CC_S, CC_NS, CC_NEVER, CC_ALWAYS, CC_NEVER, CC_ALWAYS, CC_NS,
                    CC_S, CC_G, CC_LE, CC_ALWAYS, CC_ALWAYS},
};

/* The form of an nzcv op's flag-setting instruction, and the operand a
 * compare subtracts (0 when it is the constant ~b). */
static FlagsForm flags_form(const JitCompiler *c, const IRInsn *in, IRTemp *y)
{
    *y = 0;
    if (in->op == IR_nzcv_logic)
        return FORM_LOGIC;
    const TempState *b = &c->t[in->src[1]], *carry = &c->t[in->src[2]];
    if (!carry->is_const)
        return FORM_ADD;
    if (carry->value & 1) {
        if (b->is_const)
            return FORM_SUB;
        const IRInsn *bdef = &c->ir->insns[b->def];
        if (bdef->op == IR_not && bdef->size >= in->size) {
            *y = bdef->src[0];
            return FORM_SUB;
        }
    }
    return FORM_ADD;
}

IRTemp flags_compare_operand(const JitCompiler *c, const IRInsn *in)
{
    IRTemp y;
    return flags_form(c, in, &y) == FORM_SUB ? y : 0;
}

void flags_mark_lazy(JitCompiler *c)
{
    const JitTarget *t = c->jit->target;
    if (!t->lazy_flags)
        return;
    const IRBlock *ir = c->ir;
    for (uint32_t i = 0; i < ir->count; i++) {
        const IRInsn *in = &ir->insns[i];
        if (in->op != IR_nzcv_adc && in->op != IR_nzcv_logic)
            continue;
        IRTemp f = in->dst, y;
        FlagsForm form = flags_form(c, in, &y);
        const TempState *carry = &c->t[in->src[2]];
        /* adcs with a carry in a register, or a + b + 1 that is no compare */
        if (in->op == IR_nzcv_adc && (!carry->is_const || (form == FORM_ADD && (carry->value & 1))))
            continue;
        uint32_t seen = 0;
        bool ok = true;
        for (uint32_t j = i + 1; j < ir->count && seen < c->t[f].uses && ok; j++) {
            const IRInsn *u = &ir->insns[j];
            unsigned n = 0;
            for (unsigned s = 0; s < ir_op_info[u->op].nsrc; s++)
                n += u->src[s] == f;
            if (!n)
                continue;
            seen += n;
            if (u->op == IR_cond)
                ok = c->t[u->dst].uses == 0 || cond_cc[form][u->imm & 15] != CC_NONE;
            else
                ok = u->op == IR_put && u->size == 4 && u->imm == t->nzcv_offset;
        }
        if (!ok)
            continue;
        bool wide = in->size == 8;
        TempState *ft = &c->t[f];
        ft->lazy = form == FORM_SUB ? (wide ? JIT_LAZY_SUB64 : JIT_LAZY_SUB32)
                 : form == FORM_ADD ? (wide ? JIT_LAZY_ADD64 : JIT_LAZY_ADD32)
                                    : (wide ? JIT_LAZY_LOGIC64 : JIT_LAZY_LOGIC32);
        ft->lazy_b = form == FORM_SUB ? y : form == FORM_ADD ? in->src[1] : 0;
        if (form == FORM_SUB && !y)
            ft->lazy_imm = ~c->t[in->src[1]].value; /* a + ~imm + 1 = a - imm */
        if (ft->lazy_b && c->t[ft->lazy_b].is_const) {
            ft->lazy_imm = c->t[ft->lazy_b].value;
            ft->lazy_b = 0;
        }
    }
}

/* Pack: after SETO AL; LAHF, AX holds SF (bit 15), ZF (14), CF (8) and OF
 * (0); one multiply moves them to bits 31, 30, 29 and 28 with no overlap
 * between the partial products (2^28 + 2^21 + 2^16). RAX is written whole
 * first: SETO and LAHF only merge into it, and its old value may be the last
 * block's packed word (a dependency chain through every block). */
static void emit_pack(X64Buf *buf, FlagsForm form)
{
    x64_mov_ri(buf, RAX, 0);
    if (form == FORM_SUB)
        x64_cmc(buf);
    x64_setcc(buf, CC_O, RAX);
    x64_lahf(buf);
    x64_alu_ri(buf, ALU_AND, 4, RAX, 0xc101);
    x64_imul_rri(buf, 4, RAX, RAX, 0x10210000);
    x64_alu_ri(buf, ALU_AND, 4, RAX, (int32_t)0xf0000000u);
}

void x64_emit_flags_materializer(X64Buf *b, const JitTarget *t)
{
    static const struct {
        unsigned kind;
        X64Alu alu; /* ALU_CMP, ALU_ADD; ALU_AND stands for TEST */
        unsigned size;
    } kinds[] = {
        {JIT_LAZY_SUB32, ALU_CMP, 4}, {JIT_LAZY_SUB64, ALU_CMP, 8}, {JIT_LAZY_ADD32, ALU_ADD, 4},
        {JIT_LAZY_ADD64, ALU_ADD, 8}, {JIT_LAZY_LOGIC32, ALU_AND, 4}, {JIT_LAZY_LOGIC64, ALU_AND, 8},
    };
    int32_t lazy = (int32_t)t->lazy_flags_offset;
    X64Mem kind = x64_mem(JIT_ENV, lazy + (int32_t)offsetof(JitLazyFlags, kind));
    x64_mov_rr(b, 8, R11, RAX);
    x64_load(b, 8, false, RCX, x64_mem(JIT_ENV, lazy + (int32_t)offsetof(JitLazyFlags, a)));
    x64_load(b, 8, false, RDX, x64_mem(JIT_ENV, lazy + (int32_t)offsetof(JitLazyFlags, b)));
    size_t to_sub_pack[6], to_add_pack[6], next = 0;
    unsigned nsub = 0, nadd = 0;
    for (unsigned k = 0; k < 6; k++) {
        if (next)
            x64_patch_rel32(b->start, next, b->p);
        x64_alu_mi(b, ALU_CMP, 4, kind, (int32_t)kinds[k].kind);
        next = x64_jcc(b, CC_NE);
        if (kinds[k].alu == ALU_AND)
            x64_test_rr(b, kinds[k].size, RCX, RCX);
        else
            x64_alu_rr(b, kinds[k].alu, kinds[k].size, RCX, RDX);
        if (kinds[k].alu == ALU_CMP)
            to_sub_pack[nsub++] = x64_jmp(b);
        else
            to_add_pack[nadd++] = x64_jmp(b);
    }
    if (next) /* no known kind (none): nothing to compute */
        x64_patch_rel32(b->start, next, b->p);
    x64_mov_rr(b, 8, RAX, R11);
    x64_ret(b);
    for (unsigned k = 0; k < nsub; k++)
        if (to_sub_pack[k])
            x64_patch_rel32(b->start, to_sub_pack[k], b->p);
    x64_cmc(b); /* Arm's C after a subtraction is NOT borrow; emit_pack's own CMC comes after */
    for (unsigned k = 0; k < nadd; k++)
        if (to_add_pack[k])
            x64_patch_rel32(b->start, to_add_pack[k], b->p);
    emit_pack(b, FORM_ADD);
    x64_store(b, 4, x64_mem(JIT_ENV, (int32_t)t->nzcv_offset), RAX);
    x64_store_imm(b, 4, kind, JIT_LAZY_NONE);
    x64_mov_rr(b, 8, RAX, R11);
    x64_ret(b);
}

void x64_emit_materialize_check(X64Buf *b, const JitTarget *t, const uint8_t *rw_materializer)
{
    x64_alu_mi(b, ALU_CMP, 4, x64_mem(JIT_ENV, (int32_t)(t->lazy_flags_offset + offsetof(JitLazyFlags, kind))),
               JIT_LAZY_NONE);
    size_t skip = x64_jcc(b, CC_E);
    size_t call = x64_call_rel32(b);
    if (call)
        x64_patch_rel32(b->start, call, rw_materializer);
    if (skip)
        x64_patch_rel32(b->start, skip, b->p);
}

bool flags_overlap_nzcv(const JitTarget *t, uint64_t offset, unsigned size)
{
    return t->lazy_flags && offset < t->nzcv_offset + 4 && t->nzcv_offset < offset + size;
}

void emit_materialize_flags(JitCompiler *c)
{
    const Jit *j = c->jit;
    if (j->target->lazy_flags)
        x64_emit_materialize_check(c->buf, j->target, code_cache_rw(&j->cache, j->materialize));
}

/* Emits the flag-setting instruction of an nzcv op; returns its form. */
static FlagsForm emit_flag_setter(JitCompiler *c, const IRInsn *in)
{
    X64Buf *buf = c->buf;
    unsigned size = in->size;
    IRTemp y;
    FlagsForm form = flags_form(c, in, &y);
    X64Reg a = ra_operand(c, in->src[0], RAX);
    if (form == FORM_LOGIC) {
        x64_test_rr(buf, size, a, a);
        return form;
    }
    if (form == FORM_SUB) {
        if (y) {
            x64_alu_rr(buf, ALU_CMP, size, a, ra_operand(c, y, RCX));
        } else { /* a + ~b + 1 = a - ~b */
            uint64_t imm = ~c->t[in->src[1]].value;
            if (size == 4 || x64_fits_i32((int64_t)imm)) {
                x64_alu_ri(buf, ALU_CMP, size, a, (int32_t)imm);
            } else {
                x64_mov_ri(buf, RCX, imm);
                x64_alu_rr(buf, ALU_CMP, size, a, RCX);
            }
        }
        return form;
    }
    /* general a + b + carry, computed in RAX */
    const TempState *carry = &c->t[in->src[2]];
    X64Reg breg = ra_operand(c, in->src[1], RCX);
    X64Reg creg = carry->is_const ? X64_NOREG : ra_operand(c, in->src[2], RDX);
    x64_mov_rr(buf, 8, RAX, a);
    if (carry->is_const && !(carry->value & 1)) {
        x64_alu_rr(buf, ALU_ADD, size, RAX, breg);
    } else {
        if (carry->is_const)
            x64_stc(buf);
        else
            x64_bt_ri(buf, 4, creg, 0);
        x64_alu_rr(buf, ALU_ADC, size, RAX, breg);
    }
    return form;
}

void emit_flags(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    X64Buf *buf = c->buf;
    const IRBlock *ir = c->ir;
    IRTemp nzcv = in->dst;
    FlagsForm form = emit_flag_setter(c, in);
    /* Conditions on these flags, evaluated now while the host flags hold them
     * (allocation only emits moves, which keep the flags). */
    uint32_t folded = 0;
    for (uint32_t j = i + 1; j < ir->count && folded < c->t[nzcv].uses; j++) {
        const IRInsn *use = &ir->insns[j];
        if (use->op != IR_cond || use->src[0] != nzcv || c->t[use->dst].uses == 0)
            continue;
        int cc = cond_cc[form][use->imm & 15];
        if (cc == CC_NONE)
            continue;
        X64Reg d = ra_alloc(c, use->dst);
        if (cc == CC_NEVER || cc == CC_ALWAYS) {
            x64_mov_ri(buf, d, cc == CC_ALWAYS);
        } else {
            x64_setcc_zx(buf, (X64Cond)cc, d);
        }
        /* The value is complete: let later conditions evict it (a spill is a
         * mov, which keeps the flags), or more than ten of them run out of
         * registers. */
        c->locked &= (uint16_t)~(1u << d);
        c->insn_flags[j] |= INSN_SKIP;
        folded++;
    }
    if (c->t[nzcv].uses == folded || c->t[nzcv].lazy) /* lazy: its puts store the operands */
        return;
    emit_pack(buf, form);
    X64Reg d = ra_alloc(c, nzcv);
    x64_mov_rr(buf, 4, d, RAX);
}

/* cond over a packed NZCV word: bit (NZCV >> 28) of a 16-bit truth table. */
void emit_cond_from_nzcv(JitCompiler *c, const IRInsn *in)
{
    X64Buf *buf = c->buf;
    uint32_t table = 0;
    for (unsigned v = 0; v < 16; v++)
        table |= (uint32_t)ir_condition_holds((unsigned)in->imm & 15, (uint64_t)v << 28) << v;
    X64Reg d = ra_alloc(c, in->dst);
    X64Reg nzcv = ra_operand(c, in->src[0], RCX);
    x64_mov_rr(buf, 4, RCX, nzcv);
    x64_shift_ri(buf, SH_SHR, 4, RCX, 28);
    x64_mov_ri(buf, RAX, table);
    x64_bt_rr(buf, 4, RAX, RCX);
    x64_setcc_zx(buf, CC_B, d);
}
