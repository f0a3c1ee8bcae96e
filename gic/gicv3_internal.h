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

/* ID registers common to GICD and GICR (PIDR2.ArchRev = 3: GICv3). */
#define GIC_PIDR2 0xffe8
#define GIC_PIDR2_GICV3 0x3b
#define GIC_IIDR 0x0100043bu /* Arm's JEP106 code (0x43b), product 1 */

#endif
