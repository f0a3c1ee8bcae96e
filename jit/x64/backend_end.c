/* Block entry (budget check) and block ends: chainable direct jumps, lookups
 * for everything else, and the stubs that return to the run loop. */
#include "jit/x64/backend_internal.h"

#include <stddef.h>

#include "trace/log.h"

void emit_prologue(JitCompiler *c)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    x64_alu_rm(buf, ALU_CMP, 8, JIT_ICOUNT, env_mem(t->icount_limit_offset));
    c->budget_field = x64_jcc(buf, CC_AE);
    x64_alu_ri(buf, ALU_ADD, 8, JIT_ICOUNT, (int32_t)c->tb->ninsns);
    if (c->jit->instrument)
        x64_inc_m(buf, env_mem(t->counters_offset + offsetof(JitCounters, block_entries)));
}

/* Jumps to the block at the pc in env when the jump cache has a compiled
 * block for it with the flags the exit wants (mask 0: this block's flags,
 * which change only through the run loop; else flags under mask, as an IR
 * goto_ptr gives them), else to the shared tail that calls JitTarget.lookup.
 * pc_reg holds the pc, or is X64_NOREG for the constant pc. */
static void emit_lookup(JitCompiler *c, X64Reg pc_reg, uint64_t pc, uint32_t flags, uint32_t mask)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    int32_t table = (int32_t)t->jmp_cache_offset;
    if (pc_reg == X64_NOREG) {
        x64_load(buf, 8, false, RAX, env_mem(table + 8 * tb_jmp_cache_index(pc)));
        x64_mov_ri(buf, RDX, pc);
    } else { /* index = (pc >> 2 ^ pc >> (2 + bits)) & (size - 1), as tb_jmp_cache_index */
        x64_mov_rr(buf, 8, RDX, pc_reg);
        x64_mov_rr(buf, 8, RCX, pc_reg);
        x64_shift_ri(buf, SH_SHR, 8, RCX, 2);
        x64_mov_rr(buf, 8, RAX, RCX);
        x64_shift_ri(buf, SH_SHR, 8, RAX, TB_JMP_CACHE_BITS);
        x64_alu_rr(buf, ALU_XOR, 4, RCX, RAX);
        x64_alu_ri(buf, ALU_AND, 4, RCX, (1 << TB_JMP_CACHE_BITS) - 1);
        x64_load(buf, 8, false, RAX, x64_mem_idx(JIT_ENV, RCX, 8, table));
    }
    x64_test_rr(buf, 8, RAX, RAX);
    size_t miss1 = x64_jcc(buf, CC_E);
    x64_alu_rm(buf, ALU_CMP, 8, RDX, x64_mem(RAX, offsetof(TB, vpc)));
    size_t miss2 = x64_jcc(buf, CC_NE);
    if (mask == 0 || mask == ~0u) {
        x64_alu_mi(buf, ALU_CMP, 4, x64_mem(RAX, offsetof(TB, flags)), (int32_t)(mask ? flags : c->tb->flags));
    } else {
        x64_load(buf, 4, false, RCX, x64_mem(RAX, offsetof(TB, flags)));
        x64_alu_ri(buf, ALU_AND, 4, RCX, (int32_t)mask);
        x64_alu_ri(buf, ALU_CMP, 4, RCX, (int32_t)(flags & mask));
    }
    size_t miss3 = x64_jcc(buf, CC_NE);
    x64_load(buf, 8, false, RAX, x64_mem(RAX, offsetof(TB, code)));
    x64_test_rr(buf, 8, RAX, RAX);
    size_t miss4 = x64_jcc(buf, CC_E);
    if (c->jit->instrument) {
        x64_inc_m(buf, env_mem(t->counters_offset + offsetof(JitCounters, lookups)));
        x64_inc_m(buf, env_mem(t->counters_offset + offsetof(JitCounters, lookup_hits)));
    }
    x64_jmp_r(buf, RAX);
    patch_here(c, miss1);
    patch_here(c, miss2);
    patch_here(c, miss3);
    patch_here(c, miss4);
    x64_store(buf, 8, env_mem(t->ir.pc_offset), RDX);
    emit_jmp_to(c, c->jit->ptr_tail);
}

/* Leaves the block for guest pc: a patchable jump when the target is in the
 * block's own virtual page (its mapping cannot change without this block's
 * changing too), else a lookup. */
static void emit_exit_to(JitCompiler *c, uint64_t pc)
{
    unsigned page_bits = c->jit->target->page_bits;
    if (((pc ^ c->tb->vpc) >> page_bits) == 0 && c->nexits < 2) {
        size_t field = x64_jmp(c->buf);
        c->exits[c->nexits] = (BlockExit){field, pc, (int)c->nexits};
        c->tb->jmp[c->nexits].rel_off = (uint32_t)field;
        c->nexits++;
        return;
    }
    emit_lookup(c, X64_NOREG, pc, 0, 0);
}

void emit_block_end(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    (void)i;
    X64Buf *buf = c->buf;
    ra_flush_all(c); /* moves only: the flags of a fused compare survive */
    switch ((IROp)in->op) {
    case IR_goto_tb:
        emit_exit_to(c, in->imm);
        break;
    case IR_goto_cond: {
        const IRInsn *def = &c->ir->insns[c->t[in->src[0]].def];
        X64Cond cc;
        if (def->op == IR_setcond && (c->insn_flags[c->t[in->src[0]].def] & INSN_FUSED)) {
            cc = emit_compare(c, def);
        } else {
            X64Reg r = ra_operand(c, in->src[0], RCX);
            x64_test_rr(buf, 8, r, r);
            cc = CC_NE;
        }
        size_t to_taken = x64_jcc(buf, cc);
        emit_exit_to(c, in->imm2);
        patch_here(c, to_taken);
        emit_exit_to(c, in->imm);
        break;
    }
    case IR_goto_ptr: {
        emit_lookup(c, ra_operand(c, in->src[0], RDX), 0, (uint32_t)in->imm, (uint32_t)in->imm2);
        break;
    }
    case IR_exit:
        emit_jmp_to(c, c->jit->exit_zero);
        break;
    default:
        nestor_bug("emit_block_end: op %u", in->op);
    }
}

void emit_stubs(JitCompiler *c)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    /* budget exhausted or exit requested: nothing of the block ran */
    patch_here(c, c->budget_field);
    emit_store_u64(c, t->ir.pc_offset, c->tb->vpc);
    emit_jmp_to(c, c->jit->exit_zero);
    for (unsigned k = 0; k < c->nexits; k++) {
        const BlockExit *e = &c->exits[k];
        patch_here(c, e->field);
        c->tb->jmp[e->slot].stub_off = (uint32_t)x64_offset(buf);
        emit_store_u64(c, t->ir.pc_offset, e->pc);
        x64_mov_ri(buf, RAX, (uint64_t)(uintptr_t)c->tb | (unsigned)e->slot);
        emit_jmp_to(c, c->jit->epilogue);
    }
    emit_slow_stubs(c);
}
