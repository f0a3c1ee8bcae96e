/* Shared by the GICv3 register files (internal to gic/). */
#ifndef NESTOR_GIC_GICV3_INTERNAL_H
#define NESTOR_GIC_GICV3_INTERNAL_H

#include "gic/gicv3.h"

/* Which interrupts a block of per-interrupt registers reaches: INTIDs
 * 32-1019 in the distributor, 0-31 in a redistributor. irq() returns NULL
 * for an INTID the block does not implement (its bits are RAZ/WI). */
typedef struct GICIrqRange {
    const char *name;
    GICv3 *gic;
    unsigned cpu;
    GICIrq *(*irq)(struct GICIrqRange *range, unsigned intid);
    void (*changed)(struct GICIrqRange *range);
} GICIrqRange;

/* Offsets 0x080-0xeff: the per-interrupt registers. */
bool gic_irqregs_contains(uint64_t offset);
bool gic_irqregs_read(GICIrqRange *range, uint64_t offset, unsigned size, uint64_t *value);
bool gic_irqregs_write(GICIrqRange *range, uint64_t offset, unsigned size, uint64_t value);

/* An access the architecture leaves UNPREDICTABLE or reserved (wrong size,
 * unaligned, no register): logged as a guest error and treated as RAZ/WI, as
 * QEMU does. Returns true (no bus error). */
bool gic_bad_access(const char *what, uint64_t offset, unsigned size, bool is_write);

void gicv3_cpuif_reset(GICCPUIf *c);

/* ---- Priorities and preemption, the same rules for the physical (ICC_*)
 * and the virtual (ICV_*) CPU interface (IHI 0069 4.8 "Interrupt
 * prioritization", 6.x for the virtual one; gicv3_cpuif.c, gicv3_virt.c). */

/* With 5 priority bits the smallest binary points are 2 (Group 0) and 3
 * (Group 1); both reset to them. */
#define GIC_BPR0_MIN (7 - GIC_PRIORITY_BITS)
#define GIC_BPR1_MIN (GIC_BPR0_MIN + 1)
#define GIC_IDLE_PRIORITY 0xff

/* ICC_CTLR_EL1 / ICV_CTLR_EL1 fields */
#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_CTLR_IDBITS_SHIFT 11
#define ICC_CTLR_A3V (1u << 15)

/* ICC_CTLR_EL1 / ICV_CTLR_EL1 as read: CBPR, EOImode, PRIbits (priority
 * bits - 1), IDbits (0: 16-bit INTIDs, 1: 24-bit) and A3V. */
static inline uint64_t gic_ctlr_read(bool cbpr, bool eoimode, unsigned idbits, bool a3v)
{
    return (cbpr ? ICC_CTLR_CBPR : 0) | (eoimode ? ICC_CTLR_EOIMODE : 0) |
           (GIC_PRIORITY_BITS - 1u) << ICC_CTLR_PRIBITS_SHIFT | idbits << ICC_CTLR_IDBITS_SHIFT |
           (a3v ? ICC_CTLR_A3V : 0);
}

/* ICC_BPR1_EL1 as read: with CBPR it is BPR0 + 1, saturated at 7. */
static inline unsigned gic_bpr1_read(unsigned bpr0, unsigned bpr1, bool cbpr)
{
    return cbpr ? (bpr0 + 1u < 7 ? bpr0 + 1u : 7) : bpr1;
}

/* A binary point as written, raised to its minimum. */
static inline unsigned gic_bpr_write(uint64_t value, unsigned min)
{
    return (unsigned)(value & 7) < min ? min : (unsigned)(value & 7);
}

/* The bits of a priority that make its group priority (preemption level):
 * [7:BPR0+1] for Group 0 and for Group 1 with CBPR, else [7:BPR1]. */
static inline uint8_t gic_group_mask(unsigned bpr0, unsigned bpr1, bool cbpr, bool group1)
{
    return (uint8_t)(0xff << (group1 && !cbpr ? bpr1 : bpr0 + 1u));
}

/* Running priority: the highest (lowest-valued) active group priority of
 * the active-priority registers apr[0] (Group 0) and apr[1] (Group 1). */
static inline uint8_t gic_running_priority(const uint32_t apr[2])
{
    uint32_t active = apr[0] | apr[1];
    return active ? (uint8_t)(__builtin_ctz(active) << (8 - GIC_PRIORITY_BITS)) : GIC_IDLE_PRIORITY;
}

/* Whether an interrupt of this priority preempts the running priority. */
static inline bool gic_preempts(uint8_t priority, uint8_t mask, uint8_t rpr)
{
    return rpr == GIC_IDLE_PRIORITY || (priority & mask) < (rpr & mask);
}

/* Acknowledge: marks the interrupt's group priority active. */
static inline void gic_apr_activate(uint32_t *apr, uint8_t priority, uint8_t mask)
{
    *apr |= 1u << ((priority & mask) >> (8 - GIC_PRIORITY_BITS));
}

/* Priority drop (EOI): clears the group's highest active priority. */
static inline void gic_apr_drop(uint32_t *apr)
{
    if (*apr)
        *apr &= *apr - 1;
}

/* ID registers common to GICD and GICR (PIDR2.ArchRev = 3: GICv3). */
#define GIC_PIDR2 0xffe8
#define GIC_PIDR2_GICV3 0x3b
#define GIC_IIDR 0x0100043bu /* Arm's JEP106 code (0x43b), product 1 */

#endif
