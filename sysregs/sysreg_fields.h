/* Bit fields of system registers that Nestor's behaviour depends on, declared
 * once (DDI 0487 chapter D24). */
#ifndef NESTOR_SYSREGS_SYSREG_FIELDS_H
#define NESTOR_SYSREGS_SYSREG_FIELDS_H

/* HCR_EL2 */
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TSC (1ull << 19)
#define HCR_TGE (1ull << 27)
#define HCR_TDZ (1ull << 28)
#define HCR_HCD (1ull << 29)
#define HCR_RW (1ull << 31)
#define HCR_E2H (1ull << 34)

/* SCTLR_EL1 / SCTLR_EL2 */
#define SCTLR_M (1ull << 0)
#define SCTLR_UMA (1ull << 9)   /* EL0 access to DAIF */
#define SCTLR_DZE (1ull << 14)  /* EL0 DC ZVA */
#define SCTLR_UCT (1ull << 15)  /* EL0 access to CTR_EL0 */
#define SCTLR_NTWI (1ull << 16)
#define SCTLR_NTWE (1ull << 18)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_UCI (1ull << 26)  /* EL0 cache maintenance by VA */

/* CNTKCTL_EL1, CNTHCTL_EL2 (E2H = 0 layout) */
#define CNTKCTL_EL0PCTEN (1ull << 0)
#define CNTKCTL_EL0VCTEN (1ull << 1)
#define CNTHCTL_EL1PCTEN (1ull << 0)

/* FP/AdvSIMD enables: CPACR_EL1, CPTR_EL2 (FPEN in the E2H = 1 layout, TFP
 * in the E2H = 0 layout) */
#define CPACR_FPEN_SHIFT 20
#define CPACR_FPEN (3ull << CPACR_FPEN_SHIFT)
#define CPTR_FPEN_SHIFT 20
#define CPTR_TFP (1ull << 10)

#endif
