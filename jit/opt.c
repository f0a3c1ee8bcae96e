/* IR optimisation passes. Each scans the block once, forward or backward,
 * marks the ops it drops and squeezes them out at the end. A forward scan
 * rewrites every op's sources through the alias map before looking at it, so
 * a temp that became a copy of another is never read again. */
#include "jit/opt.h"
#include "jit/ir_vec.h"

#include <stdlib.h>
#include <string.h>

#include "trace/log.h"

/* Op code of an op a pass dropped; compact() removes it. */
#define OP_DROPPED IR_OP_COUNT

/* Working memory of the passes (opt.h): one array indexed by temp and one
 * sized by the op count. */
typedef IROptScratch Scratch;

static void *scratch_get(void **buf, size_t *have, size_t n, size_t size)
{
    size_t bytes = (n ? n : 1) * size;
    if (bytes > *have) {
        size_t grown = *have * 2 > bytes ? *have * 2 : bytes;
        free(*buf);
        *buf = malloc(grown);
        if (!*buf)
            nestor_fatal("out of memory optimising an IR block");
        *have = grown;
    }
    return *buf;
}

static void *per_temp_raw(Scratch *s, const IRBlock *b, size_t size)
{
    return scratch_get(&s->per_temp, &s->per_temp_bytes, (size_t)b->ntemps + 1, size);
}

static void *per_temp(Scratch *s, const IRBlock *b, size_t size)
{
    return memset(per_temp_raw(s, b, size), 0, ((size_t)b->ntemps + 1) * size);
}

static void *per_op(Scratch *s, size_t n, size_t size) { return scratch_get(&s->per_op, &s->per_op_bytes, n, size); }

void ir_opt_scratch_free(IROptScratch *s)
{
    free(s->per_temp);
    free(s->per_op);
    *s = (IROptScratch){0};
}

static void compact(IRBlock *b, bool changed)
{
    if (!changed)
        return;
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->count; i++)
        if (b->insns[i].op != OP_DROPPED)
            b->insns[n++] = b->insns[i];
    b->count = n;
}

static uint64_t low_mask(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }
static uint64_t at_size(unsigned size, uint64_t v) { return v & low_mask(size * 8); }
static unsigned bit_length(uint64_t v) { return v ? 64 - (unsigned)__builtin_clzll(v) : 0; }
static unsigned min_u(unsigned a, unsigned b) { return a < b ? a : b; }
static unsigned max_u(unsigned a, unsigned b) { return a > b ? a : b; }

/* ---- what a forward scan knows about temps ---- */

/* Indexed by temp. */
typedef struct {
    uint64_t value; /* valid when known */
    IRTemp alias;   /* the temp that now stands for t (t itself unless t was dropped) */
    uint8_t width;  /* bits above the low width of t are zero */
    bool known;     /* t holds the constant value */
} TempFact;

static TempFact *facts_init(const IRBlock *b, Scratch *s)
{
    TempFact *f = per_temp_raw(s, b, sizeof *f);
    for (size_t t = 0; t <= b->ntemps; t++)
        f[t] = (TempFact){.alias = (IRTemp)t, .width = 64};
    return f;
}

static void resolve_sources(const TempFact *f, IRInsn *in)
{
    for (unsigned s = 0; s < ir_op_info[in->op].nsrc; s++)
        in->src[s] = f[in->src[s]].alias;
}

/* How many low bits of an op's result may be non-zero, from its sources'. */
static unsigned result_width(const IRInsn *in, const TempFact *t)
{
    unsigned wa = t[in->src[0]].width, wb = t[in->src[1]].width, wc = t[in->src[2]].width;
    unsigned w;
    switch ((IROp)in->op) {
    case IR_movi: return bit_length(in->size == 4 ? (uint32_t)in->imm : in->imm);
    case IR_get: return in->size * 8;
    case IR_ld: return in->flags & IRM_SIGNED ? 64 : in->size * 8u;
    case IR_mov: case IR_shr: case IR_udiv: w = wa; break;
    case IR_and: w = min_u(wa, wb); break;
    case IR_or: case IR_xor: w = max_u(wa, wb); break;
    case IR_select: w = max_u(wb, wc); break;
    case IR_zext: w = (unsigned)in->imm; break;
    case IR_setcond: case IR_cond: w = 1; break;
    case IR_nzcv_adc: case IR_nzcv_logic: w = 32; break;
    case IR_clz: w = 7; break;
    default: w = 64; break;
    }
    return in->size == 4 ? min_u(w, 32) : w;
}

static void note_result(TempFact *f, const IRInsn *in)
{
    if (in->op == OP_DROPPED || !ir_op_info[in->op].has_dst)
        return;
    TempFact *d = &f[in->dst];
    d->width = (uint8_t)result_width(in, f);
    if (in->op == IR_movi) {
        d->known = true;
        d->value = in->size == 4 ? (uint32_t)in->imm : in->imm;
    }
}

/* ---- rewriting one op in place (its dst stays) ---- */

static void become_movi(IRInsn *in, uint64_t v) { *in = (IRInsn){.op = IR_movi, .size = 8, .dst = in->dst, .imm = v}; }

static void become_zext(IRInsn *in, IRTemp x, unsigned bits)
{
    *in = (IRInsn){.op = IR_zext, .size = 8, .dst = in->dst, .src = {x}, .imm = bits};
}

static void become_alias(TempFact *f, IRInsn *in, IRTemp x)
{
    f[in->dst].alias = x;
    in->op = OP_DROPPED;
}

/* The op's result is x cut to the op's size. */
static bool become_low(TempFact *f, IRInsn *in, IRTemp x)
{
    if (in->size == 8 || f[x].width <= 32)
        become_alias(f, in, x);
    else
        become_zext(in, x, 32);
    return true;
}

/* The op's result is the low `bits` of x (bits no wider than the op). */
static bool become_masked(TempFact *f, IRInsn *in, IRTemp x, unsigned bits)
{
    if (f[x].width <= bits)
        become_alias(f, in, x);
    else
        become_zext(in, x, bits);
    return true;
}

static bool become_const(IRInsn *in, uint64_t v)
{
    become_movi(in, v);
    return true;
}

static bool become_goto_tb(IRInsn *in, uint64_t pc)
{
    *in = (IRInsn){.op = IR_goto_tb, .size = 8, .imm = pc};
    return true;
}

/* ---- fold ---- */

static bool setcond_reflexive(unsigned cond)
{
    return cond == IRC_EQ || cond == IRC_GEU || cond == IRC_LEU || cond == IRC_GES || cond == IRC_LES;
}

/* Identities that hold whatever the unknown sources are. A 4-byte op reads
 * only the low 32 bits of its sources, except umulh/smulh/select/goto_cond,
 * which the interpreter evaluates on all 64. Returns whether it changed in. */
static bool simplify(TempFact *f, IRInsn *in)
{
    unsigned bits = in->size * 8;
    IRTemp a = in->src[0], b = in->src[1], c = in->src[2];
    bool ka = f[a].known, kb = f[b].known;
    uint64_t va = at_size(in->size, f[a].value), vb = at_size(in->size, f[b].value);
    uint64_t ones = low_mask(bits);
    switch ((IROp)in->op) {
    case IR_mov:
        return become_low(f, in, a);
    case IR_add:
    case IR_or:
    case IR_xor:
        if (kb && vb == 0)
            return become_low(f, in, a);
        if (ka && va == 0)
            return become_low(f, in, b);
        if (in->op == IR_or && ((ka && va == ones) || (kb && vb == ones)))
            return become_const(in, ones);
        if (in->op == IR_or && a == b)
            return become_low(f, in, a);
        if (in->op == IR_xor && a == b)
            return become_const(in, 0);
        return false;
    case IR_sub:
        if (kb && vb == 0)
            return become_low(f, in, a);
        if (a == b)
            return become_const(in, 0);
        return false;
    case IR_and:
        if ((ka && va == 0) || (kb && vb == 0))
            return become_const(in, 0);
        if (a == b)
            return become_low(f, in, a);
        if (kb && (vb & (vb + 1)) == 0)
            return become_masked(f, in, a, bit_length(vb));
        if (ka && (va & (va + 1)) == 0)
            return become_masked(f, in, b, bit_length(va));
        return false;
    case IR_mul:
        if ((ka && va == 0) || (kb && vb == 0))
            return become_const(in, 0);
        if (kb && vb == 1)
            return become_low(f, in, a);
        if (ka && va == 1)
            return become_low(f, in, b);
        return false;
    case IR_umulh:
    case IR_smulh:
        if ((ka && f[a].value == 0) || (kb && f[b].value == 0))
            return become_const(in, 0);
        return false;
    case IR_udiv:
    case IR_sdiv:
        if ((ka && va == 0) || (kb && vb == 0))
            return become_const(in, 0);
        if (kb && vb == 1)
            return become_low(f, in, a);
        return false;
    case IR_shl:
    case IR_shr:
    case IR_sar:
    case IR_ror:
        if (kb && (f[b].value & (bits - 1)) == 0)
            return become_low(f, in, a);
        if (ka && va == 0)
            return become_const(in, 0);
        if (ka && va == ones && (in->op == IR_sar || in->op == IR_ror))
            return become_const(in, ones);
        return false;
    case IR_sext:
        if (in->imm >= bits || f[a].width < in->imm) /* nothing to extend, or the sign bit is 0 */
            return become_low(f, in, a);
        return false;
    case IR_zext:
        if (in->imm >= bits || f[a].width <= in->imm)
            return become_low(f, in, a);
        return false;
    case IR_setcond:
        if (a == b)
            return become_const(in, setcond_reflexive((unsigned)in->imm));
        return false;
    case IR_select:
        if (ka)
            return become_low(f, in, f[a].value ? b : c);
        if (b == c)
            return become_low(f, in, b);
        return false;
    case IR_cond:
        if (in->imm >= 14) /* AL and NV */
            return become_const(in, 1);
        return false;
    case IR_goto_cond:
        if (ka)
            return become_goto_tb(in, f[a].value ? in->imm : in->imm2);
        if (in->imm == in->imm2)
            return become_goto_tb(in, in->imm);
        return false;
    default:
        return false;
    }
}

/* Folds one op whose sources are resolved; returns whether it changed it. */
static bool fold_one(TempFact *f, IRInsn *in)
{
    /* what reaches env or memory is neither evaluated nor simplified */
    if (in->op == IR_get || (ir_op_info[in->op].props & P_SIDE))
        return false;
    unsigned nsrc = ir_op_info[in->op].nsrc;
    bool all_known = true;
    uint64_t src[3] = {0, 0, 0}, v;
    for (unsigned s = 0; s < nsrc; s++) {
        all_known = all_known && f[in->src[s]].known;
        src[s] = f[in->src[s]].value;
    }
    if (all_known && ir_eval_pure(in, src, &v)) {
        if (in->op != IR_movi || in->size != 8 || in->imm != v) {
            become_movi(in, v);
            return true;
        }
        return false;
    }
    return simplify(f, in);
}

/* ---- forward ---- */

/* env bytes [offset, offset + size) hold the low bytes of temp value; exact
 * when value has no other bits set, so that a get of the slot equals it.
 * seen: the number of insn_starts before the put or get that last proved the
 * slot's content. When an insn_start followed, it may have overwritten the
 * slot if it is (part of) the pc slot; a get proves it is not. */
typedef struct {
    uint64_t offset;
    unsigned size;
    IRTemp value;
    bool exact;
    uint32_t seen;
} SlotValue;

static SlotValue *find_slot(SlotValue *slots, unsigned n, uint64_t offset, unsigned size)
{
    for (unsigned i = 0; i < n; i++)
        if (slots[i].offset == offset && slots[i].size == size)
            return &slots[i];
    return NULL;
}

/* Slots are unordered (no two have the same offset and size): a forgotten
 * one takes the last one's place. */
static unsigned forget_overlapping(SlotValue *slots, unsigned n, uint64_t offset, unsigned size)
{
    for (unsigned i = 0; i < n;) {
        if (slots[i].offset >= offset + size || offset >= slots[i].offset + slots[i].size)
            i++;
        else
            slots[i] = slots[--n];
    }
    return n;
}

/* Only puts, calls, vec (its destination slot) and insn_start change env: ld/st reach memory, and
 * insn_start writes the pc slot, which no get reads (ir.h), so what a get of
 * a slot would return survives it. */
/* The slots a forward walk knows; n of them are in use. insns counts the
 * insn_starts so far: a slot whose seen differs may hold the pc. */
typedef struct {
    SlotValue *v;
    unsigned n;
    uint32_t insns;
} Slots;

/* Forwards one op whose sources are resolved; returns whether it changed it. */
static bool forward_one(TempFact *f, Slots *slots, IRInsn *in)
{
    unsigned size = in->size, n = slots->n;
    SlotValue *known = (in->op == IR_get || in->op == IR_put) ? find_slot(slots->v, n, in->imm, size) : NULL;
    bool changed = false;
    switch (in->op) {
    case IR_get:
        if (known && known->exact) {
            become_alias(f, in, known->value);
            known->seen = slots->insns;
        } else if (known) {
            uint64_t offset = in->imm;
            become_zext(in, known->value, size * 8);
            *known = (SlotValue){offset, size, in->dst, true, slots->insns};
        } else {
            slots->v[n++] = (SlotValue){in->imm, size, in->dst, true, slots->insns};
            break;
        }
        changed = true;
        break;
    case IR_put:
        if (known && known->value == in->src[0] && known->seen == slots->insns) { /* the slot already holds it */
            in->op = OP_DROPPED;
            changed = true;
            break;
        }
        n = forget_overlapping(slots->v, n, in->imm, size);
        slots->v[n++] = (SlotValue){in->imm, size, in->src[0], size == 8 || f[in->src[0]].width <= size * 8, slots->insns};
        break;
    case IR_insn_start:
        slots->insns++; /* every slot now may hold the pc */
        break;
    case IR_call:
        n = 0; /* a helper may write any of env */
        break;
    case IR_vec:
        n = forget_overlapping(slots->v, n, ir_vec_off(in->imm2, 0), ir_vec_slot_size(0));
        if (ir_vec_sets_flag(in->imm))
            n = forget_overlapping(slots->v, n, ir_vec_off(in->imm2, 3), ir_vec_slot_size(3));
        break;
    default:
        break;
    }
    slots->n = n;
    return changed;
}

/* The forward walk of forward and fold, alone or together: each op is
 * forwarded, then folded (a get forwarding turned into a zext may fold
 * further), with what both know of the ops before it. Only puts, calls,
 * vec (its destination slot) and insn_start change env: ld/st reach memory,
 * and insn_start writes the pc slot, which no get reads (ir.h), so what a
 * get of a slot would return survives it. A put that fold shows to store
 * back what its slot holds is found in the same walk, since fold has
 * already aliased its source. With compact_now false, dropped ops stay
 * marked for pass_dead_code. */
static bool forward_fold_walk(IRBlock *b, Scratch *scratch, bool forward, bool fold, bool compact_now)
{
    TempFact *f = facts_init(b, scratch);
    Slots slots = {forward ? per_op(scratch, b->count, sizeof *slots.v) : NULL, 0, 0};
    bool changed = false;
    for (uint32_t i = 0; i < b->count; i++) {
        IRInsn *in = &b->insns[i];
        resolve_sources(f, in);
        if (forward)
            changed |= forward_one(f, &slots, in);
        if (in->op == OP_DROPPED)
            continue;
        if (fold)
            changed |= fold_one(f, in);
        note_result(f, in);
    }
    compact(b, changed && compact_now);
    return changed;
}

static bool pass_fold(IRBlock *b, Scratch *scratch) { return forward_fold_walk(b, scratch, false, true, true); }
static bool pass_forward(IRBlock *b, Scratch *scratch) { return forward_fold_walk(b, scratch, true, false, true); }

/* ---- dead_put ---- */

/* A set of env bytes, as 8-byte chunks with a bit per byte. */
typedef struct {
    struct {
        uint64_t chunk;
        uint8_t bytes;
    } *e;
    unsigned n;
} ByteSet;

static uint8_t *byteset_chunk(ByteSet *s, uint64_t chunk, bool create)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->e[i].chunk == chunk)
            return &s->e[i].bytes;
    if (!create)
        return NULL;
    s->e[s->n].chunk = chunk;
    s->e[s->n].bytes = 0;
    return &s->e[s->n++].bytes;
}

/* The bytes of [offset, offset + size) in chunk, as a mask of its 8 bits. */
static uint8_t chunk_mask(uint64_t chunk, uint64_t offset, unsigned size)
{
    uint64_t lo = chunk << 3 > offset ? chunk << 3 : offset;
    uint64_t hi = (chunk + 1) << 3 < offset + size ? (chunk + 1) << 3 : offset + size;
    return (uint8_t)(((1u << (hi - lo)) - 1) << (lo & 7));
}

static void byteset_update(ByteSet *s, uint64_t offset, unsigned size, bool add)
{
    if (!size)
        return;
    for (uint64_t chunk = offset >> 3; chunk <= (offset + size - 1) >> 3; chunk++) {
        uint8_t *bits = byteset_chunk(s, chunk, add);
        if (bits) {
            uint8_t mask = chunk_mask(chunk, offset, size);
            *bits = add ? *bits | mask : *bits & (uint8_t)~mask;
        }
    }
}

static bool byteset_covers(ByteSet *s, uint64_t offset, unsigned size)
{
    if (!size)
        return true;
    for (uint64_t chunk = offset >> 3; chunk <= (offset + size - 1) >> 3; chunk++) {
        uint8_t *bits = byteset_chunk(s, chunk, false), mask = chunk_mask(chunk, offset, size);
        if (!bits || (*bits & mask) != mask)
            return false;
    }
    return true;
}

/* Backwards: `overwritten` holds the env bytes that a later put writes before
 * anything can observe them. A P_FAULT op or the block's end observes all of
 * env; a get observes its bytes. */
static bool pass_dead_put(IRBlock *b, Scratch *scratch)
{
    ByteSet overwritten = {per_op(scratch, 2 * (size_t)b->count, sizeof *overwritten.e), 0};
    bool changed = false;
    for (uint32_t i = b->count; i-- > 0;) {
        IRInsn *in = &b->insns[i];
        if (ir_op_info[in->op].props & (P_FAULT | P_END)) {
            overwritten.n = 0;
        } else if (in->op == IR_get) {
            byteset_update(&overwritten, in->imm, in->size, false);
        } else if (in->op == IR_vec) { /* reads all its slots (d for the select forms, the flag word or-ed into) */
            for (unsigned k = 0; k < ir_vec_nslots(in->imm); k++)
                byteset_update(&overwritten, ir_vec_slot_off(in->imm, in->imm2, k), ir_vec_slot_size(k), false);
        } else if (in->op == IR_put) {
            if (byteset_covers(&overwritten, in->imm, in->size)) {
                in->op = OP_DROPPED;
                changed = true;
            } else {
                byteset_update(&overwritten, in->imm, in->size, true);
            }
        }
    }
    compact(b, changed);
    return changed;
}

/* ---- dce ---- */

/* One backward sweep suffices: in single assignment every use of a temp comes
 * after its definition, so an op's users are decided before the op is. */
static bool pass_dce(IRBlock *b, Scratch *scratch)
{
    bool *used = per_temp(scratch, b, sizeof *used);
    bool changed = false;
    for (uint32_t i = b->count; i-- > 0;) {
        IRInsn *in = &b->insns[i];
        const IROpInfo *info = &ir_op_info[in->op];
        if (info->has_dst && !(info->props & P_SIDE) && !used[in->dst]) {
            in->op = OP_DROPPED;
            changed = true;
            continue;
        }
        for (unsigned s = 0; s < info->nsrc; s++)
            used[in->src[s]] = true;
    }
    compact(b, changed);
    return changed;
}

/* ---- dce and dead_put in one backward walk ---- */

/* The walk of pass_dce with pass_dead_put's at each kept op: an op whose
 * result nothing reads is dropped before it can count as an observer (a
 * get), and a dropped put reads nothing, so what the sequence dce, dead_put,
 * dce finds is found here too. It also squeezes out the ops a forward walk
 * before it dropped (one compaction for both). Returns whether it dropped a
 * put. */
static bool pass_dead_code(IRBlock *b, Scratch *scratch)
{
    bool *used = per_temp(scratch, b, sizeof *used);
    ByteSet overwritten = {per_op(scratch, 2 * (size_t)b->count, sizeof *overwritten.e), 0};
    bool dropped_put = false, dropped = false;
    for (uint32_t i = b->count; i-- > 0;) {
        IRInsn *in = &b->insns[i];
        if (in->op == OP_DROPPED) { /* by the walk before, not compacted yet */
            dropped = true;
            continue;
        }
        const IROpInfo *info = &ir_op_info[in->op];
        if (info->has_dst && !(info->props & P_SIDE) && !used[in->dst]) {
            in->op = OP_DROPPED;
            dropped = true;
            continue;
        }
        if (info->props & (P_FAULT | P_END)) {
            overwritten.n = 0;
        } else if (in->op == IR_get) {
            byteset_update(&overwritten, in->imm, in->size, false);
        } else if (in->op == IR_vec) {
            for (unsigned k = 0; k < ir_vec_nslots(in->imm); k++)
                byteset_update(&overwritten, ir_vec_slot_off(in->imm, in->imm2, k), ir_vec_slot_size(k), false);
        } else if (in->op == IR_put) {
            if (byteset_covers(&overwritten, in->imm, in->size)) {
                in->op = OP_DROPPED;
                dropped = dropped_put = true;
                continue;
            }
            byteset_update(&overwritten, in->imm, in->size, true);
        }
        for (unsigned s = 0; s < info->nsrc; s++)
            used[in->src[s]] = true;
    }
    compact(b, dropped);
    return dropped_put;
}

/* ---- entry points ---- */

static void run_alone(IRBlock *b, bool (*pass)(IRBlock *, Scratch *))
{
    Scratch scratch = {0};
    pass(b, &scratch);
    ir_opt_scratch_free(&scratch);
}

void ir_pass_fold(IRBlock *b) { run_alone(b, pass_fold); }
void ir_pass_forward(IRBlock *b) { run_alone(b, pass_forward); }
void ir_pass_dead_put(IRBlock *b) { run_alone(b, pass_dead_put); }
void ir_pass_dce(IRBlock *b) { run_alone(b, pass_dce); }

void ir_optimize_with(IROptScratch *scratch, IRBlock *b, unsigned passes)
{
    /* dce runs before dead_put too: an unused get would count as an observer.
     * Only forwarding profits from a second round (a put that fold showed to
     * store back what the slot holds, or one that a dropped put had hidden),
     * and the other passes only from what it then finds. Forwarding reaches
     * its fixed point in one walk, and dce drops nothing it could use (no
     * put, call or vec, and no get a forwarded one was aliased to), so the
     * second round is worth its walks only after fold or dead_put changed
     * the block; with forward and fold in one walk, only after dead_put. */
    bool fused = (passes & IR_PASS_FORWARD) && (passes & IR_PASS_FOLD);
    bool dead_code = (passes & IR_PASS_DCE) && (passes & IR_PASS_DEAD_PUT);
    for (unsigned round = 0; round < 2; round++) {
        bool again = false;
        if (fused) {
            forward_fold_walk(b, scratch, true, true, !dead_code);
        } else {
            bool forwarded = (passes & IR_PASS_FORWARD) && pass_forward(b, scratch);
            if (round > 0 && !forwarded)
                break;
            again = (passes & IR_PASS_FOLD) && pass_fold(b, scratch);
        }
        if (dead_code) {
            again |= pass_dead_code(b, scratch);
        } else {
            if (passes & IR_PASS_DCE)
                pass_dce(b, scratch);
            if (passes & IR_PASS_DEAD_PUT)
                again |= pass_dead_put(b, scratch);
        }
        if (!again || !(passes & IR_PASS_FORWARD))
            break;
    }
}

void ir_optimize(IRBlock *b, unsigned passes)
{
    Scratch scratch = {0};
    ir_optimize_with(&scratch, b, passes);
    ir_opt_scratch_free(&scratch);
}

static const struct {
    const char *name;
    unsigned mask;
} pass_names[] = {
#define X(id, bit, name) {name, IR_PASS_##id},
    IR_PASSES(X)
#undef X
};

bool ir_pass_parse(const char *text, unsigned *mask)
{
    if (strcmp(text, "none") == 0 || strcmp(text, "all") == 0) {
        *mask = text[0] == 'a' ? IR_PASS_ALL : 0;
        return true;
    }
    unsigned m = 0;
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ":");
        unsigned found = 0;
        for (size_t k = 0; k < sizeof pass_names / sizeof pass_names[0]; k++)
            if (strlen(pass_names[k].name) == len && strncmp(p, pass_names[k].name, len) == 0)
                found = pass_names[k].mask;
        if (!found)
            return false;
        m |= found;
        p += len;
        if (*p == '\0')
            break;
    }
    *mask = m;
    return true;
}
