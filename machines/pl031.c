/* PL031 real-time clock (pl031.h). Registers are 32-bit; like QEMU's model,
 * other access sizes reach the register at offset & ~3. Undefined offsets
 * read as zero and ignore writes. */
#include "machines/pl031.h"

#include <inttypes.h>

#include "mmu/physmem.h"
#include "trace/log.h"

enum {
    RTCDR = 0x00, RTCMR = 0x04, RTCLR = 0x08, RTCCR = 0x0c, RTCIMSC = 0x10, RTCRIS = 0x14, RTCMIS = 0x18,
    RTCICR = 0x1c, RTC_ID_BASE = 0xfe0,
};

/* RTCPeriphID0-3, RTCPCellID0-3 (DDI 0224, 3.3.10, 3.3.11). */
static const uint8_t id_bytes[8] = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

#define NS_PER_SECOND 1000000000ull

static uint32_t counter(const PL031 *s)
{
    uint64_t now = s->now_ns(s->clock_opaque);
    return s->load + (uint32_t)((now - s->load_ns) / NS_PER_SECOND);
}

static void drive_irq(PL031 *s)
{
    if (s->set_irq)
        s->set_irq(s->irq_opaque, (s->ris & s->imsc) != 0);
}

/* The match interrupt is an event: it is raised when the counter reaches
 * RTCMR (or when RTCMR is written with the current count, as QEMU does), and
 * stays cleared after RTCICR until the counter reaches RTCMR again. */
void pl031_update(PL031 *s)
{
    uint32_t now = counter(s);
    if (now != s->checked && (uint32_t)(s->match - s->checked - 1) < (uint32_t)(now - s->checked))
        s->ris = 1;
    s->checked = now;
    drive_irq(s);
}

void pl031_reset(PL031 *s)
{
    s->load = (uint32_t)s->base_seconds + (uint32_t)(s->now_ns(s->clock_opaque) / NS_PER_SECOND);
    s->load_ns = s->now_ns(s->clock_opaque) / NS_PER_SECOND * NS_PER_SECOND;
    s->match = s->imsc = s->ris = 0;
    s->checked = counter(s);
    drive_irq(s);
}

void pl031_init(PL031 *s, uint64_t base_seconds, uint64_t (*now_ns)(void *), void *clock_opaque,
                void (*set_irq)(void *, bool), void *irq_opaque)
{
    *s = (PL031){.now_ns = now_ns, .clock_opaque = clock_opaque, .set_irq = set_irq, .irq_opaque = irq_opaque,
                 .base_seconds = base_seconds};
    pl031_reset(s);
}

static uint32_t read_reg(PL031 *s, uint64_t offset)
{
    if (offset >= RTC_ID_BASE && offset < PL031_MMIO_SIZE)
        return id_bytes[(offset - RTC_ID_BASE) >> 2];
    switch (offset) {
    case RTCDR: pl031_update(s); return s->checked;
    case RTCMR: return s->match;
    case RTCLR: return s->load; /* QEMU returns the last value loaded too */
    case RTCCR: return 1;       /* the counter always runs (RTCCR.RTCStart reads as 1) */
    case RTCIMSC: return s->imsc;
    case RTCRIS: pl031_update(s); return s->ris;
    case RTCMIS: pl031_update(s); return s->ris & s->imsc;
    default:
        if (log_enabled(LOG_GUEST_ERRORS))
            log_printf("pl031: read of undefined offset 0x%03" PRIx64 "\n", offset);
        return 0;
    }
}

static void write_reg(PL031 *s, uint64_t offset, uint32_t value)
{
    pl031_update(s); /* events up to now belong to the old settings */
    switch (offset) {
    case RTCMR:
        s->match = value;
        if (value == s->checked)
            s->ris = 1;
        break;
    case RTCLR:
        s->load = value;
        s->load_ns = s->now_ns(s->clock_opaque);
        s->checked = value;
        break;
    case RTCCR: break; /* writing 0 does not stop the counter (DDI 0224 3.3.4) */
    case RTCIMSC: s->imsc = value & 1; break;
    case RTCICR: s->ris &= ~value & 1; break;
    default:
        if (log_enabled(LOG_GUEST_ERRORS))
            log_printf("pl031: write to read-only or undefined offset 0x%03" PRIx64 "\n", offset);
        return;
    }
    drive_irq(s);
}

static bool pl031_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    uint64_t mask = size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
    *value = read_reg(opaque, offset & ~3ull) & mask;
    return true;
}

static bool pl031_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    uint64_t mask = size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
    write_reg(opaque, offset & ~3ull, (uint32_t)(value & mask));
    return true;
}

static const MMIOOps pl031_ops = {.read = pl031_read, .write = pl031_write};

void pl031_map(PL031 *s, AddressSpace *as, uint64_t base)
{
    as_add_mmio(as, "pl031", base, PL031_MMIO_SIZE, &pl031_ops, s);
}
