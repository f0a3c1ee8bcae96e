/* The GICv3 CPU interface (Arm IHI 0069, chapter 12.2 "AArch64 System
 * register descriptions of the CPU interface"), one security state: priority
 * mask and binary points, acknowledge (IAR), priority drop and deactivation
 * (EOIR, DIR), running priority, group enables, SGI generation with affinity
 * level 3. The system-register table maps ICC_* encodings to these. */
#include "gic/gicv3_internal.h"

void gicv3_cpuif_reset(GICCPUIf *c) { *c = (GICCPUIf){.bpr0 = GIC_BPR0_MIN, .bpr1 = GIC_BPR1_MIN}; }

static uint8_t group_mask(const GICCPUIf *c, bool group1) { return gic_group_mask(c->bpr0, c->bpr1, c->cbpr, group1); }

static bool group_enabled(const GICCPUIf *c, bool group1) { return group1 ? c->igrpen1 : c->igrpen0; }

static bool can_signal(const GICCPUIf *c, GICPending p)
{
    if (p.intid == GIC_SPURIOUS || p.priority >= c->pmr || !group_enabled(c, p.group1))
        return false;
    return gic_preempts(p.priority, group_mask(c, p.group1), gic_running_priority(c->apr));
}

void gicv3_cpu_lines(GICv3 *gic, unsigned cpu, bool *irq, bool *fiq)
{
    GICPending p = gicv3_highest_pending(gic, cpu);
    bool on = cpu < gic->num_cpus && can_signal(&gic->redist[cpu].cpuif, p);
    *irq = on && p.group1;
    *fiq = on && !p.group1;
}

static unsigned acknowledge(GICv3 *gic, unsigned cpu, bool group1)
{
    GICCPUIf *c = &gic->redist[cpu].cpuif;
    GICPending p = gicv3_highest_pending(gic, cpu);
    if (!can_signal(c, p) || p.group1 != group1)
        return GIC_SPURIOUS;
    gic_apr_activate(&c->apr[group1], p.priority, group_mask(c, group1));
    gicv3_acknowledge(gic, cpu, p.intid);
    return p.intid;
}

/* EOI: drops the running priority; with EOImode 0 also deactivates. */
static void end_of_interrupt(GICv3 *gic, unsigned cpu, bool group1, unsigned intid)
{
    GICCPUIf *c = &gic->redist[cpu].cpuif;
    gic_apr_drop(&c->apr[group1]);
    if (!c->eoimode && intid < 1020)
        gicv3_deactivate(gic, cpu, intid);
    gicv3_changed(gic, 0, cpu);
}

/* ICC_SGI0R/SGI1R/ASGI1R_EL1: TargetList 15:0, Aff1 23:16, INTID 27:24,
 * Aff2 39:32, IRM 40, RS 47:44, Aff3 55:48. */
static void generate_sgi(GICv3 *gic, unsigned self, bool group1, uint64_t v)
{
    unsigned intid = v >> 24 & 0xf, rs = v >> 44 & 0xf;
    bool all_but_self = v >> 40 & 1;
    uint64_t aff321 = (gic->a3v ? (v >> 48 & 0xff) << 32 : 0) | (v >> 32 & 0xff) << 16 | (v >> 16 & 0xff) << 8;
    for (unsigned t = 0; t < gic->num_cpus; t++) {
        uint64_t aff = gic->redist[t].affinity;
        unsigned aff0 = aff & 0xff;
        bool target = all_but_self ? t != self
                                   : (aff & ~0xffull) == aff321 && aff0 >> 4 == rs && (v >> (aff0 & 15) & 1);
        /* an SGI is only generated for the group it is configured in */
        if (target && gic->redist[t].irq[intid].group1 == group1)
            gicv3_send_sgi(gic, t, intid);
    }
}

uint64_t gicv3_icc_read(GICv3 *gic, unsigned cpu, ICCReg reg)
{
    if (cpu >= gic->num_cpus)
        return 0;
    GICCPUIf *c = &gic->redist[cpu].cpuif;
    GICPending p;
    switch (reg) {
    case ICC_PMR: return c->pmr;
    case ICC_IAR0: return acknowledge(gic, cpu, false);
    case ICC_IAR1: return acknowledge(gic, cpu, true);
    case ICC_HPPIR0:
    case ICC_HPPIR1:
        p = gicv3_highest_pending(gic, cpu);
        return p.group1 == (reg == ICC_HPPIR1) ? p.intid : GIC_SPURIOUS;
    case ICC_BPR0: return c->bpr0;
    case ICC_BPR1: return gic_bpr1_read(c->bpr0, c->bpr1, c->cbpr);
    case ICC_RPR: return gic_running_priority(c->apr);
    case ICC_CTLR:
        return gic_ctlr_read(c->cbpr, c->eoimode, 0 /* 16-bit INTIDs */, gic->a3v);
    case ICC_IGRPEN0: return c->igrpen0;
    case ICC_IGRPEN1: return c->igrpen1;
    case ICC_AP0R0: return c->apr[0];
    case ICC_AP1R0: return c->apr[1];
    case ICC_SRE: return ICC_SRE_SYSREG_ONLY;
    default: return 0; /* write-only: EOIR, DIR, SGIxR */
    }
}

void gicv3_icc_write(GICv3 *gic, unsigned cpu, ICCReg reg, uint64_t value)
{
    if (cpu >= gic->num_cpus)
        return;
    GICCPUIf *c = &gic->redist[cpu].cpuif;
    switch (reg) {
    case ICC_PMR: c->pmr = (uint8_t)value & GIC_PRIORITY_MASK; break;
    case ICC_EOIR0: end_of_interrupt(gic, cpu, false, value & 0xffffff); return;
    case ICC_EOIR1: end_of_interrupt(gic, cpu, true, value & 0xffffff); return;
    case ICC_DIR:
        if (c->eoimode && (value & 0xffffff) < 1020)
            gicv3_deactivate(gic, cpu, value & 0xffffff);
        return;
    case ICC_BPR0: c->bpr0 = (uint8_t)gic_bpr_write(value, GIC_BPR0_MIN); break;
    case ICC_BPR1:
        if (!c->cbpr)
            c->bpr1 = (uint8_t)gic_bpr_write(value, GIC_BPR1_MIN);
        break;
    case ICC_CTLR:
        c->cbpr = value & ICC_CTLR_CBPR;
        c->eoimode = value & ICC_CTLR_EOIMODE;
        break;
    case ICC_IGRPEN0: c->igrpen0 = value & 1; break;
    case ICC_IGRPEN1: c->igrpen1 = value & 1; break;
    case ICC_AP0R0: c->apr[0] = (uint32_t)value; break;
    case ICC_AP1R0: c->apr[1] = (uint32_t)value; break;
    case ICC_SGI0R: generate_sgi(gic, cpu, false, value); return;
    case ICC_SGI1R:
    case ICC_ASGI1R: generate_sgi(gic, cpu, true, value); return; /* one security state: ASGI1R as SGI1R */
    default: return; /* read-only: IAR, HPPIR, RPR, SRE (RAO/WI) */
    }
    gicv3_changed(gic, 0, cpu);
}
