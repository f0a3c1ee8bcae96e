/* Registers whose behaviour is more than storage (named in sysregs.def). */
#ifndef NESTOR_SYSREGS_SYSREG_HOOKS_H
#define NESTOR_SYSREGS_SYSREG_HOOKS_H

#include "sysregs/sysregs.h"

extern const SysregHooks sysreg_hooks_midr, sysreg_hooks_mpidr, sysreg_hooks_el0_uct;
extern const SysregHooks sysreg_hooks_nzcv, sysreg_hooks_daif, sysreg_hooks_currentel, sysreg_hooks_spsel;
extern const SysregHooks sysreg_hooks_sp_el0, sysreg_hooks_sp_el1;
/* Generic Timer (cpu/timer.c): counters, CNTVOFF_EL2, the timers. */
extern const SysregHooks sysreg_hooks_cntpct, sysreg_hooks_cntvct, sysreg_hooks_cntvoff, sysreg_hooks_timer;
/* Interrupts (sysreg_hooks_gic.c): ISR_EL1, the GICv3 CPU interface. */
extern const SysregHooks sysreg_hooks_isr, sysreg_hooks_icc, sysreg_hooks_ich;
extern const SysregHooks sysreg_hooks_fp;
extern const SysregHooks sysreg_hooks_zcr;
extern const SysregHooks sysreg_hooks_cpacr;

/* Translation controls: a write flushes the soft TLB (and the jump cache). */
extern const SysregHooks sysreg_hooks_translation, sysreg_hooks_hcr;
/* FEAT_HCX, FEAT_TCR2, FEAT_S1PIE: HCRX_EL2, TCR2_ELx, the nPIR bits of HFGxTR_EL2. */
extern const SysregHooks sysreg_hooks_hcrx, sysreg_hooks_tcr2, sysreg_hooks_tcr2_el1, sysreg_hooks_hfgxtr;
extern const SysregHooks sysreg_hooks_ccsidr;

/* PMU and debug (sysreg_hooks_pmu.c). */
extern const SysregHooks sysreg_hooks_pmcr, sysreg_hooks_pmu_en, sysreg_hooks_pmu_er, sysreg_hooks_pmu_set,
    sysreg_hooks_pmu_clr, sysreg_hooks_pmswinc, sysreg_hooks_pmccntr, sysreg_hooks_pmxevtyper, sysreg_hooks_pmxevcntr,
    sysreg_hooks_pmevcntr, sysreg_hooks_pmevtyper, sysreg_hooks_pmccfiltr, sysreg_hooks_mdcr;
extern const SysregHooks sysreg_hooks_mdccsr, sysreg_hooks_oslar, sysreg_hooks_dbgclaim_set, sysreg_hooks_dbgclaim_clr,
    sysreg_hooks_dbg_bp, sysreg_hooks_dbg_wp;

#endif
