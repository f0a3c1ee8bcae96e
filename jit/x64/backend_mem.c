/* Guest memory accesses: the inline soft-TLB fast path (DESIGN.md §3) and its
 * out-of-line slow path, which writes the pending guest state, pc and
 * icount_undo (the fault contract) and calls the target's load/store. */
#include <stddef.h>
#include <stdlib.h>

#include "jit/x64/backend_internal.h"
#include "trace/log.h"

/* RDX = the current table of mmu index idx (a scratch register: it survives
 * until the access, and into the site-miss path). */
static void emit_tlb_table(JitCompiler *c, unsigned idx)
{
    const JitTarget *t = c->jit->target;
    x64_load(c->buf, 8, false, RDX, env_mem(t->tlb_ptr_offset + idx * sizeof(void *)));
}

static unsigned log2u(size_t v)
{
    unsigned n = 0;
    while ((1ull << n) < v)
        n++;
    return n;
}

static bool store_imm_ok(const JitCompiler *c, IRTemp t, unsigned size)
{
    return c->t[t].is_const && (size < 8 || x64_fits_i32((int64_t)c->t[t].value));
}

/* The TLB tag compare, with the masked tag in RAX and the table in RDX:
 * leaves the entry's offset from the table in RCX and returns the rel32 of
 * the jump taken on a miss. */
static size_t emit_tlb_compare(JitCompiler *c, bool is_store, X64Reg addr)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    /* entry = table + ((va >> page_bits) & (entries - 1)) * entry_size */
    unsigned esize_bits = log2u(t->tlb_entry_size);
    x64_mov_rr(buf, 8, RCX, addr);
    x64_shift_ri(buf, SH_SHR, 8, RCX, (uint8_t)(t->page_bits - esize_bits));
    x64_alu_ri(buf, ALU_AND, 4, RCX, (int32_t)(((1u << t->tlb_bits) - 1) << esize_bits));
    size_t tag_off = is_store ? t->tlb_write_offset : t->tlb_read_offset;
    x64_alu_rm(buf, ALU_CMP, 8, RAX, x64_mem_idx(RDX, RCX, 1, (int32_t)tag_off));
    return x64_jcc(buf, CC_NE);
}

/* RAX = the addend of the entry emit_tlb_compare matched. */
static void emit_tlb_addend(JitCompiler *c)
{
    const JitTarget *t = c->jit->target;
    x64_load(c->buf, 8, false, RAX, x64_mem_idx(RDX, RCX, 1, (int32_t)t->tlb_addend_offset));
}

void emit_memory(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    bool is_store = in->op == IR_st;
    unsigned size = in->size;
    unsigned idx = t->mmu_index(c->env, in->flags);

    X64Reg addr = ra_temp_reg(c, in->src[0]);
    X64Reg value = X64_NOREG, dst = X64_NOREG;
    if (is_store && !store_imm_ok(c, in->src[1], size))
        value = ra_temp_reg(c, in->src[1]);
    if (!is_store)
        dst = ra_alloc(c, in->dst);

    /* tag: page bits and the alignment bits of this size */
    x64_mov_rr(buf, 8, RAX, addr);
    x64_alu_ri(buf, ALU_AND, 8, RAX, (int32_t)((uint32_t)-(1u << t->page_bits) | (size - 1)));
    size_t to_slow = 0, site_field = 0, site_access = 0;
    int32_t slot = 0;
    emit_tlb_table(c, idx);
    if (t->site_slots) {
        unsigned n = c->next_site++ & (t->site_slots - 1);
        slot = (int32_t)(t->site_offset + (is_store * t->site_slots + n) * t->site_size);
        x64_alu_rm(buf, ALU_CMP, 8, RAX, x64_mem(RDX, slot + (int32_t)t->site_tag_offset));
        site_field = x64_jcc(buf, CC_NE);
        x64_load(buf, 8, false, RAX, x64_mem(RDX, slot + (int32_t)t->site_addend_offset));
        site_access = x64_offset(buf);
    } else {
        to_slow = emit_tlb_compare(c, is_store, addr);
        emit_tlb_addend(c);
    }
    X64Mem host = x64_mem_idx(RAX, addr, 1, 0);
    if (!is_store)
        x64_load(buf, size, in->flags & IRM_SIGNED, dst, host);
    else if (value == X64_NOREG)
        x64_store_imm(buf, size, host, (int32_t)(uint32_t)c->t[in->src[1]].value);
    else
        x64_store(buf, size, host, value);
    if (c->jit->instrument)
        x64_inc_m(buf, env_mem(t->counters_offset + offsetof(JitCounters, mem_fast)));

    c->stubs = c->stubs_cap > c->nstubs ? c->stubs : realloc(c->stubs, (c->stubs_cap = c->stubs_cap * 2 + 16) * sizeof *c->stubs);
    if (!c->stubs)
        nestor_fatal("out of memory in the JIT");
    SlowStub *s = &c->stubs[c->nstubs++];
    *s = (SlowStub){
        .jcc_field = to_slow,
        .resume = x64_offset(buf),
        .site_field = site_field,
        .site_access = site_access,
        .site_slot = slot,
        .mmu_index = (uint8_t)idx,
        .is_store = is_store,
        .size = (uint8_t)size,
        .flags = in->flags,
        .syndrome = in->imm,
        .pc = c->cur_pc,
        .undo = c->cur_undo,
        .addr = ra_loc(c, in->src[0]),
        .value = is_store ? ra_loc(c, in->src[1]) : (Loc){0},
        .dst = dst,
        .save_mask = ra_live_caller_saved(c, i, in->dst),
    };
    s->puts_first = ra_freeze_pending(c, &s->puts_count);
}

/* A site whose slot missed (masked tag still in RAX, table in RDX): the TLB
 * lookup; on a hit the slot takes the entry's tag and addend and the access
 * resumes with the addend in RAX, else the slow path follows. Returns the
 * jump to it. */
static size_t emit_site_miss(JitCompiler *c, const SlowStub *s)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    patch_here(c, s->site_field);
    size_t to_slow = emit_tlb_compare(c, s->is_store, s->addr.reg);
    x64_store(buf, 8, x64_mem(RDX, s->site_slot + (int32_t)t->site_tag_offset), RAX);
    emit_tlb_addend(c);
    x64_store(buf, 8, x64_mem(RDX, s->site_slot + (int32_t)t->site_addend_offset), RAX);
    size_t back = x64_jmp(buf);
    if (back)
        x64_patch_rel32(buf->start, back, buf->start + s->site_access);
    return to_slow;
}

static void emit_slow_stub(JitCompiler *c, const SlowStub *s)
{
    const JitTarget *t = c->jit->target;
    X64Buf *buf = c->buf;
    patch_here(c, s->site_field ? emit_site_miss(c, s) : s->jcc_field);
    if (c->jit->instrument)
        x64_inc_m(buf, env_mem(t->counters_offset + offsetof(JitCounters, mem_slow)));
    for (uint32_t k = 0; k < s->puts_count; k++) {
        const FrozenPut *p = &c->frozen[s->puts_first + k];
        ra_store_put(c, p);
    }
    emit_materialize_flags(c); /* the callback may fault: exception entry reads NZCV */
    c->cur_pc = s->pc;
    c->cur_undo = s->undo;
    emit_sync_pc(c);
    /* arguments into scratch registers first: the argument registers may hold them */
    x64_mov_rr(buf, 8, R11, s->addr.reg);
    if (s->is_store) {
        if (s->value.kind == LOC_REG)
            x64_mov_rr(buf, 8, RDX, s->value.reg);
        else
            x64_mov_ri(buf, RDX, s->value.imm); /* constants only: values in slots were loaded to a register */
    }
    x64_push_mask(buf, s->save_mask);
    x64_mov_rr(buf, 8, RDI, JIT_ENV);
    x64_mov_rr(buf, 8, RSI, R11);
    uintptr_t fn;
    if (s->is_store) { /* store(env, va, value, size, flags, syndrome) */
        x64_mov_ri(buf, RCX, s->size);
        x64_mov_ri(buf, R8, s->flags);
        x64_mov_ri(buf, R9, s->syndrome);
        fn = (uintptr_t)t->ir.store;
    } else { /* load(env, va, size, flags, syndrome) */
        x64_mov_ri(buf, RDX, s->size);
        x64_mov_ri(buf, RCX, s->flags);
        x64_mov_ri(buf, R8, s->syndrome);
        fn = (uintptr_t)t->ir.load;
    }
    x64_mov_ri(buf, RAX, fn);
    x64_call_r(buf, RAX);
    x64_pop_mask(buf, s->save_mask);
    if (!s->is_store)
        x64_mov_rr(buf, 8, s->dst, RAX);
    size_t back = x64_jmp(buf);
    if (back)
        x64_patch_rel32(buf->start, back, buf->start + s->resume);
}

void emit_slow_stubs(JitCompiler *c)
{
    for (uint32_t k = 0; k < c->nstubs; k++)
        emit_slow_stub(c, &c->stubs[k]);
}
