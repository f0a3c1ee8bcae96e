/* ARM PrimeCell real-time clock (PL031, DDI 0224): a seconds counter with a
 * match interrupt. Time comes from the board's clock callback (virtual time,
 * so a run is reproducible) plus the wall-clock base chosen at start-up. */
#ifndef NESTOR_MACHINES_PL031_H
#define NESTOR_MACHINES_PL031_H

#include <stdbool.h>
#include <stdint.h>

struct AddressSpace;

#define PL031_MMIO_SIZE 0x1000

typedef struct {
    uint64_t (*now_ns)(void *opaque); /* virtual nanoseconds since power-on */
    void *clock_opaque;
    void (*set_irq)(void *opaque, bool level);
    void *irq_opaque;
    uint64_t base_seconds; /* wall-clock seconds at virtual time 0 */
    /* Counter = load + (now - load_ns) / 1e9: RTCLR sets load and load_ns. */
    uint32_t load;
    uint64_t load_ns;
    uint32_t match, imsc, ris;
    uint32_t checked; /* counter value at the last match evaluation */
} PL031;

void pl031_init(PL031 *rtc, uint64_t base_seconds, uint64_t (*now_ns)(void *), void *clock_opaque,
                void (*set_irq)(void *, bool), void *irq_opaque);
void pl031_reset(PL031 *rtc);
void pl031_map(PL031 *rtc, struct AddressSpace *as, uint64_t base);
/* Re-evaluates the match interrupt (the board calls it every scheduling
 * round, register accesses too). */
void pl031_update(PL031 *rtc);

#endif
