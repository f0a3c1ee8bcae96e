/* ARM PrimeCell UART (PL011, DDI 0183): transmit straight to a host stream,
 * a receive FIFO the board fills from the host (pl011_receive), and the
 * transmit and receive interrupts (UARTRIS.TXRIS/RXRIS, masked by UARTIMSC,
 * cleared by UARTICR). */
#ifndef NESTOR_MACHINES_PL011_H
#define NESTOR_MACHINES_PL011_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct AddressSpace;

#define PL011_MMIO_SIZE 0x1000
#define PL011_FIFO_DEPTH 16

typedef struct {
    FILE *out;      /* where transmitted characters go (the host's stdout); NULL: dropped */
    uint32_t rsr;   /* receive status; stays 0 until input exists */
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
    /* The interrupt output (UARTINTR: any of UARTMIS set); NULL: unconnected. */
    void (*irq)(void *opaque, bool level);
    void *irq_opaque;
    bool irq_level;
    uint8_t rx_fifo[PL011_FIFO_DEPTH];
    unsigned rx_head, rx_count;
} PL011;

void pl011_init(PL011 *uart, FILE *out);
void pl011_reset(PL011 *uart);
void pl011_map(PL011 *uart, struct AddressSpace *as, uint64_t base);
/* Bytes the receive FIFO can take now (1 with the FIFOs disabled, as the
 * hardware's one-character holding register). */
unsigned pl011_rx_room(const PL011 *uart);
/* Puts one received byte into the FIFO (the caller checked the room). */
void pl011_receive(PL011 *uart, uint8_t byte);

#endif
