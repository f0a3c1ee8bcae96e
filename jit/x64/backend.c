/* IR -> x86-64 for one block: arithmetic, flags, calls and block ends. Memory
 * accesses are in backend_mem.c, register allocation in regalloc.c. */
#include "jit/x64/backend.h"

#include <stdlib.h>
#include <string.h>

#include "jit/x64/backend_internal.h"
#include "trace/log.h"

JitCompiler *x64_compiler_new(void)
{
    JitCompiler *c = calloc(1, sizeof *c);
    if (!c)
        nestor_fatal("out of memory creating the JIT");
    /* the compiler's host-feature query, as fpu/fast.c asks it */
    c->sse41 = __builtin_cpu_supports("sse4.1");
    c->sse42 = __builtin_cpu_supports("sse4.2");
    c->fma = __builtin_cpu_supports("fma");
    return c;
}

void x64_compiler_free(JitCompiler *c)
{
    if (!c)
        return;
    free(c->t);
    free(c->insn_flags);
    free(c->calls_before);
    free(c->stubs);
    free(c->frozen);
    free(c);
}

/* ---- small emission helpers ---- */

void emit_jmp_to(JitCompiler *c, const uint8_t *rx_target)
{
    size_t field = x64_jmp(c->buf);
    if (field)
        x64_patch_rel32(c->buf->start, field, code_cache_rw(&c->jit->cache, rx_target));
}

void emit_store_u64(JitCompiler *c, size_t offset, uint64_t v)
{
    ra_store_loc(c, (Loc){.kind = LOC_CONST, .imm = v}, (uint32_t)offset, 8);
}

/* pc, icount_undo and icount of the current instruction, for anything that
 * may fault or read them. */
void emit_sync_pc(JitCompiler *c)
{
    const JitTarget *t = c->jit->target;
    emit_store_u64(c, t->ir.pc_offset, c->cur_pc);
    x64_store_imm(c->buf, 4, env_mem(t->ir.undo_offset), (int32_t)c->cur_undo);
    x64_store(c->buf, 8, env_mem(t->icount_offset), JIT_ICOUNT);
}

void patch_here(JitCompiler *c, size_t field)
{
    if (field)
        x64_patch_rel32(c->buf->start, field, c->buf->p);
}

static bool is_const(const JitCompiler *c, IRTemp t) { return c->t[t].is_const; }
static uint64_t const_of(const JitCompiler *c, IRTemp t) { return c->t[t].value; }

/* An immediate usable as a size-byte ALU operand. */
static bool imm_ok(const JitCompiler *c, IRTemp t, unsigned size)
{
    return is_const(c, t) && (size == 4 || x64_fits_i32((int64_t)const_of(c, t)));
}

/* dst = a, in dst's own register (taking a's register over when a dies here). */
static X64Reg dst_from(JitCompiler *c, IRTemp dst, IRTemp a, unsigned size, uint32_t i)
{
    if (ra_take_over(c, dst, a, i))
        return (X64Reg)c->t[dst].reg;
    X64Reg a_reg = ra_operand(c, a, RAX);
    X64Reg d = ra_alloc(c, dst);
    x64_mov_rr(c->buf, size == 8 ? 8 : 4, d, a_reg);
    return d;
}

/* ---- arithmetic ---- */

static void emit_binop(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    static const X64Alu alu[IR_OP_COUNT] = {[IR_add] = ALU_ADD, [IR_sub] = ALU_SUB, [IR_and] = ALU_AND,
                                            [IR_or] = ALU_OR, [IR_xor] = ALU_XOR};
    unsigned size = in->size;
    IRTemp a = in->src[0], b = in->src[1];
    X64Buf *buf = c->buf;
    if (c->insn_flags[i] & (INSN_SCALED0 | INSN_SCALED1)) { /* regalloc.c, mark_scaled_adds */
        unsigned k = c->insn_flags[i] & INSN_SCALED1 ? 1 : 0;
        const IRInsn *shl = &c->ir->insns[c->t[in->src[k]].def];
        X64Reg base = ra_operand(c, in->src[1 - k], RAX);
        X64Reg index = ra_operand(c, shl->src[0], RCX);
        X64Reg d = ra_alloc(c, in->dst);
        x64_lea(buf, size, d, x64_mem_idx(base, index, (uint8_t)(1u << const_of(c, shl->src[1])), 0));
        return;
    }
    if (in->op == IR_add && c->t[a].reg != X64_NOREG && c->t[a].last_use > i && (imm_ok(c, b, size) || c->t[b].reg != X64_NOREG)) {
        /* three-operand add without disturbing a */
        X64Reg a_reg = ra_operand(c, a, RAX);
        X64Mem m = imm_ok(c, b, size) ? x64_mem(a_reg, (int32_t)const_of(c, b))
                                      : x64_mem_idx(a_reg, ra_operand(c, b, RCX), 1, 0);
        X64Reg d = ra_alloc(c, in->dst);
        x64_lea(buf, size, d, m);
        return;
    }
    X64Reg b_reg = X64_NOREG;
    if (!imm_ok(c, b, size))
        b_reg = ra_operand(c, b, RCX);
    X64Reg d = dst_from(c, in->dst, a, size, i);
    if (in->op == IR_mul) {
        if (b_reg == X64_NOREG)
            x64_imul_rri(buf, size, d, d, (int32_t)const_of(c, b));
        else
            x64_imul_rr(buf, size, d, b_reg);
    } else if (b_reg == X64_NOREG) {
        x64_alu_ri(buf, alu[in->op], size, d, (int32_t)const_of(c, b));
    } else {
        x64_alu_rr(buf, alu[in->op], size, d, b_reg);
    }
}

static void emit_mulh(JitCompiler *c, const IRInsn *in)
{
    ra_load_into(c, in->src[0], RAX);
    X64Reg b = ra_operand(c, in->src[1], RCX);
    x64_unary(c->buf, in->op == IR_umulh ? U_MUL : U_IMUL, 8, b);
    X64Reg d = ra_alloc(c, in->dst);
    /* the high half of the 64-bit product whatever the size; a 4-byte op
     * keeps its low 32 bits (ir_eval.c) */
    x64_mov_rr(c->buf, in->size == 8 ? 8 : 4, d, RDX);
}

/* Arm division: x / 0 = 0; signed MIN / -1 = MIN (x86 would trap on both). */
static void emit_div(JitCompiler *c, const IRInsn *in)
{
    X64Buf *buf = c->buf;
    unsigned size = in->size;
    bool is_signed = in->op == IR_sdiv;
    X64Reg d = ra_alloc(c, in->dst);
    ra_load_into(c, in->src[0], RAX);
    ra_load_into(c, in->src[1], RCX);
    x64_test_rr(buf, size, RCX, RCX);
    size_t to_zero = x64_jcc(buf, CC_E);
    size_t to_neg = 0;
    if (is_signed) {
        x64_alu_ri(buf, ALU_CMP, size, RCX, -1);
        to_neg = x64_jcc(buf, CC_E);
        x64_cqo(buf, size);
        x64_unary(buf, U_IDIV, size, RCX);
    } else {
        x64_alu_rr(buf, ALU_XOR, 4, RDX, RDX);
        x64_unary(buf, U_DIV, size, RCX);
    }
    size_t to_done = x64_jmp(buf);
    patch_here(c, to_zero);
    x64_alu_rr(buf, ALU_XOR, 4, RAX, RAX);
    size_t to_done2 = 0;
    if (is_signed) {
        to_done2 = x64_jmp(buf);
        patch_here(c, to_neg);
        x64_unary(buf, U_NEG, size, RAX);
    }
    patch_here(c, to_done);
    patch_here(c, to_done2);
    x64_mov_rr(buf, size == 8 ? 8 : 4, d, RAX);
}

static void emit_shift(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    static const X64Shift sh[IR_OP_COUNT] = {[IR_shl] = SH_SHL, [IR_shr] = SH_SHR, [IR_sar] = SH_SAR, [IR_ror] = SH_ROR};
    unsigned size = in->size, bits = size * 8;
    IRTemp b = in->src[1];
    if (is_const(c, b)) {
        unsigned amount = (unsigned)const_of(c, b) & (bits - 1);
        X64Reg d = dst_from(c, in->dst, in->src[0], size, i);
        if (amount)
            x64_shift_ri(c->buf, sh[in->op], size, d, (uint8_t)amount);
        else if (size == 4)
            x64_mov_rr(c->buf, 4, d, d);
        return;
    }
    ra_load_into(c, b, RCX);
    X64Reg d = dst_from(c, in->dst, in->src[0], size, i);
    x64_shift_rcl(c->buf, sh[in->op], size, d); /* x86 masks the count to the width, as the IR */
}

static void emit_unary(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    X64Reg d = dst_from(c, in->dst, in->src[0], in->size, i);
    switch (in->op) {
    case IR_neg: x64_unary(c->buf, U_NEG, in->size, d); break;
    case IR_not: x64_unary(c->buf, U_NOT, in->size, d); break;
    case IR_bswap: x64_bswap(c->buf, in->size, d); break;
    default: nestor_bug("emit_unary: op %u", in->op);
    }
}

static void emit_clz(JitCompiler *c, const IRInsn *in)
{
    X64Buf *buf = c->buf;
    unsigned size = in->size;
    X64Reg a = ra_operand(c, in->src[0], RDX);
    X64Reg d = ra_alloc(c, in->dst);
    x64_mov_ri(buf, RCX, 0xffffffffu); /* bsr of 0: index -1 gives clz = width */
    x64_bsr(buf, size, RAX, a);
    x64_cmov(buf, CC_E, 4, RAX, RCX);
    x64_mov_ri(buf, d, size * 8 - 1);
    x64_alu_rr(buf, ALU_SUB, 4, d, RAX);
}

/* Bit reversal: byte swap, then swap nibbles, bit pairs and bits. */
static void emit_rbit(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    static const uint64_t masks[3] = {0x0f0f0f0f0f0f0f0full, 0x3333333333333333ull, 0x5555555555555555ull};
    X64Buf *buf = c->buf;
    unsigned size = in->size;
    X64Reg d = dst_from(c, in->dst, in->src[0], size, i);
    x64_bswap(buf, size, d);
    for (unsigned k = 0; k < 3; k++) {
        unsigned shift = 4u >> k;
        x64_mov_ri(buf, RDX, size == 8 ? masks[k] : (uint32_t)masks[k]);
        x64_mov_rr(buf, size, RAX, d);
        x64_shift_ri(buf, SH_SHR, size, RAX, (uint8_t)shift);
        x64_alu_rr(buf, ALU_AND, size, RAX, RDX); /* (v >> s) & m */
        x64_alu_rr(buf, ALU_AND, size, d, RDX);
        x64_shift_ri(buf, SH_SHL, size, d, (uint8_t)shift); /* (v & m) << s */
        x64_alu_rr(buf, ALU_OR, size, d, RAX);
    }
}

static void emit_ext(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    X64Buf *buf = c->buf;
    unsigned size = in->size, bits = (unsigned)in->imm;
    bool sign = in->op == IR_sext;
    if (bits >= size * 8) { /* nothing to extend: a move at the op's width */
        X64Reg d = dst_from(c, in->dst, in->src[0], size, i);
        if (size == 4)
            x64_mov_rr(buf, 4, d, d);
        return;
    }
    X64Reg a = ra_operand(c, in->src[0], RAX);
    X64Reg d = ra_alloc(c, in->dst);
    if (bits == 8 || bits == 16 || bits == 32) {
        if (sign)
            x64_movsx(buf, size, bits / 8, d, a);
        else if (bits == 8)
            x64_movzx8(buf, d, a);
        else if (bits == 16)
            x64_movzx16(buf, d, a);
        else
            x64_mov_rr(buf, 4, d, a);
        return;
    }
    x64_mov_rr(buf, 8, d, a);
    if (sign) {
        x64_shift_ri(buf, SH_SHL, 8, d, (uint8_t)(64 - bits));
        x64_shift_ri(buf, SH_SAR, 8, d, (uint8_t)(64 - bits));
        if (size == 4)
            x64_mov_rr(buf, 4, d, d);
    } else {
        x64_shift_ri(buf, SH_SHL, 8, d, (uint8_t)(64 - bits));
        x64_shift_ri(buf, SH_SHR, 8, d, (uint8_t)(64 - bits));
    }
}

static const X64Cond setcond_cc[] = {
    [IRC_EQ] = CC_E, [IRC_NE] = CC_NE, [IRC_LTU] = CC_B, [IRC_GEU] = CC_AE, [IRC_LEU] = CC_BE,
    [IRC_GTU] = CC_A, [IRC_LTS] = CC_L, [IRC_GES] = CC_GE, [IRC_LES] = CC_LE, [IRC_GTS] = CC_G,
};

/* cmp a, b at the op's size; returns the x86 condition of the IRCond. */
X64Cond emit_compare(JitCompiler *c, const IRInsn *in)
{
    X64Reg a = ra_operand(c, in->src[0], RCX);
    if (imm_ok(c, in->src[1], in->size))
        x64_alu_ri(c->buf, ALU_CMP, in->size, a, (int32_t)const_of(c, in->src[1]));
    else
        x64_alu_rr(c->buf, ALU_CMP, in->size, a, ra_operand(c, in->src[1], RDX));
    return setcond_cc[in->imm];
}

static void emit_setcond(JitCompiler *c, const IRInsn *in)
{
    X64Reg d = ra_alloc(c, in->dst);
    X64Cond cc = emit_compare(c, in);
    x64_setcc_zx(c->buf, cc, d);
}

static void emit_select(JitCompiler *c, const IRInsn *in)
{
    X64Reg d = ra_alloc(c, in->dst);
    X64Reg cond = ra_operand(c, in->src[0], RAX);
    X64Reg if_true = ra_operand(c, in->src[1], RCX);
    ra_load_into(c, in->src[2], d);
    x64_test_rr(c->buf, 8, cond, cond); /* the condition is tested on all 64 bits, whatever the size */
    /* a 4-byte select zero-extends its result: a 32-bit cmov clears the upper
     * half whether it moves or not */
    x64_cmov(c->buf, CC_NE, in->size == 8 ? 8 : 4, d, if_true);
}

/* A call to a helper: guest state must be in env, and the helper may clobber
 * every caller-saved register. */
static void emit_call(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    X64Buf *buf = c->buf;
    if (in->op == IR_call) { /* a pure helper (callp) needs none of this */
        ra_flush_all(c);
        emit_materialize_flags(c);
        emit_sync_pc(c);
    }
    ra_spill_caller_saved(c, i);
    ra_load_into(c, in->src[0], R11);
    ra_load_into(c, in->src[1], RAX);
    ra_load_into(c, in->src[2], RCX);
    x64_mov_rr(buf, 8, RSI, R11);
    x64_mov_rr(buf, 8, RDX, RAX);
    x64_mov_rr(buf, 8, RDI, JIT_ENV);
    x64_mov_ri(buf, RAX, in->imm);
    x64_call_r(buf, RAX);
    /* the arguments' registers were clobbered: forget temps dying here */
    ra_release_dead(c, in, i);
    X64Reg d = ra_alloc(c, in->dst);
    x64_mov_rr(buf, 8, d, RAX);
}

/* ---- dispatch ---- */

static void emit_op(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    switch ((IROp)in->op) {
    case IR_movi: break; /* a constant: materialised where used */
    case IR_mov: {
        X64Reg d = dst_from(c, in->dst, in->src[0], in->size, i);
        if (in->size == 4) /* zero-extends, also when d took over the source's register */
            x64_mov_rr(c->buf, 4, d, d);
        break;
    }
    case IR_get: {
        ra_flush_overlapping(c, (uint32_t)in->imm, in->size);
        if (flags_overlap_nzcv(c->jit->target, in->imm, in->size))
            emit_materialize_flags(c);
        X64Reg d = ra_alloc(c, in->dst);
        x64_load(c->buf, in->size, false, d, env_mem(in->imm));
        break;
    }
    case IR_put: ra_put(c, in); break;
    case IR_add: case IR_sub: case IR_and: case IR_or: case IR_xor: case IR_mul: emit_binop(c, in, i); break;
    case IR_umulh: case IR_smulh: emit_mulh(c, in); break;
    case IR_udiv: case IR_sdiv: emit_div(c, in); break;
    case IR_shl: case IR_shr: case IR_sar: case IR_ror: emit_shift(c, in, i); break;
    case IR_neg: case IR_not: case IR_bswap: emit_unary(c, in, i); break;
    case IR_clz: emit_clz(c, in); break;
    case IR_rbit: emit_rbit(c, in, i); break;
    case IR_sext: case IR_zext: emit_ext(c, in, i); break;
    case IR_setcond:
        if (!(c->insn_flags[i] & INSN_FUSED))
            emit_setcond(c, in);
        break;
    case IR_select: emit_select(c, in); break;
    case IR_nzcv_adc: case IR_nzcv_logic: emit_flags(c, in, i); break;
    case IR_cond: emit_cond_from_nzcv(c, in); break;
    case IR_ld: case IR_st: emit_memory(c, in, i); break;
    case IR_call: case IR_callp: emit_call(c, in, i); break;
    case IR_vec: emit_vec(c, in, i); break;
    case IR_insn_start:
        c->cur_pc = in->imm;
        c->cur_undo = (uint32_t)in->imm2;
        break;
    case IR_goto_tb: case IR_goto_cond: case IR_goto_ptr: case IR_exit: emit_block_end(c, in, i); break;
    case IR_OP_COUNT: nestor_bug("bad IR op");
    }
}

JitResult x64_compile_block(JitCompiler *c, const Jit *j, TB *tb, const IRBlock *ir, const void *env, X64Buf *buf)
{
    c->jit = j;
    c->ir = ir;
    c->buf = buf;
    c->env = env;
    c->tb = tb;
    c->nstubs = c->nfrozen = 0;
    c->next_slot = 0;
    c->failed = false;
    c->locked = 0;
    c->nexits = 0;
    memset(c->reg_temp, 0, sizeof c->reg_temp);
    c->occupied = 0;
    memset(tb->jmp, 0, sizeof tb->jmp);
    if (!regalloc_prepare(c))
        return JIT_UNSUPPORTED;
    emit_prologue(c);
    for (uint32_t i = 0; i < ir->count && !buf->overflow && !c->failed; i++) {
        const IRInsn *in = &ir->insns[i];
        const IROpInfo *info = &ir_op_info[in->op];
        bool dead = info->has_dst && !(info->props & P_SIDE) && c->t[in->dst].uses == 0;
        if (!(c->insn_flags[i] & INSN_SKIP) && !dead)
            emit_op(c, in, i);
        else if (in->op == IR_get) /* the liveness pre-pass counted it as an observer */
            ra_flush_overlapping(c, (uint32_t)in->imm, in->size);
        ra_release_dead(c, in, i);
    }
    emit_stubs(c);
    if (buf->overflow)
        return JIT_CACHE_FULL;
    return c->failed ? JIT_UNSUPPORTED : JIT_OK;
}
