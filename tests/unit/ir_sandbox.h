/* A small guest for running IR blocks in tests of the passes: env with eight
 * registers, a flags word and the pc; a memory of 64 bytes behind fake ld/st
 * callbacks; a helper that reads and writes env; and a recorder of what each
 * load, store and call saw of env. Some addresses fault (by unwinding), so a
 * block may also end in the middle. */
#ifndef NESTOR_TESTS_UNIT_IR_SANDBOX_H
#define NESTOR_TESTS_UNIT_IR_SANDBOX_H

#include <check.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MIN64 0x8000000000000000ull

/* The guest state get/put reach: 8 registers, a flags word, a spare word, the pc. */

typedef struct {
    uint64_t x[8];
    uint32_t nzcv;
    uint32_t spare;
    uint64_t pc;
    uint32_t undo; /* IRTarget.undo_offset: written by insn_start */
    uint32_t spare2;
} Guest;

#define XR(n) offsetof(Guest, x[n])
#define NZCV offsetof(Guest, nzcv)
#define PC offsetof(Guest, pc)

enum { MEM_BYTES = 64, MAX_EVENTS = 48 };

/* One callback of the block: a load, store or helper call, and env as it saw it. */
typedef struct {
    char kind;
    uint64_t a, b, c;
    Guest seen;
} Event;

typedef struct {
    uint8_t mem[MEM_BYTES];
    Event events[MAX_EVENTS];
    unsigned nevents;
    jmp_buf fault;
} World;

/* What the callbacks receive as env: the guest state the IR reaches with
 * get/put (at offset 0), then the test's own bookkeeping. */
typedef struct {
    Guest g;
    World *w;
} Env;

static inline void record(Env *e, char kind, uint64_t a, uint64_t b, uint64_t c)
{
    World *w = e->w;
    if (w->nevents < MAX_EVENTS) {
        Event *ev = &w->events[w->nevents];
        ev->kind = kind;
        ev->a = a, ev->b = b, ev->c = c;
        ev->seen = e->g;
    }
    w->nevents++;
}

/* Some addresses fault, so that a block also ends in the middle. */
static inline bool faults(uint64_t addr) { return (addr & 0x3f) == 0x2b || (addr & 0x3f) == 0x05; }

static inline uint64_t fake_load(void *env, uint64_t addr, unsigned size, unsigned flags, uint64_t syndrome)
{
    Env *e = env;
    record(e, 'L', addr, size << 8 | flags, syndrome);
    if (faults(addr))
        longjmp(e->w->fault, 1);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)e->w->mem[(addr + i) % MEM_BYTES] << (8 * i);
    unsigned bits = size * 8;
    if ((flags & IRM_SIGNED) && bits < 64 && (v >> (bits - 1) & 1))
        v |= ~0ull << bits;
    return v;
}

static inline void fake_store(void *env, uint64_t addr, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome)
{
    Env *e = env;
    record(e, 'S', addr, value, (uint64_t)size << 32 | flags << 16 | (syndrome & 0xffff));
    if (faults(addr))
        longjmp(e->w->fault, 1);
    for (unsigned i = 0; i < size; i++)
        e->w->mem[(addr + i) % MEM_BYTES] = (uint8_t)(value >> (8 * i));
}

/* A helper that reads and writes guest state, and sometimes faults. */
static inline uint64_t helper_mix(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    Env *e = env;
    record(e, 'C', a, b, c);
    if ((a & 0x1f) == 0x11)
        longjmp(e->w->fault, 1);
    uint64_t seen = e->g.x[a & 7] + e->g.nzcv;
    e->g.x[b & 7] ^= a * 0x9e3779b97f4a7c15ull + c;
    e->g.nzcv = (uint32_t)(seen >> 7) & 0xf0000000u;
    return seen - b;
}

static const IRTarget target = {.pc_offset = PC, .undo_offset = offsetof(Guest, undo), .load = fake_load, .store = fake_store};

/* ---- running a block ---- */

typedef struct {
    Env env;
    World w;
    uint64_t pc;
    bool faulted;
} Run;

static inline void run(const IRBlock *b, const Guest *start, const uint8_t *mem, Run *out)
{
    out->env.g = *start;
    out->env.w = &out->w;
    memcpy(out->w.mem, mem, MEM_BYTES);
    out->w.nevents = 0;
    out->faulted = true;
    out->pc = 0;
    if (setjmp(out->w.fault))
        return;
    out->pc = ir_interpret(b, &out->env, &target);
    out->faulted = false;
}

/* Returns NULL if both runs did the same, else what differed. */
static inline const char *difference(const Run *x, const Run *y)
{
    if (x->faulted != y->faulted)
        return "one run faulted, the other did not";
    if (x->pc != y->pc)
        return "returned pc";
    if (memcmp(&x->env.g, &y->env.g, sizeof(Guest)) != 0)
        return "final guest state";
    if (memcmp(x->w.mem, y->w.mem, MEM_BYTES) != 0)
        return "final memory";
    if (x->w.nevents != y->w.nevents)
        return "number of loads, stores and calls";
    for (unsigned i = 0; i < x->w.nevents && i < MAX_EVENTS; i++) {
        const Event *p = &x->w.events[i], *q = &y->w.events[i];
        if (p->kind != q->kind || p->a != q->a || p->b != q->b || p->c != q->c)
            return "arguments of a load, store or call";
        if (memcmp(&p->seen, &q->seen, sizeof(Guest)) != 0)
            return "guest state seen by a load, store or call";
    }
    return NULL;
}

/* Makes dst (initialised) a copy of src. */
static inline void copy_block_into(IRBlock *dst, const IRBlock *src)
{
    if (dst->capacity < src->count) {
        dst->insns = realloc(dst->insns, src->count * sizeof *dst->insns);
        ck_assert_ptr_nonnull(dst->insns);
        dst->capacity = src->count;
    }
    memcpy(dst->insns, src->insns, src->count * sizeof *src->insns);
    dst->count = src->count;
    dst->ntemps = src->ntemps;
}

static inline void copy_block(IRBlock *dst, const IRBlock *src)
{
    ir_block_init(dst);
    copy_block_into(dst, src);
}

static inline void assert_verifies(const IRBlock *b)
{
    char err[160];
    const char *problem = ir_verify(b, err, sizeof err);
    if (problem) {
        ir_print(stderr, b);
        ck_abort_msg("optimised block does not verify: %s", problem);
    }
}

typedef struct {
    uint64_t s;
} Rng;

static inline uint64_t rng_next(Rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

static inline unsigned rng_below(Rng *r, unsigned n) { return (unsigned)(rng_next(r) % n); }

static const uint64_t interesting[] = {
    0, 1, 2, 3, 7, 8, 16, 31, 32, 33, 63, 64, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x100000000ull, 0x1ffffffffull, 0xffffffff00000000ull, 0x7fffffffffffffffull, MIN64, ~0ull, ~0ull - 1,
    0x2b, 0x05, 0x11, 0x40000000, 0x90000000, 0x60000000,
};

static inline uint64_t random_value(Rng *r)
{
    switch (rng_below(r, 4)) {
    case 0: return rng_next(r);
    case 1: return rng_below(r, 70);
    default: return interesting[rng_below(r, N_OF(interesting))];
    }
}

static inline void random_start(Rng *r, Guest *g, uint8_t *mem)
{
    for (unsigned i = 0; i < 8; i++)
        g->x[i] = random_value(r);
    g->nzcv = (uint32_t)rng_next(r) & 0xf0000000u;
    g->spare = (uint32_t)rng_next(r);
    g->pc = 0x1000;
    for (unsigned i = 0; i < MEM_BYTES; i++)
        mem[i] = (uint8_t)rng_next(r);
}

#endif
