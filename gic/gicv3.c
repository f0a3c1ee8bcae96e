/* GICv3 interrupt state: input lines, routing, the highest priority pending
 * interrupt of each CPU, acknowledge and deactivate (Arm IHI 0069, chapter 4
 * "Physical interrupt handling and prioritization"). */
#include "gic/gicv3_internal.h"

#include <string.h>

#include "sysregs/sysreg_fields.h"
#include "trace/log.h"

#define IROUTER_IRM (1ull << 31)

bool gicv3_init(GICv3 *gic, unsigned num_cpus, const uint64_t *affinity, unsigned num_spis, bool a3v, char *err,
                size_t errlen)
{
    if (num_cpus == 0 || num_cpus > GIC_MAX_CPUS)
        return error_format(err, errlen, "the GIC supports 1 to %d CPUs, not %u", GIC_MAX_CPUS, num_cpus);
    if (num_spis % 32 || num_spis > GIC_MAX_SPIS)
        return error_format(err, errlen, "GIC SPI count %u is not a multiple of 32 up to %d", num_spis, GIC_MAX_SPIS);
    memset(gic, 0, sizeof *gic);
    gic->num_cpus = num_cpus;
    gic->num_spis = num_spis;
    gic->a3v = a3v;
    for (unsigned c = 0; c < num_cpus; c++) {
        uint64_t aff = affinity[c] & MPIDR_AFF_MASK;
        if (!a3v && (aff >> 32))
            return error_format(err, errlen, "CPU %u has MPIDR Aff3 = %u but the GIC has no affinity level 3 "
                                "(turn gic-a3v on)", c, (unsigned)(aff >> 32));
        for (unsigned d = 0; d < c; d++)
            if ((affinity[d] & MPIDR_AFF_MASK) == aff)
                return error_format(err, errlen, "CPUs %u and %u have the same affinity 0x%llx", d, c,
                                    (unsigned long long)aff);
        gic->redist[c] = (GICRedist){.gic = gic, .cpu = c, .affinity = aff};
    }
    gicv3_reset(gic);
    return true;
}

void gicv3_reset(GICv3 *gic)
{
    memset(gic->memo, 0, sizeof gic->memo);
    gic->ctlr = 0;
    memset(gic->spi, 0, sizeof gic->spi);
    memset(gic->router, 0, sizeof gic->router);
    for (unsigned c = 0; c < gic->num_cpus; c++) {
        GICRedist *r = &gic->redist[c];
        r->sleep = true; /* GICR_WAKER.ProcessorSleep resets to 1 */
        gicv3_cpuif_reset(&r->cpuif);
        gicv3_virt_reset(&r->vif);
        memset(r->irq, 0, sizeof r->irq);
        for (unsigned i = 0; i < 16; i++)
            r->irq[i].edge = true; /* SGIs are edge-triggered (ICFGR0 reads 0xaaaaaaaa) */
    }
}

GICIrq *gicv3_irq(GICv3 *gic, unsigned cpu, unsigned intid)
{
    if (intid < GIC_NUM_PRIVATE)
        return cpu < gic->num_cpus ? &gic->redist[cpu].irq[intid] : NULL;
    if (intid - GIC_NUM_PRIVATE < gic->num_spis)
        return &gic->spi[intid - GIC_NUM_PRIVATE];
    return NULL;
}

int gicv3_spi_target(const GICv3 *gic, unsigned intid)
{
    uint64_t route = gic->router[intid - GIC_NUM_PRIVATE];
    for (unsigned c = 0; c < gic->num_cpus; c++) {
        if (route & IROUTER_IRM) { /* 1 of N: the first CPU taking part */
            if (!gic->redist[c].sleep)
                return (int)c;
        } else if ((route & MPIDR_AFF_MASK) == gic->redist[c].affinity) {
            return (int)c;
        }
    }
    return -1;
}

void gicv3_changed(GICv3 *gic, unsigned intid, unsigned cpu)
{
    if (intid < GIC_NUM_PRIVATE && cpu < gic->num_cpus) {
        gic->memo[cpu].valid = false;
    } else {
        for (unsigned c = 0; c < gic->num_cpus; c++)
            gic->memo[c].valid = false;
    }
    if (!gic->update)
        return;
    if (intid < GIC_NUM_PRIVATE) {
        gic->update(gic->update_opaque, cpu);
        return;
    }
    for (unsigned c = 0; c < gic->num_cpus; c++) /* routing may just have changed: ask every CPU */
        gic->update(gic->update_opaque, c);
}

static bool group_enabled(const GICv3 *gic, const GICIrq *irq) { return gic->ctlr >> (irq->group1 ? 1 : 0) & 1; }

static bool candidate(const GICv3 *gic, const GICIrq *irq)
{
    return irq->enabled && (irq->pending || (!irq->edge && irq->level)) && !irq->active && group_enabled(gic, irq);
}

static void consider(GICPending *best, const GICIrq *irq, unsigned intid)
{
    if (best->intid == GIC_SPURIOUS || irq->priority < best->priority) {
        best->intid = intid;
        best->priority = irq->priority;
        best->group1 = irq->group1;
    }
}

GICPending gicv3_highest_pending(GICv3 *gic, unsigned cpu)
{
    GICPending best = {GIC_SPURIOUS, 0xff, false};
    if (cpu >= gic->num_cpus)
        return best;
    struct GICPendingMemo *m = &gic->memo[cpu];
    if (m->valid)
        return (GICPending){m->intid, m->priority, m->group1};
    const GICRedist *r = &gic->redist[cpu];
    for (unsigned i = 0; i < GIC_NUM_PRIVATE; i++)
        if (candidate(gic, &r->irq[i]))
            consider(&best, &r->irq[i], i);
    for (unsigned n = 0; n < gic->num_spis; n++) {
        const GICIrq *irq = &gic->spi[n];
        if (candidate(gic, irq) && gicv3_spi_target(gic, n + GIC_NUM_PRIVATE) == (int)cpu)
            consider(&best, irq, n + GIC_NUM_PRIVATE);
    }
    *m = (struct GICPendingMemo){true, best.intid, best.priority, best.group1};
    return best;
}

static void set_line(GICv3 *gic, unsigned cpu, unsigned intid, bool level)
{
    GICIrq *irq = gicv3_irq(gic, cpu, intid);
    if (!irq || irq->level == level) /* the same level again changes nothing (timers repeat theirs) */
        return;
    if (irq->edge && level && !irq->level)
        irq->pending = true; /* rising edge */
    irq->level = level;
    gicv3_changed(gic, intid, cpu);
}

void gicv3_set_ppi(GICv3 *gic, unsigned cpu, unsigned intid, bool level)
{
    if (intid >= 16 && intid < GIC_NUM_PRIVATE)
        set_line(gic, cpu, intid, level);
}

void gicv3_set_spi(GICv3 *gic, unsigned intid, bool level)
{
    if (intid >= GIC_NUM_PRIVATE)
        set_line(gic, 0, intid, level);
}

void gicv3_acknowledge(GICv3 *gic, unsigned cpu, unsigned intid)
{
    GICIrq *irq = gicv3_irq(gic, cpu, intid);
    if (!irq)
        return;
    irq->active = true;
    irq->pending = false; /* a level input still high keeps it pending (candidate() reads the line) */
    gicv3_changed(gic, intid, cpu);
}

void gicv3_deactivate(GICv3 *gic, unsigned cpu, unsigned intid)
{
    GICIrq *irq = gicv3_irq(gic, cpu, intid);
    if (!irq)
        return;
    irq->active = false;
    gicv3_changed(gic, intid, cpu);
}

void gicv3_send_sgi(GICv3 *gic, unsigned target_cpu, unsigned intid)
{
    GICIrq *irq = intid < 16 ? gicv3_irq(gic, target_cpu, intid) : NULL;
    if (!irq)
        return;
    irq->pending = true;
    gicv3_changed(gic, intid, target_cpu);
}
