/* Counting of the PMUv3 counters (DDI 0487 D11), their overflow and the PMU
 * interrupt. The registers themselves are rows of sysregs_debug.def with
 * hooks in sysregs/sysreg_hooks_pmu.c, which call cpu_pmu_sync before any
 * access and cpu_timer_update after a write.
 *
 * Time is the instruction count (as for the generic timer): a cycle is one
 * instruction, so CPU_CYCLES (0x11) and INST_RETIRED (0x08) advance together
 * (the only common events PMCEID0_EL0 advertises) except while a WFI
 * skips time (cycles, not instructions); PMCCNTR_EL0 counts cycles too,
 * every 64th with PMCR_EL0.D. The counters hold plain values in sr[]:
 * cpu_pmu_sync adds the instructions run since the last sync to each counter
 * that counts at the current EL, so the EL filters (PMEVTYPER<n>_EL0 and
 * PMCCFILTR_EL0: P, U, NSH) are exact as long as every EL change syncs
 * first (exception entry and return do). A counter that wraps sets its
 * PMOVSSET_EL0 bit. The PMU interrupt (cpu->pmu_output) is the OR of the
 * counters' PMOVSSET & PMINTENSET, each gated by PMCR_EL0.E or, for the
 * counters MDCR_EL2.HPMN reserves to EL2, MDCR_EL2.HPME; cpu_pmu_update
 * lowers timer_deadline to the icount of the next overflow that could raise
 * it, so it is taken after a deterministic number of instructions. */
#include "cpu/cpu.h"

#define FILTER_P (1ull << 31)   /* do not count at EL1 */
#define FILTER_U (1ull << 30)   /* do not count at EL0 */
#define FILTER_NSH (1ull << 27) /* count at EL2 */
#define EVT_INST_RETIRED 0x08
#define EVT_CPU_CYCLES 0x11

static uint64_t now(const CPUState *cpu) { return cpu->icount - (cpu->in_block ? cpu->icount_undo : 0); }

/* The global enable of counter n (PMCNT_C: the cycle counter): PMCR_EL0.E,
 * or MDCR_EL2.HPME for the counters at or above HPMN. It also gates the
 * counter's overflow interrupt (which PMCNTENSET does not). */
static bool global_enable(const CPUState *cpu, unsigned n)
{
    if (n != PMCNT_C && cpu->has_el2 && n >= (cpu->sr[SR_MDCR_EL2] & MDCR_HPMN_MASK))
        return cpu->sr[SR_MDCR_EL2] & MDCR_HPME;
    return cpu->sr[SR_PMCR_EL0] & PMCR_E;
}

/* Counter n counts: PMCNTENSET_EL0 and its global enable. */
static bool enabled(const CPUState *cpu, unsigned n)
{
    return (cpu->sr[SR_PMCNTENSET_EL0] >> n & 1) && global_enable(cpu, n);
}

/* The EL filter of PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 admits the current EL
 * (no EL3: NSK, NSU and M do not apply). */
static bool filter_admits(const CPUState *cpu, uint64_t filter)
{
    switch (cpu_el(cpu)) {
    case 0: return !(filter & FILTER_U);
    case 1: return !(filter & FILTER_P);
    default: return filter & FILTER_NSH;
    }
}

/* The event counter n counts (0 no, else its event), at the current EL. */
static unsigned event_here(const CPUState *cpu, unsigned n)
{
    if (!enabled(cpu, n))
        return 0;
    uint64_t type = cpu->sr[SR_PMEVTYPER0_EL0 + n];
    unsigned evt = (unsigned)(type & 0x3ff);
    return (evt == EVT_INST_RETIRED || evt == EVT_CPU_CYCLES) && filter_admits(cpu, type) ? evt : 0;
}

static bool counts_here(const CPUState *cpu, unsigned n)
{
    if (n == PMCNT_C)
        return enabled(cpu, n) && filter_admits(cpu, cpu->sr[SR_PMCCFILTR_EL0]);
    return event_here(cpu, n) != 0;
}

/* The width at which counter n overflows: 64 bits for the cycle counter
 * with PMCR_EL0.LC, else 32. */
static bool wide(const CPUState *cpu, unsigned n) { return n == PMCNT_C && (cpu->sr[SR_PMCR_EL0] & PMCR_LC); }

static void add(CPUState *cpu, unsigned n, uint64_t *reg, uint64_t inc)
{
    uint64_t old = *reg;
    bool overflow;
    if (wide(cpu, n)) {
        *reg = old + inc;
        overflow = *reg < old || inc >> 63; /* inc < 2^64 in practice */
    } else {
        overflow = ((old & 0xffffffff) + inc) >> 32 != 0;
        *reg = n == PMCNT_C ? old + inc : (old + inc) & 0xffffffff;
    }
    if (overflow)
        cpu->sr[SR_PMOVSSET_EL0] |= 1ull << n;
}

void cpu_pmu_sync(CPUState *cpu)
{
    /* Cycles include the time a WFI skipped (idle), instructions do not. */
    uint64_t t = now(cpu), delta = t - cpu->pmu_synced, idle = cpu->idle - cpu->pmu_idle_synced;
    cpu->pmu_synced = t;
    cpu->pmu_idle_synced = cpu->idle;
    if (!delta || !feature_has(&cpu->features, FEAT_PMUV3))
        return;
    if (counts_here(cpu, PMCNT_C)) {
        uint64_t inc = delta;
        if (cpu->sr[SR_PMCR_EL0] & PMCR_D) { /* every 64th cycle */
            uint64_t total = cpu->pmu_cycle_frac + delta;
            inc = total / 64;
            cpu->pmu_cycle_frac = (unsigned)(total % 64);
        }
        add(cpu, PMCNT_C, &cpu->sr[SR_PMCCNTR_EL0], inc);
    }
    unsigned count = PMCR_N(cpu->sr[SR_PMCR_EL0]);
    for (unsigned n = 0; n < count; n++) {
        unsigned evt = event_here(cpu, n);
        if (evt)
            add(cpu, n, &cpu->sr[SR_PMEVCNTR0_EL0 + n], evt == EVT_INST_RETIRED ? delta - idle : delta);
    }
}

/* Instructions until counter n next overflows while it counts (~0: far). */
static uint64_t until_overflow(const CPUState *cpu, unsigned n)
{
    uint64_t v = n == PMCNT_C ? cpu->sr[SR_PMCCNTR_EL0] : cpu->sr[SR_PMEVCNTR0_EL0 + n];
    uint64_t left = wide(cpu, n) ? (v ? -v : ~0ull) : (1ull << 32) - (v & 0xffffffff);
    if (n == PMCNT_C && (cpu->sr[SR_PMCR_EL0] & PMCR_D))
        left = left > (~0ull >> 6) ? ~0ull : left * 64 - cpu->pmu_cycle_frac;
    return left;
}

uint64_t cpu_pmu_update(CPUState *cpu)
{
    if (!feature_has(&cpu->features, FEAT_PMUV3))
        return ~0ull;
    cpu_pmu_sync(cpu);
    unsigned count = PMCR_N(cpu->sr[SR_PMCR_EL0]);
    uint64_t pending = cpu->sr[SR_PMOVSSET_EL0] & cpu->sr[SR_PMINTENSET_EL1];
    bool level = false;
    uint64_t deadline = ~0ull;
    for (unsigned n = 0; n <= PMCNT_C; n++) {
        if (n == count)
            n = PMCNT_C;
        /* The interrupt of an enabled counter; an overflow of a counter
         * counting here with its interrupt enabled is the next change. */
        if ((pending >> n & 1) && global_enable(cpu, n))
            level = true;
        if ((cpu->sr[SR_PMINTENSET_EL1] >> n & 1) && counts_here(cpu, n)) {
            uint64_t left = until_overflow(cpu, n);
            uint64_t at = cpu->pmu_synced + left;
            if (at > cpu->pmu_synced && at < deadline)
                deadline = at;
        }
    }
    if (level != cpu->pmu_level) {
        cpu->pmu_level = level;
        if (cpu->pmu_output)
            cpu->pmu_output(cpu->timer_opaque, cpu->index, level);
    }
    return deadline;
}
