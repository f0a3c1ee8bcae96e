/*
 * SMP on the virt board (-smp 4): PSCI CPU_ON of the secondaries in turn
 * (each prints its MPIDR before the next starts, so the output order is
 * fixed), CPU_ON errors (ALREADY_ON, INVALID_PARAMETERS), AFFINITY_INFO
 * before, during and after, SGIs from CPU 0 to each CPU and back, an SGI to
 * all but self (IRM), then CPU_OFF of the secondaries.
 */
#include "gic.h"

#define NCPUS 4
#define SGI_PING 5
#define SGI_PONG 6
#define SGI_ALL 7

void smp_secondary_entry(void);
void smp_secondary_main(uint64_t index);
__attribute__((aligned(16))) char smp_stacks[NCPUS][8192];

static volatile unsigned ready[NCPUS], got[NCPUS][16], go_off;

static unsigned cpu_index(void) { return (unsigned)(read_sysreg(MPIDR_EL1) & 0xff); }

static bool handler(struct exc_frame *f)
{
    if ((f->vector & 0x180) != 0x80)
        return false;
    unsigned me = cpu_index();
    uint64_t id = icc_iar1();
    if (id == INTID_SPURIOUS)
        return true;
    got[me][id & 15]++;
    icc_eoir1(id);
    if (id == SGI_PING && me != 0)
        icc_sgi1r(sgi1r(SGI_PONG, 0, 0));
    return true;
}

static void setup_this_cpu(unsigned me)
{
    if (current_el() == 2) {
        write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) | HCR_IMO | HCR_FMO); /* interrupts taken at EL2 */
        isb();
    }
    gic_cpu_init(me);
    irq_unmask();
}

void smp_secondary_main(uint64_t index)
{
    unsigned me = cpu_index();
    setup_this_cpu(me);
    printf("cpu %lu up at EL%u: MPIDR 0x%lx, index matches: %s\n", index, current_el(),
           read_sysreg(MPIDR_EL1) & 0xff00ffffffUL, me == index ? "yes" : "no");
    ready[index] = 1;
    while (!go_off)
        asm volatile("wfi");
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    printf("FAIL cpu %lu still running after CPU_OFF\n", index);
    for (;;)
        asm volatile("wfi");
}

static int64_t call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3) { return (int64_t)psci_call(fn, a1, a2, a3); }

/* Spins: a store by another CPU wakes no WFI. */
static void wait_for(volatile unsigned *p, unsigned value)
{
    while (*p < value)
        asm volatile("yield");
}

int main(void)
{
    set_exception_handler(handler);
    gic_dist_init();
    setup_this_cpu(0);
    printf("cpu 0 at EL%u: MPIDR 0x%lx\n", current_el(), read_sysreg(MPIDR_EL1) & 0xff00ffffffUL);
    for (unsigned i = 1; i < NCPUS; i++) {
        int64_t aff = call(PSCI_AFFINITY_INFO64, i, 0, 0);
        printf("AFFINITY_INFO(%u) before CPU_ON: %ld\n", i, aff);
        CHECK_EQ("AFFINITY_INFO before CPU_ON", aff, PSCI_AFF_OFF);
    }
    int64_t absent = call(PSCI_CPU_ON64, 0x100, (uint64_t)smp_secondary_entry, 9);
    printf("CPU_ON(MPIDR 0x100, absent): %ld\n", absent);
    CHECK_EQ("CPU_ON of an absent MPIDR", absent, PSCI_INVALID_PARAMS);
    for (unsigned i = 1; i < NCPUS; i++) {
        int64_t r = call(PSCI_CPU_ON64, i, (uint64_t)smp_secondary_entry, i);
        CHECK_EQ("CPU_ON", r, 0);
        wait_for(&ready[i], 1);
        int64_t again = call(PSCI_CPU_ON64, i, (uint64_t)smp_secondary_entry, i);
        int64_t aff = call(PSCI_AFFINITY_INFO64, i, 0, 0);
        printf("CPU_ON(%u): %ld, again: %ld, AFFINITY_INFO: %ld\n", i, r, again, aff);
        CHECK_EQ("CPU_ON again", again, PSCI_ALREADY_ON);
        CHECK_EQ("AFFINITY_INFO after CPU_ON", aff, PSCI_AFF_ON);
    }
    for (unsigned i = 1; i < NCPUS; i++) {
        icc_sgi1r(sgi1r(SGI_PING, 0, i));
        wait_for(&got[0][SGI_PONG], i);
        printf("SGI %u to cpu %u: received %u, reply SGI %u received by cpu 0: %u\n", SGI_PING, i,
               got[i][SGI_PING], SGI_PONG, got[0][SGI_PONG]);
        CHECK_EQ("SGI received", got[i][SGI_PING], 1);
        CHECK_EQ("replies received", got[0][SGI_PONG], i);
    }
    icc_sgi1r((uint64_t)SGI_ALL << 24 | 1ul << 40); /* IRM: every CPU but this one */
    for (unsigned i = 1; i < NCPUS; i++)
        wait_for(&got[i][SGI_ALL], 1);
    printf("SGI %u to all but self: cpu0 %u cpu1 %u cpu2 %u cpu3 %u\n", SGI_ALL, got[0][SGI_ALL], got[1][SGI_ALL],
           got[2][SGI_ALL], got[3][SGI_ALL]);
    CHECK_EQ("IRM SGI not to self", got[0][SGI_ALL], 0);
    go_off = 1;
    asm volatile("sev");
    for (unsigned i = 1; i < NCPUS; i++) {
        icc_sgi1r(sgi1r(SGI_ALL, 0, i)); /* wake it from WFI */
        while (call(PSCI_AFFINITY_INFO64, i, 0, 0) != PSCI_AFF_OFF)
            ;
        printf("cpu %u off: AFFINITY_INFO %ld\n", i, call(PSCI_AFFINITY_INFO64, i, 0, 0));
    }
    return 0;
}
