/* The GICv3 virtual CPU interface (Arm IHI 0069 chapter 6, "Virtual
 * interrupt handling and prioritization", and the ICH_ and ICV_ register
 * descriptions in 12.4/12.5): a hypervisor puts virtual interrupts in the
 * list registers; EL1 acknowledges, ends and deactivates them through the
 * ICV_* registers (its ICC_* accesses while HCR_EL2.IMO/FMO route them
 * here); deactivating one with the HW bit deactivates its physical
 * interrupt; the maintenance interrupt reports what ICH_HCR_EL2 asks for.
 * Priorities use the physical interface's 5 bits (ICH_VTR_EL2.PRIbits =
 * PREbits = 4), so ICH_AP0R0/AP1R0 are the only active-priority registers. */
#include "gic/gicv3_internal.h"

#define LR_VINTID_MASK 0xffffffffull
#define VINTID_MASK 0xffffffu /* ICH_VTR_EL2.IDbits = 1: 24 bits */
#define LR_PINTID_SHIFT 32
#define LR_PINTID_MASK 0x1fffull
#define LR_EOI (1ull << 41)
#define LR_PRIORITY_SHIFT 48
#define LR_GROUP1 (1ull << 60)
#define LR_HW (1ull << 61)
#define LR_STATE_SHIFT 62
#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)

/* EOIcount, TDIR, TALL1, TALL0, TC, the enables. RES0 (IHI 0069
 * ICH_HCR_EL2): TSEI (bit 13) as ICH_VTR_EL2.SEIS = 0, DVIM (bit 15) as
 * ICH_VTR_EL2.DVIM = 0, vSGIEOICount (bit 8) without GICv4.1. QEMU 7.2 keeps
 * TSEI writable; Nestor follows the GIC spec. */
#define ICH_HCR_WRITABLE 0xf8005cffull

#define VMCR_VENG0 (1ull << 0)
#define VMCR_VENG1 (1ull << 1)
#define VMCR_VFIQEN (1ull << 3) /* RES1: the system-register interface signals Group 0 as vFIQ */
#define VMCR_VCBPR (1ull << 4)
#define VMCR_VEOIM (1ull << 9)
#define VMCR_VBPR1_SHIFT 18
#define VMCR_VBPR0_SHIFT 21
#define VMCR_VPMR_SHIFT 24

void gicv3_virt_reset(GICVirtIf *v)
{
    *v = (GICVirtIf){.vmcr = VMCR_VFIQEN | (uint64_t)GIC_BPR1_MIN << VMCR_VBPR1_SHIFT | (uint64_t)GIC_BPR0_MIN << VMCR_VBPR0_SHIFT};
}

static unsigned lr_state(uint64_t lr) { return (unsigned)(lr >> LR_STATE_SHIFT); }
static uint8_t lr_priority(uint64_t lr) { return (uint8_t)(lr >> LR_PRIORITY_SHIFT) & GIC_PRIORITY_MASK; }
static bool lr_group1(uint64_t lr) { return lr & LR_GROUP1; }

static unsigned vbpr0(const GICVirtIf *v) { return (unsigned)(v->vmcr >> VMCR_VBPR0_SHIFT) & 7; }
static unsigned vbpr1(const GICVirtIf *v) { return (unsigned)(v->vmcr >> VMCR_VBPR1_SHIFT) & 7; }
static bool vcbpr(const GICVirtIf *v) { return v->vmcr & VMCR_VCBPR; }

static uint8_t group_mask(const GICVirtIf *v, bool group1)
{
    return gic_group_mask(vbpr0(v), vbpr1(v), vcbpr(v), group1);
}

static bool group_enabled(const GICVirtIf *v, bool group1) { return v->vmcr & (group1 ? VMCR_VENG1 : VMCR_VENG0); }

/* The list register of the highest priority pending virtual interrupt
 * (lowest priority value, then lowest list register), or -1. */
static int highest_pending(const GICVirtIf *v)
{
    int best = -1;
    for (int n = 0; n < GIC_NUM_LR; n++)
        /* only groups enabled by ICH_VMCR_EL2.VENG0/1 (HighestPriorityVirtualInterrupt) */
        if (lr_state(v->lr[n]) == 1 && group_enabled(v, lr_group1(v->lr[n])) &&
            (best < 0 || lr_priority(v->lr[n]) < lr_priority(v->lr[best])))
            best = n;
    return best;
}

/* Whether list register n can be signalled to the PE now. */
static bool can_signal(const GICVirtIf *v, int n)
{
    if (n < 0 || !(v->hcr & ICH_HCR_EN))
        return false;
    uint64_t lr = v->lr[n];
    bool g1 = lr_group1(lr);
    uint8_t prio = lr_priority(lr), pmr = (uint8_t)(v->vmcr >> VMCR_VPMR_SHIFT) & GIC_PRIORITY_MASK;
    if (!group_enabled(v, g1) || prio >= pmr)
        return false;
    return gic_preempts(prio, group_mask(v, g1), gic_running_priority(v->apr));
}

void gicv3_virt_lines(const GICv3 *gic, unsigned cpu, bool *virq, bool *vfiq)
{
    *virq = *vfiq = false;
    if (cpu >= gic->num_cpus)
        return;
    const GICVirtIf *v = &gic->redist[cpu].vif;
    int n = highest_pending(v);
    if (can_signal(v, n)) {
        *virq = lr_group1(v->lr[n]);
        *vfiq = !lr_group1(v->lr[n]);
    }
}

/* ---- maintenance ---- */

static uint32_t eisr(const GICVirtIf *v)
{
    uint32_t bits = 0;
    for (int n = 0; n < GIC_NUM_LR; n++)
        if (lr_state(v->lr[n]) == 0 && !(v->lr[n] & LR_HW) && (v->lr[n] & LR_EOI))
            bits |= 1u << n;
    return bits;
}

static uint32_t elrsr(const GICVirtIf *v)
{
    uint32_t bits = 0;
    for (int n = 0; n < GIC_NUM_LR; n++)
        if (lr_state(v->lr[n]) == 0 && ((v->lr[n] & LR_HW) || !(v->lr[n] & LR_EOI)))
            bits |= 1u << n;
    return bits;
}

static uint32_t misr(const GICVirtIf *v)
{
    unsigned valid = 0;
    bool any_pending = false;
    for (int n = 0; n < GIC_NUM_LR; n++) {
        valid += lr_state(v->lr[n]) != 0;
        any_pending |= lr_state(v->lr[n]) == 1;
    }
    uint32_t m = 0;
    if (eisr(v))
        m |= 1u << 0;
    if ((v->hcr & ICH_HCR_UIE) && valid <= 1)
        m |= 1u << 1;
    if ((v->hcr & ICH_HCR_LRENPIE) && (v->hcr >> ICH_HCR_EOICOUNT_SHIFT & 0x1f))
        m |= 1u << 2;
    if ((v->hcr & ICH_HCR_NPIE) && !any_pending)
        m |= 1u << 3;
    if ((v->hcr & ICH_HCR_VGRP0EIE) && (v->vmcr & VMCR_VENG0))
        m |= 1u << 4;
    if ((v->hcr & ICH_HCR_VGRP0DIE) && !(v->vmcr & VMCR_VENG0))
        m |= 1u << 5;
    if ((v->hcr & ICH_HCR_VGRP1EIE) && (v->vmcr & VMCR_VENG1))
        m |= 1u << 6;
    if ((v->hcr & ICH_HCR_VGRP1DIE) && !(v->vmcr & VMCR_VENG1))
        m |= 1u << 7;
    return m;
}

/* After any change: the maintenance interrupt and the PE's virtual lines. */
static void virt_changed(GICv3 *gic, unsigned cpu)
{
    GICVirtIf *v = &gic->redist[cpu].vif;
    bool level = (v->hcr & ICH_HCR_EN) && misr(v);
    if (level != v->maintenance && gic->maintenance_intid) {
        v->maintenance = level;
        gicv3_set_ppi(gic, cpu, gic->maintenance_intid, level); /* also updates the lines */
        return;
    }
    v->maintenance = level;
    gicv3_changed(gic, 0, cpu);
}

/* ---- ICH_* ---- */

uint64_t gicv3_ich_read(GICv3 *gic, unsigned cpu, ICHReg reg)
{
    if (cpu >= gic->num_cpus)
        return 0;
    GICVirtIf *v = &gic->redist[cpu].vif;
    switch (reg) {
    case ICH_HCR: return v->hcr;
    case ICH_VTR:
        /* PRIbits 31:29, PREbits 28:26, IDbits 25:23 = 1 (24-bit virtual
         * INTIDs, as QEMU), A3V 21, nV4 20 (no GICv4), TDS 19
         * (ICH_HCR_EL2.TDIR), ListRegs 4:0 */
        return (uint64_t)(GIC_PRIORITY_BITS - 1) << 29 | (uint64_t)(GIC_PRIORITY_BITS - 1) << 26 | 1u << 23 |
               (gic->a3v ? 1u << 21 : 0) | 1u << 20 | 1u << 19 | (GIC_NUM_LR - 1);
    case ICH_VMCR: return v->vmcr;
    case ICH_AP0R0: return v->apr[0];
    case ICH_AP1R0: return v->apr[1];
    case ICH_MISR: return misr(v);
    case ICH_EISR: return eisr(v);
    case ICH_ELRSR: return elrsr(v);
    default:
        if (reg >= ICH_LR0 && reg < ICH_LR0 + GIC_NUM_LR)
            return v->lr[reg - ICH_LR0];
        return 0;
    }
}

void gicv3_ich_write(GICv3 *gic, unsigned cpu, ICHReg reg, uint64_t value)
{
    if (cpu >= gic->num_cpus)
        return;
    GICVirtIf *v = &gic->redist[cpu].vif;
    switch (reg) {
    case ICH_HCR: v->hcr = value & ICH_HCR_WRITABLE; break;
    case ICH_VMCR: {
        /* VPMR keeps its implemented bits, the binary points their minimums */
        uint64_t vpmr = (value >> VMCR_VPMR_SHIFT & 0xff) & GIC_PRIORITY_MASK;
        uint64_t bpr0 = gic_bpr_write(value >> VMCR_VBPR0_SHIFT, GIC_BPR0_MIN);
        uint64_t bpr1 = gic_bpr_write(value >> VMCR_VBPR1_SHIFT, GIC_BPR1_MIN);
        v->vmcr = vpmr << VMCR_VPMR_SHIFT | bpr0 << VMCR_VBPR0_SHIFT | bpr1 << VMCR_VBPR1_SHIFT |
                  (value & (VMCR_VEOIM | VMCR_VCBPR | VMCR_VENG1 | VMCR_VENG0)) | VMCR_VFIQEN;
        break;
    }
    case ICH_AP0R0: v->apr[0] = (uint32_t)value; break;
    case ICH_AP1R0: v->apr[1] = (uint32_t)value; break;
    default:
        if (reg >= ICH_LR0 && reg < ICH_LR0 + GIC_NUM_LR) {
            /* bits 59:56 and 47:45 are RES0, and so are the unimplemented
             * low priority bits (50:48 with 5 bits), as in QEMU 7.2 */
            v->lr[reg - ICH_LR0] = value & ~(0xfull << 56 | 0x7ull << 45 | 0x7ull << 48);
            break;
        }
        return; /* read-only: VTR, MISR, EISR, ELRSR */
    }
    virt_changed(gic, cpu);
}

/* ---- ICV_* ---- */

static unsigned acknowledge(GICv3 *gic, unsigned cpu, bool group1)
{
    GICVirtIf *v = &gic->redist[cpu].vif;
    int n = highest_pending(v);
    if (!can_signal(v, n) || lr_group1(v->lr[n]) != group1)
        return GIC_SPURIOUS;
    uint64_t lr = v->lr[n];
    unsigned intid = (unsigned)(lr & VINTID_MASK);
    if (intid >= 1020 && intid <= 1023) { /* a special INTID: pending -> invalid, returned as is */
        v->lr[n] = lr & ~LR_PENDING;
        virt_changed(gic, cpu);
        return intid;
    }
    gic_apr_activate(&v->apr[group1], lr_priority(lr), group_mask(v, group1));
    v->lr[n] = (lr & ~LR_PENDING) | LR_ACTIVE;
    virt_changed(gic, cpu);
    return (unsigned)(lr & VINTID_MASK);
}

/* Deactivates the virtual interrupt intid of a group (and its physical
 * interrupt with HW), or counts an EOI that matched no list register. */
static void deactivate(GICv3 *gic, unsigned cpu, bool group1, unsigned intid)
{
    GICVirtIf *v = &gic->redist[cpu].vif;
    for (int n = 0; n < GIC_NUM_LR; n++) {
        uint64_t lr = v->lr[n];
        if ((lr & LR_VINTID_MASK) != intid || !(lr & LR_ACTIVE) || lr_group1(lr) != group1)
            continue;
        v->lr[n] = lr & ~LR_ACTIVE;
        if (lr & LR_HW) {
            unsigned pintid = (unsigned)(lr >> LR_PINTID_SHIFT & LR_PINTID_MASK);
            if (pintid < 1020)
                gicv3_deactivate(gic, cpu, pintid);
        }
        return;
    }
    uint64_t count = (v->hcr >> ICH_HCR_EOICOUNT_SHIFT) & 0x1f;
    v->hcr = (v->hcr & ~(0x1full << ICH_HCR_EOICOUNT_SHIFT)) | ((count + 1) & 0x1f) << ICH_HCR_EOICOUNT_SHIFT;
}

static void end_of_interrupt(GICv3 *gic, unsigned cpu, bool group1, unsigned intid)
{
    GICVirtIf *v = &gic->redist[cpu].vif;
    gic_apr_drop(&v->apr[group1]);
    if (!(v->vmcr & VMCR_VEOIM) && intid < 1020)
        deactivate(gic, cpu, group1, intid);
    virt_changed(gic, cpu);
}

uint64_t gicv3_icv_read(GICv3 *gic, unsigned cpu, ICCReg reg)
{
    if (cpu >= gic->num_cpus)
        return 0;
    GICVirtIf *v = &gic->redist[cpu].vif;
    int n;
    switch (reg) {
    case ICC_PMR: return (v->vmcr >> VMCR_VPMR_SHIFT) & 0xff;
    case ICC_IAR0: return acknowledge(gic, cpu, false);
    case ICC_IAR1: return acknowledge(gic, cpu, true);
    case ICC_HPPIR0:
    case ICC_HPPIR1:
        n = highest_pending(v);
        return n >= 0 && lr_group1(v->lr[n]) == (reg == ICC_HPPIR1) ? v->lr[n] & VINTID_MASK : GIC_SPURIOUS;
    case ICC_BPR0: return vbpr0(v);
    case ICC_BPR1: return gic_bpr1_read(vbpr0(v), vbpr1(v), vcbpr(v));
    case ICC_RPR: return gic_running_priority(v->apr);
    case ICC_CTLR:
        return gic_ctlr_read(vcbpr(v), v->vmcr & VMCR_VEOIM, 1 /* 24-bit, as ICH_VTR_EL2.IDbits */, gic->a3v);
    case ICC_IGRPEN0: return (v->vmcr & VMCR_VENG0) != 0;
    case ICC_IGRPEN1: return (v->vmcr & VMCR_VENG1) != 0;
    case ICC_AP0R0: return v->apr[0];
    case ICC_AP1R0: return v->apr[1];
    default: return 0; /* write-only */
    }
}

void gicv3_icv_write(GICv3 *gic, unsigned cpu, ICCReg reg, uint64_t value)
{
    if (cpu >= gic->num_cpus)
        return;
    GICVirtIf *v = &gic->redist[cpu].vif;
    switch (reg) {
    case ICC_PMR:
        v->vmcr = (v->vmcr & ~(0xffull << VMCR_VPMR_SHIFT)) | (uint64_t)((uint8_t)value & GIC_PRIORITY_MASK)
                                                                  << VMCR_VPMR_SHIFT;
        break;
    case ICC_EOIR0: end_of_interrupt(gic, cpu, false, value & VINTID_MASK); return;
    case ICC_EOIR1: end_of_interrupt(gic, cpu, true, value & VINTID_MASK); return;
    case ICC_DIR:
        if ((v->vmcr & VMCR_VEOIM) && (value & VINTID_MASK) < 1020) {
            /* the group is the one of the list register that holds it */
            unsigned intid = value & VINTID_MASK;
            bool g1 = true;
            for (int n = 0; n < GIC_NUM_LR; n++)
                if ((v->lr[n] & LR_VINTID_MASK) == intid && (v->lr[n] & LR_ACTIVE))
                    g1 = lr_group1(v->lr[n]);
            deactivate(gic, cpu, g1, intid);
        }
        break;
    case ICC_BPR0:
        v->vmcr = (v->vmcr & ~(7ull << VMCR_VBPR0_SHIFT)) | (uint64_t)gic_bpr_write(value, GIC_BPR0_MIN) << VMCR_VBPR0_SHIFT;
        break;
    case ICC_BPR1:
        if (vcbpr(v))
            return;
        v->vmcr = (v->vmcr & ~(7ull << VMCR_VBPR1_SHIFT)) | (uint64_t)gic_bpr_write(value, GIC_BPR1_MIN) << VMCR_VBPR1_SHIFT;
        break;
    case ICC_CTLR:
        v->vmcr = (v->vmcr & ~(VMCR_VCBPR | VMCR_VEOIM)) | (value & ICC_CTLR_CBPR ? VMCR_VCBPR : 0) |
                  (value & ICC_CTLR_EOIMODE ? VMCR_VEOIM : 0);
        break;
    case ICC_IGRPEN0: v->vmcr = (v->vmcr & ~VMCR_VENG0) | (value & 1 ? VMCR_VENG0 : 0); break;
    case ICC_IGRPEN1: v->vmcr = (v->vmcr & ~VMCR_VENG1) | (value & 1 ? VMCR_VENG1 : 0); break;
    case ICC_AP0R0: v->apr[0] = (uint32_t)value; break;
    case ICC_AP1R0: v->apr[1] = (uint32_t)value; break;
    default: return; /* read-only, or not virtualized (the hooks trap SGIs to EL2) */
    }
    virt_changed(gic, cpu);
}
