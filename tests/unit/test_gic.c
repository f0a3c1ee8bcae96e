/* GICv3 distributor and redistributors through the physical address space:
 * identification, the per-interrupt registers' set/clear semantics, IROUTER
 * with and without affinity level 3, routing of SPIs and SGIs to CPUs whose
 * MPIDR has Aff3 != 0, priorities and the highest pending interrupt,
 * edge/level inputs, acknowledge/deactivate, and nonsense accesses (RAZ/WI,
 * never a bus error or crash). Facts from Arm IHI 0069 (GICv3/v4 spec). */
#include <check.h>
#include <string.h>

#include "gic/gicv3.h"
#include "mmu/physmem.h"
#include "unit_main.h"

#define DIST 0x08000000ull
#define REDIST 0x080a0000ull
#define GICR_SGI(cpu) (REDIST + (cpu) * (uint64_t)GICR_FRAME_SIZE + 0x10000)
#define GICR_RD(cpu) (REDIST + (cpu) * (uint64_t)GICR_FRAME_SIZE)

static AddressSpace as;
static GICv3 gic;
static unsigned updates[4];

/* Four CPUs: two in Aff3 = 0, two in Aff3 = 1 (the layout a3v allows). */
static const uint64_t aff[4] = {0x0000000000ull, 0x0000000001ull, 0x0100000000ull, 0x0100000101ull};

static void count_update(void *opaque, unsigned cpu)
{
    (void)opaque;
    updates[cpu]++;
}

static void setup_gic(bool a3v, const uint64_t *affinity)
{
    char err[160];
    as_init(&as);
    ck_assert_msg(gicv3_init(&gic, 4, affinity, 64, a3v, err, sizeof err), "%s", err);
    gic.update = count_update;
    memset(updates, 0, sizeof updates);
    gicv3_map(&gic, &as, DIST, REDIST);
}

static void setup(void) { setup_gic(true, aff); }
static void teardown(void) { as_destroy(&as); }

static uint64_t rd(uint64_t addr, unsigned size)
{
    const MemRegion *r = as_find(&as, addr);
    uint64_t v = ~0ull;
    ck_assert_msg(r && r->ops->read(r->opaque, addr - r->base, size, &v), "read of 0x%llx failed",
                  (unsigned long long)addr);
    return v;
}

static void wr(uint64_t addr, unsigned size, uint64_t v)
{
    const MemRegion *r = as_find(&as, addr);
    ck_assert_msg(r && r->ops->write(r->opaque, addr - r->base, size, v), "write of 0x%llx failed",
                  (unsigned long long)addr);
}

START_TEST(identification)
{
    uint32_t typer = (uint32_t)rd(DIST + 0x4, 4);
    ck_assert_uint_eq(typer & 0x1f, (64 + 32) / 32 - 1); /* ITLinesNumber */
    ck_assert_uint_eq(typer >> 19 & 0x1f, 9);            /* IDbits: 10-bit INTIDs */
    ck_assert_uint_eq(typer >> 24 & 1, 1);               /* A3V */
    ck_assert_uint_eq(typer >> 17 & 1, 0);               /* no LPIs */
    ck_assert_uint_eq(rd(DIST + 0xffe8, 4) >> 4 & 0xf, 3); /* PIDR2.ArchRev: GICv3 */
    ck_assert_uint_eq(rd(GICR_RD(0) + 0xffe8, 4) >> 4 & 0xf, 3);
    /* GICD_CTLR: ARE and DS read as one; only the group enables are writable */
    ck_assert_uint_eq(rd(DIST, 4), 0x50);
    wr(DIST, 4, 0xffffffff);
    ck_assert_uint_eq(rd(DIST, 4), 0x53);
    /* GICR_TYPER: Affinity_Value = Aff3.Aff2.Aff1.Aff0, Processor_Number, Last */
    for (unsigned c = 0; c < 4; c++) {
        uint64_t t = rd(GICR_RD(c) + 0x8, 8);
        uint64_t want_aff = (aff[c] >> 32) << 24 | (aff[c] & 0xffffff);
        ck_assert_uint_eq(t >> 32, want_aff);
        ck_assert_uint_eq(t >> 8 & 0xffff, c);
        ck_assert_uint_eq(t >> 4 & 1, c == 3);
        ck_assert_uint_eq(rd(GICR_RD(c) + 0xc, 4), t >> 32); /* upper half as a word */
    }
}
END_TEST

START_TEST(waker_handshake)
{
    ck_assert_uint_eq(rd(GICR_RD(1) + 0x14, 4), 6); /* ProcessorSleep and ChildrenAsleep at reset */
    wr(GICR_RD(1) + 0x14, 4, 0);
    ck_assert_uint_eq(rd(GICR_RD(1) + 0x14, 4), 0);
    ck_assert_uint_eq(rd(GICR_RD(0) + 0x14, 4), 6); /* other CPUs untouched */
}
END_TEST

START_TEST(set_and_clear_registers)
{
    wr(DIST + 0x104, 4, 0x00000011);          /* ISENABLER1: SPIs 32 and 36 */
    ck_assert_uint_eq(rd(DIST + 0x104, 4), 0x11);
    ck_assert_uint_eq(rd(DIST + 0x184, 4), 0x11); /* ICENABLER reads the same state */
    wr(DIST + 0x184, 4, 0x00000001);          /* clear 32 only: writing 0 bits changes nothing */
    ck_assert_uint_eq(rd(DIST + 0x104, 4), 0x10);
    wr(DIST + 0x084, 4, 0xffffffff);          /* IGROUPR1 is plain read/write */
    wr(DIST + 0x084, 4, 0x0000ff00);
    ck_assert_uint_eq(rd(DIST + 0x084, 4), 0x0000ff00);
    /* INTIDs 0-31 in the distributor are RAZ/WI with affinity routing */
    wr(DIST + 0x100, 4, 0xffffffff);
    ck_assert_uint_eq(rd(DIST + 0x100, 4), 0);
    /* beyond the implemented SPIs (64 + 32 INTIDs): RAZ/WI */
    wr(DIST + 0x10c, 4, 0xffffffff);
    ck_assert_uint_eq(rd(DIST + 0x10c, 4), 0);
    /* SGIs/PPIs live in each redistributor */
    wr(GICR_SGI(2) + 0x100, 4, 0x80000002);
    ck_assert_uint_eq(rd(GICR_SGI(2) + 0x100, 4), 0x80000002);
    ck_assert_uint_eq(rd(GICR_SGI(1) + 0x100, 4), 0);
}
END_TEST

START_TEST(priorities_are_bytes_with_five_bits)
{
    wr(DIST + 0x420, 1, 0xff);                     /* IPRIORITYR of INTID 32 */
    wr(DIST + 0x421, 1, 0x47);
    ck_assert_uint_eq(rd(DIST + 0x420, 4), 0x40f8); /* low three bits RAZ/WI */
    wr(GICR_SGI(0) + 0x41c, 4, 0x11223344);          /* PPIs 28-31 */
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x41c, 4), 0x10203040);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x41f, 1), 0x10);
}
END_TEST

START_TEST(config_registers)
{
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0xc00, 4), 0xaaaaaaaa); /* SGIs: edge, read-only */
    wr(GICR_SGI(0) + 0xc00, 4, 0);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0xc00, 4), 0xaaaaaaaa);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0xc04, 4), 0);          /* PPIs: level at reset */
    wr(DIST + 0xc08, 4, 0x00000002);                            /* SPI 32: edge */
    ck_assert_uint_eq(rd(DIST + 0xc08, 4), 0x2);
    ck_assert_uint_eq(rd(DIST + 0xd04, 4), 0);                  /* IGRPMODR: RAZ with DS = 1 */
}
END_TEST

START_TEST(irouter_aff3_needs_a3v)
{
    wr(DIST + 0x6000 + 8 * 40, 8, 0xffffffffffffffffull);
    ck_assert_uint_eq(rd(DIST + 0x6000 + 8 * 40, 8), 0xff80ffffffull); /* Aff3, IRM, Aff2..0 */
    wr(DIST + 0x6000 + 8 * 40 + 4, 4, 0);                                 /* upper word alone */
    ck_assert_uint_eq(rd(DIST + 0x6000 + 8 * 40, 8), 0x80ffffffull);
    teardown();
    static const uint64_t flat[4] = {0, 1, 2, 3};
    setup_gic(false, flat);
    ck_assert_uint_eq(rd(DIST + 0x4, 4) >> 24 & 1, 0);
    wr(DIST + 0x6000 + 8 * 40, 8, 0xffffffffffffffffull);
    ck_assert_uint_eq(rd(DIST + 0x6000 + 8 * 40, 8), 0x80ffffffull); /* Aff3 RES0 */
}
END_TEST

START_TEST(aff3_cpu_refused_without_a3v)
{
    GICv3 g;
    char err[160];
    ck_assert(!gicv3_init(&g, 4, aff, 64, false, err, sizeof err));
    ck_assert_msg(strstr(err, "Aff3") && strstr(err, "gic-a3v"), "%s", err);
    static const uint64_t twins[2] = {5, 5};
    ck_assert(!gicv3_init(&g, 2, twins, 64, true, err, sizeof err));
    ck_assert(!gicv3_init(&g, 2, twins, 33, true, err, sizeof err));
}
END_TEST

/* SPI 40 routed to the CPU at Aff3.Aff2.Aff1.Aff0 = 1.0.1.1 (CPU 3). */
START_TEST(spi_routed_to_aff3_cpu)
{
    wr(DIST, 4, 3);                                   /* both groups on */
    wr(DIST + 0x6000 + 8 * 40, 8, 0x0100000101ull);
    wr(DIST + 0x104, 4, 1u << 8);                     /* enable SPI 40 */
    wr(DIST + 0x428, 1, 0x80);
    gicv3_set_spi(&gic, 40, true);
    for (unsigned c = 0; c < 3; c++)
        ck_assert_uint_eq(gicv3_highest_pending(&gic, c).intid, GIC_SPURIOUS);
    GICPending p = gicv3_highest_pending(&gic, 3);
    ck_assert_uint_eq(p.intid, 40);
    ck_assert_uint_eq(p.priority, 0x80);
    ck_assert(!p.group1);
    ck_assert_uint_gt(updates[3], 0);
    /* rerouted to Aff3 = 0's CPU 1 */
    wr(DIST + 0x6000 + 8 * 40, 8, 0x1);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 3).intid, GIC_SPURIOUS);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 1).intid, 40);
    /* 1 of N (IRM): the first CPU that is awake */
    wr(DIST + 0x6000 + 8 * 40, 8, 1ull << 31);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 1).intid, GIC_SPURIOUS);
    wr(GICR_RD(2) + 0x14, 4, 0);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 2).intid, 40);
}
END_TEST

START_TEST(sgi_to_aff3_cpu_and_priority_order)
{
    wr(DIST, 4, 3);
    wr(GICR_SGI(2) + 0x100, 4, 0x0000000f);           /* SGIs 0-3 enabled on CPU 2 */
    wr(GICR_SGI(2) + 0x080, 4, 0x0000000c);           /* 2 and 3 in Group 1 */
    wr(GICR_SGI(2) + 0x400, 4, 0x60a0a0c0);           /* priorities: 0 c0, 1 a0, 2 a0, 3 60 */
    gicv3_send_sgi(&gic, 2, 1);
    gicv3_send_sgi(&gic, 2, 2);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 2).intid, 1); /* equal priority: lower INTID */
    gicv3_send_sgi(&gic, 2, 3);
    GICPending p = gicv3_highest_pending(&gic, 2);
    ck_assert_uint_eq(p.intid, 3);
    ck_assert(p.group1);
    ck_assert_uint_eq(rd(GICR_SGI(2) + 0x200, 4), 0xe);  /* ISPENDR0 */
    gicv3_acknowledge(&gic, 2, 3);
    ck_assert_uint_eq(rd(GICR_SGI(2) + 0x300, 4), 0x8);  /* ISACTIVER0 */
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 2).intid, 1);
    wr(DIST, 4, 2); /* Group 0 off: only Group 1's SGI 2 is left */
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 2).intid, 2);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, GIC_SPURIOUS);
}
END_TEST

START_TEST(level_and_edge_inputs)
{
    wr(DIST, 4, 1);
    wr(GICR_SGI(0) + 0x100, 4, 1u << 27);             /* PPI 27 (virtual timer) */
    gicv3_set_ppi(&gic, 0, 27, true);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, 27);
    wr(GICR_SGI(0) + 0x280, 4, 1u << 27);             /* ICPENDR: the line still holds it */
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, 27);
    gicv3_acknowledge(&gic, 0, 27);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, GIC_SPURIOUS); /* active */
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x200, 4), 1u << 27);               /* and pending */
    gicv3_set_ppi(&gic, 0, 27, false);
    gicv3_deactivate(&gic, 0, 27);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, GIC_SPURIOUS);
    /* an edge SPI latches on the rising edge only */
    wr(DIST + 0xc08, 4, 0x2 << 2);                    /* SPI 33 edge */
    wr(DIST + 0x104, 4, 1u << 1);
    wr(DIST + 0x6000 + 8 * 33, 8, 0);
    gicv3_set_spi(&gic, 33, true);
    gicv3_set_spi(&gic, 33, false);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, 33);
    gicv3_acknowledge(&gic, 0, 33);
    gicv3_deactivate(&gic, 0, 33);
    ck_assert_uint_eq(gicv3_highest_pending(&gic, 0).intid, GIC_SPURIOUS);
}
END_TEST

/* Every offset of both frames with every size: no bus error, no crash. */
START_TEST(nonsense_accesses_are_harmless)
{
    static const unsigned sizes[] = {1, 2, 4, 8};
    for (uint64_t off = 0; off < GICD_MMIO_SIZE; off += 4) {
        for (unsigned k = 0; k < 4; k++) {
            uint64_t base = k & 1 ? REDIST + 3 * (uint64_t)GICR_FRAME_SIZE : DIST;
            wr(base + off, sizes[k], 0xa5a5a5a5a5a5a5a5ull);
            (void)rd(base + off + (k & 2 ? 1 : 0), sizes[k]);
            (void)rd(REDIST + 3 * (uint64_t)GICR_FRAME_SIZE + 0x10000 + off, sizes[k]);
        }
    }
    ck_assert_uint_eq(rd(DIST + 0x4, 4) & 0x1f, 2); /* TYPER unchanged */
}
END_TEST

/* ---- the CPU interface ---- */

static void spi(unsigned intid, uint8_t priority, uint64_t route, bool group1)
{
    wr(DIST + 0x6000 + 8 * intid, 8, route);
    wr(DIST + 0x400 + intid, 1, priority);
    uint32_t bit = 1u << (intid % 32);
    uint64_t grp = DIST + 0x80 + intid / 32 * 4;
    wr(grp, 4, group1 ? rd(grp, 4) | bit : rd(grp, 4) & ~bit);
    wr(DIST + 0x100 + intid / 32 * 4, 4, bit);
    gicv3_set_spi(&gic, intid, true);
}

static void lines(unsigned cpu, bool irq, bool fiq)
{
    bool i, f;
    gicv3_cpu_lines(&gic, cpu, &i, &f);
    ck_assert_msg(i == irq && f == fiq, "cpu %u: IRQ %d FIQ %d, want %d %d", cpu, i, f, irq, fiq);
}

START_TEST(acknowledge_and_end_of_interrupt)
{
    const unsigned cpu = 3; /* Aff3 = 1 */
    wr(DIST, 4, 3);
    spi(40, 0x80, 0x0100000101ull, true);
    lines(cpu, false, false);                          /* PMR 0 and IGRPEN1 0 mask it */
    gicv3_icc_write(&gic, cpu, ICC_IGRPEN1, 1);
    gicv3_icc_write(&gic, cpu, ICC_PMR, 0x80);
    lines(cpu, false, false);                          /* priority must be below the mask */
    gicv3_icc_write(&gic, cpu, ICC_PMR, 0x88);
    lines(cpu, true, false);
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_HPPIR1), 40);
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_HPPIR0), GIC_SPURIOUS);
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_IAR0), GIC_SPURIOUS); /* wrong group */
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_IAR1), 40);
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_RPR), 0x80);
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_AP1R0), 1u << (0x80 >> 3));
    lines(cpu, false, false);                          /* active: no longer signalled */
    gicv3_set_spi(&gic, 40, false);
    gicv3_icc_write(&gic, cpu, ICC_EOIR1, 40);
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_RPR), 0xff);
    ck_assert_uint_eq(rd(DIST + 0x304, 4) >> 8 & 1, 0); /* EOImode 0: deactivated too */
    ck_assert_uint_eq(gicv3_icc_read(&gic, cpu, ICC_IAR1), GIC_SPURIOUS);
}
END_TEST

START_TEST(binary_point_decides_preemption)
{
    wr(DIST, 4, 3);
    gicv3_icc_write(&gic, 0, ICC_IGRPEN1, 1);
    gicv3_icc_write(&gic, 0, ICC_PMR, 0xff);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_BPR1), 3); /* reset: the minimum for 5 bits */
    gicv3_icc_write(&gic, 0, ICC_BPR1, 0);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_BPR1), 3);
    spi(33, 0x40, 0, true);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_IAR1), 33);
    spi(34, 0x38, 0, true);
    lines(0, true, false);                   /* group priority 0x38 < 0x40 */
    gicv3_icc_write(&gic, 0, ICC_BPR1, 6);   /* group priority bits 7:6: 0x00 < 0x40 still */
    lines(0, true, false);
    gicv3_icc_write(&gic, 0, ICC_BPR1, 7);   /* bit 7 only: 0x00 == 0x00, no preemption */
    lines(0, false, false);
    gicv3_icc_write(&gic, 0, ICC_CTLR, 1);   /* CBPR: BPR0 (2) for Group 1 as well */
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_BPR1), 3);
    lines(0, true, false);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_IAR1), 34); /* nested */
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_RPR), 0x38);
    gicv3_icc_write(&gic, 0, ICC_EOIR1, 34);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_RPR), 0x40);
}
END_TEST

START_TEST(eoimode_splits_drop_and_deactivate)
{
    wr(DIST, 4, 1);
    gicv3_icc_write(&gic, 1, ICC_IGRPEN0, 1);
    gicv3_icc_write(&gic, 1, ICC_PMR, 0xff);
    gicv3_icc_write(&gic, 1, ICC_CTLR, 2); /* EOImode */
    spi(35, 0x10, 1, false);
    lines(1, false, true);                 /* Group 0: FIQ */
    ck_assert_uint_eq(gicv3_icc_read(&gic, 1, ICC_IAR0), 35);
    gicv3_set_spi(&gic, 35, false);
    gicv3_icc_write(&gic, 1, ICC_EOIR0, 35);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 1, ICC_RPR), 0xff);
    ck_assert_uint_eq(rd(DIST + 0x304, 4) >> 3 & 1, 1); /* still active */
    gicv3_icc_write(&gic, 1, ICC_DIR, 35);
    ck_assert_uint_eq(rd(DIST + 0x304, 4) >> 3 & 1, 0);
}
END_TEST

static uint64_t sgi1r(unsigned aff3, unsigned aff2, unsigned aff1, unsigned rs, unsigned targets, unsigned intid)
{
    return (uint64_t)aff3 << 48 | (uint64_t)rs << 44 | (uint64_t)aff2 << 32 | intid << 24 | aff1 << 16 | targets;
}

START_TEST(sgi1r_reaches_aff3_targets)
{
    for (unsigned c = 0; c < 4; c++)
        wr(GICR_SGI(c) + 0x80, 4, 1u << 5); /* SGI 5 in Group 1 everywhere */
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_CTLR) >> 15 & 1, 1); /* A3V */
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_CTLR) >> 8 & 7, 4);  /* PRIbits: 5 bits */
    gicv3_icc_write(&gic, 0, ICC_SGI1R, sgi1r(1, 0, 1, 0, 1u << 1, 5)); /* 1.0.1.1 = CPU 3 */
    ck_assert_uint_eq(rd(GICR_SGI(3) + 0x200, 4), 1u << 5);
    ck_assert_uint_eq(rd(GICR_SGI(1) + 0x200, 4), 0);                  /* 0.0.0.1 is not it */
    gicv3_icc_write(&gic, 3, ICC_SGI1R, sgi1r(0, 0, 0, 0, 1u << 1, 5)); /* 0.0.0.1 = CPU 1 */
    ck_assert_uint_eq(rd(GICR_SGI(1) + 0x200, 4), 1u << 5);
    gicv3_icc_write(&gic, 0, ICC_SGI0R, sgi1r(1, 0, 0, 0, 1, 5));      /* Group 0 SGI: not configured so */
    ck_assert_uint_eq(rd(GICR_SGI(2) + 0x200, 4), 0);
    gicv3_icc_write(&gic, 2, ICC_SGI1R, 1ull << 40 | 6u << 24 | 0);   /* IRM: everyone else */
    wr(GICR_SGI(2) + 0x80, 4, 0);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x200, 4), 0);                 /* SGI 6 is Group 0 there */
    for (unsigned c = 0; c < 4; c++)
        wr(GICR_SGI(c) + 0x80, 4, 1u << 6);
    gicv3_icc_write(&gic, 2, ICC_SGI1R, 1ull << 40 | 6u << 24);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x200, 4) >> 6 & 1, 1);
    ck_assert_uint_eq(rd(GICR_SGI(3) + 0x200, 4) >> 6 & 1, 1);
    ck_assert_uint_eq(rd(GICR_SGI(2) + 0x200, 4) >> 6 & 1, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gic");
    TCase *tc = tcase_create("gicv3");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60); /* the nonsense sweep takes seconds under ASan on a loaded host */
    tcase_add_test(tc, identification);
    tcase_add_test(tc, waker_handshake);
    tcase_add_test(tc, set_and_clear_registers);
    tcase_add_test(tc, priorities_are_bytes_with_five_bits);
    tcase_add_test(tc, config_registers);
    tcase_add_test(tc, irouter_aff3_needs_a3v);
    tcase_add_test(tc, aff3_cpu_refused_without_a3v);
    tcase_add_test(tc, spi_routed_to_aff3_cpu);
    tcase_add_test(tc, sgi_to_aff3_cpu_and_priority_order);
    tcase_add_test(tc, level_and_edge_inputs);
    tcase_add_test(tc, nonsense_accesses_are_harmless);
    tcase_add_test(tc, acknowledge_and_end_of_interrupt);
    tcase_add_test(tc, binary_point_decides_preemption);
    tcase_add_test(tc, eoimode_splits_drop_and_deactivate);
    tcase_add_test(tc, sgi1r_reaches_aff3_targets);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
