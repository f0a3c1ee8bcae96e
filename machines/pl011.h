/* ARM PrimeCell UART (PL011, DDI 0183): transmit-only model for now, with the
 * transmit interrupt (UARTRIS.TXRIS, masked by UARTIMSC, cleared by UARTICR). */
#ifndef NESTOR_MACHINES_PL011_H
#define NESTOR_MACHINES_PL011_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct AddressSpace;

#define PL011_MMIO_SIZE 0x1000

typedef struct {
    FILE *out;      /* where transmitted characters go (the host's stdout) */
    uint32_t rsr;   /* receive status; stays 0 until input exists */
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
    /* The interrupt output (UARTINTR: any of UARTMIS set); NULL: unconnected. */
    void (*irq)(void *opaque, bool level);
    void *irq_opaque;
    bool irq_level;
} PL011;

void pl011_init(PL011 *uart, FILE *out);
void pl011_reset(PL011 *uart);
void pl011_map(PL011 *uart, struct AddressSpace *as, uint64_t base);

#endif
