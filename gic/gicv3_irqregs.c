/* The per-interrupt registers that the distributor (for SPIs) and each
 * redistributor's SGI_base frame (for SGIs and PPIs) share, at the same
 * offsets (Arm IHI 0069, 12.9 and 12.11): IGROUPR, IS/ICENABLER, IS/ICPENDR,
 * IS/ICACTIVER, IPRIORITYR, ICFGR, IGRPMODR, NSACR. */
#include "gic/gicv3_internal.h"

enum {
    R_IGROUPR = 0x080,
    R_ISENABLER = 0x100,
    R_ICENABLER = 0x180,
    R_ISPENDR = 0x200,
    R_ICPENDR = 0x280,
    R_ISACTIVER = 0x300,
    R_ICACTIVER = 0x380,
    R_IPRIORITYR = 0x400,
    R_IPRIORITYR_END = 0x800,
    R_ICFGR = 0xc00,
    R_IGRPMODR = 0xd00,
    R_NSACR = 0xe00,
    R_NSACR_END = 0xf00,
};

bool gic_irqregs_contains(uint64_t offset) { return offset >= R_IGROUPR && offset < R_NSACR_END; }

/* One bit per interrupt: which field of GICIrq a register block reaches. */
static bool *bit_field(GICIrq *irq, uint64_t block)
{
    switch (block) {
    case R_IGROUPR: return &irq->group1;
    case R_ISENABLER: case R_ICENABLER: return &irq->enabled;
    case R_ISPENDR: case R_ICPENDR: return &irq->pending;
    default: return &irq->active; /* IS/ICACTIVER */
    }
}

static bool pending_state(const GICIrq *irq) { return irq->pending || (!irq->edge && irq->level); }

static uint64_t read_bits(GICIrqRange *range, uint64_t block, unsigned first)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < 32; k++) {
        GICIrq *irq = range->irq(range, first + k);
        if (!irq)
            continue;
        bool bit = block == R_ISPENDR || block == R_ICPENDR ? pending_state(irq) : *bit_field(irq, block);
        v |= (uint64_t)bit << k;
    }
    return v;
}

static void write_bits(GICIrqRange *range, uint64_t block, unsigned first, uint32_t value)
{
    bool set_style = block == R_ISENABLER || block == R_ISPENDR || block == R_ISACTIVER;
    bool clear_style = block == R_ICENABLER || block == R_ICPENDR || block == R_ICACTIVER;
    for (unsigned k = 0; k < 32; k++) {
        GICIrq *irq = range->irq(range, first + k);
        if (!irq)
            continue;
        bool bit = value >> k & 1;
        bool *field = bit_field(irq, block);
        if (set_style && bit)
            *field = true;
        else if (clear_style && bit)
            *field = false;
        else if (!set_style && !clear_style)
            *field = bit; /* IGROUPR */
    }
}

bool gic_irqregs_read(GICIrqRange *range, uint64_t offset, unsigned size, uint64_t *value)
{
    *value = 0;
    if (offset >= R_IPRIORITYR && offset < R_IPRIORITYR_END) { /* byte-accessible */
        for (unsigned b = 0; b < size && b < 4; b++) {
            GICIrq *irq = range->irq(range, (unsigned)(offset - R_IPRIORITYR) + b);
            *value |= (uint64_t)(irq ? irq->priority : 0) << (8 * b);
        }
        return true;
    }
    if (size != 4 || offset & 3)
        return gic_bad_access(range->name, offset, size, false);
    uint64_t block = offset & ~0x7full, index = (offset & 0x7f) / 4;
    if (offset < R_IPRIORITYR) {
        *value = read_bits(range, block, (unsigned)index * 32);
    } else if (offset >= R_ICFGR && offset < R_IGRPMODR) { /* two bits per interrupt: bit 1 = edge */
        unsigned first = (unsigned)(offset - R_ICFGR) / 4 * 16;
        for (unsigned k = 0; k < 16; k++) {
            GICIrq *irq = range->irq(range, first + k);
            *value |= (uint64_t)(irq && irq->edge) << (2 * k + 1);
        }
    }
    /* IGRPMODR and NSACR: RAZ/WI with one security state (GICD_CTLR.DS = 1) */
    return true;
}

bool gic_irqregs_write(GICIrqRange *range, uint64_t offset, unsigned size, uint64_t value)
{
    if (offset >= R_IPRIORITYR && offset < R_IPRIORITYR_END) {
        for (unsigned b = 0; b < size && b < 4; b++) {
            GICIrq *irq = range->irq(range, (unsigned)(offset - R_IPRIORITYR) + b);
            if (irq)
                irq->priority = (uint8_t)(value >> (8 * b)) & GIC_PRIORITY_MASK;
        }
        range->changed(range);
        return true;
    }
    if (size != 4 || offset & 3)
        return gic_bad_access(range->name, offset, size, true);
    uint64_t block = offset & ~0x7full, index = (offset & 0x7f) / 4;
    if (offset < R_IPRIORITYR) {
        write_bits(range, block, (unsigned)index * 32, (uint32_t)value);
    } else if (offset >= R_ICFGR && offset < R_IGRPMODR) {
        unsigned first = (unsigned)(offset - R_ICFGR) / 4 * 16;
        for (unsigned k = 0; k < 16; k++) {
            GICIrq *irq = range->irq(range, first + k);
            if (irq && first + k >= 16) /* SGIs are always edge-triggered */
                irq->edge = value >> (2 * k + 1) & 1;
        }
    }
    range->changed(range);
    return true;
}
