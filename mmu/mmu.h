/* Virtual memory accesses of a CPU: the soft-TLB slow path, translation and
 * the aborts it raises (DESIGN.md §3). */
#ifndef NESTOR_MMU_MMU_H
#define NESTOR_MMU_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* Fault status codes (DFSC/IFSC) the MMU raises. */
enum {
    FSC_ADDR_SIZE_L0 = 0x00,
    FSC_SYNC_EXTERNAL = 0x10,
    FSC_ALIGNMENT = 0x21,
};

/* ESR ISS bits of data aborts that the translator's syndrome template may set. */
enum {
    DABT_ISV = 1u << 24,
    DABT_SAS_SHIFT = 22,
    DABT_SSE = 1u << 21,
    DABT_SRT_SHIFT = 16,
    DABT_SF = 1u << 15,
    DABT_AR = 1u << 14,
    DABT_EA = 1u << 9,
    DABT_WNR = 1u << 6,
};

MMUIdx mmu_index(const CPUState *cpu, bool unprivileged);

/* The IRTarget memory callbacks (env is the CPUState). */
uint64_t mmu_load(void *env, uint64_t va, unsigned size, unsigned flags, uint64_t syndrome);
void mmu_store(void *env, uint64_t va, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome);

/* Fetches the instruction at va for translation. With raise_fault, a failed
 * fetch takes the instruction abort (or PC alignment fault); without, it just
 * returns false (used for every instruction after a block's first). */
bool mmu_fetch_insn(CPUState *cpu, uint64_t va, uint32_t *insn, uint64_t *pa, bool raise_fault);

/* True if data accesses of the current regime are to Device memory whatever
 * the address (stage 1 disabled: SCTLR_ELx.M == 0). */
bool mmu_data_is_device(const CPUState *cpu);
/* Raises the alignment fault of a data access at va. */
_Noreturn void mmu_raise_alignment_fault(CPUState *cpu, uint64_t va, bool is_write);

/* Applies the invalidations that stores to code pages requested (returns
 * whether there were any). Called by the run loop between blocks, when no
 * block is executing. */
bool mmu_apply_code_invalidations(CPUState *cpu);

#endif
