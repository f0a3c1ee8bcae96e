/*
 * EL2 trap controls over EL1 and EL0 system-register and SYS-instruction
 * accesses (DDI 0487 D1.11.2, D24.2 HCR_EL2, MDCR_EL2, CPTR_EL2): entered
 * at EL2, each case sets one control bit, runs one access at EL1 (or EL0),
 * and prints the exception it caused (the EL it was taken to and ESR), then
 * the same access with the control clear. Every access uses x0, so the
 * expected ISS (op0, op1, CRn, CRm, op2, Rt = 0, direction) is known and
 * checked against the Arm ARM here too.
 *
 * Built twice: plain (diffed against QEMU 7.2) and with -DBEYOND_QEMU, which
 * adds FEAT_FGT (HFGRTR/HFGWTR/HFGITR/HDFGRTR_EL2, not in QEMU 7.2), run by
 * Nestor alone with the "max" CPU.
 */
#include "testlib.h"

#define HCR_TWI (1ul << 13)
#define HCR_TWE (1ul << 14)
#define HCR_TID1 (1ul << 16)
#define HCR_TID2 (1ul << 17)
#define HCR_TID3 (1ul << 18)
#define HCR_TACR (1ul << 21)
#define HCR_TSW (1ul << 22)
#define HCR_TPCP (1ul << 23)
#define HCR_TPU (1ul << 24)
#define HCR_TTLB (1ul << 25)
#define HCR_TDZ (1ul << 28)
#define MDCR_TPMCR (1ul << 5)
#define MDCR_TPM (1ul << 6)
#define MDCR_TDE (1ul << 8)
#define MDCR_TDA (1ul << 9)
#define MDCR_TDOSA (1ul << 10)
#define MDCR_TDRA (1ul << 11)
#define CPTR_TCPAC (1ul << 31)
#define SCTLR_DZE (1ul << 14)
#define SCTLR_UCI (1ul << 26)

static uint8_t buffer[256] __attribute__((aligned(256)));

PROBE(w_sctlr, "mrs x0, sctlr_el1\n\tmsr sctlr_el1, x0")
PROBE(w_ttbr0, "mrs x0, ttbr0_el1\n\tmsr ttbr0_el1, x0")
PROBE(w_mair, "mrs x0, mair_el1\n\tmsr mair_el1, x0")
PROBE(w_contextidr, "mrs x0, contextidr_el1\n\tmsr contextidr_el1, x0")
PROBE(r_sctlr, "mrs x0, sctlr_el1")
PROBE(r_tcr, "mrs x0, tcr_el1")
PROBE(r_esr, "mrs x0, esr_el1")
PROBE(r_far, "mrs x0, far_el1")
PROBE(r_contextidr, "mrs x0, contextidr_el1")
PROBE(r_revidr, "mrs x0, revidr_el1")
PROBE(r_aidr, "mrs x0, aidr_el1")
PROBE(r_ctr, "mrs x0, ctr_el0")
PROBE(r_ccsidr, "mrs x0, ccsidr_el1")
PROBE(r_clidr, "mrs x0, clidr_el1")
PROBE(r_csselr, "mrs x0, csselr_el1")
PROBE(w_csselr, "msr csselr_el1, xzr")
PROBE(r_pfr0, "mrs x0, id_aa64pfr0_el1")
PROBE(r_mmfr0, "mrs x0, id_aa64mmfr0_el1")
PROBE(r_id_pfr0, "mrs x0, id_pfr0_el1")
PROBE(r_mvfr0, "mrs x0, mvfr0_el1")
PROBE(r_id_reserved, "mrs x0, s3_0_c0_c3_3")
PROBE(r_actlr, "mrs x0, actlr_el1")
PROBE(dc_isw, "dc isw, x0")
PROBE(dc_csw, "dc csw, x0")
PROBE(dc_cisw, "dc cisw, x0")
PROBE(dc_civac, "dc civac, x0")
PROBE(dc_cvac, "dc cvac, x0")
PROBE(dc_cvau, "dc cvau, x0")
PROBE(ic_ivau, "ic ivau, x0")
PROBE(ic_iallu, "ic iallu")
PROBE(ic_ialluis, "ic ialluis")
PROBE(tlbi_vmalle1, "tlbi vmalle1")
PROBE(tlbi_vae1, "tlbi vae1, x0")
PROBE(tlbi_vmalle1is, "tlbi vmalle1is")
PROBE(dc_zva, "dc zva, x0")
PROBE(wfi, "wfi")
PROBE(r_mdscr, "mrs x0, mdscr_el1")
PROBE(r_dbgbvr0, "mrs x0, dbgbvr0_el1")
PROBE(w_oslar, "msr oslar_el1, x0")
PROBE(r_oslsr, "mrs x0, oslsr_el1")
PROBE(r_mdrar, "mrs x0, mdrar_el1")
PROBE(r_pmcr, "mrs x0, pmcr_el0")
PROBE(r_pmccntr, "mrs x0, pmccntr_el0")
PROBE(r_pmcntenset, "mrs x0, pmcntenset_el0")
PROBE(r_pmuserenr, "mrs x0, pmuserenr_el0")
PROBE(r_cpacr, "mrs x0, cpacr_el1")
PROBE(w_cpacr, "mrs x0, cpacr_el1\n\tmsr cpacr_el1, x0")
#ifdef BEYOND_QEMU
/* The Event Register is set on exception return (D1.6.1) and a WFE with it
 * set completes without waiting, so without trapping: SEVL+WFE empties it
 * (whether or not the first WFE traps, the last exception is the second's). */
PROBE(wfe, "sevl\n\twfe\n\twfe")
PROBE(r_impdef, "mrs x0, s3_0_c15_c0_0")
PROBE(r_dbgclaim, "mrs x0, dbgclaimclr_el1")
PROBE(r_tpidr, "mrs x0, tpidr_el1")
PROBE(w_tpidr, "mrs x0, tpidr_el1\n\tmsr tpidr_el1, x0")
PROBE(r_midr, "mrs x0, midr_el1")
PROBE(w_vbar, "mrs x0, vbar_el1\n\tmsr vbar_el1, x0")
PROBE(at_s1e1r, "at s1e1r, x0")
PROBE(w_mdscr, "mrs x0, mdscr_el1\n\tmsr mdscr_el1, x0")
PROBE(r_pmselr, "mrs x0, pmselr_el0")
/* SVC not trapped returns past itself, trapped (HFGITR_EL2.SVC_ELx) to
 * itself: the handler's ELR + 4 then skips the NOP, so both resume alike. */
PROBE(svc, "svc #0x1234\n\tnop")
/* ERET to the next instruction at EL1h (DAIF masked, as run_at_el1 runs);
 * trapped (HFGITR_EL2.ERET), the handler skips it and lands there too. */
static uint64_t eret(uint64_t arg)
{
    asm volatile("adr x1, 1f\n\tmsr elr_el1, x1\n\tmov x1, #0x3c5\n\tmsr spsr_el1, x1\n\teret\n1:"
                 ::: "x1", "memory");
    return arg;
}
/* ERETAA / ERETAB (FEAT_PAuth, on max): with SCTLR_EL1.EnIA/EnIB clear they
 * return to ELR unauthenticated, like ERET. */
static uint64_t eretaa(uint64_t arg)
{
    asm volatile("adr x1, 1f\n\tmsr elr_el1, x1\n\tmov x1, #0x3c5\n\tmsr spsr_el1, x1\n\t.inst 0xd69f0bff\n1:"
                 ::: "x1", "memory");
    return arg;
}
static uint64_t eretab(uint64_t arg)
{
    asm volatile("adr x1, 1f\n\tmsr elr_el1, x1\n\tmov x1, #0x3c5\n\tmsr spsr_el1, x1\n\t.inst 0xd69f0fff\n1:"
                 ::: "x1", "memory");
    return arg;
}
#endif

enum ctl { HCR, MDCR, CPTR, HFGRTR, HFGWTR, HFGITR, HDFGRTR, HDFGWTR };
static const char *const ctl_names[] = {"HCR_EL2", "MDCR_EL2", "CPTR_EL2", "HFGRTR_EL2",
                                        "HFGWTR_EL2", "HFGITR_EL2", "HDFGRTR_EL2", "HDFGWTR_EL2"};

#define WFX(wfe) (1ul << 24 | 0xeul << 20 | (wfe))

struct trap_case {
    const char *name;
    enum ctl ctl;
    uint64_t bits;
    lower_el_fn fn;
    unsigned el;      /* 1 or 0 */
    unsigned ec;      /* expected with the control set: 0x18 or 0x01 (WFx) */
    uint64_t iss;
};

static const struct trap_case cases[] = {
    {"TVM msr sctlr_el1", HCR, HCR_TVM, w_sctlr, 1, 0x18, SYS(3, 0, 1, 0, 0, 0)},
    {"TVM msr ttbr0_el1", HCR, HCR_TVM, w_ttbr0, 1, 0x18, SYS(3, 0, 2, 0, 0, 0)},
    {"TVM msr mair_el1", HCR, HCR_TVM, w_mair, 1, 0x18, SYS(3, 0, 10, 2, 0, 0)},
    {"TVM msr contextidr_el1", HCR, HCR_TVM, w_contextidr, 1, 0x18, SYS(3, 0, 13, 0, 1, 0)},
    {"TRVM mrs sctlr_el1", HCR, HCR_TRVM, r_sctlr, 1, 0x18, SYS(3, 0, 1, 0, 0, 1)},
    {"TRVM mrs tcr_el1", HCR, HCR_TRVM, r_tcr, 1, 0x18, SYS(3, 0, 2, 0, 2, 1)},
    {"TRVM mrs esr_el1", HCR, HCR_TRVM, r_esr, 1, 0x18, SYS(3, 0, 5, 2, 0, 1)},
    {"TRVM mrs far_el1", HCR, HCR_TRVM, r_far, 1, 0x18, SYS(3, 0, 6, 0, 0, 1)},
    {"TRVM mrs contextidr_el1", HCR, HCR_TRVM, r_contextidr, 1, 0x18, SYS(3, 0, 13, 0, 1, 1)},
    {"TID1 mrs revidr_el1", HCR, HCR_TID1, r_revidr, 1, 0x18, SYS(3, 0, 0, 0, 6, 1)},
    {"TID1 mrs aidr_el1", HCR, HCR_TID1, r_aidr, 1, 0x18, SYS(3, 1, 0, 0, 7, 1)},
    {"TID2 mrs ctr_el0", HCR, HCR_TID2, r_ctr, 1, 0x18, SYS(3, 3, 0, 0, 1, 1)},
    {"TID2 mrs ctr_el0 (EL0)", HCR, HCR_TID2, r_ctr, 0, 0x18, SYS(3, 3, 0, 0, 1, 1)},
    {"TID2 mrs ccsidr_el1", HCR, HCR_TID2, r_ccsidr, 1, 0x18, SYS(3, 1, 0, 0, 0, 1)},
    {"TID2 mrs clidr_el1", HCR, HCR_TID2, r_clidr, 1, 0x18, SYS(3, 1, 0, 0, 1, 1)},
    {"TID2 mrs csselr_el1", HCR, HCR_TID2, r_csselr, 1, 0x18, SYS(3, 2, 0, 0, 0, 1)},
    {"TID2 msr csselr_el1", HCR, HCR_TID2, w_csselr, 1, 0x18, SYS(3, 2, 0, 0, 0, 0) | 31 << 5},
    {"TID3 mrs id_aa64pfr0_el1", HCR, HCR_TID3, r_pfr0, 1, 0x18, SYS(3, 0, 0, 4, 0, 1)},
    {"TID3 mrs id_aa64mmfr0_el1", HCR, HCR_TID3, r_mmfr0, 1, 0x18, SYS(3, 0, 0, 7, 0, 1)},
    {"TID3 mrs id_pfr0_el1", HCR, HCR_TID3, r_id_pfr0, 1, 0x18, SYS(3, 0, 0, 1, 0, 1)},
    {"TID3 mrs mvfr0_el1", HCR, HCR_TID3, r_mvfr0, 1, 0x18, SYS(3, 0, 0, 3, 0, 1)},
    {"TID3 mrs s3_0_c0_c3_3 (RAZ)", HCR, HCR_TID3, r_id_reserved, 1, 0x18, SYS(3, 0, 0, 3, 3, 1)},
    {"TACR mrs actlr_el1", HCR, HCR_TACR, r_actlr, 1, 0x18, SYS(3, 0, 1, 0, 1, 1)},
    {"TSW dc isw", HCR, HCR_TSW, dc_isw, 1, 0x18, SYS(1, 0, 7, 6, 2, 0)},
    {"TSW dc csw", HCR, HCR_TSW, dc_csw, 1, 0x18, SYS(1, 0, 7, 10, 2, 0)},
    {"TSW dc cisw", HCR, HCR_TSW, dc_cisw, 1, 0x18, SYS(1, 0, 7, 14, 2, 0)},
    {"TPCP dc civac", HCR, HCR_TPCP, dc_civac, 1, 0x18, SYS(1, 3, 7, 14, 1, 0)},
    {"TPCP dc cvac", HCR, HCR_TPCP, dc_cvac, 1, 0x18, SYS(1, 3, 7, 10, 1, 0)},
    {"TPCP dc civac (EL0)", HCR, HCR_TPCP, dc_civac, 0, 0x18, SYS(1, 3, 7, 14, 1, 0)},
    {"TPU dc cvau", HCR, HCR_TPU, dc_cvau, 1, 0x18, SYS(1, 3, 7, 11, 1, 0)},
    {"TPU ic ivau", HCR, HCR_TPU, ic_ivau, 1, 0x18, SYS(1, 3, 7, 5, 1, 0)},
    {"TPU ic iallu", HCR, HCR_TPU, ic_iallu, 1, 0x18, SYS(1, 0, 7, 5, 0, 0) | 31 << 5},
    {"TPU ic ialluis", HCR, HCR_TPU, ic_ialluis, 1, 0x18, SYS(1, 0, 7, 1, 0, 0) | 31 << 5},
    {"TPU ic ivau (EL0)", HCR, HCR_TPU, ic_ivau, 0, 0x18, SYS(1, 3, 7, 5, 1, 0)},
    {"TTLB tlbi vmalle1", HCR, HCR_TTLB, tlbi_vmalle1, 1, 0x18, SYS(1, 0, 8, 7, 0, 0) | 31 << 5},
    {"TTLB tlbi vae1", HCR, HCR_TTLB, tlbi_vae1, 1, 0x18, SYS(1, 0, 8, 7, 1, 0)},
    {"TTLB tlbi vmalle1is", HCR, HCR_TTLB, tlbi_vmalle1is, 1, 0x18, SYS(1, 0, 8, 3, 0, 0) | 31 << 5},
    {"TDZ dc zva", HCR, HCR_TDZ, dc_zva, 1, 0x18, SYS(1, 3, 7, 4, 1, 0)},
    {"TDZ dc zva (EL0)", HCR, HCR_TDZ, dc_zva, 0, 0x18, SYS(1, 3, 7, 4, 1, 0)},
    {"TWI wfi", HCR, HCR_TWI, wfi, 1, 0x01, WFX(0)},
    {"TDA mrs mdscr_el1", MDCR, MDCR_TDA, r_mdscr, 1, 0x18, SYS(2, 0, 0, 2, 2, 1)},
    {"TDA mrs dbgbvr0_el1", MDCR, MDCR_TDA, r_dbgbvr0, 1, 0x18, SYS(2, 0, 0, 0, 4, 1)},
    {"TDE mrs mdscr_el1", MDCR, MDCR_TDE, r_mdscr, 1, 0x18, SYS(2, 0, 0, 2, 2, 1)},
    {"TDOSA msr oslar_el1", MDCR, MDCR_TDOSA, w_oslar, 1, 0x18, SYS(2, 0, 1, 0, 4, 0)},
    {"TDOSA mrs oslsr_el1", MDCR, MDCR_TDOSA, r_oslsr, 1, 0x18, SYS(2, 0, 1, 1, 4, 1)},
    {"TDRA mrs mdrar_el1", MDCR, MDCR_TDRA, r_mdrar, 1, 0x18, SYS(2, 0, 1, 0, 0, 1)},
    {"TPM mrs pmcr_el0", MDCR, MDCR_TPM, r_pmcr, 1, 0x18, SYS(3, 3, 9, 12, 0, 1)},
    {"TPM mrs pmccntr_el0", MDCR, MDCR_TPM, r_pmccntr, 1, 0x18, SYS(3, 3, 9, 13, 0, 1)},
    {"TPM mrs pmcntenset_el0", MDCR, MDCR_TPM, r_pmcntenset, 1, 0x18, SYS(3, 3, 9, 12, 1, 1)},
    {"TPM mrs pmuserenr_el0", MDCR, MDCR_TPM, r_pmuserenr, 1, 0x18, SYS(3, 3, 9, 14, 0, 1)},
    {"TPM mrs pmccntr_el0 (EL0)", MDCR, MDCR_TPM, r_pmccntr, 0, 0x18, SYS(3, 3, 9, 13, 0, 1)},
    {"TCPAC mrs cpacr_el1", CPTR, CPTR_TCPAC, r_cpacr, 1, 0x18, SYS(3, 0, 1, 0, 2, 1)},
    /* the MRS before the MSR traps too: the last exception is the MSR's */
    {"TCPAC msr cpacr_el1", CPTR, CPTR_TCPAC, w_cpacr, 1, 0x18, SYS(3, 0, 1, 0, 2, 0)},
#ifdef BEYOND_QEMU
    /* QEMU 7.2 has no MDCR_EL2.TPMCR, no HCR_EL2.TWE trap (WFE just
     * yields) and no DBGCLAIM registers. */
    {"TWE wfe", HCR, HCR_TWE, wfe, 1, 0x01, WFX(1)},
    /* QEMU 7.2 has no TIDCP; without it the IMPLEMENTATION DEFINED
     * register (none in Nestor) is UNDEFINED. */
    {"TIDCP mrs s3_0_c15_c0_0", HCR, 1ul << 20, r_impdef, 1, 0x18, SYS(3, 0, 15, 0, 0, 1)},
    {"TDA mrs dbgclaimclr_el1", MDCR, MDCR_TDA, r_dbgclaim, 1, 0x18, SYS(2, 0, 7, 9, 6, 1)},
    {"TPMCR mrs pmcr_el0", MDCR, MDCR_TPMCR, r_pmcr, 1, 0x18, SYS(3, 3, 9, 12, 0, 1)},
    /* FEAT_FGT: one bit per register or instruction. */
    {"HFGRTR.SCTLR_EL1 mrs", HFGRTR, 1ul << 29, r_sctlr, 1, 0x18, SYS(3, 0, 1, 0, 0, 1)},
    {"HFGRTR.TPIDR_EL1 mrs", HFGRTR, 1ul << 33, r_tpidr, 1, 0x18, SYS(3, 0, 13, 0, 4, 1)},
    {"HFGRTR.MIDR_EL1 mrs", HFGRTR, 1ul << 25, r_midr, 1, 0x18, SYS(3, 0, 0, 0, 0, 1)},
    {"HFGRTR.CTR_EL0 mrs (EL0)", HFGRTR, 1ul << 14, r_ctr, 0, 0x18, SYS(3, 3, 0, 0, 1, 1)},
    {"HFGWTR.TPIDR_EL1 msr", HFGWTR, 1ul << 33, w_tpidr, 1, 0x18, SYS(3, 0, 13, 0, 4, 0)},
    {"HFGWTR.VBAR_EL1 msr", HFGWTR, 1ul << 38, w_vbar, 1, 0x18, SYS(3, 0, 12, 0, 0, 0)},
    {"HFGITR.TLBIVMALLE1 tlbi", HFGITR, 1ul << 42, tlbi_vmalle1, 1, 0x18, SYS(1, 0, 8, 7, 0, 0) | 31 << 5},
    {"HFGITR.DCCIVAC dc civac", HFGITR, 1ul << 10, dc_civac, 1, 0x18, SYS(1, 3, 7, 14, 1, 0)},
    {"HFGITR.ATS1E1R at s1e1r", HFGITR, 1ul << 12, at_s1e1r, 1, 0x18, SYS(1, 0, 7, 8, 0, 0)},
    {"HFGITR.DCZVA dc zva", HFGITR, 1ul << 11, dc_zva, 1, 0x18, SYS(1, 3, 7, 4, 1, 0)},
    {"HDFGRTR.MDSCR_EL1 mrs", HDFGRTR, 1ul << 4, r_mdscr, 1, 0x18, SYS(2, 0, 0, 2, 2, 1)},
    {"HDFGWTR.MDSCR_EL1 msr", HDFGWTR, 1ul << 4, w_mdscr, 1, 0x18, SYS(2, 0, 0, 2, 2, 0)},
    {"HDFGRTR.PMSELR_EL0 mrs", HDFGRTR, 1ul << 19, r_pmselr, 1, 0x18, SYS(3, 3, 9, 12, 5, 1)},
    {"HDFGRTR.PMCCNTR_EL0 mrs (EL0)", HDFGRTR, 1ul << 15, r_pmccntr, 0, 0x18, SYS(3, 3, 9, 13, 0, 1)},
    /* Not SYS instructions: ERET (EC 0x1A, ISS 0 for plain ERET) and SVC
     * (the SVC exception itself, EC 0x15 with imm16, taken to EL2). */
    {"HFGITR.ERET eret", HFGITR, 1ul << 51, eret, 1, 0x1a, 0},
    {"HFGITR.ERET eretaa", HFGITR, 1ul << 51, eretaa, 1, 0x1a, 2},
    {"HFGITR.ERET eretab", HFGITR, 1ul << 51, eretab, 1, 0x1a, 3},
    {"HFGITR.SVC_EL1 svc", HFGITR, 1ul << 53, svc, 1, 0x15, 0x1234},
    {"HFGITR.SVC_EL0 svc (EL0)", HFGITR, 1ul << 52, svc, 0, 0x15, 0x1234},
#endif
};

static uint64_t read_ctl(enum ctl c)
{
    switch (c) {
    case HCR: return read_sysreg(hcr_el2);
    case MDCR: return read_sysreg(mdcr_el2);
    case CPTR: return read_sysreg(cptr_el2);
#ifdef BEYOND_QEMU
    case HFGRTR: return read_sysreg(S3_4_C1_C1_4);
    case HFGWTR: return read_sysreg(S3_4_C1_C1_5);
    case HFGITR: return read_sysreg(S3_4_C1_C1_6);
    case HDFGRTR: return read_sysreg(S3_4_C3_C1_4);
    case HDFGWTR: return read_sysreg(S3_4_C3_C1_5);
#endif
    default: return 0;
    }
}

static void write_ctl(enum ctl c, uint64_t v)
{
    switch (c) {
    case HCR: write_sysreg(hcr_el2, v); break;
    case MDCR: write_sysreg(mdcr_el2, v); break;
    case CPTR: write_sysreg(cptr_el2, v); break;
#ifdef BEYOND_QEMU
    case HFGRTR: write_sysreg(S3_4_C1_C1_4, v); break;
    case HFGWTR: write_sysreg(S3_4_C1_C1_5, v); break;
    case HFGITR: write_sysreg(S3_4_C1_C1_6, v); break;
    case HDFGRTR: write_sysreg(S3_4_C3_C1_4, v); break;
    case HDFGWTR: write_sysreg(S3_4_C3_C1_5, v); break;
#endif
    default: break;
    }
    isb();
}

static bool skip_and_record(struct exc_frame *f)
{
#ifdef BEYOND_QEMU
    /* An SVC trapped by HFGITR_EL2.SVC_ELx: the runtime's own SVC that ends
     * run_at_el0 must not trap too (run_case restores the register). */
    if (f->el == 2 && ESR_EC(f->esr) == 0x15)
        write_ctl(HFGITR, read_ctl(HFGITR) & ~(3ul << 52));
#endif
    f->elr += 4;
    return true;
}

/* Runs one case's access with the control bits set or clear; prints and
 * returns the outcome. */
static void run_case(const struct trap_case *c, bool set)
{
    uint64_t saved = read_ctl(c->ctl);
    write_ctl(c->ctl, set ? saved | c->bits : saved & ~c->bits);
    clear_last_exc();
    uint64_t arg = (uint64_t)buffer;
    if (c->el == 0)
        run_at_el0(c->fn, arg);
    else
        run_at_el1(c->fn, arg);
    write_ctl(c->ctl, saved);
    const volatile struct exc_record *e = &rt_last_exc;
    printf("%-32s %s=%d: ", c->name, ctl_names[c->ctl], set);
    if (!e->count) {
        printf("no exception\n");
    } else {
        printf("EL%lu EC %02lx ISS %07lx\n", e->el, ESR_EC(e->esr), ESR_ISS(e->esr));
    }
    if (set) {
        CHECK_EQ(c->name, e->count ? e->el << 32 | e->esr : 0,
                 2ul << 32 | (uint64_t)c->ec << 26 | ESR_IL | c->iss);
    }
}

int main(void)
{
    if (rt_start_el != 2) {
        printf("entered at EL%lu: the EL2 trap controls need EL2\n", rt_start_el);
        return 0;
    }
    set_exception_handler(skip_and_record);
    /* EL0 may use CTR_EL0, cache maintenance, DC ZVA and the PMU, so that
     * the EL2 controls are what decides. */
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_UCT | SCTLR_UCI | SCTLR_DZE);
    write_sysreg(pmuserenr_el0, 1);
    isb();
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        run_case(&cases[i], true);
        /* An untrapped WFI could wait for ever; an untrapped DC ZVA with
         * the MMU off writes Device memory, an alignment fault (DDI 0487
         * C5.3.13) that QEMU 7.2 does not take. */
        if (cases[i].ec != 0x01 && cases[i].fn != dc_zva)
            run_case(&cases[i], false);
    }
#ifdef BEYOND_QEMU
    /* Each SVC bit traps only its own EL: the other EL's SVC is taken to
     * EL1 as usual (ELR past the SVC). */
    for (unsigned el = 0; el <= 1; el++) {
        uint64_t saved = read_ctl(HFGITR);
        write_ctl(HFGITR, saved | 1ul << (el ? 52 : 53));
        clear_last_exc();
        if (el)
            run_at_el1(svc, 0);
        else
            run_at_el0(svc, 0);
        write_ctl(HFGITR, saved);
        const volatile struct exc_record *e = &rt_last_exc;
        printf("HFGITR.SVC_EL%u=1, svc at EL%u: EL%lu EC %02lx ISS %07lx\n", el ? 0 : 1, el, e->el, ESR_EC(e->esr),
               ESR_ISS(e->esr));
        CHECK_EQ("SVC bit of the other EL", e->count ? e->el << 32 | e->esr : 0,
                 1ul << 32 | 0x15ul << 26 | ESR_IL | 0x1234);
    }
#endif
    set_exception_handler(NULL);
    return 0;
}
