/* The run loop (DESIGN.md §2): find or translate the block at pc, execute it
 * on the selected engine, repeat. Exceptions and exits unwind here.
 *
 * Instruction counting is the same for both engines: a block adds all of its
 * instructions when it starts (the JIT in its prologue, the interpreter
 * here); an exception or exit in the middle takes back icount_undo, so the
 * instruction that raised it counts as executed (a guest faulting forever
 * still exhausts its budget). */
#include <inttypes.h>
#include <stdlib.h>

#include "cpu/cpu.h"
#include "decoder/translate.h"
#include "mmu/mmu.h"
#include "mmu/physmem.h"
#include "trace/log.h"

static unsigned a64_mmu_index(const void *env, unsigned irm_flags)
{
    return mmu_index(env, (irm_flags & IRM_UNPRIV) != 0);
}

static const void *a64_lookup(void *env, uint64_t pc);

static const JitTarget a64_jit_target = {
    .ir = {
        .pc_offset = offsetof(CPUState, pc),
        .undo_offset = offsetof(CPUState, icount_undo),
        .load = mmu_load,
        .store = mmu_store,
    },
    .icount_offset = offsetof(CPUState, icount),
    .icount_limit_offset = offsetof(CPUState, icount_limit),
    .counters_offset = offsetof(CPUState, jit_counters),
    .tlb_ptr_offset = offsetof(CPUState, tlb.cur),
    .tlb_entry_size = sizeof(TLBEntry),
    .tlb_read_offset = offsetof(TLBEntry, addr_read),
    .tlb_write_offset = offsetof(TLBEntry, addr_write),
    .tlb_addend_offset = offsetof(TLBEntry, addend),
    .tlb_bits = TLB_BITS,
    .page_bits = PAGE_BITS,
    .site_offset = offsetof(TLBTable, site_tag),
    .site_size = sizeof(uint64_t),
    .site_tag_offset = 0,
    .site_addend_offset = offsetof(TLBTable, site_addend) - offsetof(TLBTable, site_tag),
    .site_slots = TLB_SITE_SLOTS,
    .lazy_flags = true,
    .nzcv_offset = offsetof(CPUState, nzcv),
    .lazy_flags_offset = offsetof(CPUState, lazy_flags),
    .mmu_index = a64_mmu_index,
    .jmp_cache_offset = offsetof(CPUState, jmp_cache.slots),
    .lookup = a64_lookup,
};

_Static_assert((sizeof(TLBEntry) & (sizeof(TLBEntry) - 1)) == 0, "the JIT indexes the TLB with a shift");
_Static_assert(TB_PAGE_BITS >= PAGE_BITS, "a block (within one guest page) lies in one page bucket of the TB cache");

static void engine_flush(void *jit) { jit_flush(jit); }

void engine_init(Engine *e, const EngineConfig *config)
{
    memset(e, 0, sizeof *e);
    e->config = *config;
    tb_cache_init(&e->tbs);
    if (config->kind != ENGINE_JIT)
        return;
    Jit *j = malloc(sizeof *j);
    char err[160];
    if (!j)
        nestor_fatal("out of memory creating the JIT");
    if (!jit_init(j, &a64_jit_target, config->code_cache_bytes, config->passes, config->instrument, err, sizeof err))
        nestor_fatal("%s", err);
    e->jit = j;
    e->tbs.backend = j;
    e->tbs.unlink = jit_unlink;
    e->tbs.flush = engine_flush;
}

void engine_destroy(Engine *e)
{
    tb_cache_destroy(&e->tbs);
    if (e->jit) {
        jit_destroy(e->jit);
        free(e->jit);
        e->jit = NULL;
    }
}

void cpu_engine_attach(CPUState *cpu, Engine *e)
{
    cpu->engine = e;
    cpu->jit = e->jit;
    tb_cache_add_jmp_cache(&e->tbs, &cpu->jmp_cache);
}

void engine_print_stats(const Engine *e, const CPUState *cpus, unsigned ncpus, FILE *out)
{
    JitCounters sum = {0};
    for (unsigned i = 0; i < ncpus; i++) {
        const CPUState *cpu = &cpus[i];
        fprintf(out, "cpu%u: guest instructions executed: %" PRIu64 ", blocks translated: %" PRIu64 "\n", cpu->index,
                cpu->icount - cpu->idle, cpu->translated);
        sum.block_entries += cpu->jit_counters.block_entries;
        sum.mem_fast += cpu->jit_counters.mem_fast;
        sum.mem_slow += cpu->jit_counters.mem_slow;
        sum.lookups += cpu->jit_counters.lookups;
        sum.lookup_hits += cpu->jit_counters.lookup_hits;
    }
    fprintf(out, "blocks: %zu cached, shared by %u CPU(s)\n", e->tbs.count, ncpus);
    if (e->jit)
        jit_print_stats(e->jit, &sum, out);
}

/* Marks the pages of a new block as holding code; write fast paths to them are
 * dropped so that stores reach the slow path and invalidate. */
static void mark_code_page(CPUState *cpu, uint64_t ppc)
{
    AddressSpace *as = cpu->as;
    uint64_t page = (ppc - as->ram_base) >> PAGE_BITS;
    if (as->code_pages[page] != CODE_PAGE_CURRENT) {
        as->code_pages[page] = CODE_PAGE_CURRENT;
        const uint8_t *host = as_ram_ptr(as, as->ram_base + (page << PAGE_BITS), PAGE_SIZE);
        if (as->cpus) { /* any CPU's store must now reach the slow path */
            for (unsigned c = 0; c < as->ncpus; c++)
                tlb_drop_write_fast_paths(&as->cpus[c].tlb, host);
        } else {
            tlb_drop_write_fast_paths(&cpu->tlb, host);
        }
    }
}

static bool checks_breakpoints_of(const TB *tb, void *cpu)
{
    return (tb->flags & A64_TB_BREAKPOINTS) && tb->flags >> A64_TB_CPU_SHIFT == ((CPUState *)cpu)->index;
}

/* A breakpoint register changed: the blocks that checked this CPU's
 * breakpoints go (the flags name the CPU, so no other CPU runs them). */
static bool drop_breakpoint_blocks(CPUState *cpu)
{
    if (!cpu->bp_changed)
        return false;
    cpu->bp_changed = false;
    if (!cpu->bp_blocks)
        return false;
    cpu->bp_blocks = false;
    tb_invalidate_if(&cpu->engine->tbs, checks_breakpoints_of, cpu);
    return true;
}

/* The block at pc for the current state, translated (and compiled) if new.
 * *flushed is set when the code cache had to be emptied. */
static TB *find_block(CPUState *cpu, bool *flushed)
{
    uint32_t first;
    uint64_t ppc;
    bool guarded;
    mmu_fetch_insn(cpu, cpu->pc, &first, &ppc, &guarded, true); /* raises the fetch fault */
    uint32_t flags = a64_tb_flags(cpu, guarded);
    TBCache *tbs = &cpu->engine->tbs;
    TB *tb = cpu->jmp_cache.slots[tb_jmp_cache_index(cpu->pc)];
    if (tb && tb->vpc == cpu->pc && tb->ppc == ppc && tb->flags == flags)
        return tb;
    tb = tb_lookup(tbs, cpu->pc, ppc, flags);
    if (!tb) {
        tb = tb_new(cpu->pc, ppc, flags);
        a64_translate_block(cpu, tb, first);
        if (cpu->jit) {
            JitResult r = jit_compile(cpu->jit, tb, cpu);
            if (r == JIT_CACHE_FULL) {
                tb_cache_flush(tbs); /* also empties the code cache */
                *flushed = true;
                r = jit_compile(cpu->jit, tb, cpu);
                if (r == JIT_CACHE_FULL)
                    nestor_fatal("one translation block does not fit in the %" PRIu64
                                 "-byte code cache (raise -accel jit,tb-size=MIB)",
                                 cpu->engine->config.code_cache_bytes);
            }
        }
        tb_insert(tbs, tb);
        cpu->translated++;
        if (flags & A64_TB_BREAKPOINTS)
            cpu->bp_blocks = true;
        mark_code_page(cpu, ppc);
    }
    tb_jmp_cache_set(&cpu->jmp_cache, tb);
    return tb;
}

/* JitTarget.lookup: an indirect branch from compiled code. Only finds blocks
 * that exist: translating here could flush the code cache under the caller. */
static const void *a64_lookup(void *env, uint64_t pc)
{
    CPUState *cpu = env;
    cpu->jit_counters.lookups++;
    uint64_t branch_pc = cpu_branch_pc(cpu, pc); /* a tagged target: blocks have untagged pcs */
    if (branch_pc != pc)
        cpu->pc = pc = branch_pc;
    TB *tb = cpu->jmp_cache.slots[tb_jmp_cache_index(pc)];
    uint32_t flags = a64_tb_flags(cpu, false);
    /* a jump-cache block has its page's GP (translate.h) */
    if (!tb || tb->vpc != pc || (tb->flags & ~A64_TB_GUARDED) != flags) {
        uint32_t insn;
        uint64_t ppc;
        bool guarded;
        if (!mmu_fetch_insn(cpu, pc, &insn, &ppc, &guarded, false))
            return NULL;
        tb = tb_lookup(&cpu->engine->tbs, pc, ppc, flags | (guarded ? A64_TB_GUARDED : 0));
        if (!tb)
            return NULL;
        tb_jmp_cache_set(&cpu->jmp_cache, tb);
    }
    if (!tb->code || cpu->code_dirty) /* the target's prologue checks the budget */
        return NULL;
    cpu->jit_counters.lookup_hits++;
    return tb->code;
}

/* Where execution must stop next: the timer deadline or the end of the budget. */
static uint64_t next_stop(const CPUState *cpu)
{
    return cpu->timer_deadline < cpu->run_limit ? cpu->timer_deadline : cpu->run_limit;
}

CPUExit cpu_run(CPUState *cpu, uint64_t budget)
{
    jmp_buf unwind;
    volatile uintptr_t last_exit = 0; /* unchained jump that brought us back, to chain (volatile: setjmp) */
    cpu->run_limit = cpu->icount + budget;
    /* -d exec wants to see every block: no chaining, every lookup misses */
    bool chain = !log_enabled(LOG_EXEC);
    cpu->unwind = &unwind;
    if (setjmp(unwind)) {
        if (cpu->in_block)
            cpu->icount -= cpu->icount_undo;
        else
            cpu->icount++; /* a fault fetching the block's first instruction */
        cpu->in_block = false;
        last_exit = 0;
        if (cpu->exit_requested) {
            cpu->exit_requested = false;
            return cpu->exit_reason;
        }
    }
    while (cpu->icount < cpu->run_limit) {
        /* An indirect branch leaves the target in pc as it was: the PC it
         * sets is that without a tag (interrupts must save that one). */
        cpu->pc = cpu_branch_pc(cpu, cpu->pc);
        if (cpu->icount >= cpu->timer_deadline)
            cpu_timer_update(cpu);
        if (cpu->halted) {
            if (!cpu_wakeup_pending(cpu)) {
                /* WFI: nothing can happen until the next timer deadline (or
                 * another device, which only runs between budgets): skip to
                 * it. Time is icount, so the skipped part counts as idle. */
                uint64_t until = next_stop(cpu);
                cpu->idle += until - cpu->icount;
                cpu->icount = until;
                continue;
            }
            cpu->halted = false;
        }
        if (cpu_take_pending_interrupt(cpu))
            last_exit = 0;
        /* Blocks stop at the next timer deadline, so that the timer fires
         * after a deterministic number of instructions. */
        cpu->icount_limit = chain ? next_stop(cpu) : 0;
        /* Breakpoints changed (bp_changed): translations checked the old ones. */
        if (mmu_apply_code_invalidations(cpu) | drop_breakpoint_blocks(cpu))
            last_exit = 0; /* the block it came from may be gone */
        cpu_debug_check_step(cpu); /* a pending Software Step comes first */
        if (cpu->pstate & PSTATE_IL)
            cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_ILLEGAL_STATE, 0, cpu->pc, false, 0);
        bool flushed = false;
        TB *tb = find_block(cpu, &flushed);
        if (flushed)
            last_exit = 0;
        /* A stepped instruction runs alone and returns here (no chaining on). */
        bool step = tb->flags & A64_TB_STEP;
        if (step) {
            cpu->ss_keep = cpu->ss_ldex = false;
            cpu->icount_limit = cpu->icount + 1;
        }
        if (log_enabled(LOG_EXEC))
            log_printf("Trace: EL%u 0x%016" PRIx64 " (%u insns)\n", cpu_el(cpu), tb->vpc, tb->ninsns);
        cpu->in_block = true;
        if (tb->code) {
            if (last_exit && chain)
                jit_chain(cpu->jit, last_exit, tb);
            if (!chain) /* let this one block run */
                cpu->icount_limit = cpu->icount + 1;
            last_exit = jit_execute(cpu->jit, cpu, tb);
        } else {
            cpu->icount += tb->ninsns;
            ir_interpret(&tb->ir, cpu, &a64_jit_target.ir);
            last_exit = 0;
        }
        cpu->in_block = false;
        if (step)
            cpu_debug_step_done(cpu);
    }
    return CPU_EXIT_BUDGET;
}
