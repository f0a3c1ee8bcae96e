/* The run loop (DESIGN.md §2): find or translate the block at pc, execute it
 * on the selected engine, repeat. Exceptions and exits unwind here. */
#include <inttypes.h>

#include "cpu/cpu.h"
#include "decoder/translate.h"
#include "mmu/mmu.h"
#include "mmu/physmem.h"
#include "trace/log.h"

static const IRTarget a64_target = {
    .pc_offset = offsetof(CPUState, pc),
    .load = mmu_load,
    .store = mmu_store,
};

/* Marks the pages of a new block as holding code; write fast paths to them are
 * dropped so that stores reach the slow path and invalidate. */
static void mark_code_page(CPUState *cpu, uint64_t ppc)
{
    AddressSpace *as = cpu->as;
    uint64_t page = (ppc - as->ram_base) >> PAGE_BITS;
    if (as->code_pages[page] != 1) {
        as->code_pages[page] = 1;
        for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
            for (unsigned i = 0; i < TLB_ENTRIES; i++)
                cpu->tlb.e[idx][i].addr_write = TLB_NO_MATCH;
    }
}

static TB *find_block(CPUState *cpu)
{
    uint32_t first;
    uint64_t ppc;
    mmu_fetch_insn(cpu, cpu->pc, &first, &ppc, true); /* raises the fetch fault */
    uint32_t flags = a64_tb_flags(cpu);
    TB *tb = tb_lookup(&cpu->tbs, cpu->pc, ppc, flags);
    if (tb)
        return tb;
    tb = tb_new(cpu->pc, ppc, flags);
    a64_translate_block(cpu, tb, first);
    tb_insert(&cpu->tbs, tb);
    mark_code_page(cpu, ppc);
    return tb;
}

CPUExit cpu_run(CPUState *cpu, uint64_t budget)
{
    jmp_buf unwind;
    uint64_t start = cpu->icount;
    cpu->unwind = &unwind;
    if (setjmp(unwind)) {
        /* An exception was taken or an exit requested in the middle of a
         * block: the instructions before the one that raised it retired, and
         * the one that raised it counts as executed too (so that a guest
         * faulting forever still exhausts its budget). */
        if (cpu->tb_start_pc != EXCL_NONE)
            cpu->icount += (cpu->fault_pc - cpu->tb_start_pc) / 4;
        cpu->icount++;
        cpu->tb_start_pc = EXCL_NONE;
        if (cpu->exit_requested) {
            cpu->exit_requested = false;
            return cpu->exit_reason;
        }
    }
    while (cpu->icount - start < budget) {
        cpu->tb_start_pc = EXCL_NONE;
        mmu_apply_code_invalidations(cpu);
        if (cpu->pstate & PSTATE_IL) {
            cpu->fault_pc = cpu->pc;
            cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_ILLEGAL_STATE, 0, cpu->pc, false, 0);
        }
        TB *tb = find_block(cpu);
        if (log_enabled(LOG_EXEC))
            log_printf("Trace: EL%u 0x%016" PRIx64 " (%u insns)\n", cpu_el(cpu), tb->vpc, tb->ninsns);
        cpu->tb_start_pc = tb->vpc;
        ir_interpret(&tb->ir, cpu, &a64_target);
        cpu->icount += tb->ninsns;
    }
    cpu->tb_start_pc = EXCL_NONE;
    return CPU_EXIT_BUDGET;
}
