/* virtio-mmio transport, virtio-blk, virtio-rng and virtio-console driven
 * as a guest driver would: registers through the physical address space,
 * rings and buffers in guest RAM. Checks data on disk, status bytes, the
 * interrupt line, snapshot mode, console output and input, and that
 * malformed rings mark the device broken instead of touching host memory. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machines/pl031.h"
#include "machines/virtio_devices.h"
#include "mmu/physmem.h"
#include "unit_main.h"

#define RAM 0x40000000ull
#define SLOT 0x0a000000ull
#define DESC (RAM + 0x1000)
#define AVAIL (RAM + 0x2000)
#define USED (RAM + 0x3000)
#define DATA (RAM + 0x10000)
#define QSIZE 8
#define DISK_SECTORS 64

static AddressSpace as;
static VirtioMMIO t;
static VirtioBlk blk;
static VirtioRng rng;
static BlockDev disk;
static char path[64];
static bool irq_level;
static unsigned irq_edges;

static void set_irq(void *opaque, bool level)
{
    (void)opaque;
    if (level && !irq_level)
        irq_edges++;
    irq_level = level;
}

static uint32_t rd(uint64_t off)
{
    const MemRegion *r = as_find(&as, SLOT + off);
    uint64_t v = ~0ull;
    ck_assert(r && r->ops->read(r->opaque, SLOT + off - r->base, 4, &v));
    return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v)
{
    const MemRegion *r = as_find(&as, SLOT + off);
    ck_assert(r && r->ops->write(r->opaque, SLOT + off - r->base, 4, v));
}

static void put(uint64_t addr, uint64_t v, unsigned bytes)
{
    uint8_t b[8];
    for (unsigned i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    ck_assert(as_write_bytes(&as, addr, b, bytes));
}

static uint64_t get(uint64_t addr, unsigned bytes)
{
    uint8_t b[8] = {0};
    ck_assert(as_read_bytes(&as, addr, b, bytes));
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | b[i];
    return v;
}

static void make_disk(void)
{
    snprintf(path, sizeof path, "/tmp/nestor-virtio-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    uint8_t sector[512];
    for (unsigned s = 0; s < DISK_SECTORS; s++) {
        memset(sector, (int)s, sizeof sector);
        ck_assert_int_eq(write(fd, sector, sizeof sector), (int)sizeof sector);
    }
    close(fd);
}

/* The driver's initialisation sequence (virtio 1.x §3.1.1, §4.2.3). */
static void driver_init(void)
{
    wr(0x070, 0);
    wr(0x070, 1);
    wr(0x070, 1 | 2);
    wr(0x024, 1);
    wr(0x020, 1); /* VERSION_1 */
    wr(0x024, 0);
    wr(0x020, 1u << 28); /* INDIRECT_DESC */
    wr(0x070, 1 | 2 | 8);
    ck_assert_uint_eq(rd(0x070) & 8, 8);
    wr(0x030, 0);
    ck_assert_uint_eq(rd(0x034), VIRTIO_QUEUE_MAX);
    wr(0x038, QSIZE);
    wr(0x080, (uint32_t)DESC);
    wr(0x084, 0);
    wr(0x090, (uint32_t)AVAIL);
    wr(0x094, 0);
    wr(0x0a0, (uint32_t)USED);
    wr(0x0a4, 0);
    wr(0x044, 1);
    wr(0x070, 1 | 2 | 8 | 4);
}

static void setup_common(void)
{
    as_init(&as);
    ck_assert(as_add_ram(&as, "ram", RAM, 1 << 20));
    irq_level = false;
    irq_edges = 0;
}

static void setup_blk_mode(bool snapshot)
{
    setup_common();
    make_disk();
    char err[256];
    ck_assert_msg(blockdev_open(&disk, path, false, snapshot, err, sizeof err), "%s", err);
    const VirtioDeviceOps *ops = virtio_blk_setup(&blk, &t, &disk, "nestor-disk-0");
    uint8_t config[VIRTIO_CONFIG_MAX];
    memcpy(config, t.config, sizeof config);
    virtio_mmio_init(&t, &as, ops, &blk, set_irq, NULL);
    memcpy(t.config, config, sizeof config);
    virtio_mmio_map(&t, &as, SLOT);
    driver_init();
}

static void setup_blk(void) { setup_blk_mode(false); }
static void setup_blk_snapshot(void) { setup_blk_mode(true); }

static void teardown_blk(void)
{
    blockdev_close(&disk);
    unlink(path);
    as_destroy(&as);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    put(DESC + 16 * i, addr, 8);
    put(DESC + 16 * i + 8, len, 4);
    put(DESC + 16 * i + 12, flags, 2);
    put(DESC + 16 * i + 14, next, 2);
}

static uint16_t avail_idx;

/* Offers the chain starting at head and notifies queue 0. */
static void submit(uint16_t head)
{
    put(AVAIL + 4 + 2 * (avail_idx % QSIZE), head, 2);
    put(AVAIL + 2, ++avail_idx, 2);
    wr(0x050, 0);
}

/* A 3-descriptor block request: header, data, status. */
static void blk_request(uint32_t type, uint64_t sector, uint64_t data, uint32_t len)
{
    put(DATA, type, 4);
    put(DATA + 4, 0, 4);
    put(DATA + 8, sector, 8);
    desc(0, DATA, 16, 1, 1);
    desc(1, data, len, (uint16_t)(1 | (type == 0 || type == 8 ? 2 : 0)), 2);
    desc(2, DATA + 0x100, 1, 2, 0);
    put(DATA + 0x100, 0xff, 1);
    submit(0);
}

START_TEST(identity_and_config)
{
    ck_assert_uint_eq(rd(0x000), 0x74726976);
    ck_assert_uint_eq(rd(0x004), 2);
    ck_assert_uint_eq(rd(0x008), 2);
    wr(0x014, 1);
    ck_assert_uint_eq(rd(0x010) & 1, 1); /* VERSION_1 offered */
    const MemRegion *r = as_find(&as, SLOT);
    uint64_t cap;
    ck_assert(r->ops->read(r->opaque, 0x100, 8, &cap));
    ck_assert_uint_eq(cap, DISK_SECTORS);
}
END_TEST

START_TEST(read_write_flush_and_id)
{
    avail_idx = 0;
    blk_request(0, 3, DATA + 0x1000, 1024); /* read sectors 3, 4 */
    ck_assert_uint_eq(get(DATA + 0x100, 1), 0);
    ck_assert_uint_eq(get(DATA + 0x1000, 1), 3);
    ck_assert_uint_eq(get(DATA + 0x1000 + 512, 1), 4);
    ck_assert_uint_eq(get(USED + 2, 2), 1);
    ck_assert_uint_eq(get(USED + 4, 4), 0);        /* id: the head */
    ck_assert_uint_eq(get(USED + 8, 4), 1024 + 1); /* the writable size: data and status */
    ck_assert(irq_level);
    wr(0x064, rd(0x060));
    ck_assert(!irq_level);

    memset(as_ram_ptr(&as, DATA + 0x2000, 512), 0xab, 512);
    blk_request(1, 10, DATA + 0x2000, 512); /* write sector 10 */
    ck_assert_uint_eq(get(DATA + 0x100, 1), 0);
    uint8_t sector[512];
    int fd = open(path, O_RDONLY);
    ck_assert_int_eq(pread(fd, sector, 512, 10 * 512), 512);
    close(fd);
    ck_assert_uint_eq(sector[0], 0xab); /* on the host file before completion */

    blk_request(4, 0, DATA + 0x3000, 0); /* flush: the data descriptor is empty */
    ck_assert_uint_eq(get(DATA + 0x100, 1), 0);
    blk_request(0, DISK_SECTORS - 1, DATA + 0x1000, 1024); /* runs past the end */
    ck_assert_uint_eq(get(DATA + 0x100, 1), 1);          /* IOERR */
    blk_request(0x55, 0, DATA + 0x1000, 16);
    ck_assert_uint_eq(get(DATA + 0x100, 1), 2); /* UNSUPP */
    blk_request(8, 0, DATA + 0x1000, 20);
    ck_assert_mem_eq(as_ram_ptr(&as, DATA + 0x1000, 13), "nestor-disk-0", 13);
    ck_assert_uint_eq(get(USED + 2, 2), 6);
    ck_assert_uint_eq(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
}
END_TEST

START_TEST(indirect_descriptors)
{
    avail_idx = 0;
    uint64_t table = DATA + 0x4000;
    put(DATA, 0, 4);
    put(DATA + 8, 7, 8);
    /* indirect table: header, data, status */
    put(table, DATA, 8), put(table + 8, 16, 4), put(table + 12, 1, 2), put(table + 14, 1, 2);
    put(table + 16, DATA + 0x1000, 8), put(table + 24, 512, 4), put(table + 28, 3, 2), put(table + 30, 2, 2);
    put(table + 32, DATA + 0x100, 8), put(table + 40, 1, 4), put(table + 44, 2, 2), put(table + 46, 0, 2);
    desc(5, table, 48, 4, 0);
    submit(5);
    ck_assert_uint_eq(get(DATA + 0x100, 1), 0);
    ck_assert_uint_eq(get(DATA + 0x1000, 1), 7);
}
END_TEST

START_TEST(malformed_chains_break_the_device)
{
    avail_idx = 0;
    desc(0, DATA, 16, 1, 0); /* loops onto itself */
    submit(0);
    ck_assert_uint_eq(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
    ck_assert_uint_eq(rd(0x060) & 2, 2); /* configuration change interrupt */
    ck_assert(irq_level);
    /* further notifications do nothing; a reset recovers */
    submit(0);
    ck_assert_uint_eq(get(USED + 2, 2), 0);
    driver_init();
    avail_idx = 0;
    ck_assert_uint_eq(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET, 0);
    desc(0, 0x12345678000ull, 16, 0, 0); /* outside RAM */
    submit(0);
    ck_assert_uint_eq(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
    driver_init();
    avail_idx = 0;
    put(AVAIL + 2, 100, 2); /* index far ahead of the ring */
    wr(0x050, 0);
    ck_assert_uint_eq(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
}
END_TEST

START_TEST(bad_features_are_refused)
{
    wr(0x070, 0);
    wr(0x070, 1 | 2);
    wr(0x024, 0);
    wr(0x020, 1u << 28);
    wr(0x024, 1);
    wr(0x020, 0); /* no VERSION_1 */
    wr(0x070, 1 | 2 | 8);
    ck_assert_uint_eq(rd(0x070) & 8, 0);
    ck_assert_uint_eq(rd(0x030 + 0x100 - 0x100), 0); /* QueueSel is write-only: reads 0 */
}
END_TEST

START_TEST(snapshot_leaves_the_file_untouched)
{
    avail_idx = 0;
    memset(as_ram_ptr(&as, DATA + 0x2000, 1024), 0xcd, 1024);
    blk_request(1, 5, DATA + 0x2000, 1024);
    ck_assert_uint_eq(get(DATA + 0x100, 1), 0);
    memset(as_ram_ptr(&as, DATA + 0x1000, 2048), 0, 2048);
    blk_request(0, 4, DATA + 0x1000, 2048);
    ck_assert_uint_eq(get(DATA + 0x1000, 1), 4);
    ck_assert_uint_eq(get(DATA + 0x1000 + 512, 1), 0xcd);
    ck_assert_uint_eq(get(DATA + 0x1000 + 1024, 1), 0xcd);
    ck_assert_uint_eq(get(DATA + 0x1000 + 1536, 1), 7);
    uint8_t sector[512];
    int fd = open(path, O_RDONLY);
    ck_assert_int_eq(pread(fd, sector, 512, 5 * 512), 512);
    close(fd);
    ck_assert_uint_eq(sector[0], 5);
}
END_TEST

static void setup_rng(void)
{
    setup_common();
    const VirtioDeviceOps *ops = virtio_rng_setup(&rng, 42);
    virtio_mmio_init(&t, &as, ops, &rng, set_irq, NULL);
    virtio_mmio_map(&t, &as, SLOT);
    driver_init();
}

static void teardown_rng(void) { as_destroy(&as); }

START_TEST(rng_fills_buffers_reproducibly)
{
    avail_idx = 0;
    ck_assert_uint_eq(rd(0x008), 4);
    desc(0, DATA, 37, 2, 0);
    submit(0);
    ck_assert_uint_eq(get(USED + 8, 4), 37);
    uint64_t first = get(DATA, 8);
    ck_assert_uint_ne(first, 0);
    /* the same seed gives the same bytes */
    teardown_rng();
    setup_rng();
    avail_idx = 0;
    desc(0, DATA + 0x100, 8, 2, 0);
    submit(0);
    ck_assert_uint_eq(get(DATA + 0x100, 8), first);
}
END_TEST

/* ---- virtio-console: queue 0 receives, queue 1 transmits ---- */
#define TX_DESC (RAM + 0x4000)
#define TX_AVAIL (RAM + 0x5000)
#define TX_USED (RAM + 0x6000)

static VirtioConsole console;
static FILE *console_out;

static void setup_console(void)
{
    setup_common();
    console_out = tmpfile();
    ck_assert(console_out);
    const VirtioDeviceOps *ops = virtio_console_setup(&console, &t, console_out);
    uint8_t config[VIRTIO_CONFIG_MAX];
    memcpy(config, t.config, sizeof config);
    virtio_mmio_init(&t, &as, ops, &console, set_irq, NULL);
    memcpy(t.config, config, sizeof config);
    virtio_mmio_map(&t, &as, SLOT);
    driver_init(); /* queue 0 (receive) at DESC/AVAIL/USED */
    wr(0x030, 1);
    ck_assert_uint_eq(rd(0x034), VIRTIO_QUEUE_MAX);
    wr(0x038, QSIZE);
    wr(0x080, (uint32_t)TX_DESC);
    wr(0x090, (uint32_t)TX_AVAIL);
    wr(0x0a0, (uint32_t)TX_USED);
    wr(0x044, 1);
    wr(0x030, 2);
    ck_assert_uint_eq(rd(0x034), 0); /* no control queues: MULTIPORT is not offered */
}

static void teardown_console(void)
{
    fclose(console_out);
    as_destroy(&as);
}

static char *console_text(void)
{
    static char text[256];
    fflush(console_out);
    long n = ftell(console_out);
    rewind(console_out);
    size_t got = fread(text, 1, sizeof text - 1, console_out);
    ck_assert_uint_eq(got, (size_t)n);
    text[got] = '\0';
    fseek(console_out, 0, SEEK_END);
    return text;
}

START_TEST(console_transmits_in_order)
{
    ck_assert_uint_eq(rd(0x008), 3);
    wr(0x014, 0);
    ck_assert_uint_eq(rd(0x010) & 7, 0); /* no SIZE, MULTIPORT or EMERG_WRITE */
    const MemRegion *r = as_find(&as, SLOT + 0x104);
    uint64_t v;
    ck_assert(r->ops->read(r->opaque, 0x104, 4, &v));
    ck_assert_uint_eq(v, 1); /* max_nr_ports */
    /* two requests, the second split over two descriptors */
    ck_assert(as_write_bytes(&as, DATA, "hello, ", 7));
    ck_assert(as_write_bytes(&as, DATA + 0x100, "hv", 2));
    ck_assert(as_write_bytes(&as, DATA + 0x200, "c0\n", 3));
    put(TX_DESC, DATA, 8), put(TX_DESC + 8, 7, 4), put(TX_DESC + 12, 0, 2);
    put(TX_DESC + 16, DATA + 0x100, 8), put(TX_DESC + 24, 2, 4), put(TX_DESC + 28, 1, 2), put(TX_DESC + 30, 2, 2);
    put(TX_DESC + 32, DATA + 0x200, 8), put(TX_DESC + 40, 3, 4), put(TX_DESC + 44, 0, 2);
    put(TX_AVAIL + 4, 0, 2);
    put(TX_AVAIL + 6, 1, 2);
    put(TX_AVAIL + 2, 2, 2);
    wr(0x050, 1);
    ck_assert_str_eq(console_text(), "hello, hvc0\n");
    ck_assert_uint_eq(get(TX_USED + 2, 2), 2);
    ck_assert_uint_eq(get(TX_USED + 4, 4), 0);
    ck_assert_uint_eq(get(TX_USED + 12, 4), 1);
    ck_assert(irq_level);
    /* a transmit buffer outside RAM breaks the device, nothing is written */
    put(TX_DESC, 0x1000, 8);
    put(TX_AVAIL + 8, 0, 2);
    put(TX_AVAIL + 2, 3, 2);
    wr(0x050, 1);
    ck_assert_uint_eq(rd(0x070) & VIRTIO_STATUS_NEEDS_RESET, VIRTIO_STATUS_NEEDS_RESET);
    ck_assert_str_eq(console_text(), "hello, hvc0\n");
}
END_TEST

START_TEST(console_receive_waits_for_buffers)
{
    avail_idx = 0;
    ck_assert_uint_eq(virtio_console_rx_room(&console), VIRTIO_CONSOLE_INPUT);
    virtio_console_receive(&t, (const uint8_t *)"abcdef", 6); /* no buffer yet: kept */
    ck_assert_uint_eq(virtio_console_rx_room(&console), VIRTIO_CONSOLE_INPUT - 6);
    ck_assert(!irq_level);
    desc(0, DATA, 4, 2, 0);
    desc(1, DATA + 0x100, 64, 2, 0);
    put(AVAIL + 4, 0, 2);
    put(AVAIL + 6, 1, 2);
    put(AVAIL + 2, avail_idx = 2, 2);
    wr(0x050, 0); /* the driver offers two buffers: the first fills, the second takes the rest */
    ck_assert_uint_eq(get(USED + 2, 2), 2);
    ck_assert_uint_eq(get(USED + 8, 4), 4);
    ck_assert_uint_eq(get(USED + 16, 4), 2);
    ck_assert_uint_eq(get(DATA, 4), 0x64636261);
    ck_assert_uint_eq(get(DATA + 0x100, 2), 0x6665);
    ck_assert(irq_level);
    ck_assert_uint_eq(virtio_console_rx_room(&console), VIRTIO_CONSOLE_INPUT);
    /* more input waits for the next buffer, and a device reset drops it */
    virtio_console_receive(&t, (const uint8_t *)"g", 1);
    ck_assert_uint_eq(get(USED + 2, 2), 2);
    wr(0x070, 0);
    ck_assert_uint_eq(virtio_console_rx_room(&console), VIRTIO_CONSOLE_INPUT);
    ck_assert_str_eq(console_text(), "");
}
END_TEST

/* ---- PL031 with a settable clock ---- */
static uint64_t fake_ns;
static uint64_t clock_ns(void *opaque)
{
    (void)opaque;
    return fake_ns;
}

START_TEST(pl031_counts_virtual_seconds)
{
    AddressSpace a;
    as_init(&a);
    PL031 rtc;
    fake_ns = 0;
    irq_level = false;
    pl031_init(&rtc, 1000, clock_ns, NULL, set_irq, NULL);
    pl031_map(&rtc, &a, 0x09010000);
    const MemRegion *r = as_find(&a, 0x09010000);
    uint64_t v;
    ck_assert(r->ops->read(r->opaque, 0x00, 4, &v));
    ck_assert_uint_eq(v, 1000);
    fake_ns = 2500000000ull;
    ck_assert(r->ops->read(r->opaque, 0x00, 4, &v));
    ck_assert_uint_eq(v, 1002);
    ck_assert(r->ops->write(r->opaque, 0x08, 4, 50)); /* load */
    fake_ns += 1000000000ull;
    ck_assert(r->ops->read(r->opaque, 0x00, 4, &v));
    ck_assert_uint_eq(v, 51);
    ck_assert(r->ops->write(r->opaque, 0x10, 4, 1)); /* IMSC */
    ck_assert(r->ops->write(r->opaque, 0x04, 4, 51)); /* match now */
    ck_assert(irq_level);
    ck_assert(r->ops->read(r->opaque, 0x18, 4, &v));
    ck_assert_uint_eq(v, 1);
    ck_assert(r->ops->write(r->opaque, 0x1c, 4, 1)); /* ICR */
    ck_assert(!irq_level);
    ck_assert(r->ops->read(r->opaque, 0x18, 4, &v)); /* still at the match: no new event */
    ck_assert_uint_eq(v, 0);
    fake_ns += 5000000000ull; /* 56: passes no match */
    ck_assert(r->ops->read(r->opaque, 0x14, 4, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(r->ops->write(r->opaque, 0x04, 4, 58));
    fake_ns += 3000000000ull; /* 59: passed 58 between two looks */
    pl031_update(&rtc);
    ck_assert(irq_level);
    ck_assert(r->ops->read(r->opaque, 0xfe0, 4, &v));
    ck_assert_uint_eq(v, 0x31);
    ck_assert(r->ops->read(r->opaque, 0x400, 4, &v)); /* undefined: RAZ */
    ck_assert_uint_eq(v, 0);
    as_destroy(&a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("virtio");
    TCase *tc = tcase_create("blk");
    tcase_add_checked_fixture(tc, setup_blk, teardown_blk);
    tcase_add_test(tc, identity_and_config);
    tcase_add_test(tc, read_write_flush_and_id);
    tcase_add_test(tc, indirect_descriptors);
    tcase_add_test(tc, malformed_chains_break_the_device);
    tcase_add_test(tc, bad_features_are_refused);
    suite_add_tcase(s, tc);
    TCase *snap = tcase_create("blk-snapshot");
    tcase_add_checked_fixture(snap, setup_blk_snapshot, teardown_blk);
    tcase_add_test(snap, snapshot_leaves_the_file_untouched);
    suite_add_tcase(s, snap);
    TCase *r = tcase_create("rng");
    tcase_add_checked_fixture(r, setup_rng, teardown_rng);
    tcase_add_test(r, rng_fills_buffers_reproducibly);
    suite_add_tcase(s, r);
    TCase *con = tcase_create("console");
    tcase_add_checked_fixture(con, setup_console, teardown_console);
    tcase_add_test(con, console_transmits_in_order);
    tcase_add_test(con, console_receive_waits_for_buffers);
    suite_add_tcase(s, con);
    TCase *rtc = tcase_create("pl031");
    tcase_add_test(rtc, pl031_counts_virtual_seconds);
    suite_add_tcase(s, rtc);
    return unit_run_suite(s, true);
}
