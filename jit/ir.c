/* IR op table and builder. */
#include "jit/ir.h"

#include <stdlib.h>
#include <string.h>

#include "trace/log.h"

const IROpInfo ir_op_info[IR_OP_COUNT] = {
#define IROP(name, nsrc, has_dst, props) [IR_##name] = {#name, nsrc, has_dst, props},
#include "jit/ir_ops.def"
#undef IROP
};

void ir_block_init(IRBlock *b) { memset(b, 0, sizeof *b); }

void ir_block_free(IRBlock *b)
{
    free(b->insns);
    ir_block_init(b);
}

void ir_block_reset(IRBlock *b)
{
    b->count = 0;
    b->ntemps = 0;
}

IRTemp ir_emit(IRBlock *b, IROp op, unsigned size, unsigned flags, IRTemp a, IRTemp b_, IRTemp c,
               uint64_t imm, uint64_t imm2)
{
    if (b->count == b->capacity) {
        b->capacity = b->capacity ? b->capacity * 2 : 64;
        b->insns = realloc(b->insns, b->capacity * sizeof *b->insns);
        if (!b->insns)
            nestor_fatal("out of memory growing an IR block");
    }
    IRTemp dst = ir_op_info[op].has_dst ? ++b->ntemps : 0;
    b->insns[b->count++] = (IRInsn){.op = op, .size = size, .flags = flags, .dst = dst,
                                    .src = {a, b_, c}, .imm = imm, .imm2 = imm2};
    return dst;
}

IRTemp ir_movi(IRBlock *b, uint64_t imm) { return ir_emit(b, IR_movi, 8, 0, 0, 0, 0, imm, 0); }
IRTemp ir_get(IRBlock *b, unsigned size, size_t offset) { return ir_emit(b, IR_get, size, 0, 0, 0, 0, offset, 0); }
void ir_put(IRBlock *b, unsigned size, size_t offset, IRTemp v) { ir_emit(b, IR_put, size, 0, v, 0, 0, offset, 0); }
IRTemp ir_op1(IRBlock *b, IROp op, unsigned size, IRTemp a) { return ir_emit(b, op, size, 0, a, 0, 0, 0, 0); }
IRTemp ir_op2(IRBlock *b, IROp op, unsigned size, IRTemp a, IRTemp c) { return ir_emit(b, op, size, 0, a, c, 0, 0, 0); }

IRTemp ir_opi(IRBlock *b, IROp op, unsigned size, IRTemp a, uint64_t imm)
{
    return ir_op2(b, op, size, a, ir_movi(b, imm));
}

IRTemp ir_ext(IRBlock *b, bool is_signed, unsigned size, IRTemp a, unsigned from_bits)
{
    return ir_emit(b, is_signed ? IR_sext : IR_zext, size, 0, a, 0, 0, from_bits, 0);
}

IRTemp ir_setcond(IRBlock *b, IRCond c, unsigned size, IRTemp a, IRTemp x)
{
    return ir_emit(b, IR_setcond, size, 0, a, x, 0, c, 0);
}

IRTemp ir_select(IRBlock *b, IRTemp cond, IRTemp if_true, IRTemp if_false)
{
    return ir_emit(b, IR_select, 8, 0, cond, if_true, if_false, 0, 0);
}

IRTemp ir_nzcv_adc(IRBlock *b, unsigned size, IRTemp a, IRTemp x, IRTemp carry)
{
    return ir_emit(b, IR_nzcv_adc, size, 0, a, x, carry, 0, 0);
}

IRTemp ir_nzcv_logic(IRBlock *b, unsigned size, IRTemp result) { return ir_emit(b, IR_nzcv_logic, size, 0, result, 0, 0, 0, 0); }
IRTemp ir_cond(IRBlock *b, unsigned a64_cond, IRTemp nzcv) { return ir_emit(b, IR_cond, 8, 0, nzcv, 0, 0, a64_cond, 0); }

IRTemp ir_ld(IRBlock *b, unsigned size, unsigned flags, IRTemp addr, uint64_t syndrome)
{
    return ir_emit(b, IR_ld, size, flags, addr, 0, 0, syndrome, 0);
}

void ir_st(IRBlock *b, unsigned size, unsigned flags, IRTemp addr, IRTemp value, uint64_t syndrome)
{
    ir_emit(b, IR_st, size, flags, addr, value, 0, syndrome, 0);
}

IRTemp ir_call(IRBlock *b, IRHelper fn, IRTemp a, IRTemp x, IRTemp c)
{
    return ir_emit(b, IR_call, 8, 0, a, x, c, (uint64_t)(uintptr_t)fn, 0);
}

IRTemp ir_callp(IRBlock *b, IRHelper fn, IRTemp a, IRTemp x, IRTemp c)
{
    return ir_emit(b, IR_callp, 8, 0, a, x, c, (uint64_t)(uintptr_t)fn, 0);
}

void ir_vec(IRBlock *b, uint64_t imm, uint64_t imm2) { ir_emit(b, IR_vec, 16, 0, 0, 0, 0, imm, imm2); }

void ir_insn_start(IRBlock *b, uint64_t pc) { ir_emit(b, IR_insn_start, 8, 0, 0, 0, 0, pc, 0); }
void ir_number_insns(IRBlock *b, uint32_t ninsns)
{
    uint32_t seen = 0;
    for (uint32_t i = 0; i < b->count; i++)
        if (b->insns[i].op == IR_insn_start)
            b->insns[i].imm2 = ninsns - ++seen;
}

void ir_goto_tb(IRBlock *b, uint64_t pc) { ir_emit(b, IR_goto_tb, 8, 0, 0, 0, 0, pc, 0); }
void ir_goto_cond(IRBlock *b, IRTemp cond, uint64_t t, uint64_t f) { ir_emit(b, IR_goto_cond, 8, 0, cond, 0, 0, t, f); }
void ir_goto_ptr(IRBlock *b, IRTemp pc) { ir_emit(b, IR_goto_ptr, 8, 0, pc, 0, 0, 0, 0); }
void ir_goto_ptr_flags(IRBlock *b, IRTemp pc, uint32_t flags, uint32_t mask)
{
    ir_emit(b, IR_goto_ptr, 8, 0, pc, 0, 0, flags & mask, mask);
}
void ir_exit(IRBlock *b) { ir_emit(b, IR_exit, 8, 0, 0, 0, 0, 0, 0); }
