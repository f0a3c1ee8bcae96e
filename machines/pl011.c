/* PL011 UART. Every register Linux's amba-pl011 driver and bare-metal code
 * touch is answered architecturally. Received bytes wait in a 16-entry FIFO
 * (one entry with UARTLCR_H.FEN clear); the receive interrupt is asserted
 * while the FIFO holds data, as QEMU's model (its trigger level is always
 * one character, and it has no receive timeout). Access-size behaviour follows QEMU's pl011
 * (its registers are implemented as 32-bit only): an 8-byte access is split
 * into two 32-bit accesses, and a 1- or 2-byte access reaches the whole
 * register at offset & ~3 with the value zero-extended (writes) or truncated
 * (reads). Guests written for QEMU therefore see the same results here. */
#include "machines/pl011.h"

#include <inttypes.h>

#include "mmu/physmem.h"
#include "trace/log.h"

enum {
    UARTDR = 0x00, UARTRSR = 0x04, UARTFR = 0x18, UARTILPR = 0x20, UARTIBRD = 0x24, UARTFBRD = 0x28,
    UARTLCR_H = 0x2c, UARTCR = 0x30, UARTIFLS = 0x34, UARTIMSC = 0x38, UARTRIS = 0x3c, UARTMIS = 0x40,
    UARTICR = 0x44, UARTDMACR = 0x48, UART_ID_BASE = 0xfe0,
};

enum {
    FR_RXFE = 1u << 4,  /* receive FIFO empty */
    FR_RXFF = 1u << 6,  /* receive FIFO full */
    FR_TXFE = 1u << 7,  /* transmit FIFO empty: characters leave at once */
    INT_RX = 1u << 4,
    INT_TX = 1u << 5,
    LCR_FEN = 1u << 4,
    INT_ALL = 0x7ff,
    CR_RESET = 0x300,   /* TXE | RXE */
    IFLS_RESET = 0x12,  /* both FIFO levels at half full */
};

/* UARTPeriphID0-3 then UARTPCellID0-3 (DDI 0183, 3.3.13/3.3.14). */
static const uint8_t id_bytes[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* UARTINTR follows UARTMIS. */
static void update_irq(PL011 *s)
{
    bool level = (s->ris & s->imsc) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        if (s->irq)
            s->irq(s->irq_opaque, level);
    }
}

static unsigned rx_depth(const PL011 *s) { return (s->lcr_h & LCR_FEN) ? PL011_FIFO_DEPTH : 1; }

unsigned pl011_rx_room(const PL011 *s) { return s->rx_count < rx_depth(s) ? rx_depth(s) - s->rx_count : 0; }

void pl011_receive(PL011 *s, uint8_t byte)
{
    if (!pl011_rx_room(s))
        return; /* overrun: the byte is lost (the board checks the room first) */
    s->rx_fifo[(s->rx_head + s->rx_count++) % PL011_FIFO_DEPTH] = byte;
    s->ris |= INT_RX;
    update_irq(s);
}

static uint32_t rx_pop(PL011 *s)
{
    if (!s->rx_count)
        return 0;
    uint8_t byte = s->rx_fifo[s->rx_head];
    s->rx_head = (s->rx_head + 1) % PL011_FIFO_DEPTH;
    if (--s->rx_count == 0) {
        s->ris &= ~INT_RX;
        update_irq(s);
    }
    return byte;
}

void pl011_reset(PL011 *s)
{
    PL011 keep = *s;
    *s = (PL011){.out = keep.out, .cr = CR_RESET, .ifls = IFLS_RESET, .irq = keep.irq, .irq_opaque = keep.irq_opaque,
                 .irq_level = keep.irq_level};
    update_irq(s); /* the output drops with the reset */
}

void pl011_init(PL011 *s, FILE *out)
{
    *s = (PL011){.out = out};
    pl011_reset(s);
}

static void bad_offset(const char *what, uint64_t offset)
{
    if (log_enabled(LOG_GUEST_ERRORS))
        log_printf("pl011: %s of unimplemented or read-only offset 0x%03" PRIx64 "\n", what, offset);
}

static uint32_t read_reg(PL011 *s, uint64_t offset)
{
    if (offset >= UART_ID_BASE && offset < PL011_MMIO_SIZE)
        return id_bytes[(offset - UART_ID_BASE) >> 2];
    switch (offset) {
    case UARTDR: return rx_pop(s);
    case UARTRSR: return s->rsr;
    case UARTFR: return (s->rx_count ? 0 : FR_RXFE) | (pl011_rx_room(s) ? 0 : FR_RXFF) | FR_TXFE;
    case UARTILPR: return s->ilpr;
    case UARTIBRD: return s->ibrd;
    case UARTFBRD: return s->fbrd;
    case UARTLCR_H: return s->lcr_h;
    case UARTCR: return s->cr;
    case UARTIFLS: return s->ifls;
    case UARTIMSC: return s->imsc;
    case UARTRIS: return s->ris;
    case UARTMIS: return s->ris & s->imsc;
    case UARTDMACR: return s->dmacr;
    default:
        bad_offset("read", offset);
        return 0;
    }
}

static void write_reg(PL011 *s, uint64_t offset, uint32_t value)
{
    switch (offset) {
    case UARTDR:
        /* QEMU transmits even when the guest has not enabled the UART;
         * early boot code relies on that, so do the same but say so. */
        if (!(s->cr & 1) && log_enabled(LOG_GUEST_ERRORS))
            log_printf("pl011: data written to disabled UART\n");
        if (s->out) { /* NULL: -serial none */
            fputc((int)(value & 0xff), s->out);
            fflush(s->out); /* the guest may stop at any instruction: never hold output back */
        }
        s->ris |= INT_TX;
        update_irq(s);
        return;
    case UARTRSR: s->rsr = 0; return; /* UARTECR: any write clears the errors */
    case UARTILPR: s->ilpr = value & 0xff; return;
    case UARTIBRD: s->ibrd = value & 0xffff; return;
    case UARTFBRD: s->fbrd = value & 0x3f; return;
    case UARTLCR_H:
        s->lcr_h = value & 0xff;
        if (s->rx_count > rx_depth(s)) { /* FIFOs turned off: the holding register keeps the oldest */
            s->rx_count = 1;
        }
        return;
    case UARTCR: s->cr = value & 0xffff; return;
    case UARTIFLS: s->ifls = value & 0x3f; return;
    case UARTIMSC: s->imsc = value & INT_ALL; update_irq(s); return;
    case UARTICR: s->ris &= ~value; update_irq(s); return;
    case UARTDMACR: s->dmacr = value & 0x7; return;
    default:
        bad_offset("write", offset);
        return;
    }
}

static bool pl011_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    PL011 *s = opaque;
    if (size == 8) {
        *value = read_reg(s, offset & ~3ull) | (uint64_t)read_reg(s, (offset + 4) & ~3ull) << 32;
        return true;
    }
    uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
    *value = read_reg(s, offset & ~3ull) & mask;
    return true;
}

static bool pl011_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    PL011 *s = opaque;
    if (size == 8) {
        write_reg(s, offset & ~3ull, (uint32_t)value);
        write_reg(s, (offset + 4) & ~3ull, (uint32_t)(value >> 32));
        return true;
    }
    uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
    write_reg(s, offset & ~3ull, (uint32_t)(value & mask));
    return true;
}

static const MMIOOps pl011_ops = {.read = pl011_read, .write = pl011_write};

void pl011_map(PL011 *s, AddressSpace *as, uint64_t base)
{
    as_add_mmio(as, "pl011", base, PL011_MMIO_SIZE, &pl011_ops, s);
}
