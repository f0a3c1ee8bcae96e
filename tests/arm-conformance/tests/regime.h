/*
 * The stage 1 translation regime a test runs its MMU probes in (EL1&0, EL2
 * with E2H 0, EL2&0) and what depends on it: the execute-never and AP bits
 * of its descriptors, its SCTLR, the TLBI of all its entries, and turning
 * its MMU off. Tests set cur_regime and build their own tables and TCR.
 */
#ifndef NESTOR_CONF_REGIME_H
#define NESTOR_CONF_REGIME_H

#include "testlib.h"

enum regime { R_EL10, R_EL2, R_EL20 };
static enum regime cur_regime;

#define TCR_EL2_RES1 0x80800000ul /* TCR_EL2 bits 31 and 23 with E2H 0 */

static inline uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Execute-never bits of a regime: the EL2 regime has one XN bit (54). */
static inline uint64_t xn_all(void) { return cur_regime == R_EL2 ? PTE_UXN : PTE_UXN | PTE_PXN; }
/* AP[1] is RES1 in the EL2 regime, which has no EL0 side. */
static inline uint64_t ap_priv(void) { return cur_regime == R_EL2 ? PTE_AP_EL0 : 0; }
static inline uint64_t normal(void) { return PTE_ATTR(PT_ATTR_NORMAL) | PTE_SH_INNER | PTE_AF; }

static inline void tlbi_all(void)
{
    if (cur_regime == R_EL10)
        asm volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    else
        asm volatile("dsb ishst\n\ttlbi alle2\n\tdsb ish\n\tisb" ::: "memory");
}

/* SCTLR_EL1 or SCTLR_EL2 (the SCTLR_EL1 layout with E2H 1). */
static inline void set_sctlr(uint64_t v)
{
    if (cur_regime == R_EL10)
        write_sysreg(sctlr_el1, v);
    else
        write_sysreg(sctlr_el2, v);
    isb();
}

static inline void mmu_off(void)
{
    if (cur_regime == R_EL10) {
        set_sctlr(SCTLR_EL1_RES1);
    } else {
        set_sctlr(SCTLR_EL2_RES1);
        write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_E2H);
        isb();
    }
    tlbi_all();
}

#endif
