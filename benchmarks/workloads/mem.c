/*
 * Memory work: a dependent-load pointer chase around one random cycle
 * through a table spanning CHASE_BYTES (every load depends on the previous
 * one and lands on a random page, so this measures the emulator's
 * load path and soft-TLB behaviour over many pages), then memset/memcpy
 * loops streaming over COPY_BYTES buffers with 8-byte and 16-byte
 * accesses, and a byte-copy loop.  All accesses are aligned (MMU off:
 * Device memory).
 */
#include "bench.h"

#define NAME "mem"
#define CHASE_BYTES  BENCH_SIZE(16 * MiB, 128 * KiB)
#define CHASE_LAPS   BENCH_SIZE(3, 2)
#define COPY_BYTES   BENCH_SIZE(16 * MiB, 128 * KiB)
#define COPY_ROUNDS  BENCH_SIZE(6, 1)
#define BYTE_COPY    BENCH_SIZE(2 * MiB, 16 * KiB)

/* Each node holds the address of the next one. */
typedef uintptr_t node_t;

/* Sattolo's shuffle gives a permutation that is one single cycle. The
 * order array is scratch space of nnodes 32-bit entries. */
static void build_cycle(node_t *nodes, uint32_t *order, uint32_t nnodes, uint64_t seed)
{
    struct lcg g = {seed};
    for (uint32_t i = 0; i < nnodes; i++)
        order[i] = i;
    for (uint32_t i = nnodes - 1; i > 0; i--) {
        uint32_t j = lcg_below(&g, i);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i + 1 < nnodes; i++)
        nodes[order[i]] = (node_t)&nodes[order[i + 1]];
    nodes[order[nnodes - 1]] = (node_t)&nodes[order[0]];
}

/* Follows the cycle once around from start and returns false if it comes
 * back early (the cycle is shorter than the table) or not at all. */
static bool is_one_cycle(node_t *start, uint32_t nnodes)
{
    node_t *p = start;
    for (uint32_t i = 1; i < nnodes; i++) {
        p = (node_t *)*p;
        if (p == start)
            return false;
    }
    return (node_t *)*p == start;
}

/* Walks `steps` links from `start`; folds in where it is every 4096 steps. */
static node_t *chase(node_t *start, uint64_t steps, uint64_t *sum)
{
    node_t *p = start;
    uint64_t s = *sum;
    for (uint64_t i = 0; i < steps; i++) {
        p = (node_t *)*p;
        if ((i & 4095) == 0)
            s = mix64(s, (uintptr_t)p);
    }
    *sum = s;
    return p;
}

static void set_words(uint64_t *dst, size_t nwords, uint64_t value)
{
    for (size_t i = 0; i < nwords; i += 4) {
        dst[i] = value;
        dst[i + 1] = value;
        dst[i + 2] = value;
        dst[i + 3] = value;
    }
}

static void fill_pattern(uint64_t *dst, size_t nwords, uint64_t seed)
{
    uint64_t v = seed;
    for (size_t i = 0; i < nwords; i++) {
        v = v * 0x5851f42d4c957f2dull + i;
        dst[i] = v;
    }
}

/* 64 bytes per iteration as four load/store pairs (LDP/STP). */
static void copy_words(uint64_t *restrict dst, const uint64_t *restrict src, size_t nwords)
{
    for (size_t i = 0; i < nwords; i += 8) {
        uint64_t a = src[i], b = src[i + 1], c = src[i + 2], d = src[i + 3];
        uint64_t e = src[i + 4], f = src[i + 5], g = src[i + 6], h = src[i + 7];
        dst[i] = a;
        dst[i + 1] = b;
        dst[i + 2] = c;
        dst[i + 3] = d;
        dst[i + 4] = e;
        dst[i + 5] = f;
        dst[i + 6] = g;
        dst[i + 7] = h;
    }
}

static void copy_bytes(uint8_t *restrict dst, const uint8_t *restrict src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
}

static uint64_t sum_words(const uint64_t *src, size_t nwords)
{
    uint64_t a = 0, b = 0;
    for (size_t i = 0; i < nwords; i += 2) {
        a += src[i];
        b ^= rotl64(src[i + 1], i & 63);
    }
    return a ^ rotl64(b, 17);
}

int main(void)
{
    const uint32_t nnodes = CHASE_BYTES / sizeof(node_t);
    const size_t nwords = COPY_BYTES / 8;
    node_t *nodes = bench_alloc(CHASE_BYTES);
    uint64_t *a = bench_alloc(COPY_BYTES);
    uint64_t *b = bench_alloc(COPY_BYTES);
    uint64_t checksum = 0;

    /* The order scratch array (4 bytes per node) borrows copy buffer a,
     * which is rewritten afterwards. */
    _Static_assert(CHASE_BYTES / sizeof(node_t) * 4 <= COPY_BYTES, "order array does not fit in a");
    build_cycle(nodes, (uint32_t *)a, nnodes, 0xc0ffee);

    if (!is_one_cycle(nodes, nnodes))
        bench_fail(NAME, "the chase table is not one cycle through every node");
    uint64_t chase_sum = 0;
    node_t *p = chase(nodes, (uint64_t)CHASE_LAPS * nnodes, &chase_sum);
    if (p != nodes)
        bench_fail(NAME, "the chase did not end where it started");
    bench_report(NAME, "chase", chase_sum);
    checksum = mix64(checksum, chase_sum);

    uint64_t copy_sum = 0;
    for (unsigned round = 0; round < COPY_ROUNDS; round++) {
        set_words(b, nwords, 0x0101010101010101ull * (round + 1));
        fill_pattern(a, nwords, round);
        copy_words(b, a, nwords);
        if (b[0] != a[0] || b[nwords / 3] != a[nwords / 3] || b[nwords - 1] != a[nwords - 1])
            bench_fail(NAME, "copy_words lost data");
        copy_sum = mix64(copy_sum, sum_words(b, nwords));
        set_words(a, nwords, ~(uint64_t)round);
        copy_sum = mix64(copy_sum, sum_words(a, nwords));
    }
    bench_report(NAME, "copy", copy_sum);
    checksum = mix64(checksum, copy_sum);

    fill_pattern(a, BYTE_COPY / 8, 42);
    copy_bytes((uint8_t *)b + 1, (const uint8_t *)a, BYTE_COPY - 1);
    uint64_t byte_sum = sum_words(b, BYTE_COPY / 8);
    bench_report(NAME, "bytes", byte_sum);
    checksum = mix64(checksum, byte_sum);

    bench_checksum(NAME, checksum);
    return rt_failures ? 1 : 0;
}
