/* PL011 UART as seen through the physical address space: reset values, ID
 * registers, transmit, and QEMU's access-size behaviour. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "machines/pl011.h"
#include "mmu/physmem.h"
#include "unit_main.h"

#define BASE 0x09000000ull

static AddressSpace as;
static PL011 uart;
static char out_buf[64];
static FILE *out;

static void setup(void)
{
    memset(out_buf, 0, sizeof out_buf);
    out = fmemopen(out_buf, sizeof out_buf, "w");
    as_init(&as);
    pl011_init(&uart, out);
    pl011_map(&uart, &as, BASE);
}

static void teardown(void)
{
    as_destroy(&as);
    fclose(out);
}

static uint64_t rd(uint64_t off, unsigned size)
{
    const MemRegion *r = as_find(&as, BASE + off);
    uint64_t v = ~0ull;
    ck_assert(r && r->ops->read(r->opaque, BASE + off - r->base, size, &v));
    return v;
}

static void wr(uint64_t off, unsigned size, uint64_t v)
{
    const MemRegion *r = as_find(&as, BASE + off);
    ck_assert(r && r->ops->write(r->opaque, BASE + off - r->base, size, v));
}

START_TEST(reset_values_and_ids)
{
    ck_assert_uint_eq(rd(0x18, 4), 0x90); /* FR: TXFE | RXFE */
    ck_assert_uint_eq(rd(0x30, 4), 0x300); /* CR: TXE | RXE */
    ck_assert_uint_eq(rd(0x34, 4), 0x12); /* IFLS */
    ck_assert_uint_eq(rd(0x2c, 4), 0);
    static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(rd(0xfe0 + 4 * i, 4), ids[i]);
    ck_assert_uint_eq(rd(0x100, 4), 0); /* undefined: RAZ */
}
END_TEST

START_TEST(transmit_and_interrupt_status)
{
    wr(0x00, 4, 0x148); /* only the low byte is data */
    wr(0x00, 1, 'i');
    fflush(out);
    ck_assert_str_eq(out_buf, "Hi");
    ck_assert_uint_eq(rd(0x3c, 4) & 0x20, 0x20); /* RIS.TXRIS */
    wr(0x38, 4, 0xffffffff);
    ck_assert_uint_eq(rd(0x38, 4), 0x7ff);
    ck_assert_uint_eq(rd(0x40, 4) & 0x20, 0x20); /* MIS = RIS & IMSC */
    wr(0x44, 4, 0x20);
    ck_assert_uint_eq(rd(0x3c, 4) & 0x20, 0);
}
END_TEST

START_TEST(storage_registers_keep_their_width)
{
    wr(0x24, 4, 0x12345678);
    ck_assert_uint_eq(rd(0x24, 4), 0x5678);
    wr(0x28, 4, 0xff);
    ck_assert_uint_eq(rd(0x28, 4), 0x3f);
    wr(0x18, 4, 0); /* FR is read-only */
    ck_assert_uint_eq(rd(0x18, 4), 0x90);
}
END_TEST

START_TEST(access_sizes_follow_qemu)
{
    /* Sub-word accesses reach the whole register at offset & ~3. */
    wr(0x24, 4, 0xabcd);
    ck_assert_uint_eq(rd(0x24, 1), 0xcd);
    ck_assert_uint_eq(rd(0x25, 1), 0xcd);
    ck_assert_uint_eq(rd(0x24, 2), 0xabcd);
    /* 8-byte accesses are two 32-bit ones. */
    wr(0x24, 8, 0x0000002100001234ull); /* IBRD, FBRD */
    ck_assert_uint_eq(rd(0x24, 4), 0x1234);
    ck_assert_uint_eq(rd(0x28, 4), 0x21);
    ck_assert_uint_eq(rd(0x24, 8), 0x0000002100001234ull);
    ck_assert_uint_eq(rd(0xff8, 8), 0xb100000005ull);
}
END_TEST

START_TEST(receive_fifo_and_interrupt)
{
    ck_assert_uint_eq(pl011_rx_room(&uart), 1); /* FIFOs off at reset: one holding register */
    wr(0x2c, 4, 0x70);                           /* LCR_H: 8 bits, FEN */
    ck_assert_uint_eq(pl011_rx_room(&uart), PL011_FIFO_DEPTH);
    wr(0x38, 4, 0x10);                           /* IMSC: RXIM */
    ck_assert_uint_eq(rd(0x40, 4), 0);
    for (unsigned i = 0; i < PL011_FIFO_DEPTH; i++)
        pl011_receive(&uart, (uint8_t)('a' + i));
    ck_assert_uint_eq(pl011_rx_room(&uart), 0);
    ck_assert_uint_eq(rd(0x18, 4) & 0x50, 0x40); /* FR: RXFF, not RXFE */
    ck_assert_uint_eq(rd(0x40, 4), 0x10);        /* MIS: RXMIS */
    pl011_receive(&uart, 'z');                   /* no room: dropped */
    for (unsigned i = 0; i < PL011_FIFO_DEPTH; i++)
        ck_assert_uint_eq(rd(0x00, 4), 'a' + i);
    ck_assert_uint_eq(rd(0x18, 4) & 0x50, 0x10); /* RXFE */
    ck_assert_uint_eq(rd(0x3c, 4) & 0x10, 0);    /* RXRIS drops with the last byte */
    ck_assert_uint_eq(rd(0x00, 4), 0);           /* empty FIFO reads 0 */
    pl011_receive(&uart, 'q');
    wr(0x44, 4, 0x10);                           /* ICR clears RXRIS until the next byte */
    ck_assert_uint_eq(rd(0x3c, 4) & 0x10, 0);
    ck_assert_uint_eq(rd(0x00, 1), 'q');
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pl011");
    TCase *tc = tcase_create("registers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reset_values_and_ids);
    tcase_add_test(tc, transmit_and_interrupt_status);
    tcase_add_test(tc, storage_registers_keep_their_width);
    tcase_add_test(tc, access_sizes_follow_qemu);
    tcase_add_test(tc, receive_fifo_and_interrupt);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
