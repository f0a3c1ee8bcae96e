/* Hooks of the PMUv3 and self-hosted debug registers (sysregs_debug.def),
 * DDI 0487 D11 and D2. */
#include "sysregs/sysreg_hooks.h"

#include "sysregs/id_fields.h"

#define PMUSERENR_EN (1ull << 0)
#define PMUSERENR_SW (1ull << 1)
#define PMUSERENR_CR (1ull << 2)
#define PMUSERENR_ER (1ull << 3)

static unsigned pmcr_n(const CPUState *cpu) { return PMCR_N(cpu->sr[SR_PMCR_EL0]); }

/* Event counters usable at the current EL (GetNumEventCountersAccessible):
 * below EL2, MDCR_EL2.HPMN of them when EL2 is enabled. */
static unsigned counters_accessible(const CPUState *cpu)
{
    if (cpu_el(cpu) < 2 && cpu->has_el2)
        return (unsigned)(cpu->sr[SR_MDCR_EL2] & MDCR_HPMN_MASK);
    return pmcr_n(cpu);
}

/* Bits of PMCNTENSET/PMOVS/PMINTEN that exist at the current EL. */
static uint64_t counter_mask(const CPUState *cpu) { return 1ull << PMCNT_C | ((1ull << counters_accessible(cpu)) - 1); }

/* EL0 access (PMUSERENR_EL0): EN enables everything; the other bits enable
 * one class of access each. Refused EL0 accesses trap to EL1 (EL2 with TGE). */
static SysregAccessResult el0_check(const CPUState *cpu, uint64_t also)
{
    if (cpu_el(cpu) == 0 && !(cpu->sr[SR_PMUSERENR_EL0] & (PMUSERENR_EN | also)))
        return SRA_TRAP_EL1;
    return SRA_OK;
}
static SysregAccessResult check_en(const CPUState *cpu, const SysregInfo *r, bool w) { (void)r, (void)w; return el0_check(cpu, 0); }
const SysregHooks sysreg_hooks_pmu_en = {.check = check_en};

/* PMSELR_EL0: EN, or ER for both directions. */
static SysregAccessResult check_er(const CPUState *cpu, const SysregInfo *r, bool w) { (void)r, (void)w; return el0_check(cpu, PMUSERENR_ER); }
const SysregHooks sysreg_hooks_pmu_er = {.check = check_er};

/* ---- counters: plain values in sr[], brought up to date by cpu_pmu_sync
 * (cpu/pmu.c) before every access; a write that changes what counts or
 * what interrupts ends with cpu_timer_update (overflow deadline, PMU
 * interrupt line) ---- */

static void changed(CPUState *cpu) { cpu_timer_update(cpu); }

static SysregAccessResult check_ccnt(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r;
    return el0_check(cpu, is_write ? 0 : PMUSERENR_CR);
}
static uint64_t read_synced(CPUState *cpu, const SysregInfo *r)
{
    cpu_pmu_sync(cpu);
    return cpu->sr[r->id];
}
static void write_synced(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    cpu_pmu_sync(cpu);
    sysreg_store(cpu, r, v);
    changed(cpu);
}
const SysregHooks sysreg_hooks_pmccntr = {.check = check_ccnt, .read = read_synced, .write = write_synced};

/* PMCCFILTR_EL0: the cycle counter's EL filter. */
const SysregHooks sysreg_hooks_pmccfiltr = {.check = check_en, .write = write_synced};

/* MDCR_EL2: HPMN and HPME change which counters count. */
const SysregHooks sysreg_hooks_mdcr = {.write = write_synced};

/* PMCR_EL0: N reads as MDCR_EL2.HPMN below EL2; P and C reset the counters;
 * E, D and LC change how they count. */
static uint64_t read_pmcr(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    uint64_t v = cpu->sr[SR_PMCR_EL0];
    if (cpu_el(cpu) < 2 && cpu->has_el2)
        v = (v & ~PMCR_N_MASK) | (cpu->sr[SR_MDCR_EL2] & MDCR_HPMN_MASK) << PMCR_N_SHIFT;
    return v;
}
static void write_pmcr(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    cpu_pmu_sync(cpu);
    if (v & PMCR_C) {
        cpu->sr[SR_PMCCNTR_EL0] = 0;
        cpu->pmu_cycle_frac = 0;
    }
    if (v & PMCR_P) /* event counters below EL2's partition, or all at EL2 */
        for (unsigned n = 0; n < counters_accessible(cpu); n++)
            cpu->sr[SR_PMEVCNTR0_EL0 + n] = 0;
    sysreg_store(cpu, r, v);
    changed(cpu);
}
const SysregHooks sysreg_hooks_pmcr = {.check = check_en, .read = read_pmcr, .write = write_pmcr};

/* SET/CLR pairs share one storage, that of the SET register. */
static SysregId set_of(SysregId id)
{
    switch (id) {
    case SR_PMCNTENCLR_EL0: return SR_PMCNTENSET_EL0;
    case SR_PMOVSCLR_EL0: return SR_PMOVSSET_EL0;
    case SR_PMINTENCLR_EL1: return SR_PMINTENSET_EL1;
    default: return id;
    }
}
static uint64_t read_setclr(CPUState *cpu, const SysregInfo *r)
{
    cpu_pmu_sync(cpu); /* PMOVSSET: overflows up to this instruction */
    return cpu->sr[set_of(r->id)] & counter_mask(cpu);
}
static void write_setclr(CPUState *cpu, const SysregInfo *r, uint64_t v, bool set)
{
    cpu_pmu_sync(cpu);
    uint64_t *reg = &cpu->sr[set_of(r->id)];
    v &= counter_mask(cpu);
    *reg = set ? *reg | v : *reg & ~v;
    changed(cpu);
}
static void write_set(CPUState *cpu, const SysregInfo *r, uint64_t v) { write_setclr(cpu, r, v, true); }
static void write_clr(CPUState *cpu, const SysregInfo *r, uint64_t v) { write_setclr(cpu, r, v, false); }
const SysregHooks sysreg_hooks_pmu_set = {.check = check_en, .read = read_setclr, .write = write_set};
const SysregHooks sysreg_hooks_pmu_clr = {.check = check_en, .read = read_setclr, .write = write_clr};

/* PMSWINC_EL0: EN or SW at EL0. Software-increment events (0x00) are
 * architected, but PMCEID0_EL0 does not advertise them: nothing counts
 * (cpu/pmu.c counts INST_RETIRED and CPU_CYCLES only). */
static SysregAccessResult check_swinc(const CPUState *cpu, const SysregInfo *r, bool w) { (void)r, (void)w; return el0_check(cpu, PMUSERENR_SW); }
static void write_swinc(CPUState *cpu, const SysregInfo *r, uint64_t v) { (void)cpu, (void)r, (void)v; }
const SysregHooks sysreg_hooks_pmswinc = {.check = check_swinc, .write = write_swinc};

/* PMEVCNTR<n>/PMEVTYPER<n>: n from the encoding; UNDEFINED beyond the
 * accessible counters. */
static unsigned counter_index(const SysregInfo *r) { return (r->crm & 3u) << 3 | r->op2; }
static SysregAccessResult check_evcntr(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    if (counter_index(r) >= counters_accessible(cpu))
        return SRA_UNDEF;
    return el0_check(cpu, is_write ? 0 : PMUSERENR_ER);
}
static SysregAccessResult check_evtyper(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)is_write;
    if (counter_index(r) >= counters_accessible(cpu))
        return SRA_UNDEF;
    return el0_check(cpu, 0);
}
const SysregHooks sysreg_hooks_pmevcntr = {.check = check_evcntr, .read = read_synced, .write = write_synced};
const SysregHooks sysreg_hooks_pmevtyper = {.check = check_evtyper, .write = write_synced};

/* PMXEVTYPER/PMXEVCNTR: the counter PMSELR_EL0.SEL selects (31: the cycle
 * counter's filter for PMXEVTYPER; for PMXEVCNTR, and beyond the accessible
 * counters, Nestor takes the CONSTRAINED UNPREDICTABLE choice UNDEFINED). */
static unsigned selected(const CPUState *cpu) { return (unsigned)(cpu->sr[SR_PMSELR_EL0] & 0x1f); }
static SysregAccessResult check_xevtyper(const CPUState *cpu, const SysregInfo *r, bool w)
{
    (void)r, (void)w;
    if (selected(cpu) != PMCNT_C && selected(cpu) >= counters_accessible(cpu))
        return SRA_UNDEF;
    return el0_check(cpu, 0);
}
static SysregId xevtyper_target(const CPUState *cpu)
{
    return selected(cpu) == 31 ? SR_PMCCFILTR_EL0 : (SysregId)(SR_PMEVTYPER0_EL0 + selected(cpu));
}
static uint64_t read_xevtyper(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->sr[xevtyper_target(cpu)]; }
static void write_xevtyper(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    (void)r;
    write_synced(cpu, sysreg_by_id(xevtyper_target(cpu)), v);
}
const SysregHooks sysreg_hooks_pmxevtyper = {.check = check_xevtyper, .read = read_xevtyper, .write = write_xevtyper};

static SysregAccessResult check_xevcntr(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r;
    if (selected(cpu) >= counters_accessible(cpu))
        return SRA_UNDEF;
    return el0_check(cpu, is_write ? 0 : PMUSERENR_ER);
}
static uint64_t read_xevcntr(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return read_synced(cpu, sysreg_by_id(SR_PMEVCNTR0_EL0 + selected(cpu)));
}
static void write_xevcntr(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    (void)r;
    write_synced(cpu, sysreg_by_id(SR_PMEVCNTR0_EL0 + selected(cpu)), v);
}
const SysregHooks sysreg_hooks_pmxevcntr = {.check = check_xevcntr, .read = read_xevcntr, .write = write_xevcntr};

/* ---- debug ---- */

/* MDCCSR_EL0 from EL0: MDSCR_EL1.TDCC traps it to EL1. */
static SysregAccessResult check_mdccsr(const CPUState *cpu, const SysregInfo *r, bool w)
{
    (void)r, (void)w;
    if (cpu_el(cpu) == 0 && (cpu->sr[SR_MDSCR_EL1] & MDSCR_TDCC))
        return SRA_TRAP_EL1;
    return SRA_OK;
}
const SysregHooks sysreg_hooks_mdccsr = {.check = check_mdccsr};

/* OSLAR_EL1.OSLK sets or clears the OS lock, OSLSR_EL1.OSLK (bit 1). */
static void write_oslar(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    (void)r;
    cpu->sr[SR_OSLSR_EL1] = (cpu->sr[SR_OSLSR_EL1] & ~2ull) | (v & 1) << 1;
}
const SysregHooks sysreg_hooks_oslar = {.write = write_oslar};

/* DBGCLAIMSET/CLR_EL1: eight claim tags, both read them (held in the SET
 * register's storage). */
static uint64_t read_claim(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->sr[SR_DBGCLAIMSET_EL1]; }
static void write_claim_set(CPUState *cpu, const SysregInfo *r, uint64_t v) { (void)r; cpu->sr[SR_DBGCLAIMSET_EL1] |= v & 0xff; }
static void write_claim_clr(CPUState *cpu, const SysregInfo *r, uint64_t v) { (void)r; cpu->sr[SR_DBGCLAIMSET_EL1] &= ~(v & 0xff); }
const SysregHooks sysreg_hooks_dbgclaim_set = {.read = read_claim, .write = write_claim_set};
const SysregHooks sysreg_hooks_dbgclaim_clr = {.read = read_claim, .write = write_claim_clr};

/* Breakpoint n (CRm) exists when n <= ID_AA64DFR0_EL1.BRPs, watchpoint n
 * when n <= WRPs; other encodings are unallocated: UNDEFINED. */
static SysregAccessResult check_bp(const CPUState *cpu, const SysregInfo *r, bool w)
{
    (void)w;
    return r->crm <= id_field_get(cpu->sr, IDF_ID_AA64DFR0_EL1_BRPs) ? SRA_OK : SRA_UNDEF;
}
static SysregAccessResult check_wp(const CPUState *cpu, const SysregInfo *r, bool w)
{
    (void)w;
    return r->crm <= id_field_get(cpu->sr, IDF_ID_AA64DFR0_EL1_WRPs) ? SRA_OK : SRA_UNDEF;
}
/* Translation checked the breakpoints of each instruction (cpu/debug.c):
 * the run loop drops this CPU's blocks that did before the next one. */
static void write_bp(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    sysreg_store(cpu, r, v);
    cpu->bp_changed = true;
}
const SysregHooks sysreg_hooks_dbg_bp = {.check = check_bp, .write = write_bp};
/* Pages a watchpoint covers must leave the TLB fast path (cpu/debug.c). */
static void write_wp(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    sysreg_store(cpu, r, v);
    tlb_flush_all(&cpu->tlb); /* entries and the JIT's site copies */
}
const SysregHooks sysreg_hooks_dbg_wp = {.check = check_wp, .write = write_wp};
