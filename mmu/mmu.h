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
    ABT_CM = 1u << 8, /* from a cache maintenance or address translation instruction */
    DABT_WNR = 1u << 6,
    ABT_S1PTW = 1u << 7, /* data and instruction aborts: stage 2 fault on a stage 1 walk */
};

MMUIdx mmu_index(const CPUState *cpu, bool unprivileged);

/* The IRTarget memory callbacks (env is the CPUState). */
uint64_t mmu_load(void *env, uint64_t va, unsigned size, unsigned flags, uint64_t syndrome);
void mmu_store(void *env, uint64_t va, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome);

/* Fetches the instruction at va for translation. With raise_fault, a failed
 * fetch takes the instruction abort (or PC alignment fault); without, it just
 * returns false (used for every instruction after a block's first).
 * *guarded (if not NULL) says whether va's page is a guarded page (FEAT_BTI
 * stage 1 GP). */
bool mmu_fetch_insn(CPUState *cpu, uint64_t va, uint32_t *insn, uint64_t *pa, bool *guarded, bool raise_fault);

/* True if a data write at va is to Device memory (raises the translation
 * fault if va does not translate). */
bool mmu_data_is_device(CPUState *cpu, uint64_t va);
/* Raises the alignment fault of a data access at va. */
_Noreturn void mmu_raise_alignment_fault(CPUState *cpu, uint64_t va, bool is_write);

/* A translation control changed (TTBR, TCR, SCTLR, MAIR, HCR, VTTBR...):
 * the TLB looks for the context of the new values at its next fill; no
 * entry is dropped (mmu/tlb.h). */
void mmu_translation_changed(CPUState *cpu);

/* What a TLBI instruction names (sysops.def tlbi column, DDI 0487 D8.13). */
enum {
    TLBI_E1 = 1 << 0,        /* an EL1 instruction: EL1&0 with the current VMID, EL2&0 at EL2 with {E2H,TGE} = {1,1} */
    TLBI_E2 = 1 << 1,        /* the EL2 regime (or EL2&0 with E2H) */
    TLBI_ALL_VMIDS = 1 << 2, /* EL1&0 of every VMID (ALLE1); without E1/E2: EL1&0 of the current VMID */
    TLBI_VA = 1 << 3,        /* by VA: Xt[43:0] = VA[55:12] */
    TLBI_ASID = 1 << 4,      /* by ASID: Xt[63:48] (by VA: that ASID's entries and global ones) */
    TLBI_IPA = 1 << 5,       /* stage 2 by IPA: Xt[39:0] = IPA[51:12] */
    TLBI_RANGE = 1 << 6,     /* FEAT_TLBIRANGE: Xt is a range (mmu/access.c tlbi_range) */
    TLBI_BCAST = 1 << 7,     /* Inner or Outer Shareable: every CPU */
};

/* Executes TLBI op (TLBI_* flags) with operand xt. */
void mmu_tlbi(CPUState *cpu, unsigned op, uint64_t xt);

/* An AT instruction: translates va for a read or write through MMU index idx
 * (stage 1 only, or stages 1 and 2) and returns the PAR_EL1 value. */
uint64_t mmu_address_translate(CPUState *cpu, uint64_t va, MMUIdx idx, bool write, bool stage1_only);

/* Applies the invalidations that stores to code pages requested (returns
 * whether there were any). Called by the run loop between blocks, when no
 * block is executing. */
bool mmu_apply_code_invalidations(CPUState *cpu);

#endif
