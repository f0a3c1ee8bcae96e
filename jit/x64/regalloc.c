/* Register allocation and lazy guest-state writes (see regalloc.h). */
#include "jit/x64/regalloc.h"
#include "jit/ir_vec.h"

#include "jit/x64/backend_internal.h"

#include <stdlib.h>
#include <string.h>

#include "trace/log.h"

static void *grow(void *p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    uint32_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    p = realloc(p, (size_t)n * elem);
    if (!p)
        nestor_fatal("out of memory in the JIT");
    *cap = n;
    return p;
}

static bool overlaps(uint32_t o1, unsigned s1, uint32_t o2, unsigned s2) { return o1 < o2 + s2 && o2 < o1 + s1; }

/* ---- The pending-put policy, shared by the liveness pre-pass (emit = false:
 * only extends last uses) and by emission (emit = true: stores). ---- */

/* A put's value stays needed until it is stored: for a lazy NZCV, its
 * operands instead of the word itself. */
static void keep_until(JitCompiler *c, IRTemp t, uint32_t i)
{
    const TempState *ts = &c->t[t];
    IRTemp keep[2] = {t, 0};
    if (ts->lazy) {
        keep[0] = c->ir->insns[ts->def].src[0];
        keep[1] = ts->lazy_b;
    }
    for (unsigned k = 0; k < 2; k++)
        if (keep[k] && c->t[keep[k]].last_use < i)
            c->t[keep[k]].last_use = i;
}

static FrozenPut frozen_put(JitCompiler *c, const PendingPut *p)
{
    const TempState *t = &c->t[p->temp];
    FrozenPut f = {p->offset, p->size, t->lazy, {0}, {0}};
    if (!t->lazy) {
        f.loc = ra_loc(c, p->temp);
    } else {
        f.loc = ra_loc(c, c->ir->insns[t->def].src[0]);
        f.lazy_b = t->lazy_b ? ra_loc(c, t->lazy_b) : (Loc){.kind = LOC_CONST, .imm = t->lazy_imm};
    }
    return f;
}

static void pending_flush_one(JitCompiler *c, unsigned k, uint32_t i, bool emit)
{
    PendingPut *p = &c->pending[k];
    if (emit) {
        FrozenPut f = frozen_put(c, p);
        ra_store_put(c, &f);
    } else {
        keep_until(c, p->temp, i);
    }
    c->pending[k] = c->pending[--c->npending];
}

static void pending_flush_overlapping(JitCompiler *c, uint32_t offset, unsigned size, uint32_t i, bool emit)
{
    for (unsigned k = 0; k < c->npending;) {
        if (overlaps(c->pending[k].offset, c->pending[k].size, offset, size))
            pending_flush_one(c, k, i, emit);
        else
            k++;
    }
}

static void pending_flush_all(JitCompiler *c, uint32_t i, bool emit)
{
    while (c->npending)
        pending_flush_one(c, c->npending - 1, i, emit);
}

static void pending_put(JitCompiler *c, const IRInsn *in, uint32_t i, bool emit)
{
    for (unsigned k = 0; k < c->npending;) {
        PendingPut *p = &c->pending[k];
        if (p->offset == in->imm && p->size == in->size) {
            /* superseded: no observer in between, so the old value is never stored */
            if (!emit)
                keep_until(c, p->temp, i);
            c->pending[k] = c->pending[--c->npending];
        } else if (overlaps(p->offset, p->size, (uint32_t)in->imm, in->size)) {
            pending_flush_one(c, k, i, emit);
        } else {
            k++;
        }
    }
    if (c->npending == MAX_PENDING)
        pending_flush_all(c, i, emit);
    c->pending[c->npending++] = (PendingPut){(uint32_t)in->imm, in->size, in->src[0]};
}

void ra_put(JitCompiler *c, const IRInsn *in) { pending_put(c, in, 0, true); }
void ra_flush_overlapping(JitCompiler *c, uint32_t offset, unsigned size) { pending_flush_overlapping(c, offset, size, 0, true); }
void ra_flush_all(JitCompiler *c) { pending_flush_all(c, 0, true); }

uint32_t ra_freeze_pending(JitCompiler *c, uint32_t *count)
{
    c->frozen = grow(c->frozen, &c->frozen_cap, c->nfrozen + c->npending, sizeof *c->frozen);
    uint32_t first = c->nfrozen;
    for (unsigned k = 0; k < c->npending; k++)
        c->frozen[c->nfrozen++] = frozen_put(c, &c->pending[k]);
    *count = c->npending;
    return first;
}

/* ---- Liveness ---- */


/* add(a, shl(x, 1..3)), the shl read nowhere else, becomes LEA [a + x*2^k]:
 * the shl is skipped and x lives until the add. */
static void mark_scaled_add(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    const IRBlock *ir = c->ir;
    if (in->src[0] == in->src[1])
        return;
    for (unsigned k = 0; k < 2; k++) {
        const TempState *sh = &c->t[in->src[k]], *other = &c->t[in->src[1 - k]];
        const IRInsn *def = &ir->insns[sh->def];
        if (sh->is_const || other->is_const || sh->uses != 1 || def->op != IR_shl)
            continue;
        const TempState *amount = &c->t[def->src[1]];
        /* a 4-byte shl truncates what a 64-bit LEA would keep */
        if (!amount->is_const || amount->value < 1 || amount->value > 3 || (def->size != 8 && in->size != 4))
            continue;
        c->insn_flags[sh->def] |= INSN_SKIP;
        c->insn_flags[i] |= k ? INSN_SCALED1 : INSN_SCALED0;
        if (c->t[def->src[0]].last_use < i)
            c->t[def->src[0]].last_use = i;
        break;
    }
}

bool regalloc_prepare(JitCompiler *c)
{
    const IRBlock *ir = c->ir;
    c->t = grow(c->t, &c->temps_cap, ir->ntemps + 1, sizeof *c->t);
    c->insn_flags = grow(c->insn_flags, &c->insns_cap, ir->count, 1);
    memset(c->insn_flags, 0, ir->count);
    for (uint32_t n = 0; n <= ir->ntemps; n++)
        c->t[n] = (TempState){.reg = X64_NOREG, .slot = -1};
    c->npending = 0;
    uint32_t calls = 0;
    for (uint32_t i = 0; i < ir->count; i++) {
        const IRInsn *in = &ir->insns[i];
        const IROpInfo *info = &ir_op_info[in->op];
        calls += in->op == IR_call || in->op == IR_callp;
        for (unsigned s = 0; s < info->nsrc; s++) {
            c->t[in->src[s]].last_use = i;
            c->t[in->src[s]].uses++;
        }
        if (info->has_dst) {
            TempState *d = &c->t[in->dst];
            d->def = d->last_use = i;
            if (in->op == IR_movi) {
                d->is_const = true;
                d->value = in->imm;
            }
        }
        if (in->op == IR_nzcv_adc) { /* compared as cmp a, y: y must live until then */
            IRTemp y = flags_compare_operand(c, in);
            if (y && c->t[y].last_use < i)
                c->t[y].last_use = i;
        }
    }
    flags_mark_lazy(c); /* needs every use counted; changes what puts keep alive */
    for (uint32_t i = 0; i < ir->count; i++) {
        const IRInsn *in = &ir->insns[i];
        switch (in->op) {
        case IR_put: pending_put(c, in, i, false); break;
        case IR_get: pending_flush_overlapping(c, (uint32_t)in->imm, in->size, i, false); break;
        case IR_call: pending_flush_all(c, i, false); break;
        case IR_add: mark_scaled_add(c, in, i); break; /* needs every use counted */
        case IR_vec: /* reads and writes env like gets of its three slots */
            for (unsigned k = 0; k < ir_vec_nslots(in->imm); k++)
                pending_flush_overlapping(c, ir_vec_slot_off(in->imm, in->imm2, k), ir_vec_slot_size(k), i, false);
            break;
        default:
            if (ir_op_info[in->op].props & P_END)
                pending_flush_all(c, i, false);
            break;
        }
    }
    /* A setcond read only by the final goto_cond, with nothing but puts (which
     * flush with moves) in between, becomes cmp + jcc at the terminator. */
    uint32_t last = ir->count - 1;
    const IRInsn *end = &ir->insns[last];
    if (end->op == IR_goto_cond) {
        TempState *cond = &c->t[end->src[0]];
        const IRInsn *def = &ir->insns[cond->def];
        bool only_moves = true;
        for (uint32_t k = cond->def + 1; k < last; k++)
            if (ir->insns[k].op != IR_put && ir->insns[k].op != IR_insn_start && ir->insns[k].op != IR_movi)
                only_moves = false;
        if (def->op == IR_setcond && cond->uses == 1 && only_moves) {
            c->insn_flags[cond->def] |= INSN_FUSED;
            for (unsigned s = 0; s < 2; s++)
                c->t[def->src[s]].last_use = last;
        }
    }
    /* Which live ranges span a helper call (none without calls). */
    if (!calls)
        return true;
    c->calls_before = grow(c->calls_before, &c->calls_before_cap, ir->count + 1, sizeof *c->calls_before);
    uint32_t *calls_before = c->calls_before;
    calls = 0;
    for (uint32_t i = 0; i < ir->count; i++) {
        calls_before[i] = calls;
        calls += ir->insns[i].op == IR_call || ir->insns[i].op == IR_callp;
    }
    calls_before[ir->count] = calls;
    for (uint32_t n = 1; n <= ir->ntemps; n++) {
        TempState *t = &c->t[n];
        t->crosses_call = t->last_use > t->def + 1 && calls_before[t->last_use] > calls_before[t->def + 1];
    }
    return true;
}

/* ---- Locations ---- */

Loc ra_loc(const JitCompiler *c, IRTemp t)
{
    const TempState *s = &c->t[t];
    if (s->reg != X64_NOREG)
        return (Loc){.kind = LOC_REG, .reg = s->reg};
    if (s->is_const)
        return (Loc){.kind = LOC_CONST, .imm = s->value};
    if (s->slot_valid)
        return (Loc){.kind = LOC_SLOT, .slot = s->slot};
    nestor_bug("JIT: temp t%u is used after its value was lost", t);
}

void ra_store_put(JitCompiler *c, const FrozenPut *p)
{
    const JitTarget *t = c->jit->target;
    if (p->lazy) {
        size_t lazy = t->lazy_flags_offset;
        ra_store_loc(c, p->loc, (uint32_t)(lazy + offsetof(JitLazyFlags, a)), 8);
        if (p->lazy == JIT_LAZY_LOGIC32 || p->lazy == JIT_LAZY_LOGIC64)
            ; /* one operand */
        else
            ra_store_loc(c, p->lazy_b, (uint32_t)(lazy + offsetof(JitLazyFlags, b)), 8);
        x64_store_imm(c->buf, 4, env_mem(lazy + offsetof(JitLazyFlags, kind)), p->lazy);
        return;
    }
    bool over_nzcv = flags_overlap_nzcv(t, p->offset, p->size);
    bool whole = p->offset <= t->nzcv_offset && p->offset + p->size >= t->nzcv_offset + 4;
    if (over_nzcv && !whole) /* part of the word stays: it must be computed first */
        emit_materialize_flags(c);
    ra_store_loc(c, p->loc, p->offset, p->size);
    if (over_nzcv && whole) /* the word replaces lazy flags */
        x64_store_imm(c->buf, 4, env_mem(t->lazy_flags_offset + offsetof(JitLazyFlags, kind)), JIT_LAZY_NONE);
}

void ra_store_loc(JitCompiler *c, Loc loc, uint32_t offset, unsigned size)
{
    X64Buf *b = c->buf;
    switch (loc.kind) {
    case LOC_REG:
        x64_store(b, size, env_mem(offset), loc.reg);
        break;
    case LOC_CONST:
        if (size < 8 || x64_fits_i32((int64_t)loc.imm)) {
            x64_store_imm(b, size, env_mem(offset), (int32_t)(uint32_t)loc.imm);
        } else {
            x64_mov_ri(b, RAX, loc.imm);
            x64_store(b, size, env_mem(offset), RAX);
        }
        break;
    case LOC_SLOT:
        x64_load(b, 8, false, RAX, slot_mem(loc.slot));
        x64_store(b, size, env_mem(offset), RAX);
        break;
    }
}

static void load_loc(JitCompiler *c, Loc loc, X64Reg r)
{
    switch (loc.kind) {
    case LOC_REG: x64_mov_rr(c->buf, 8, r, loc.reg); break;
    case LOC_CONST: x64_mov_ri(c->buf, r, loc.imm); break;
    case LOC_SLOT: x64_load(c->buf, 8, false, r, slot_mem(loc.slot)); break;
    }
}

void ra_load_into(JitCompiler *c, IRTemp t, X64Reg r) { load_loc(c, ra_loc(c, t), r); }

/* ---- Registers ---- */

static void spill(JitCompiler *c, X64Reg r)
{
    IRTemp n = c->reg_temp[r];
    TempState *t = &c->t[n];
    if (!t->is_const && !t->slot_valid) {
        if (t->slot < 0) {
            if (c->next_slot == JIT_SPILL_SLOTS) {
                c->failed = true;
                t->slot = 0;
            } else {
                t->slot = (int16_t)c->next_slot++;
            }
        }
        x64_store(c->buf, 8, slot_mem(t->slot), r);
        t->slot_valid = true;
    }
    t->reg = X64_NOREG;
    c->reg_temp[r] = 0;
    c->occupied &= (uint16_t)~(1u << r);
}

static X64Reg pick_free(const JitCompiler *c, uint32_t mask)
{
    for (int r = 0; r < 16; r++)
        if ((mask >> r & 1) && !c->reg_temp[r] && !(c->locked >> r & 1))
            return (X64Reg)r;
    return X64_NOREG;
}

static X64Reg bind(JitCompiler *c, IRTemp n)
{
    TempState *t = &c->t[n];
    uint32_t first = t->crosses_call ? REGS_CALLEE_SAVED : REGS_CALLER_SAVED;
    uint32_t second = t->crosses_call ? REGS_CALLER_SAVED : REGS_CALLEE_SAVED;
    X64Reg r = pick_free(c, first);
    if (r == X64_NOREG)
        r = pick_free(c, second);
    if (r == X64_NOREG) { /* evict the value needed furthest away */
        uint32_t best_use = 0;
        for (int k = 0; k < 16; k++) {
            if (!((REGS_CALLER_SAVED | REGS_CALLEE_SAVED) >> k & 1) || (c->locked >> k & 1))
                continue;
            uint32_t use = c->t[c->reg_temp[k]].last_use;
            if (r == X64_NOREG || use > best_use)
                r = (X64Reg)k, best_use = use;
        }
        if (r == X64_NOREG)
            nestor_bug("JIT: no register left to allocate");
        spill(c, r);
    }
    c->reg_temp[r] = n;
    c->occupied |= (uint16_t)(1u << r);
    c->locked |= (uint16_t)(1u << r);
    t->reg = (int8_t)r;
    return r;
}

X64Reg ra_alloc(JitCompiler *c, IRTemp dst)
{
    X64Reg r = bind(c, dst);
    c->t[dst].slot_valid = false;
    return r;
}

X64Reg ra_temp_reg(JitCompiler *c, IRTemp n)
{
    TempState *t = &c->t[n];
    if (t->reg != X64_NOREG) {
        c->locked |= (uint16_t)(1u << t->reg);
        return (X64Reg)t->reg;
    }
    Loc loc = ra_loc(c, n);
    X64Reg r = bind(c, n);
    load_loc(c, loc, r);
    return r;
}

X64Reg ra_operand(JitCompiler *c, IRTemp n, X64Reg scratch)
{
    TempState *t = &c->t[n];
    if (t->reg != X64_NOREG) {
        c->locked |= (uint16_t)(1u << t->reg);
        return (X64Reg)t->reg;
    }
    load_loc(c, ra_loc(c, n), scratch);
    return scratch;
}

bool ra_take_over(JitCompiler *c, IRTemp dst, IRTemp src, uint32_t i)
{
    TempState *s = &c->t[src];
    if (s->reg == X64_NOREG || s->last_use > i)
        return false;
    X64Reg r = (X64Reg)s->reg;
    s->reg = X64_NOREG;
    c->reg_temp[r] = dst;
    c->t[dst].reg = (int8_t)r;
    c->t[dst].slot_valid = false;
    c->locked |= (uint16_t)(1u << r);
    return true;
}

void ra_release_dead(JitCompiler *c, const IRInsn *in, uint32_t i)
{
    (void)in;
    for (unsigned m = c->occupied; m; m &= m - 1) {
        int r = __builtin_ctz(m);
        IRTemp n = c->reg_temp[r];
        if (c->t[n].last_use <= i) {
            c->t[n].reg = X64_NOREG;
            c->reg_temp[r] = 0;
            c->occupied &= (uint16_t)~(1u << r);
        }
    }
    c->locked = 0;
}

void ra_spill_caller_saved(JitCompiler *c, uint32_t i)
{
    for (unsigned m = c->occupied & REGS_CALLER_SAVED; m; m &= m - 1) {
        int r = __builtin_ctz(m);
        if (c->t[c->reg_temp[r]].last_use > i)
            spill(c, (X64Reg)r);
    }
}

uint16_t ra_live_caller_saved(const JitCompiler *c, uint32_t i, IRTemp dst)
{
    uint16_t mask = 0;
    for (unsigned m = c->occupied & REGS_CALLER_SAVED; m; m &= m - 1) {
        int r = __builtin_ctz(m);
        IRTemp n = c->reg_temp[r];
        if (n != dst && c->t[n].last_use > i)
            mask |= (uint16_t)(1u << r);
    }
    return mask;
}
