/* GICv3 distributor (Arm IHI 0069, 12.9) and redistributor (12.10, 12.11)
 * register files, one security state. */
#include <string.h>

#include "gic/gicv3_internal.h"
#include "mmu/physmem.h"
#include "trace/log.h"

enum {
    GICD_CTLR = 0x0000,
    GICD_TYPER = 0x0004,
    GICD_IIDR = 0x0008,
    GICD_TYPER2 = 0x000c,
    GICD_SETSPI_NSR = 0x0040,
    GICD_CLRSPI_NSR = 0x0048,
    GICD_IROUTER = 0x6000, /* + 8 * INTID, INTIDs 32 and up */
    GICD_IROUTER_END = 0x7fe0,
};

#define CTLR_ENABLE_GRP0 (1u << 0)
#define CTLR_ENABLE_GRP1 (1u << 1)
#define CTLR_ARE (1u << 4) /* affinity routing: always on (RAO/WI) */
#define CTLR_DS (1u << 6)  /* one security state: RAO/WI */
#define TYPER_IDBITS_10 (9u << 19) /* INTIDs have 10 bits (no LPIs) */
#define TYPER_A3V (1u << 24)
#define IROUTER_WRITABLE_A3V 0xff80ffffffull /* Aff3 (39:32), IRM (31), Aff2..Aff0 (23:0) */
#define IROUTER_WRITABLE 0x80ffffffull

bool gic_bad_access(const char *what, uint64_t offset, unsigned size, bool is_write)
{
    if (log_enabled(LOG_GUEST_ERRORS))
        log_printf("%s: %u-byte %s at offset 0x%llx: no such register or access size (RAZ/WI)\n", what, size,
                   is_write ? "write" : "read", (unsigned long long)offset);
    return true;
}

static GICIrq *spi_of(GICIrqRange *range, unsigned intid)
{
    return intid >= GIC_NUM_PRIVATE ? gicv3_irq(range->gic, 0, intid) : NULL; /* 0-31: RAZ/WI with ARE */
}

static void spis_changed(GICIrqRange *range) { gicv3_changed(range->gic, GIC_NUM_PRIVATE, 0); }

static GICIrqRange dist_range(GICv3 *gic) { return (GICIrqRange){"GICD", gic, 0, spi_of, spis_changed}; }

static uint32_t typer(const GICv3 *gic)
{
    unsigned lines = (gic->num_spis + GIC_NUM_PRIVATE) / 32 - 1;
    unsigned cpus = gic->num_cpus > 8 ? 7 : gic->num_cpus - 1;
    return lines | cpus << 5 | TYPER_IDBITS_10 | (gic->a3v ? TYPER_A3V : 0);
}

/* The IROUTER an access reaches (NULL for an INTID with no SPI: RAZ/WI);
 * false for an access of the wrong size or alignment. */
static bool irouter_access(GICv3 *gic, uint64_t offset, unsigned size, bool is_write, uint64_t **route)
{
    unsigned intid = (unsigned)(offset - GICD_IROUTER) / 8;
    *route = NULL;
    if ((size != 8 && size != 4) || offset & (size - 1)) {
        gic_bad_access("GICD", offset, size, is_write);
        return false;
    }
    if (intid >= GIC_NUM_PRIVATE && intid - GIC_NUM_PRIVATE < gic->num_spis)
        *route = &gic->router[intid - GIC_NUM_PRIVATE];
    return true;
}

static bool dist_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    GICv3 *gic = opaque;
    *value = 0;
    if (offset >= GICD_IROUTER && offset < GICD_IROUTER_END) {
        uint64_t *route;
        if (irouter_access(gic, offset, size, false, &route) && route)
            *value = (*route >> (offset & 4 ? 32 : 0)) & (size == 4 ? 0xffffffffu : ~0ull);
        return true;
    }
    if (gic_irqregs_contains(offset)) {
        GICIrqRange r = dist_range(gic);
        return gic_irqregs_read(&r, offset, size, value);
    }
    if (size != 4 || offset & 3)
        return gic_bad_access("GICD", offset, size, false);
    switch (offset) {
    case GICD_CTLR: *value = gic->ctlr | CTLR_ARE | CTLR_DS; break;
    case GICD_TYPER: *value = typer(gic); break;
    case GICD_IIDR: *value = GIC_IIDR; break;
    case GIC_PIDR2: *value = GIC_PIDR2_GICV3; break;
    default: break; /* reserved, TYPER2, STATUSR, legacy ITARGETSR/SGIR with ARE: RAZ */
    }
    return true;
}

static bool dist_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    GICv3 *gic = opaque;
    if (offset >= GICD_IROUTER && offset < GICD_IROUTER_END) {
        uint64_t *route;
        if (irouter_access(gic, offset, size, true, &route) && route) {
            unsigned intid = (unsigned)(offset - GICD_IROUTER) / 8;
            uint64_t v = value, keep = 0;
            if (size == 4) { /* one half of the 64-bit register */
                unsigned shift = offset & 4 ? 32 : 0;
                keep = *route & ~(0xffffffffull << shift);
                v = (value & 0xffffffffu) << shift;
            }
            /* Aff3 is RES0 without A3V (GICD_TYPER.A3V) */
            *route = (keep | v) & (gic->a3v ? IROUTER_WRITABLE_A3V : IROUTER_WRITABLE);
            gicv3_changed(gic, intid, 0);
        }
        return true;
    }
    if (gic_irqregs_contains(offset)) {
        GICIrqRange r = dist_range(gic);
        return gic_irqregs_write(&r, offset, size, value);
    }
    if (size != 4 || offset & 3)
        return gic_bad_access("GICD", offset, size, true);
    switch (offset) {
    case GICD_CTLR:
        gic->ctlr = (uint32_t)value & (CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
        for (unsigned c = 0; c < gic->num_cpus; c++)
            gicv3_changed(gic, 0, c);
        break;
    case GICD_SETSPI_NSR:
    case GICD_CLRSPI_NSR: { /* message-based SPIs: edge pending set/clear */
        GICIrq *irq = (uint32_t)value >= GIC_NUM_PRIVATE ? gicv3_irq(gic, 0, (uint32_t)value & 0x3ff) : NULL;
        if (irq) {
            irq->pending = offset == GICD_SETSPI_NSR;
            gicv3_changed(gic, (uint32_t)value & 0x3ff, 0);
        }
        break;
    }
    default: break; /* read-only, reserved: WI */
    }
    return true;
}

static const MMIOOps dist_ops = {dist_read, dist_write};

static bool redist_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
static bool redist_write(void *opaque, uint64_t offset, unsigned size, uint64_t value);
static const MMIOOps redist_ops = {redist_read, redist_write};

void gicv3_map(GICv3 *gic, struct AddressSpace *as, uint64_t dist_base, uint64_t redist_base)
{
    as_add_mmio(as, "gicv3-dist", dist_base, GICD_MMIO_SIZE, &dist_ops, gic);
    as_add_mmio(as, "gicv3-redist", redist_base, (uint64_t)gic->num_cpus * GICR_FRAME_SIZE, &redist_ops, gic);
}

/* ---- redistributors: RD_base (control) and SGI_base (SGIs and PPIs) ---- */

enum {
    GICR_CTLR = 0x0000,
    GICR_IIDR = 0x0004,
    GICR_TYPER = 0x0008, /* 64-bit */
    GICR_WAKER = 0x0014,
    GICR_SGI_BASE = 0x10000,
};

#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_TYPER_LAST (1u << 4)

static GICIrq *private_of(GICIrqRange *range, unsigned intid)
{
    return intid < GIC_NUM_PRIVATE ? &range->gic->redist[range->cpu].irq[intid] : NULL;
}

static void private_changed(GICIrqRange *range) { gicv3_changed(range->gic, 0, range->cpu); }

static uint64_t redist_typer(const GICv3 *gic, unsigned cpu)
{
    const GICRedist *r = &gic->redist[cpu];
    /* Affinity_Value: Aff3.Aff2.Aff1.Aff0 in bits 63:32 */
    uint64_t aff = (r->affinity >> 32 & 0xff) << 24 | (r->affinity & 0xffffff);
    return aff << 32 | (uint64_t)cpu << 8 | (cpu == gic->num_cpus - 1 ? GICR_TYPER_LAST : 0);
}

static bool redist_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    GICv3 *gic = opaque;
    unsigned cpu = (unsigned)(offset / GICR_FRAME_SIZE);
    uint64_t off = offset % GICR_FRAME_SIZE;
    *value = 0;
    if (off >= GICR_SGI_BASE) {
        GICIrqRange r = {"GICR", gic, cpu, private_of, private_changed};
        off -= GICR_SGI_BASE;
        return gic_irqregs_contains(off) ? gic_irqregs_read(&r, off, size, value)
                                         : (size == 4 && !(off & 3)) || gic_bad_access("GICR", offset, size, false);
    }
    if (off == GICR_TYPER || off == GICR_TYPER + 4) {
        if (size == 8 && off == GICR_TYPER)
            *value = redist_typer(gic, cpu);
        else if (size == 4)
            *value = redist_typer(gic, cpu) >> (off == GICR_TYPER ? 0 : 32) & 0xffffffffu;
        else
            return gic_bad_access("GICR", offset, size, false);
        return true;
    }
    if (size != 4 || off & 3)
        return gic_bad_access("GICR", offset, size, false);
    switch (off) {
    case GICR_IIDR: *value = GIC_IIDR; break;
    case GICR_WAKER:
        *value = gic->redist[cpu].sleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
        break;
    case GIC_PIDR2: *value = GIC_PIDR2_GICV3; break;
    default: break; /* GICR_CTLR (no LPIs), STATUSR, PROPBASER, PENDBASER, reserved: RAZ */
    }
    return true;
}

static bool redist_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    GICv3 *gic = opaque;
    unsigned cpu = (unsigned)(offset / GICR_FRAME_SIZE);
    uint64_t off = offset % GICR_FRAME_SIZE;
    if (off >= GICR_SGI_BASE) {
        GICIrqRange r = {"GICR", gic, cpu, private_of, private_changed};
        off -= GICR_SGI_BASE;
        return gic_irqregs_contains(off) ? gic_irqregs_write(&r, off, size, value)
                                         : (size == 4 && !(off & 3)) || gic_bad_access("GICR", offset, size, true);
    }
    if (size != 4 || off & 3)
        return gic_bad_access("GICR", offset, size, true);
    if (off == GICR_WAKER) { /* ChildrenAsleep follows ProcessorSleep at once */
        gic->redist[cpu].sleep = value & WAKER_PROCESSOR_SLEEP;
        for (unsigned c = 0; c < gic->num_cpus; c++) /* 1-of-N SPIs may move */
            gicv3_changed(gic, 0, c);
    }
    return true; /* CTLR (no LPIs to enable), read-only and reserved: WI */
}
