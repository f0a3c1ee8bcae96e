/*
 * Affinity routing by the board's real MPIDR layout (Nestor only: QEMU 7.2
 * has neither GICD_TYPER.A3V nor MPIDR.MT). Run with -smp 4 on
 * -M virt,gic-a3v=on,cpus-per-aff3=2 (CPUs with Aff3 != 0), and with a
 * model whose MPIDR has MT = 1 (core number in Aff1, Aff0 = thread 0).
 *
 * CPU 0 learns every CPU's affinity from the redistributors' GICR_TYPER
 * (IHI 0069 12.11.33: Affinity_Value = Aff3.Aff2.Aff1.Aff0, Processor_Number
 * = the frame's index), starts the others with PSCI CPU_ON at that MPIDR,
 * and each checks that its own MPIDR_EL1 is the one its frame reports.
 * Then SGIs through ICC_SGI1R_EL1 with Aff3/Aff2/Aff1, RS and the target
 * list (IHI 0069 12.2.21), a target list in the wrong range (RS), a missing
 * Aff3, IRM = 1, and an SPI routed by GICD_IROUTER with Aff3 to each CPU;
 * each must reach exactly the addressed CPU. A barrier SGI (higher INTID,
 * taken after any stray lower one pending with it) closes every step.
 * Built with -DEXPECT_AFF3, some CPU must have Aff3 != 0.
 */
#include "gic.h"

#define MAXCPUS 4
#define GICD_TYPER 0x0004
#define GICD_TYPER_A3V (1u << 24)
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1u << 4)
#define ICC_CTLR_A3V (1u << 15)
#define MPIDR_AFF_MASK 0xff00fffffful
#define MPIDR_MT (1ul << 24)
#define SGI_PING 3
#define SGI_BARRIER 9
#define SPI_TEST 40 /* SPI 8: unused on QEMU's virt */
#define SLOT_SPI 15 /* got[][] index of the SPI (no SGI uses 15 here) */

void smp_secondary_entry(void);
void smp_secondary_main(uint64_t index);
__attribute__((aligned(16))) char smp_stacks[MAXCPUS][8192];

static unsigned ncpus;
static uint64_t aff_of[MAXCPUS]; /* MPIDR-format affinity of each redistributor frame */
static volatile unsigned ready[MAXCPUS], got[MAXCPUS][16], go_off;

static unsigned me(void) { return (unsigned)read_sysreg(TPIDR_EL1); }

static bool handler(struct exc_frame *f)
{
    if ((f->vector & 0x180) != 0x80)
        return false;
    uint64_t id = icc_iar1();
    if (id == INTID_SPURIOUS)
        return true;
    got[me()][id == SPI_TEST ? SLOT_SPI : id & 15]++;
    icc_eoir1(id);
    return true;
}

static void setup_this_cpu(unsigned index)
{
    write_sysreg(TPIDR_EL1, index);
    if (current_el() == 2) {
        write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) | HCR_IMO | HCR_FMO);
        isb();
    }
    gic_cpu_init(index);
    irq_unmask();
}

void smp_secondary_main(uint64_t index)
{
    setup_this_cpu((unsigned)index);
    uint64_t mpidr = read_sysreg(MPIDR_EL1);
    CHECK_EQ("secondary MPIDR affinity = its GICR_TYPER", mpidr & MPIDR_AFF_MASK, aff_of[index]);
    CHECK_EQ("secondary MPIDR.MT = boot CPU's", mpidr & MPIDR_MT, read_sysreg(MPIDR_EL1) & MPIDR_MT);
    ready[index] = 1;
    while (!go_off)
        asm volatile("wfi");
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        asm volatile("wfi");
}

static void wait_for(volatile unsigned *p, unsigned value)
{
    while (*p < value)
        asm volatile("yield");
}

/* ICC_SGI1R_EL1 for one CPU of affinity aff (MPIDR format), with the range
 * selector and target-list bit from Aff0. */
static uint64_t sgi_to(unsigned intid, uint64_t aff)
{
    unsigned aff0 = aff & 0xff;
    return (aff >> 32 & 0xff) << 48 | (aff >> 16 & 0xff) << 32 | (aff >> 8 & 0xff) << 16 |
           (uint64_t)(aff0 >> 4) << 44 | (uint64_t)intid << 24 | 1u << (aff0 & 15);
}

/* Every other CPU takes a barrier SGI: whatever was pending before is taken. */
static unsigned barriers;
static void barrier(void)
{
    barriers++;
    icc_sgi1r((uint64_t)SGI_BARRIER << 24 | 1ul << 40);
    for (unsigned i = 1; i < ncpus; i++)
        wait_for(&got[i][SGI_BARRIER], barriers);
}

/* Counts of slot `slot` on every CPU must equal want[]. */
static void expect_counts(const char *what, unsigned slot, const unsigned *want)
{
    printf("%s:", what);
    for (unsigned i = 0; i < ncpus; i++) {
        printf(" cpu%u=%u", i, got[i][slot]);
        if (got[i][slot] != want[i])
            printf(" FAIL(want %u)", want[i]);
    }
    printf("\n");
}

int main(void)
{
    set_exception_handler(handler);
    uint32_t typer = *gicd32(GICD_TYPER);
    unsigned a3v = !!(typer & GICD_TYPER_A3V);
    uint64_t mpidr0 = read_sysreg(MPIDR_EL1);
    unsigned mt = !!(mpidr0 & MPIDR_MT);
    printf("GICD_TYPER.A3V %u, ICC_CTLR_EL1.A3V %u, MPIDR.MT %u\n", a3v,
           !!(read_sysreg(S3_0_C12_C12_4) & ICC_CTLR_A3V), mt);
    CHECK_EQ("ICC_CTLR_EL1.A3V = GICD_TYPER.A3V", !!(read_sysreg(S3_0_C12_C12_4) & ICC_CTLR_A3V), a3v);
    unsigned any_aff3 = 0;
    for (ncpus = 0; ncpus < MAXCPUS;) {
        uint64_t t = *(volatile uint64_t *)(GICR_BASE + ncpus * GICR_FRAME + GICR_TYPER);
        uint64_t v = t >> 32;
        aff_of[ncpus] = (v >> 24) << 32 | (v & 0xffffff);
        printf("redistributor %u: affinity %lu.%lu.%lu.%lu, processor number %lu%s\n", ncpus, v >> 24,
               v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff, t >> 8 & 0xffff, t & GICR_TYPER_LAST ? ", last" : "");
        CHECK_EQ("GICR_TYPER.Processor_Number", t >> 8 & 0xffff, ncpus);
        any_aff3 |= (v >> 24) != 0;
        if (mt)
            CHECK_EQ("MT: Aff0 (thread) of a one-thread core", v & 0xff, 0);
        for (unsigned j = 0; j < ncpus; j++)
            if (aff_of[j] == aff_of[ncpus])
                printf("FAIL redistributors %u and %u have the same affinity\n", j, ncpus);
        ncpus++;
        if (t & GICR_TYPER_LAST)
            break;
    }
    CHECK_EQ("CPU 0's MPIDR affinity = redistributor 0's", mpidr0 & MPIDR_AFF_MASK, aff_of[0]);
    if (any_aff3)
        CHECK_EQ("Aff3 != 0 only with A3V", a3v, 1);
#ifdef EXPECT_AFF3
    CHECK_EQ("some CPU has Aff3 != 0", any_aff3, 1);
#endif
    gic_dist_init();
    setup_this_cpu(0);
    for (unsigned i = 1; i < ncpus; i++) {
        int64_t r = (int64_t)psci_call(PSCI_CPU_ON64, aff_of[i], (uint64_t)smp_secondary_entry, i);
        CHECK_EQ("CPU_ON by affinity", r, 0);
        wait_for(&ready[i], 1);
        int64_t aff = (int64_t)psci_call(PSCI_AFFINITY_INFO64, aff_of[i], 0, 0);
        printf("cpu %u on: AFFINITY_INFO %ld\n", i, aff);
        CHECK_EQ("AFFINITY_INFO by affinity", aff, PSCI_AFF_ON);
    }
    unsigned want[MAXCPUS] = {0};

    /* one SGI to each other CPU by its full affinity */
    for (unsigned i = 1; i < ncpus; i++) {
        icc_sgi1r(sgi_to(SGI_PING, aff_of[i]));
        wait_for(&got[i][SGI_PING], 1);
        barrier();
        want[i] = 1;
        printf("SGI to redistributor %u (ICC_SGI1R 0x%016lx)", i, sgi_to(SGI_PING, aff_of[i]));
        expect_counts("", SGI_PING, want);
    }
    /* the same target lists in the other range (RS + 1) and with Aff3 + 1:
     * no CPU has those affinities, nobody takes them */
    for (unsigned i = 1; i < ncpus; i++) {
        icc_sgi1r(sgi_to(SGI_PING, aff_of[i]) + (1ul << 44));
        if (a3v) /* Aff3 + 0x80: no CPU's, whatever the group size */
            icc_sgi1r(sgi_to(SGI_PING, aff_of[i] + (0x80ul << 32)));
    }
    barrier();
    expect_counts("SGIs to absent RS/Aff3 ranges", SGI_PING, want);
    /* IRM = 1: every CPU but the sender */
    icc_sgi1r((uint64_t)SGI_PING << 24 | 1ul << 40);
    for (unsigned i = 1; i < ncpus; i++)
        wait_for(&got[i][SGI_PING], 2);
    barrier();
    for (unsigned i = 1; i < ncpus; i++)
        want[i]++;
    expect_counts("SGI with IRM = 1", SGI_PING, want);

    /* an SPI routed by GICD_IROUTER (Aff3 in bits 39:32) to each CPU in turn */
    *gicd32(GICD_IGROUPR(SPI_TEST / 32)) |= 1u << (SPI_TEST % 32);
    *gicd8(GICD_IPRIORITYR(SPI_TEST)) = 0x80;
    unsigned want_spi[MAXCPUS] = {0};
    for (unsigned i = 0; i < ncpus; i++) {
        *gicd64(GICD_IROUTER(SPI_TEST)) = aff_of[i];
        uint64_t back = *gicd64(GICD_IROUTER(SPI_TEST));
        CHECK_EQ("GICD_IROUTER reads back the affinity", back, aff_of[i]);
        *gicd32(GICD_ISENABLER(SPI_TEST / 32)) = 1u << (SPI_TEST % 32);
        *gicd32(GICD_ISPENDR(SPI_TEST / 32)) = 1u << (SPI_TEST % 32);
        wait_for(&got[i][SLOT_SPI], 1);
        barrier();
        want_spi[i] = 1;
        printf("SPI %u routed to 0x%lx", SPI_TEST, back);
        expect_counts("", SLOT_SPI, want_spi);
    }
    *gicd32(GICD_ICENABLER(SPI_TEST / 32)) = 1u << (SPI_TEST % 32);

    go_off = 1;
    for (unsigned i = 1; i < ncpus; i++) {
        icc_sgi1r(sgi_to(SGI_BARRIER, aff_of[i])); /* wake it from WFI */
        while (psci_call(PSCI_AFFINITY_INFO64, aff_of[i], 0, 0) != PSCI_AFF_OFF)
            ;
    }
    printf("%u CPUs off again\n", ncpus - 1);
    return 0;
}
