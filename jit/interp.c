/* The IR interpreter: the reference engine. Its op semantics (with those of
 * ir_eval_pure for the ops that reach neither env nor memory) define the IR;
 * the x86-64 backend must agree with it bit for bit. */
#include <string.h>

#include "jit/ir.h"
#include "jit/ir_vec.h"
#include "trace/log.h"

static uint64_t env_get(const void *env, size_t off, unsigned size)
{
    const char *p = (const char *)env + off;
    switch (size) {
    case 1: { uint8_t v; memcpy(&v, p, 1); return v; }
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static void env_put(void *env, size_t off, unsigned size, uint64_t v)
{
    char *p = (char *)env + off;
    switch (size) {
    case 1: { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); break; }
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

uint64_t ir_interpret(const IRBlock *blk, void *env, const IRTarget *target)
{
    uint64_t t[blk->ntemps + 1];
    uint64_t next_pc;
    t[0] = 0;
    for (uint32_t i = 0; i < blk->count; i++) {
        const IRInsn *in = &blk->insns[i];
        unsigned sz = in->size;
        const uint64_t src[3] = {t[in->src[0]], t[in->src[1]], t[in->src[2]]};
        uint64_t a = src[0], b = src[1], c = src[2];
        uint64_t r = 0;
        if (ir_eval_pure(in, src, &r)) {
            t[in->dst] = r;
            continue;
        }
        switch ((IROp)in->op) {
        case IR_get:
            /* The passes rely on this (ir.h): only insn_start, terminators and
             * helpers may change the pc slot behind a get's back. */
            if (in->imm < target->pc_offset + 8 && target->pc_offset < in->imm + sz)
                nestor_bug("IR get of %u bytes at %#llx reads the guest pc", sz, (unsigned long long)in->imm);
            r = env_get(env, in->imm, sz);
            break;
        case IR_put: env_put(env, in->imm, sz, a); continue;
        /* ld's size is the access size: the callback already extended the
         * value as IRM_SIGNED asks. */
        case IR_ld: t[in->dst] = target->load(env, a, sz, in->flags, in->imm); continue;
        case IR_st: target->store(env, a, b, sz, in->flags, in->imm); continue;
        case IR_call: case IR_callp: r = ((IRHelper)(uintptr_t)in->imm)(env, a, b, c); break;
        case IR_vec: ir_vec_exec(env, in->imm, in->imm2); continue;
        case IR_insn_start:
            env_put(env, target->pc_offset, 8, in->imm);
            env_put(env, target->undo_offset, 4, in->imm2);
            continue;
        case IR_goto_tb: next_pc = in->imm; goto end;
        case IR_goto_cond: next_pc = a ? in->imm : in->imm2; goto end;
        case IR_goto_ptr: next_pc = a; goto end;
        case IR_exit: return env_get(env, target->pc_offset, 8);
        default: nestor_bug("IR op %u unknown to the interpreter", in->op);
        }
        t[in->dst] = sz == 4 ? (uint32_t)r : r; /* a 4-byte op zero-extends its result */
    }
    nestor_bug("IR block without a terminator");
end:
    env_put(env, target->pc_offset, 8, next_pc);
    return next_pc;
}
