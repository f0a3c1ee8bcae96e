/* Bit fields of system registers that Nestor's behaviour depends on, declared
 * once (DDI 0487 chapter D24). */
#ifndef NESTOR_SYSREGS_SYSREG_FIELDS_H
#define NESTOR_SYSREGS_SYSREG_FIELDS_H

/* MPIDR_EL1 affinity fields: Aff3 (39:32), Aff2, Aff1, Aff0 (23:0) */
#define MPIDR_AFF_MASK 0xff00ffffffull
#define MPIDR_MT (1ull << 24) /* Aff0 numbers threads within a multithreaded core */

/* HCR_EL2 */
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_VF (1ull << 6)
#define HCR_VI (1ull << 7)
#define HCR_VSE (1ull << 8)
#define HCR_FB (1ull << 9)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TSC (1ull << 19)
#define HCR_TGE (1ull << 27)
#define HCR_TDZ (1ull << 28)
#define HCR_HCD (1ull << 29)
#define HCR_RW (1ull << 31)
#define HCR_E2H (1ull << 34)
#define HCR_TID1 (1ull << 16)
#define HCR_TID2 (1ull << 17)
#define HCR_TID3 (1ull << 18)
#define HCR_TIDCP (1ull << 20)
#define HCR_TACR (1ull << 21)
#define HCR_TSW (1ull << 22)
#define HCR_TPCP (1ull << 23)   /* TPC: cache maintenance to the PoC (and PoP) */
#define HCR_TPU (1ull << 24)
#define HCR_TTLB (1ull << 25)
#define HCR_TVM (1ull << 26)
#define HCR_TRVM (1ull << 30)
#define HCR_APK (1ull << 40)    /* 0: EL1 accesses to the PAuth keys trap */
#define HCR_API (1ull << 41)    /* 0: PAuth instructions at EL0/EL1 trap (EC 0x09) */

/* MDCR_EL2 */
#define MDCR_HPMN_MASK 0x1full
#define MDCR_TPMCR (1ull << 5)
#define MDCR_HPME (1ull << 7)
#define MDCR_TPM (1ull << 6)
#define MDCR_TDE (1ull << 8)
#define MDCR_TDA (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA (1ull << 11)

/* PMCR_EL0 */
#define PMCR_E (1ull << 0)
#define PMCR_P (1ull << 1)
#define PMCR_C (1ull << 2)
#define PMCR_D (1ull << 3)
#define PMCR_LC (1ull << 6)
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK (0x1full << PMCR_N_SHIFT)
#define PMCR_N(v) ((unsigned)(((v) & PMCR_N_MASK) >> PMCR_N_SHIFT)) /* event counters implemented */
/* PMCNTEN/PMOVS/PMINTEN: bit n is event counter n, this one the cycle counter. */
#define PMCNT_C 31

/* MDSCR_EL1, OSLSR_EL1, OSDLR_EL1 */
#define MDSCR_SS (1ull << 0)
#define MDSCR_TDCC (1ull << 12)
#define MDSCR_KDE (1ull << 13)
#define MDSCR_MDE (1ull << 15)
#define OSLSR_OSLK (1ull << 1)
#define OSDLR_DLK (1ull << 0)

/* CPTR_EL2 trap bits beyond FP: TCPAC in both layouts, TTA at bit 20
 * (E2H = 0) or 28 (E2H = 1) */
#define CPTR_TCPAC (1ull << 31)
#define CPTR_TTA (1ull << 20)
#define CPTR_E2H_TTA (1ull << 28)

/* SCTLR_EL1 / SCTLR_EL2 */
#define SCTLR_M (1ull << 0)
#define SCTLR_UMA (1ull << 9)   /* EL0 access to DAIF */
#define SCTLR_DZE (1ull << 14)  /* EL0 DC ZVA */
#define SCTLR_UCT (1ull << 15)  /* EL0 access to CTR_EL0 */
#define SCTLR_NTWI (1ull << 16)
#define SCTLR_NTWE (1ull << 18)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_UCI (1ull << 26)  /* EL0 cache maintenance by VA */
/* Pointer authentication enables (FEAT_PAuth), per key. */
#define SCTLR_ENIA (1ull << 31)
#define SCTLR_ENIB (1ull << 30)
#define SCTLR_ENDA (1ull << 27)
#define SCTLR_ENDB (1ull << 13)
/* BTI (FEAT_BTI): guarded pages of EL0 (BT0) and of the EL itself (BT). */
#define SCTLR_BT0 (1ull << 35)
#define SCTLR_BT1 (1ull << 36)

/* CNTKCTL_EL1 and CNTHCTL_EL2 with E2H = 1: EL0 access enables. */
#define CNTKCTL_EL0PCTEN (1ull << 0)
#define CNTKCTL_EL0VCTEN (1ull << 1)
#define CNTKCTL_EL0VTEN (1ull << 8)
#define CNTKCTL_EL0PTEN (1ull << 9)
/* CNTHCTL_EL2: EL0/EL1 access to the physical counter and timer. */
#define CNTHCTL_E2H0_EL1PCTEN (1ull << 0)
#define CNTHCTL_E2H0_EL1PCEN (1ull << 1)
#define CNTHCTL_E2H1_EL1PCTEN (1ull << 10)
#define CNTHCTL_E2H1_EL1PTEN (1ull << 11)

/* FP/AdvSIMD enables: CPACR_EL1, CPTR_EL2 (FPEN in the E2H = 1 layout, TFP
 * in the E2H = 0 layout) */
#define CPACR_FPEN_SHIFT 20
#define CPACR_FPEN (3ull << CPACR_FPEN_SHIFT)
#define CPTR_FPEN_SHIFT 20
#define CPTR_TFP (1ull << 10)
#define CPACR_ZEN_SHIFT 16
#define CPTR_ZEN_SHIFT 16
#define CPTR_TZ (1ull << 8)

/* ---- virtual memory (DDI 0487 D8, D24) ---- */
#define HCR_VM (1ull << 0)
#define HCR_PTW (1ull << 2)
#define HCR_DC (1ull << 12)
#define HCR_E2H (1ull << 34)
#define SCTLR_A (1ull << 1)     /* alignment check for every data access */
#define SCTLR_WXN (1ull << 19)
#define SCTLR_EE (1ull << 25)
#define SCTLR_EPAN (1ull << 57)

/* TCR_EL1 (and TCR_EL2 with E2H = 1): bit positions; n = 0 or 1 selects the
 * TTBR0 or TTBR1 half where fields come in pairs. */
#define TCR_TNSZ_SHIFT(n) ((n) ? 16 : 0)
#define TCR_EPD(n) (1ull << ((n) ? 23 : 7))
#define TCR_SH_SHIFT(n) ((n) ? 28 : 12)
#define TCR_TG_SHIFT(n) ((n) ? 30 : 14)
#define TCR_A1 (1ull << 22)
#define TCR_IPS_SHIFT 32
#define TCR_AS (1ull << 36)
#define TCR_TBI(n) (1ull << ((n) ? 38 : 37))
#define TCR_HA (1ull << 39)
#define TCR_HD (1ull << 40)
#define TCR_HPD(n) (1ull << ((n) ? 42 : 41))
#define TCR_TBID(n) (1ull << ((n) ? 52 : 51))
#define TCR_E0PD(n) (1ull << ((n) ? 56 : 55))
/* TCR_EL2 with E2H = 0 */
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL2_TBI (1ull << 20)
#define TCR_EL2_HA (1ull << 21)
#define TCR_EL2_HD (1ull << 22)
#define TCR_EL2_HPD (1ull << 24)
#define TCR_EL2_TBID (1ull << 29)
/* VTCR_EL2 */
#define VTCR_SL0_SHIFT 6
#define VTCR_SH0_SHIFT 12
#define VTCR_TG0_SHIFT 14
#define VTCR_PS_SHIFT 16
#define VTCR_VS (1ull << 19)
#define VTCR_HA (1ull << 21)
#define VTCR_HD (1ull << 22)

/* PMCEID0_EL0: the common events cpu/pmu.c counts, INST_RETIRED (0x08)
 * and CPU_CYCLES (0x11). */
#define PMCEID0_COUNTED (1ull << 0x08 | 1ull << 0x11)

/* TCR2_EL1/TCR2_EL2 (FEAT_TCR2): PIE enables S1PIE Indirect permissions;
 * the other fields belong to features Nestor does not implement (RES0). */
#define TCR2_PIE (1ull << 1)
/* HCRX_EL2 (FEAT_HCX): TCR2En makes TCR2_EL1 accessible and effective
 * below EL2 (IsTCR2EL1Enabled). */
#define HCRX_TCR2EN (1ull << 14)
/* HFGITR_EL2 bits of instructions that are not SYS operations (sysops.def
 * holds the others) */
#define HFGITR_ERET (1ull << 51)
#define HFGITR_SVC_EL0 (1ull << 52)
#define HFGITR_SVC_EL1 (1ull << 53)
/* HFGRTR_EL2/HFGWTR_EL2 inverted bits of the S1PIE registers (trap when 0) */
#define HFGXTR_NPIR_EL1 (1ull << 58)
#define HFGXTR_NPIRE0_EL1 (1ull << 57)

/* PAR_EL1 */
#define PAR_F (1ull << 0)
#define PAR_FST_SHIFT 1
#define PAR_PTW (1ull << 8)
#define PAR_S (1ull << 9)       /* fault format: stage 2 */
#define PAR_NS (1ull << 9)      /* success format */
#define PAR_RES1_FAULT (1ull << 11)
#define PAR_SH_SHIFT 7
#define PAR_ATTR_SHIFT 56

#endif
