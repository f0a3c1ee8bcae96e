/* The x86-64 backend against the interpreter on random IR blocks
 * (ir_randgen.h, with the forms the backend compiles specially). Each block
 * runs under the interpreter and, compiled with every pass and with none,
 * under the JIT, from the same guest state, memory and soft TLB, twice:
 *  (a) with a TLB that maps nothing, so that every access takes the slow path
 *      and calls the recording callbacks;
 *  (b) with a TLB mapping some 64-byte pages onto the sandbox memory, so that
 *      some accesses take the inline fast path and others (other pages, tag
 *      mismatches, misaligned accesses) the slow path.
 * The callbacks serve an access the TLB maps as a plain memory access that
 * records nothing, as a real MMU filling that TLB would; so under both
 * engines the same accesses record events, and everything must agree: final
 * guest state (icount_undo only when the block faulted: outside a fault
 * only the interpreter keeps it current), memory, next pc, icount, and each
 * load, store and call with the guest state it saw. The JIT's exits must
 * also take the right way out: a chainable jump for a direct branch within
 * the block's page, the lookup for anything else; a block out of budget
 * must not run at all; the instrumented counters must count what the
 * callbacks saw. Faults unwind out of the JIT's code with longjmp, as out of
 * the interpreter.
 *
 * A JIT reading the wrong TLB tags shows that the check sees the fast path;
 * directed blocks keep the bugs the random check found from coming back.
 * NESTOR_RANDOM_BLOCKS=N and NESTOR_RANDOM_SEED=S run a longer or another
 * search. */
#include <check.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "ir_randgen.h"
#include "jit/jit.h"
#include "jit/opt.h"
#include "trace/log.h"
#include "unit_main.h"

/* ---- the sandbox guest as a JitTarget ---- */

typedef struct {
    uint64_t read, write, addend, unused; /* 32 bytes: a power of two */
} SbTLBEntry;

/* Few site slots, so that the sites of one block share them: a block then
 * both fills slots and hits in them. */
typedef struct {
    uint64_t tag, addend;
} SbSite;

enum { SB_TLB_ENTRIES = 1u << RANDGEN_TLB_BITS, SB_MMU_INDEXES = 2, SB_SITE_SLOTS = 4 };
#define SB_PAGE_MASK (~0ull << RANDGEN_PAGE_BITS)

/* One mmu index's table: entries, then site slots (JitTarget layout). */
typedef struct {
    SbTLBEntry e[SB_TLB_ENTRIES];
    SbSite sites[2][SB_SITE_SLOTS];
} SbTable;
#define SB_NO_MATCH (~0ull) /* bits below the page set: matches no access */

typedef struct {
    Env e; /* what the sandbox callbacks see; the Guest is at offset 0 */
    uint64_t icount, icount_limit;
    JitCounters counters;
    SbTable *cur[SB_MMU_INDEXES]; /* the JIT's table pointers: &tab[i] (setup) */
    SbTable tab[SB_MMU_INDEXES];
    JitLazyFlags lazy;
    TB *jmp_cache[1u << TB_JMP_CACHE_BITS]; /* always empty: every lookup reaches sb_lookup */
    /* the test's own bookkeeping, never reached by generated code */
    unsigned tlb_served; /* accesses the callbacks served as TLB hits */
    unsigned slow_calls; /* accesses that reached the callbacks as misses */
    unsigned lookups;
    uint64_t lookup_pc;
} JitEnv;

static unsigned sb_mmu_index(const void *env, unsigned irm_flags)
{
    (void)env;
    return irm_flags & IRM_UNPRIV ? 1 : 0;
}

/* The entry the inline fast path would use for this access, if it hits. */
static const SbTLBEntry *sb_tlb_hit(const JitEnv *e, uint64_t addr, unsigned size, unsigned flags, bool is_store)
{
    const SbTLBEntry *en = &e->tab[sb_mmu_index(e, flags)].e[(addr >> RANDGEN_PAGE_BITS) & (SB_TLB_ENTRIES - 1)];
    uint64_t tag = addr & (SB_PAGE_MASK | (size - 1));
    return tag == (is_store ? en->write : en->read) ? en : NULL;
}

static uint8_t *sb_host(JitEnv *e, const SbTLBEntry *en, uint64_t addr, unsigned size)
{
    uint8_t *p = (uint8_t *)(uintptr_t)(addr + en->addend);
    ck_assert_msg(p >= e->e.w->mem && p + size <= e->e.w->mem + MEM_BYTES, "bad TLB addend in the test");
    return p;
}

static uint64_t sb_load(void *env, uint64_t addr, unsigned size, unsigned flags, uint64_t syndrome)
{
    JitEnv *e = env;
    const SbTLBEntry *en = sb_tlb_hit(e, addr, size, flags, false);
    if (!en) {
        e->slow_calls++;
        return fake_load(env, addr, size, flags, syndrome);
    }
    e->tlb_served++;
    const uint8_t *p = sb_host(e, en, addr, size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)p[i] << (8 * i);
    unsigned bits = size * 8;
    if ((flags & IRM_SIGNED) && bits < 64 && (v >> (bits - 1) & 1))
        v |= ~0ull << bits;
    return v;
}

static void sb_store(void *env, uint64_t addr, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome)
{
    JitEnv *e = env;
    const SbTLBEntry *en = sb_tlb_hit(e, addr, size, flags, true);
    if (!en) {
        e->slow_calls++;
        fake_store(env, addr, value, size, flags, syndrome);
        return;
    }
    e->tlb_served++;
    uint8_t *p = sb_host(e, en, addr, size);
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

/* No block is ever found: indirect and cross-page exits return to the caller. */
static const void *sb_lookup(void *env, uint64_t pc)
{
    JitEnv *e = env;
    e->lookups++;
    e->lookup_pc = pc;
    return NULL;
}

static const JitTarget sb_target = {
    .ir = {.pc_offset = PC, .undo_offset = offsetof(Guest, undo), .load = sb_load, .store = sb_store},
    .icount_offset = offsetof(JitEnv, icount),
    .icount_limit_offset = offsetof(JitEnv, icount_limit),
    .counters_offset = offsetof(JitEnv, counters),
    .tlb_ptr_offset = offsetof(JitEnv, cur),
    .tlb_entry_size = sizeof(SbTLBEntry),
    .tlb_read_offset = offsetof(SbTLBEntry, read),
    .tlb_write_offset = offsetof(SbTLBEntry, write),
    .tlb_addend_offset = offsetof(SbTLBEntry, addend),
    .tlb_bits = RANDGEN_TLB_BITS,
    .page_bits = RANDGEN_PAGE_BITS,
    .site_offset = offsetof(SbTable, sites),
    .site_size = sizeof(SbSite),
    .site_tag_offset = offsetof(SbSite, tag),
    .site_addend_offset = offsetof(SbSite, addend),
    .site_slots = SB_SITE_SLOTS,
    .lazy_flags = true,
    .nzcv_offset = NZCV,
    .lazy_flags_offset = offsetof(JitEnv, lazy),
    .mmu_index = sb_mmu_index,
    .jmp_cache_offset = offsetof(JitEnv, jmp_cache),
    .lookup = sb_lookup,
};

/* ---- the starting point of a block's runs ---- */

/* Which window page (its base address) each TLB entry maps for reads and
 * for writes, or SB_NO_MATCH. */
typedef struct {
    uint64_t read[SB_MMU_INDEXES][SB_TLB_ENTRIES], write[SB_MMU_INDEXES][SB_TLB_ENTRIES];
} TLBSetup;

typedef struct {
    Guest g;
    uint8_t mem[MEM_BYTES];
    uint64_t icount, icount_limit;
} Start;

static void tlb_unmapped(TLBSetup *t)
{
    for (unsigned i = 0; i < SB_MMU_INDEXES; i++)
        for (unsigned k = 0; k < SB_TLB_ENTRIES; k++)
            t->read[i][k] = t->write[i][k] = SB_NO_MATCH;
}

/* Each entry maps one of the windows that index it (or none), for reading,
 * writing or both. */
static void tlb_random(Rng *r, TLBSetup *t)
{
    for (unsigned i = 0; i < SB_MMU_INDEXES; i++) {
        for (unsigned k = 0; k < SB_TLB_ENTRIES; k++) {
            uint64_t candidates[N_OF(randgen_windows)];
            unsigned n = 0;
            for (unsigned w = 0; w < N_OF(randgen_windows); w++)
                if (((randgen_windows[w] >> RANDGEN_PAGE_BITS) & (SB_TLB_ENTRIES - 1)) == k)
                    candidates[n++] = randgen_windows[w];
            uint64_t page = n && rng_below(r, 5) ? candidates[rng_below(r, n)] : SB_NO_MATCH;
            unsigned how = rng_below(r, 4);
            t->read[i][k] = how != 0 ? page : SB_NO_MATCH;
            t->write[i][k] = how != 1 ? page : SB_NO_MATCH;
        }
    }
}

/* ---- running a block ---- */

typedef struct {
    JitEnv env;
    World w;
    uint64_t pc;    /* the next guest pc */
    uintptr_t exit; /* JIT: what jit_execute returned */
    bool faulted;
} JRun;

static void setup(JRun *run, const Start *s, const TLBSetup *t)
{
    JitEnv *e = &run->env;
    memset(e, 0, sizeof *e);
    e->e.g = s->g;
    e->e.w = &run->w;
    memcpy(run->w.mem, s->mem, MEM_BYTES);
    run->w.nevents = 0;
    e->icount = s->icount;
    e->icount_limit = s->icount_limit;
    for (unsigned i = 0; i < SB_MMU_INDEXES; i++) {
        for (unsigned k = 0; k < SB_TLB_ENTRIES; k++) {
            SbTLBEntry *en = &e->tab[i].e[k];
            en->read = t->read[i][k];
            en->write = t->write[i][k];
            uint64_t page = en->read != SB_NO_MATCH ? en->read : en->write;
            en->addend = page != SB_NO_MATCH ? (uint64_t)(uintptr_t)run->w.mem - page : 0;
        }
    }
    for (unsigned i = 0; i < SB_MMU_INDEXES; i++) {
        e->cur[i] = &e->tab[i];
        for (unsigned w = 0; w < 2; w++)
            for (unsigned k = 0; k < SB_SITE_SLOTS; k++)
                e->tab[i].sites[w][k].tag = SB_NO_MATCH;
    }
    run->pc = 0;
    run->exit = 0;
    run->faulted = true;
}

/* The run loop's part: the block's instructions count when it starts, and
 * those after a faulting one are taken back. */
static void run_interp(const IRBlock *b, uint32_t ninsns, const Start *s, const TLBSetup *t, JRun *run)
{
    setup(run, s, t);
    run->env.icount += ninsns;
    if (setjmp(run->w.fault) == 0) {
        run->pc = ir_interpret(b, &run->env, &sb_target.ir);
        run->faulted = false;
    } else {
        run->env.icount -= run->env.e.g.undo;
        run->pc = run->env.e.g.pc;
    }
}

static void run_jit(Jit *j, const TB *tb, const Start *s, const TLBSetup *t, JRun *run)
{
    setup(run, s, t);
    if (setjmp(run->w.fault) == 0) {
        run->exit = jit_execute(j, &run->env, tb);
        run->faulted = false;
    } else {
        run->env.icount -= run->env.e.g.undo;
    }
    run->pc = run->env.e.g.pc;
}

/* ---- comparing ---- */

static const char *events_difference(const World *x, const World *y)
{
    if (x->nevents != y->nevents)
        return "number of slow-path loads, stores and calls";
    for (unsigned i = 0; i < x->nevents && i < MAX_EVENTS; i++) {
        const Event *p = &x->events[i], *q = &y->events[i];
        if (p->kind != q->kind || p->a != q->a || p->b != q->b || p->c != q->c)
            return "arguments of a load, store or call";
        if (memcmp(&p->seen, &q->seen, sizeof(Guest)) != 0)
            return "guest state seen by a load, store or call";
    }
    return NULL;
}

/* Returns NULL if the run did what the interpreter's reference run did. */
static const char *run_difference(const JRun *ref, const JRun *jit)
{
    if (ref->faulted != jit->faulted)
        return "one run faulted, the other did not";
    Guest a = ref->env.e.g, b = jit->env.e.g;
    if (!ref->faulted) {
        if (ref->pc != jit->pc)
            return "next pc";
        a.undo = b.undo = 0; /* only a fault defines it */
    }
    if (memcmp(&a, &b, sizeof a) != 0)
        return "final guest state";
    if (memcmp(ref->w.mem, jit->w.mem, MEM_BYTES) != 0)
        return "final memory";
    if (ref->env.icount != jit->env.icount)
        return "icount";
    return events_difference(&ref->w, &jit->w);
}

static const char *jit_difference(const JRun *ref, const JRun *jit)
{
    const char *problem = run_difference(ref, jit);
    if (!problem && jit->env.tlb_served)
        problem = "an access the TLB maps took the slow path";
    return problem;
}

static bool same_page(uint64_t x, uint64_t y) { return ((x ^ y) >> RANDGEN_PAGE_BITS) == 0; }

/* How the JIT left the block: a chainable jump (TB | slot) for a direct
 * branch within the block's page, else back through the lookup or the exit. */
static const char *exit_difference(const JRun *jit, const TB *tb, IROp end)
{
    if (jit->faulted)
        return NULL;
    bool direct = end == IR_goto_tb || end == IR_goto_cond;
    if (direct && same_page(jit->pc, tb->vpc)) {
        unsigned slot = (unsigned)(jit->exit & 3);
        if ((jit->exit & ~(uintptr_t)3) != (uintptr_t)tb || slot > 1 || !tb->jmp[slot].rel_off)
            return "a direct jump within the page is not chainable";
        return jit->env.lookups ? "a chainable jump went through the lookup" : NULL;
    }
    if (jit->exit)
        return "an exit that cannot be chained returned a jump to chain";
    if (end == IR_exit)
        return jit->env.lookups ? "exit went through the lookup" : NULL;
    if (jit->env.lookups != 1 || jit->env.lookup_pc != jit->pc)
        return "an indirect or cross-page jump did not look its target up";
    return NULL;
}

/* What the instrumented JIT counted must match what the callbacks saw. */
static const char *counters_difference(const JRun *ref, const JRun *jit)
{
    const JitCounters *k = &jit->env.counters;
    if (k->block_entries != 1)
        return "block entries counted";
    if (k->mem_fast != ref->env.tlb_served)
        return "fast-path accesses counted";
    if (k->mem_slow != jit->env.slow_calls)
        return "slow-path accesses counted";
    return NULL;
}

/* ---- the check ---- */

typedef struct {
    unsigned blocks, runs, faulted, fast, slow, chained, looked_up, out_of_budget, flushes;
    char failure[240];
} JitCheckStats;

typedef struct {
    const char *name;
    unsigned passes;
    bool instrument;
    const JitTarget *target; /* NULL: sb_target */
    Jit jit;
} Engine;

static void compile(Engine *en, TB *tb, const IRBlock *b, uint64_t vpc, uint32_t ninsns, const JitEnv *env,
                    JitCheckStats *stats)
{
    memset(tb, 0, sizeof *tb);
    tb->vpc = tb->ppc = vpc;
    tb->ninsns = ninsns;
    copy_block(&tb->ir, b);
    JitResult r = jit_compile(&en->jit, tb, env);
    if (r == JIT_CACHE_FULL) {
        jit_flush(&en->jit);
        stats->flushes++;
        r = jit_compile(&en->jit, tb, env);
    }
    if (r != JIT_OK) {
        ir_print(stderr, b);
        ck_abort_msg("the JIT (%s) did not compile a random block: result %d", en->name, (int)r);
    }
}

static void print_guest(const char *what, const Guest *g)
{
    fprintf(stderr, "  %s:", what);
    for (unsigned i = 0; i < 8; i++)
        fprintf(stderr, " x%u=%" PRIx64, i, g->x[i]);
    fprintf(stderr, " nzcv=%08x pc=%" PRIx64 " undo=%u\n", g->nzcv, g->pc, g->undo);
}

/* Both runs' outcome and their first differing event, for a report. */
static void print_runs(const JRun *ref, const JRun *jit)
{
    fprintf(stderr, "interpreter: faulted %d, pc %" PRIx64 ", %u events; JIT: faulted %d, pc %" PRIx64
                    ", %u events, exit %#" PRIxPTR ", %u lookups\n",
            ref->faulted, ref->pc, ref->w.nevents, jit->faulted, jit->pc, jit->w.nevents, jit->exit,
            jit->env.lookups);
    print_guest("interpreter final", &ref->env.e.g);
    print_guest("JIT final        ", &jit->env.e.g);
    for (unsigned i = 0; i < ref->w.nevents && i < jit->w.nevents && i < MAX_EVENTS; i++) {
        const Event *p = &ref->w.events[i], *q = &jit->w.events[i];
        if (p->kind == q->kind && p->a == q->a && p->b == q->b && p->c == q->c &&
            memcmp(&p->seen, &q->seen, sizeof(Guest)) == 0)
            continue;
        fprintf(stderr, "event %u: interpreter %c(%" PRIx64 ", %" PRIx64 ", %" PRIx64 "), JIT %c(%" PRIx64
                        ", %" PRIx64 ", %" PRIx64 ")\n",
                i, p->kind, p->a, p->b, p->c, q->kind, q->a, q->b, q->c);
        print_guest("interpreter saw", &p->seen);
        print_guest("JIT saw        ", &q->seen);
        break;
    }
}

/* Compiles b again with its optimised IR and host code logged, for a report. */
static void show_compiled(Engine *en, const IRBlock *b, uint64_t vpc, uint32_t ninsns, const JitEnv *env)
{
    TB tb;
    JitCheckStats ignored;
    unsigned mask = nestor_log_mask;
    nestor_log_mask |= LOG_OP_OPT | LOG_OUT_ASM;
    compile(en, &tb, b, vpc, ninsns, env, &ignored);
    nestor_log_mask = mask;
}

/* Tells a bug of the passes from one of the backend: does the optimised IR
 * already differ under the interpreter? */
static const char *passes_difference(const IRBlock *b, unsigned passes, uint32_t ninsns, const Start *s,
                                     const TLBSetup *t, const JRun *ref)
{
    static JRun opt;
    IRBlock copy;
    copy_block(&copy, b);
    ir_optimize(&copy, passes);
    run_interp(&copy, ninsns, s, t, &opt);
    ir_block_free(&copy);
    return run_difference(ref, &opt);
}

static void report(JitCheckStats *stats, bool quiet, Engine *en, const IRBlock *b, uint32_t ninsns, const Start *s,
                   const TLBSetup *t, const JRun *ref, const JRun *jit, const char *config, unsigned n,
                   const char *problem)
{
    const char *passes = passes_difference(b, en->passes, ninsns, s, t, ref);
    snprintf(stats->failure, sizeof stats->failure, "block %u, JIT %s, TLB %s: %s%s%s", n, en->name, config,
             problem, passes ? "; the optimised IR already differs under the interpreter: " : "",
             passes ? passes : "");
    if (quiet)
        return;
    uint64_t vpc = b->insns[0].imm;
    fprintf(stderr, "%s\n", stats->failure);
    print_runs(ref, jit);
    fprintf(stderr, "block (vpc 0x%" PRIx64 ", %u instructions):\n", vpc, ninsns);
    ir_print(stderr, b);
    show_compiled(en, b, vpc, ninsns, &ref->env);
}

/* A block whose budget is spent must not run at all: pc = its start. */
static const char *budget_difference(const Start *s, const JRun *jit, const TB *tb)
{
    Guest expect = s->g;
    expect.pc = tb->vpc;
    if (jit->faulted || jit->exit)
        return "a block out of budget ran";
    if (memcmp(&expect, &jit->env.e.g, sizeof expect) != 0 || memcmp(s->mem, jit->w.mem, MEM_BYTES) != 0)
        return "a block out of budget changed guest state or memory";
    if (jit->w.nevents || jit->env.lookups || jit->env.icount != s->icount || jit->env.counters.block_entries)
        return "a block out of budget did something";
    return NULL;
}

/* One block from one starting point: the interpreter, then each engine under
 * both TLB setups, and when budget_run once more with no budget left.
 * Returns false (with stats->failure set) at the first difference. */
static bool check_block(const IRBlock *b, uint32_t ninsns, const Start *s, const TLBSetup tlbs[2], Engine *engines,
                        unsigned nengines, bool budget_run, unsigned n, bool quiet, JitCheckStats *stats)
{
    static JRun ref[2], jit;
    static const char *const config_names[2] = {"unmapped", "mapped"};
    uint64_t vpc = b->insns[0].imm;
    IROp end = (IROp)b->insns[b->count - 1].op;
    for (unsigned c = 0; c < 2; c++) {
        run_interp(b, ninsns, s, &tlbs[c], &ref[c]);
        stats->faulted += ref[c].faulted;
    }
    for (unsigned e = 0; e < nengines; e++) {
        Engine *en = &engines[e];
        TB tb;
        compile(en, &tb, b, vpc, ninsns, &ref[0].env, stats);
        for (unsigned c = 0; c < 2; c++) {
            run_jit(&en->jit, &tb, s, &tlbs[c], &jit);
            stats->runs++;
            const char *problem = jit_difference(&ref[c], &jit);
            if (!problem)
                problem = exit_difference(&jit, &tb, end);
            if (!problem && en->instrument)
                problem = counters_difference(&ref[c], &jit);
            if (problem) {
                report(stats, quiet, en, b, ninsns, s, &tlbs[c], &ref[c], &jit, config_names[c], n, problem);
                return false;
            }
            stats->fast += ref[c].env.tlb_served;
            stats->slow += jit.env.slow_calls;
            stats->chained += jit.exit != 0;
            stats->looked_up += jit.env.lookups;
        }
        if (budget_run) {
            Start spent = *s;
            spent.icount_limit = s->icount - (n & 1);
            run_jit(&en->jit, &tb, &spent, &tlbs[1], &jit);
            const char *problem = budget_difference(&spent, &jit, &tb);
            if (problem) {
                report(stats, quiet, en, b, ninsns, &spent, &tlbs[1], &ref[1], &jit, "mapped", n, problem);
                return false;
            }
            stats->out_of_budget++;
        }
    }
    return true;
}

static void random_start_point(Rng *r, Start *s)
{
    random_start(r, &s->g, s->mem);
    s->icount = rng_next(r) >> 2;
    s->icount_limit = s->icount + 1 + rng_below(r, 3);
}

/* Runs `blocks` random blocks from seed under the interpreter and each
 * engine; stops at the first difference. */
static bool jit_matches_interpreter(unsigned blocks, uint64_t seed, Engine *engines, unsigned nengines, bool quiet,
                                    JitCheckStats *stats)
{
    static const RandGen mix = {.max_ops = 24, .pc_puts = false, .backend_forms = true};
    Rng r = {seed};
    IRBlock b;
    ir_block_init(&b);
    memset(stats, 0, sizeof *stats);
    char err[160];
    bool ok = true;
    for (unsigned n = 0; n < blocks && ok; n++) {
        uint32_t ninsns = random_block(&r, &mix, &b);
        ck_assert_msg(ir_verify(&b, err, sizeof err) == NULL, "generator made a bad block: %s", err);
        Start s;
        random_start_point(&r, &s);
        TLBSetup tlbs[2];
        tlb_unmapped(&tlbs[0]);
        tlb_random(&r, &tlbs[1]);
        bool budget_run = rng_below(&r, 16) == 0;
        ok = check_block(&b, ninsns, &s, tlbs, engines, nengines, budget_run, n, quiet, stats);
        stats->blocks += ok;
    }
    ir_block_free(&b);
    return ok;
}

static void engines_init(Engine *engines, unsigned n)
{
    char err[160];
    for (unsigned e = 0; e < n; e++)
        ck_assert_msg(jit_init(&engines[e].jit, engines[e].target ? engines[e].target : &sb_target, 1u << 20,
                               engines[e].passes, engines[e].instrument, err, sizeof err),
                      "%s", err);
}

static void engines_destroy(Engine *engines, unsigned n)
{
    for (unsigned e = 0; e < n; e++)
        jit_destroy(&engines[e].jit);
}

static unsigned env_unsigned(const char *name, unsigned dflt)
{
    const char *v = getenv(name);
    return v && *v ? (unsigned)strtoul(v, NULL, 0) : dflt;
}

/* Every pass as the run loop compiles by default, none (each IR op as the
 * generator wrote it) with the instrumentation counters on, and a target
 * without access-site slots (every access looks the TLB up) and without lazy
 * flags (every NZCV put stores the word). */
enum { NENGINES = 3 };

static void engines_default(Engine engines[NENGINES])
{
    static JitTarget no_sites;
    no_sites = sb_target;
    no_sites.site_slots = 0;
    no_sites.lazy_flags = false;
    engines[0] = (Engine){.name = "all passes", .passes = IR_PASS_ALL, .instrument = false};
    engines[1] = (Engine){.name = "no passes, instrumented", .passes = 0, .instrument = true};
    engines[2] = (Engine){.name = "all passes, no site slots or lazy flags", .passes = IR_PASS_ALL, .target = &no_sites};
    engines_init(engines, NENGINES);
}

START_TEST(jit_matches_the_interpreter_on_random_blocks)
{
    Engine engines[NENGINES];
    engines_default(engines);
    unsigned blocks = env_unsigned("NESTOR_RANDOM_BLOCKS", 20000);
    uint64_t seed = env_unsigned("NESTOR_RANDOM_SEED", 0x6a17);
    JitCheckStats stats;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok = jit_matches_interpreter(blocks, seed, engines, NENGINES, false, &stats);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr,
            "jit_random: %u blocks, %u JIT runs (%u faulted interpreter runs), accesses fast %u slow %u, "
            "chainable exits %u, lookups %u, out-of-budget runs %u, cache flushes %u, %.2f s\n",
            stats.blocks, stats.runs, stats.faulted, stats.fast, stats.slow, stats.chained, stats.looked_up,
            stats.out_of_budget, stats.flushes, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    engines_destroy(engines, NENGINES);
    ck_assert_msg(ok, "%s", stats.failure);
    ck_assert_uint_eq(stats.blocks, blocks);
    /* The mix must keep reaching faults, both paths of memory accesses and
     * every way out of a block. */
    ck_assert_uint_gt(stats.faulted, blocks / 10);
    ck_assert_uint_gt(stats.fast, blocks / 4);
    ck_assert_uint_gt(stats.chained, blocks / 4);
    ck_assert_uint_gt(stats.looked_up, blocks);
    ck_assert_uint_gt(stats.out_of_budget, blocks / 16);
}
END_TEST

/* The check must see a fast path that disagrees with the TLB: here a JIT
 * told that loads find their tag where stores do. */
START_TEST(the_check_catches_a_jit_misreading_the_tlb)
{
    static JitTarget wrong;
    wrong = sb_target;
    wrong.tlb_read_offset = wrong.tlb_write_offset;
    Engine engine = {.name = "reading write tags", .passes = IR_PASS_ALL, .target = &wrong};
    engines_init(&engine, 1);
    JitCheckStats stats;
    bool ok = jit_matches_interpreter(2000, 0x6a17, &engine, 1, true, &stats);
    engines_destroy(&engine, 1);
    ck_assert_msg(!ok, "a JIT reading the wrong TLB tags went unnoticed for %u blocks", stats.blocks);
    ck_assert_msg(strstr(stats.failure, "TLB mapped"), "%s", stats.failure);
}
END_TEST

/* ---- blocks that once broke the backend ---- */

/* Runs b (its insn_starts numbered here) from 32 random starting points, half
 * of them with registers whose upper 32 bits a 4-byte op must ignore. */
static void check_directed(IRBlock *b)
{
    uint32_t ninsns = 0;
    for (uint32_t i = 0; i < b->count; i++)
        ninsns += b->insns[i].op == IR_insn_start;
    ir_number_insns(b, ninsns);
    char err[160];
    ck_assert_msg(ir_verify(b, err, sizeof err) == NULL, "bad directed block: %s", err);
    Engine engines[NENGINES];
    engines_default(engines);
    Rng r = {0xd17ec7ed};
    JitCheckStats stats;
    memset(&stats, 0, sizeof stats);
    for (unsigned n = 0; n < 32; n++) {
        Start s;
        random_start_point(&r, &s);
        if (n & 1)
            for (unsigned k = 0; k < 8; k++)
                s.g.x[k] |= 0xfedcba9800000000ull;
        TLBSetup tlbs[2];
        tlb_unmapped(&tlbs[0]);
        tlb_random(&r, &tlbs[1]);
        bool ok = check_block(b, ninsns, &s, tlbs, engines, NENGINES, n % 8 == 0, n, false, &stats);
        ck_assert_msg(ok, "%s", stats.failure);
    }
    engines_destroy(engines, NENGINES);
}

/* Each condition folded into a flag-setting op takes a register when the
 * flags are set; more than ten of them once ran out of registers (the
 * compiler aborted). All sixteen, after a compare, an add and a test. */
START_TEST(sixteen_conditions_on_one_flags_op)
{
    for (unsigned form = 0; form < 3; form++) {
        IRBlock b;
        ir_block_init(&b);
        ir_insn_start(&b, 0x1000);
        IRTemp a = ir_get(&b, 8, XR(0)), y = ir_get(&b, 8, XR(1)), f;
        if (form == 0)
            f = ir_nzcv_adc(&b, 8, a, ir_op1(&b, IR_not, 8, y), ir_movi(&b, 1));
        else if (form == 1)
            f = ir_nzcv_adc(&b, 4, a, y, ir_movi(&b, 0));
        else
            f = ir_nzcv_logic(&b, 8, a);
        for (unsigned cond = 0; cond < 16; cond++)
            ir_put(&b, 1, XR(4) + cond, ir_cond(&b, cond, f));
        ir_goto_tb(&b, 0x1004);
        check_directed(&b);
        ir_block_free(&b);
    }
}
END_TEST

/* 4-byte ops zero-extend their result (ir.h): a select, umulh/smulh (the
 * high half of the 64-bit product, cut to 32 bits) and a mov once kept the
 * upper half of a 64-bit value. */
START_TEST(four_byte_select_mulh_and_mov_zero_extend)
{
    static const IROp ops[] = {IR_select, IR_select, IR_umulh, IR_smulh, IR_mov, IR_mov};
    for (unsigned k = 0; k < N_OF(ops); k++) {
        IRBlock b;
        ir_block_init(&b);
        ir_insn_start(&b, 0x1000);
        IRTemp x0 = ir_get(&b, 8, XR(0)), x1 = ir_get(&b, 8, XR(1)), x2 = ir_get(&b, 8, XR(2));
        IRTemp v;
        if (ops[k] == IR_select)
            v = ir_emit(&b, IR_select, 4, 0, x0, x1, x2, 0, 0);
        else if (ops[k] == IR_mov)
            v = ir_op1(&b, IR_mov, 4, x1);
        else
            v = ir_op2(&b, ops[k], 4, x1, x2);
        ir_put(&b, 8, XR(3), v);
        if (k & 1) /* x1 stays live, so v gets a register of its own; else v may take x1's over */
            ir_put(&b, 8, XR(4), x1);
        ir_goto_tb(&b, 0x1004);
        check_directed(&b);
        ir_block_free(&b);
    }
}
END_TEST

/* More guest-state writes pending at once than the backend's table holds
 * (it then writes them all): one-byte puts to every byte of x[0..7], with
 * loads (whose slow paths write them) among them; then a load that faults,
 * or reads of each register. */
START_TEST(more_pending_puts_than_the_table_holds)
{
    for (unsigned faulting = 0; faulting < 2; faulting++) {
        IRBlock b;
        ir_block_init(&b);
        ir_insn_start(&b, 0x1000);
        IRTemp v = ir_get(&b, 8, XR(7));
        for (unsigned k = 0; k < 64; k++) {
            IRTemp byte = ir_op2(&b, IR_add, 8, v, ir_movi(&b, k));
            ir_put(&b, 1, XR(0) + (k * 5) % 64, byte);
            if (k % 16 == 15) {
                unsigned size = 1u << (k / 16);
                ir_ld(&b, size, 0, ir_movi(&b, randgen_windows[k / 16] + 0x20), 9);
            }
        }
        if (faulting) /* misaligned, so always the slow path, where the sandbox faults */
            ir_ld(&b, 4, 0, ir_movi(&b, 0x05), 9);
        for (unsigned k = 0; k < 8; k++) {
            IRTemp x = ir_get(&b, 8, XR(k));
            ir_put(&b, 8, XR(k), ir_op2(&b, IR_xor, 8, x, ir_movi(&b, k)));
        }
        ir_goto_tb(&b, 0x1004);
        check_directed(&b);
        ir_block_free(&b);
    }
}
END_TEST

/* Control flow the random blocks cannot reach: an indirect and a cross-page
 * jump find their target through the jump cache (pc and flags must match),
 * and a same-page jump runs its target once chained and exits again once the
 * target is unlinked. */
static void build_block(TB *tb, uint64_t vpc, uint32_t flags, unsigned reg, uint64_t marker, int end, uint64_t target)
{
    memset(tb, 0, sizeof *tb);
    tb->vpc = tb->ppc = vpc;
    tb->flags = flags;
    tb->ninsns = 1;
    ir_block_init(&tb->ir);
    ir_insn_start(&tb->ir, vpc);
    ir_put(&tb->ir, 8, XR(reg), ir_movi(&tb->ir, marker));
    if (end == IR_goto_ptr) {
        ir_goto_ptr(&tb->ir, ir_movi(&tb->ir, target));
    } else if (end == IR_goto_tb) {
        ir_goto_tb(&tb->ir, target);
    } else {
        ir_put(&tb->ir, 8, PC, ir_movi(&tb->ir, target));
        ir_exit(&tb->ir);
    }
    ir_number_insns(&tb->ir, 1);
}

START_TEST(jump_cache_and_chaining_reach_the_target)
{
    static JitEnv env;
    static World world;
    Jit jit;
    char err[160];
    ck_assert_msg(jit_init(&jit, &sb_target, 1u << 20, IR_PASS_ALL, false, err, sizeof err), "%s", err);
    TB indirect, cross_page, same_page, target, other;
    build_block(&indirect, 0x1000, 0, 0, 0xa, IR_goto_ptr, 0x1200);
    build_block(&cross_page, 0x1100, 0, 0, 0xc, IR_goto_tb, 0x1200); /* pages are 64 bytes */
    build_block(&same_page, 0x1300, 0, 0, 0xe, IR_goto_tb, 0x1308);
    build_block(&target, 0x1200, 0, 1, 0xb, IR_exit, 0x1800);
    build_block(&other, 0x1308, 0, 2, 0xd, IR_exit, 0x1900);
    TB *all[] = {&indirect, &cross_page, &same_page, &target, &other};
    for (unsigned k = 0; k < N_OF(all); k++)
        ck_assert_int_eq(jit_compile(&jit, all[k], &env), JIT_OK);

    for (unsigned from = 0; from < 2; from++) {
        TB *tb = from ? &cross_page : &indirect;
        for (unsigned cached = 0; cached < 3; cached++) { /* empty, target, target with other flags */
            memset(&env, 0, sizeof env);
            env.e.w = &world;
            env.icount_limit = 100;
            target.flags = cached == 2;
            if (cached)
                env.jmp_cache[tb_jmp_cache_index(0x1200)] = &target;
            ck_assert_uint_eq(jit_execute(&jit, &env, tb), 0);
            bool hit = cached == 1;
            ck_assert_uint_eq(env.e.g.x[1], hit ? 0xb : 0);
            ck_assert_uint_eq(env.e.g.pc, hit ? 0x1800 : 0x1200);
            ck_assert_uint_eq(env.lookups, !hit);
            ck_assert_uint_eq(env.icount, hit ? 2 : 1);
        }
    }

    memset(&env, 0, sizeof env);
    env.e.w = &world;
    env.icount_limit = 100;
    uintptr_t exit = jit_execute(&jit, &env, &same_page);
    ck_assert_uint_eq(exit, (uintptr_t)&same_page | 0);
    ck_assert_uint_eq(env.e.g.pc, 0x1308);
    jit_chain(&jit, exit, &other);
    ck_assert_uint_eq(jit_execute(&jit, &env, &same_page), 0);
    ck_assert_uint_eq(env.e.g.x[2], 0xd);
    ck_assert_uint_eq(env.e.g.pc, 0x1900);
    jit_unlink(&jit, &other);
    env.e.g.x[2] = 0;
    ck_assert_uint_eq(jit_execute(&jit, &env, &same_page), exit);
    ck_assert_uint_eq(env.e.g.x[2], 0);
    ck_assert_uint_eq(env.icount, 4);
    jit_destroy(&jit);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jit_random");
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, jit_matches_the_interpreter_on_random_blocks);
    tcase_add_test(tc, the_check_catches_a_jit_misreading_the_tlb);
    tcase_add_test(tc, sixteen_conditions_on_one_flags_op);
    tcase_add_test(tc, four_byte_select_mulh_and_mov_zero_extend);
    tcase_add_test(tc, more_pending_puts_than_the_table_holds);
    tcase_add_test(tc, jump_cache_and_chaining_reach_the_target);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
