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

/* Emits the flag-setting instruction of an nzcv op; returns its form. */
static FlagsForm emit_flag_setter(JitCompiler *c, const IRInsn *in)
{
    X64Buf *buf = c->buf;
    unsigned size = in->size;
    if (in->op == IR_nzcv_logic) {
        X64Reg a = ra_operand(c, in->src[0], RAX);
        x64_test_rr(buf, size, a, a);
        return FORM_LOGIC;
    }
    const TempState *b = &c->t[in->src[1]], *carry = &c->t[in->src[2]];
    X64Reg a = ra_operand(c, in->src[0], RAX);
    if (carry->is_const && (carry->value & 1)) {
        const IRInsn *bdef = &c->ir->insns[b->def];
        if (b->is_const) { /* a + ~y + 1 = a - y */
            uint64_t y = ~b->value;
            if (size == 4 || x64_fits_i32((int64_t)y)) {
                x64_alu_ri(buf, ALU_CMP, size, a, (int32_t)y);
            } else {
                x64_mov_ri(buf, RCX, y);
                x64_alu_rr(buf, ALU_CMP, size, a, RCX);
            }
            return FORM_SUB;
        }
        if (bdef->op == IR_not && bdef->size >= size) {
            x64_alu_rr(buf, ALU_CMP, size, a, ra_operand(c, bdef->src[0], RCX));
            return FORM_SUB;
        }
    }
    /* general a + b + carry, computed in RAX */
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
    return FORM_ADD;
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
    if (c->t[nzcv].uses == folded)
        return;
    /* Pack: after SETO AL; LAHF, AX holds SF (bit 15), ZF (14), CF (8) and OF
     * (0); one multiply moves them to bits 31, 30, 29 and 28 with no overlap
     * between the partial products (2^28 + 2^21 + 2^16). RAX is written
     * whole first: SETO and LAHF only merge into it, and its old value may be
     * the last block's packed word (a dependency chain through every block). */
    x64_mov_ri(buf, RAX, 0);
    if (form == FORM_SUB)
        x64_cmc(buf);
    x64_setcc(buf, CC_O, RAX);
    x64_lahf(buf);
    x64_alu_ri(buf, ALU_AND, 4, RAX, 0xc101);
    x64_imul_rri(buf, 4, RAX, RAX, 0x10210000);
    x64_alu_ri(buf, ALU_AND, 4, RAX, (int32_t)0xf0000000u);
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
