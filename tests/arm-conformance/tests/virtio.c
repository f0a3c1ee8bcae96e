/*
 * virtio-mmio on the virt board, driven by polling (no interrupt controller
 * needed): the 32 transports at 0x0a000000, a virtio-blk disk and a
 * virtio-rng device given by difftest.py --disk (the first -device lands on
 * the highest slot). Reads the disk's known pattern, writes and reads back a
 * sector (the image is opened with snapshot=on), flushes, asks the serial,
 * and checks the error statuses. Prints only what the virtio spec fixes, so
 * QEMU and Nestor print the same lines.
 */
#include "testlib.h"

#define MMIO_BASE 0x0a000000ul
#define SLOTS 32
#define QSIZE 8

#define REG(slot, off) (*(volatile uint32_t *)(MMIO_BASE + 0x200ul * (slot) + (off)))

enum { ST_ACK = 1, ST_DRIVER = 2, ST_DRIVER_OK = 4, ST_FEATURES_OK = 8, ST_NEEDS_RESET = 64 };

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

static struct {
    struct desc desc[QSIZE];
    struct {
        uint16_t flags, idx, ring[QSIZE];
    } avail;
    struct {
        uint16_t flags, idx;
        struct {
            uint32_t id, len;
        } ring[QSIZE];
    } used __attribute__((aligned(4)));
} queue[2] __attribute__((aligned(4096)));

static uint8_t header[16] __attribute__((aligned(16)));
static uint8_t data[4096] __attribute__((aligned(4096)));
static volatile uint8_t status_byte;

static void barrier(void) { asm volatile("dsb sy" ::: "memory"); }

static bool init_device(unsigned slot, unsigned q)
{
    REG(slot, 0x070) = 0;
    REG(slot, 0x070) = ST_ACK;
    REG(slot, 0x070) = ST_ACK | ST_DRIVER;
    REG(slot, 0x014) = 1;
    uint32_t high = REG(slot, 0x010);
    printf("  slot %u: VERSION_1 offered: %u\n", slot, high & 1);
    REG(slot, 0x024) = 0;
    REG(slot, 0x020) = 0;
    REG(slot, 0x024) = 1;
    REG(slot, 0x020) = 1; /* VERSION_1 only */
    REG(slot, 0x070) = ST_ACK | ST_DRIVER | ST_FEATURES_OK;
    uint32_t st = REG(slot, 0x070);
    printf("  slot %u: FEATURES_OK accepted: %u\n", slot, (st & ST_FEATURES_OK) != 0);
    REG(slot, 0x030) = 0;
    uint32_t max = REG(slot, 0x034);
    CHECK_EQ("QueueNumMax >= 8", max >= QSIZE, 1);
    CHECK_EQ("QueueReady before setup", REG(slot, 0x044), 0);
    memset(&queue[q], 0, sizeof queue[q]);
    REG(slot, 0x038) = QSIZE;
    uint64_t d = (uint64_t)&queue[q].desc, a = (uint64_t)&queue[q].avail, u = (uint64_t)&queue[q].used;
    REG(slot, 0x080) = (uint32_t)d, REG(slot, 0x084) = (uint32_t)(d >> 32);
    REG(slot, 0x090) = (uint32_t)a, REG(slot, 0x094) = (uint32_t)(a >> 32);
    REG(slot, 0x0a0) = (uint32_t)u, REG(slot, 0x0a4) = (uint32_t)(u >> 32);
    REG(slot, 0x044) = 1;
    REG(slot, 0x070) = ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK;
    return (REG(slot, 0x070) & ST_FEATURES_OK) != 0;
}

/* Offers descriptors 0..n-1 as one chain and waits for the used entry. */
static uint32_t run_chain(unsigned slot, unsigned q, unsigned n)
{
    for (unsigned i = 0; i + 1 < n; i++) {
        queue[q].desc[i].flags |= 1;
        queue[q].desc[i].next = (uint16_t)(i + 1);
    }
    uint16_t idx = queue[q].avail.idx;
    queue[q].avail.ring[idx % QSIZE] = 0;
    barrier();
    queue[q].avail.idx = (uint16_t)(idx + 1);
    barrier();
    REG(slot, 0x050) = 0;
    for (unsigned long spin = 0; spin < 400000000ul; spin++) { /* QEMU completes asynchronously */
        barrier();
        if (*(volatile uint16_t *)&queue[q].used.idx == (uint16_t)(idx + 1))
            return queue[q].used.ring[idx % QSIZE].len;
    }
    printf("FAIL request on slot %u never completed\n", slot);
    return 0;
}

static uint32_t blk(unsigned slot, uint32_t type, uint64_t sector, unsigned len, bool device_writes)
{
    memset(header, 0, sizeof header);
    header[0] = (uint8_t)type;
    for (unsigned i = 0; i < 8; i++)
        header[8 + i] = (uint8_t)(sector >> (8 * i));
    status_byte = 0xee;
    unsigned n = 0;
    queue[0].desc[n++] = (struct desc){(uint64_t)header, 16, 0, 0};
    if (len)
        queue[0].desc[n++] = (struct desc){(uint64_t)data, len, (uint16_t)(device_writes ? 2 : 0), 0};
    queue[0].desc[n++] = (struct desc){(uint64_t)&status_byte, 1, 2, 0};
    uint32_t used = run_chain(slot, 0, n);
    printf("  blk type %u sector %lu len %u: status %u, used length %u\n", type, sector, len, status_byte, used);
    return status_byte;
}

static uint32_t checksum(const uint8_t *p, unsigned n)
{
    uint32_t h = 2166136261u;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void)
{
    printf("virtio-mmio transports\n");
    int blk_slot = -1, rng_slot = -1;
    for (unsigned s = 0; s < SLOTS; s++) {
        uint32_t magic = REG(s, 0x000), version = REG(s, 0x004), id = REG(s, 0x008), vendor = REG(s, 0x00c);
        CHECK_EQ("magic", magic, 0x74726976);
        CHECK_EQ("version", version, 2);
        if (id) {
            printf("  slot %u: device %u vendor 0x%x\n", s, id, vendor);
            if (id == 2 && blk_slot < 0)
                blk_slot = (int)s;
            if (id == 4 && rng_slot < 0)
                rng_slot = (int)s;
        }
    }
    if (blk_slot < 0 || rng_slot < 0) {
        printf("FAIL expected a virtio-blk and a virtio-rng device (difftest.py --disk)\n");
        printf("DONE\n");
        return 0;
    }

    printf("virtio-blk\n");
    unsigned b = (unsigned)blk_slot;
    init_device(b, 0);
    uint32_t cap_lo = REG(b, 0x100), cap_hi = REG(b, 0x104);
    printf("  capacity %u sectors (high %u)\n", cap_lo, cap_hi);
    CHECK_EQ("read sectors 0-7", blk(b, 0, 0, 4096, true), 0);
    printf("  sectors 0-7 checksum 0x%08x, byte 513 = 0x%02x\n", checksum(data, 4096), data[513]);
    for (unsigned i = 0; i < 512; i++)
        data[i] = (uint8_t)(i * 3 + 1);
    CHECK_EQ("write sector 9", blk(b, 1, 9, 512, false), 0);
    memset(data, 0, 1024);
    CHECK_EQ("read sectors 8-9", blk(b, 0, 8, 1024, true), 0);
    printf("  sector 8 checksum 0x%08x, sector 9 checksum 0x%08x\n", checksum(data, 512), checksum(data + 512, 512));
    CHECK_EQ("flush", blk(b, 4, 0, 0, false), 0);
    memset(data, 0, 32);
    CHECK_EQ("get id", blk(b, 8, 0, 20, true), 0);
    printf("  serial '%s'\n", (const char *)data);
    CHECK_EQ("read past the end", blk(b, 0, cap_lo - 1, 1024, true), 1);
    CHECK_EQ("unknown request type", blk(b, 0x1234, 0, 512, true), 2);
    CHECK_EQ("not needing reset", REG(b, 0x070) & ST_NEEDS_RESET, 0);
    uint32_t isr = REG(b, 0x060);
    printf("  interrupt status 0x%x\n", isr);
    REG(b, 0x064) = isr;
    printf("  after acknowledge 0x%x\n", REG(b, 0x060));

    printf("virtio-rng\n");
    unsigned r = (unsigned)rng_slot;
    init_device(r, 1);
    queue[1].desc[0] = (struct desc){(uint64_t)data, 64, 2, 0};
    memset(data, 0, 64);
    uint32_t got = run_chain(r, 1, 1);
    printf("  entropy request of 64 bytes: used length %u\n", got);
    unsigned nonzero = 0;
    for (unsigned i = 0; i < 64; i++)
        nonzero += data[i] != 0;
    CHECK_EQ("random bytes arrived", nonzero > 32, 1);

    printf("reset\n");
    REG(b, 0x070) = 0;
    printf("  status after reset %u, queue ready %u\n", REG(b, 0x070), REG(b, 0x044));
    printf("DONE\n");
    return 0;
}
