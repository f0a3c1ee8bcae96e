/* GICv3 (Arm IHI 0069): distributor and redistributors as MMIO devices, the
 * interrupt state they share, and the questions the CPU interface asks
 * (which interrupt is the highest priority pending one for a CPU).
 *
 * One security state (GICD_CTLR.DS = 1, as QEMU's virt without secure=on):
 * Group 0 and Group 1, affinity routing always on (GICD_CTLR.ARE RAO/WI), no
 * LPIs or ITS yet. Affinity level 3 is supported when a3v is set
 * (GICD_TYPER.A3V); without it every CPU's Aff3 must be 0. */
#ifndef NESTOR_GIC_GICV3_H
#define NESTOR_GIC_GICV3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct AddressSpace;

#define GIC_MAX_CPUS 64
#define GIC_NUM_PRIVATE 32        /* SGIs 0-15, PPIs 16-31: per CPU */
#define GIC_MAX_SPIS 988          /* INTIDs 32-1019 */
#define GIC_SPURIOUS 1023
#define GIC_PRIORITY_BITS 5       /* implemented priority bits (ICC_CTLR_EL1.PRIbits + 1) */
#define GIC_PRIORITY_MASK ((uint8_t)(0xff << (8 - GIC_PRIORITY_BITS)))
#define GICD_MMIO_SIZE 0x10000
#define GICR_FRAME_SIZE 0x20000   /* RD_base + SGI_base, 64 KiB each */

/* State of one interrupt (SGI/PPI in its CPU's redistributor, SPI in the
 * distributor). */
typedef struct {
    bool enabled, pending, active, group1, edge;
    bool level;     /* input line (level-sensitive PPIs/SPIs) */
    uint8_t priority;
} GICIrq;

typedef struct GICv3 GICv3;

/* The CPU interface of one PE (the ICC_* system registers): priority mask,
 * binary points, group enables, and the active priorities of the interrupts
 * it has acknowledged (one bit per group priority, as ICC_AP0R0/AP1R0). */
typedef struct {
    uint8_t pmr, bpr0, bpr1;
    bool igrpen0, igrpen1;
    bool eoimode; /* ICC_CTLR_EL1.EOImode: EOI only drops priority, DIR deactivates */
    bool cbpr;    /* ICC_CTLR_EL1.CBPR: BPR0 serves both groups */
    uint32_t apr[2];
} GICCPUIf;

/* The virtual CPU interface of one PE (IHI 0069 chapter 6, the ICH_*
 * registers a hypervisor programs; EL1 sees it through ICV_*). */
#define GIC_NUM_LR 4
typedef struct {
    uint64_t hcr;   /* ICH_HCR_EL2 */
    uint64_t vmcr;  /* ICH_VMCR_EL2 */
    uint32_t apr[2]; /* ICH_AP0R0_EL2, ICH_AP1R0_EL2 */
    uint64_t lr[GIC_NUM_LR];
    bool maintenance; /* the maintenance interrupt's level */
} GICVirtIf;

typedef struct {
    GICv3 *gic;
    unsigned cpu;
    uint64_t affinity;  /* MPIDR_EL1 Aff3 (bits 39:32), Aff2, Aff1, Aff0 */
    bool sleep;         /* GICR_WAKER.ProcessorSleep */
    GICIrq irq[GIC_NUM_PRIVATE];
    GICCPUIf cpuif;
    GICVirtIf vif;
} GICRedist;

struct GICv3 {
    unsigned num_cpus, num_spis;
    bool a3v;
    uint32_t ctlr;      /* GICD_CTLR: EnableGrp0, EnableGrp1 (ARE, DS read as one) */
    GICIrq spi[GIC_MAX_SPIS];
    uint64_t router[GIC_MAX_SPIS]; /* GICD_IROUTER<n>: affinity, IRM (bit 31) */
    GICRedist redist[GIC_MAX_CPUS];
    /* Called when a CPU's highest priority pending interrupt may have
     * changed (the CPU interface re-evaluates its IRQ/FIQ lines). */
    void (*update)(void *opaque, unsigned cpu);
    void *update_opaque;
    unsigned maintenance_intid; /* PPI of the virtual interface's maintenance interrupt (0: none) */
    /* gicv3_highest_pending's answer per CPU while nothing it depends on
     * changed: every change goes through gicv3_changed, which drops it. */
    struct GICPendingMemo {
        bool valid;
        unsigned intid;
        uint8_t priority;
        bool group1;
    } memo[GIC_MAX_CPUS];
};

/* Highest priority pending interrupt of a CPU (lowest priority value, then
 * lowest INTID), among those enabled, not active, of an enabled group and
 * routed to it. */
typedef struct {
    unsigned intid; /* GIC_SPURIOUS when none */
    uint8_t priority;
    bool group1;
} GICPending;

/* Sets the GIC up for num_cpus CPUs with the given affinities (MPIDR Aff
 * fields) and num_spis SPIs (a multiple of 32). Returns false with a message
 * for impossible configurations (an Aff3 without a3v, too many CPUs or SPIs). */
bool gicv3_init(GICv3 *gic, unsigned num_cpus, const uint64_t *affinity, unsigned num_spis, bool a3v, char *err,
                size_t errlen);
void gicv3_reset(GICv3 *gic);
/* Maps GICD at dist_base and the redistributor frames, one per CPU, from
 * redist_base. */
void gicv3_map(GICv3 *gic, struct AddressSpace *as, uint64_t dist_base, uint64_t redist_base);

/* Device input lines: a PPI (16-31) of one CPU, or an SPI (32 and up). */
void gicv3_set_ppi(GICv3 *gic, unsigned cpu, unsigned intid, bool level);
void gicv3_set_spi(GICv3 *gic, unsigned intid, bool level);

GICPending gicv3_highest_pending(GICv3 *gic, unsigned cpu);
/* The CPU interface's acknowledge: the interrupt becomes active (and no
 * longer pending, unless a level input still holds it). */
void gicv3_acknowledge(GICv3 *gic, unsigned cpu, unsigned intid);
/* The CPU interface's deactivate (EOI with EOImode 0, or DIR). */
void gicv3_deactivate(GICv3 *gic, unsigned cpu, unsigned intid);
/* An SGI from a CPU to a target (ICC_SGI0R/SGI1R_EL1 after target decoding). */
void gicv3_send_sgi(GICv3 *gic, unsigned target_cpu, unsigned intid);

/* ---- the CPU interface (gicv3_cpuif.c), for the ICC_* system registers ---- */
typedef enum {
    ICC_PMR, ICC_IAR0, ICC_IAR1, ICC_EOIR0, ICC_EOIR1, ICC_HPPIR0, ICC_HPPIR1, ICC_BPR0, ICC_BPR1, ICC_DIR,
    ICC_RPR, ICC_CTLR, ICC_IGRPEN0, ICC_IGRPEN1, ICC_SGI0R, ICC_SGI1R, ICC_ASGI1R, ICC_AP0R0, ICC_AP1R0, ICC_SRE,
} ICCReg;

/* Reads and writes of the CPU's ICC register (architectural side effects
 * included: IAR acknowledges, EOIR drops priority, SGIxR send). Accesses
 * to write-only registers read 0; writes to read-only ones are ignored (the
 * system-register table decides UNDEF and traps before this). */
uint64_t gicv3_icc_read(GICv3 *gic, unsigned cpu, ICCReg reg);
void gicv3_icc_write(GICv3 *gic, unsigned cpu, ICCReg reg, uint64_t value);
/* Whether the CPU's IRQ (a Group 1 interrupt) and FIQ (Group 0) lines are
 * asserted: its highest pending interrupt is of an enabled group, above the
 * priority mask and able to preempt the running priority. */
void gicv3_cpu_lines(GICv3 *gic, unsigned cpu, bool *irq, bool *fiq);

/* ICC_SRE_EL1/EL2: SRE, DFB, DIB RAO/WI (the system-register interface only) */
#define ICC_SRE_SYSREG_ONLY 0x7u

/* ---- the virtual CPU interface (gicv3_virt.c) ---- */
/* ICH_HCR_EL2 fields (IHI 0069 12.4.3): gicv3_virt.c, and the EL1 traps in
 * sysregs/sysreg_hooks_gic.c */
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_UIE (1ull << 1)
#define ICH_HCR_LRENPIE (1ull << 2)
#define ICH_HCR_NPIE (1ull << 3)
#define ICH_HCR_VGRP0EIE (1ull << 4)
#define ICH_HCR_VGRP0DIE (1ull << 5)
#define ICH_HCR_VGRP1EIE (1ull << 6)
#define ICH_HCR_VGRP1DIE (1ull << 7)
#define ICH_HCR_TC (1ull << 10)
#define ICH_HCR_TALL0 (1ull << 11)
#define ICH_HCR_TALL1 (1ull << 12)
#define ICH_HCR_TDIR (1ull << 14)
#define ICH_HCR_EOICOUNT_SHIFT 27
typedef enum {
    ICH_HCR, ICH_VTR, ICH_VMCR, ICH_AP0R0, ICH_AP1R0, ICH_MISR, ICH_EISR, ICH_ELRSR, ICH_LR0,
    /* ICH_LR0 + n for list register n < GIC_NUM_LR */
} ICHReg;
uint64_t gicv3_ich_read(GICv3 *gic, unsigned cpu, ICHReg reg);
void gicv3_ich_write(GICv3 *gic, unsigned cpu, ICHReg reg, uint64_t value);
/* EL1's view of the ICC_* registers that HCR_EL2.{IMO,FMO} virtualize:
 * the ICV_* registers, backed by the list registers. */
uint64_t gicv3_icv_read(GICv3 *gic, unsigned cpu, ICCReg reg);
void gicv3_icv_write(GICv3 *gic, unsigned cpu, ICCReg reg, uint64_t value);
/* The virtual IRQ (Group 1) and FIQ (Group 0) signals to the PE. */
void gicv3_virt_lines(const GICv3 *gic, unsigned cpu, bool *virq, bool *vfiq);
void gicv3_virt_reset(GICVirtIf *v);

/* Internal to gic/: the interrupt an INTID names for a CPU (NULL if none). */
GICIrq *gicv3_irq(GICv3 *gic, unsigned cpu, unsigned intid);
/* Tells the CPU interfaces concerned that pending state may have changed. */
void gicv3_changed(GICv3 *gic, unsigned intid, unsigned cpu);
/* The CPU an SPI is routed to, or -1 (none matches its IROUTER). */
int gicv3_spi_target(const GICv3 *gic, unsigned intid);

#endif
