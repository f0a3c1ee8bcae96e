/*
 * PMUv3 counting, overflow and the PMU interrupt (DDI 0487 D11): the cycle
 * counter started near the 32-bit wrap (PMCR_EL0.LC = 0) overflows, sets
 * PMOVSSET_EL0.C and, with PMINTENSET_EL1.C, raises the PMU interrupt (PPI
 * 7, INTID 23 on virt), taken at EL1; without PMINTENSET only the status is
 * set, and with PMCR_EL0.E = 0 nothing counts. Only outcomes are printed
 * (QEMU's cycle counter follows the host clock).
 *
 * The pmu-rules build (Nestor alone: QEMU 7.2 counts no INST_RETIRED
 * without -icount) adds exact counts: INST_RETIRED and CPU_CYCLES event
 * counters (one per instruction in Nestor's cycle model), the EL filters
 * (PMEVTYPER.P/U/NSH, PMCCFILTR.NSH at EL2), an event counter's overflow
 * interrupt, and, entered at EL2, the MDCR_EL2.HPMN partition with HPME.
 */
#include "testlib.h"
#include "gic.h"

#define INTID_PMU 23
#define PMCR_E (1ul << 0)
#define PMCR_P (1ul << 1)
#define PMCR_C (1ul << 2)
#define PMCR_LC (1ul << 6)
#define CYCLE (1ul << 31)
#define F_P (1ul << 31)
#define F_U (1ul << 30)
#define F_NSH (1ul << 27)

static volatile unsigned irq_count;
static volatile uint64_t last_intid, last_el, ovs_seen;

static bool handler(struct exc_frame *f)
{
    if ((f->vector & 0x180) != 0x80)
        return false;
    irq_count++;
    last_el = f->el;
    uint64_t id = icc_iar1();
    last_intid = id;
    if (id == INTID_PMU) {
        /* Clearing the overflow status lowers the interrupt request. */
        ovs_seen = read_sysreg(pmovsclr_el0);
        write_sysreg(pmovsclr_el0, ovs_seen);
        isb();
    }
    if (id != INTID_SPURIOUS)
        icc_eoir1(id);
    return true;
}

static void pmu_off(void)
{
    write_sysreg(pmcntenclr_el0, ~0ul);
    write_sysreg(pmintenclr_el1, ~0ul);
    write_sysreg(pmovsclr_el0, ~0ul);
    write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
    isb();
}

/* Spins (IRQs unmasked) until an interrupt or a bounded number of rounds. */
static void wait_irq(unsigned before)
{
    irq_unmask();
    for (unsigned long i = 0; i < 20000000ul && irq_count == before; i++)
        asm volatile("" ::: "memory");
    irq_mask();
}

static void wait_overflow(uint64_t bits)
{
    for (unsigned long i = 0; i < 20000000ul && !(read_sysreg(pmovsset_el0) & bits); i++)
        asm volatile("" ::: "memory");
}

static uint64_t cycle_tests(uint64_t unused)
{
    (void)unused;
    set_exception_handler(handler);
    pmu_off();
    printf("cycle counter at EL%u\n", rt_current_el());

    /* Overflow with the interrupt enabled. */
    write_sysreg(pmccfiltr_el0, 0);
    write_sysreg(pmccntr_el0, 0xfffffffful - 20000);
    write_sysreg(pmintenset_el1, CYCLE);
    write_sysreg(pmcntenset_el0, CYCLE);
    write_sysreg(pmcr_el0, PMCR_E);
    isb();
    unsigned before = irq_count;
    wait_irq(before);
    write_sysreg(pmcntenclr_el0, CYCLE);
    printf("  overflow, PMINTENSET.C=1: interrupts %u, INTID %lu at EL%lu, PMOVSSET in handler 0x%lx\n",
           irq_count - before, last_intid, last_el, ovs_seen);
    CHECK_EQ("PMU interrupt taken", irq_count - before, 1);
    CHECK_EQ("PMU INTID", last_intid, INTID_PMU);
    CHECK_EQ("PMU interrupt EL", last_el, 1);
    CHECK_EQ("PMOVSSET.C", ovs_seen, CYCLE);
    CHECK_EQ("PMOVSSET cleared", read_sysreg(pmovsset_el0), 0);
    /* LC = 0: the counter still has 64 bits; it went past bit 31. */
    CHECK_EQ("PMCCNTR carried into bit 32", read_sysreg(pmccntr_el0) >> 32, 1);

    /* Overflow without the interrupt: status only. */
    write_sysreg(pmintenclr_el1, CYCLE);
    write_sysreg(pmccntr_el0, 0xfffffffful - 20000);
    write_sysreg(pmcntenset_el0, CYCLE);
    isb();
    before = irq_count;
    irq_unmask();
    wait_overflow(CYCLE);
    irq_mask();
    write_sysreg(pmcntenclr_el0, CYCLE);
    uint64_t ovs = read_sysreg(pmovsset_el0);
    printf("  overflow, PMINTENSET.C=0: interrupts %u, PMOVSSET 0x%lx\n", irq_count - before, ovs);
    CHECK_EQ("no interrupt without PMINTENSET", irq_count - before, 0);
    CHECK_EQ("PMOVSSET.C without interrupt", ovs, CYCLE);
    /* Enabling the interrupt with the status set raises it. */
    write_sysreg(pmintenset_el1, CYCLE);
    isb();
    wait_irq(before);
    printf("  PMINTENSET.C=1 with PMOVSSET.C set: interrupts %u, INTID %lu\n", irq_count - before, last_intid);
    CHECK_EQ("pending overflow interrupts when enabled", irq_count - before, 1);

    /* PMCR_EL0.E = 0: the counter stands still. */
    write_sysreg(pmcr_el0, 0);
    write_sysreg(pmccntr_el0, 1234);
    write_sysreg(pmcntenset_el0, CYCLE);
    isb();
    for (volatile int i = 0; i < 1000; i++)
        ;
    uint64_t c = read_sysreg(pmccntr_el0);
    printf("  PMCR.E=0: PMCCNTR %lu\n", c);
    CHECK_EQ("PMCR.E=0 stops the cycle counter", c, 1234);
    pmu_off();
    return 0;
}

#ifdef BEYOND_QEMU
/* Counter n's value before and after ten NOPs: the difference counts the
 * NOPs and the second MRS (INST_RETIRED, CPU_CYCLES in Nestor). */
#define DIFF_FN(name, reg)                                                                      \
    static uint64_t name(void)                                                                  \
    {                                                                                           \
        uint64_t a, b;                                                                          \
        asm volatile("isb\n\tmrs %0, " reg "\n\t"                                               \
                     "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"   \
                     "mrs %1, " reg                                                             \
                     : "=&r"(a), "=&r"(b)::"memory");                                            \
        return (b - a) & 0xffffffff;                                                            \
    }
DIFF_FN(diff0, "pmevcntr0_el0")
DIFF_FN(diff1, "pmevcntr1_el0")
DIFF_FN(diff_cc, "pmccntr_el0")
DIFF_FN(diff_x, "pmxevcntr_el0")

static uint64_t el0_diff0(uint64_t unused)
{
    (void)unused;
    return diff0();
}

static uint64_t event_tests(uint64_t unused)
{
    (void)unused;
    set_exception_handler(handler);
    pmu_off();
    uint64_t ceid0 = read_sysreg(pmceid0_el0);
    printf("events at EL%u: PMCEID0 INST_RETIRED %lu CPU_CYCLES %lu\n", rt_current_el(), ceid0 >> 8 & 1,
           ceid0 >> 17 & 1);
    CHECK_EQ("PMCEID0 INST_RETIRED", ceid0 >> 8 & 1, 1);
    CHECK_EQ("PMCEID0 CPU_CYCLES", ceid0 >> 17 & 1, 1);
    write_sysreg(pmuserenr_el0, 1);
    write_sysreg(pmevtyper0_el0, 0x08);
    write_sysreg(pmevtyper1_el0, 0x11);
    write_sysreg(pmcntenset_el0, 3);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_P);
    isb();
    uint64_t d0 = diff0(), d1 = diff1();
    uint64_t e0 = run_at_el0(el0_diff0, 0);
    printf("  INST_RETIRED over 11 instructions: %lu, CPU_CYCLES %lu, at EL0 %lu\n", d0, d1, e0);
    CHECK_EQ("INST_RETIRED", d0, 11);
    CHECK_EQ("CPU_CYCLES", d1, 11);
    CHECK_EQ("INST_RETIRED at EL0", e0, 11);
    write_sysreg(pmevtyper0_el0, 0x08 | F_P);
    write_sysreg(pmevtyper1_el0, 0x08 | F_U);
    isb();
    d0 = diff0();
    d1 = diff1();
    e0 = run_at_el0(el0_diff0, 0);
    printf("  filters: P=1 at EL1 %lu, U=1 at EL1 %lu, P=1 at EL0 %lu\n", d0, d1, e0);
    CHECK_EQ("PMEVTYPER.P stops EL1 counting", d0, 0);
    CHECK_EQ("PMEVTYPER.U keeps EL1 counting", d1, 11);
    CHECK_EQ("PMEVTYPER.P keeps EL0 counting", e0, 11);
    /* An event counter's overflow interrupt. */
    write_sysreg(pmevtyper0_el0, 0x08);
    write_sysreg(pmevcntr0_el0, 0xfffffffful - 500);
    write_sysreg(pmintenset_el1, 1);
    isb();
    unsigned before = irq_count;
    wait_irq(before);
    printf("  event counter 0 overflow: interrupts %u, INTID %lu, PMOVSSET 0x%lx, counter %s\n", irq_count - before,
           last_intid, ovs_seen, read_sysreg(pmevcntr0_el0) < 0x1000 ? "wrapped" : "not wrapped");
    CHECK_EQ("event counter interrupt", irq_count - before, 1);
    CHECK_EQ("event counter PMOVSSET", ovs_seen, 1);
    pmu_off();
    write_sysreg(pmuserenr_el0, 0);
    return 0;
}

/* Entered at EL2: MDCR_EL2.HPMN = 2 gives counters 2.. to EL2, enabled by
 * MDCR_EL2.HPME instead of PMCR_EL0.E; NSH filters counting at EL2. */
static uint64_t el1_pmcr_n(uint64_t unused)
{
    (void)unused;
    return read_sysreg(pmcr_el0) >> 11 & 0x1f;
}

static void hpmn_tests(void)
{
    uint64_t mdcr = read_sysreg(mdcr_el2);
    pmu_off();
    write_sysreg(mdcr_el2, (mdcr & ~0x9ful) | 2);
    isb();
    uint64_t n = run_at_el1(el1_pmcr_n, 0);
    printf("HPMN=2: PMCR_EL0.N at EL1 %lu\n", n);
    CHECK_EQ("PMCR.N at EL1 is HPMN", n, 2);
    write_sysreg(pmevtyper0_el0, 0x08 | F_NSH);
    write_sysreg(pmevtyper1_el0, 0x08 | F_NSH);
    write_sysreg(pmselr_el0, 2);
    isb();
    write_sysreg(pmxevtyper_el0, 0x08 | F_NSH); /* counter 2: EL2's */
    write_sysreg(pmcntenset_el0, 7);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_P);
    isb();
    uint64_t d0 = diff0(), d2 = diff_x(); /* counter 2 through PMXEVCNTR */
    printf("  PMCR.E=1 HPME=0: counter 0 %lu, counter 2 %lu\n", d0, d2);
    CHECK_EQ("counter below HPMN with PMCR.E", d0, 11);
    CHECK_EQ("counter at HPMN without HPME", d2, 0);
    write_sysreg(mdcr_el2, (mdcr & ~0x9ful) | 2 | 1ul << 7);
    write_sysreg(pmcr_el0, 0);
    isb();
    d0 = diff0();
    d2 = diff_x();
    printf("  PMCR.E=0 HPME=1: counter 0 %lu, counter 2 %lu\n", d0, d2);
    CHECK_EQ("counter below HPMN without PMCR.E", d0, 0);
    CHECK_EQ("counter at HPMN with HPME", d2, 11);
    /* PMCCFILTR.NSH = 0: no cycles counted at EL2. */
    write_sysreg(pmcr_el0, PMCR_E);
    write_sysreg(pmccfiltr_el0, 0);
    write_sysreg(pmcntenset_el0, CYCLE);
    isb();
    uint64_t c0 = diff_cc();
    write_sysreg(pmccfiltr_el0, F_NSH);
    isb();
    uint64_t c1 = diff_cc();
    printf("  cycles at EL2: NSH=0 %lu, NSH=1 %lu\n", c0, c1);
    CHECK_EQ("PMCCFILTR.NSH=0 at EL2", c0, 0);
    CHECK_EQ("PMCCFILTR.NSH=1 at EL2", c1, 11);
    pmu_off();
    write_sysreg(pmccfiltr_el0, 0);
    write_sysreg(mdcr_el2, mdcr);
    isb();
}
#endif

int main(void)
{
    if ((read_sysreg(id_aa64dfr0_el1) >> 8 & 0xf) == 0) {
        printf("no PMU\n");
        return 0;
    }
    gic_dist_init();
    gic_cpu_init(0);
    gic_enable_private(0, INTID_PMU);
    if (rt_start_el == 2) {
        run_at_el1(cycle_tests, 0);
#ifdef BEYOND_QEMU
        run_at_el1(event_tests, 0);
        hpmn_tests();
#endif
    } else {
        cycle_tests(0);
#ifdef BEYOND_QEMU
        event_tests(0);
#endif
    }
    return 0;
}
