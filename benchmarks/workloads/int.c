/*
 * Integer work: hashing a generated buffer (FNV-1a, a four-lane
 * multiply-rotate hash in the style of xxHash, CRC-32 by table and by the
 * CRC32X instruction) and sorting 32-bit keys from an LCG with quicksort and
 * heap sort.  Exercises ALU, multiplies, shifts, byte/word loads and
 * compare-and-branch loops; the sorts add data-dependent branches.
 */
#include "bench.h"

#define NAME "int"
#define HASH_BYTES  BENCH_SIZE(4 * MiB, 16 * KiB)
#define HASH_ROUNDS BENCH_SIZE(24, 2)
#define SORT_KEYS   BENCH_SIZE(1u << 20, 8192u)

static void fill_buffer(uint64_t *words, size_t nwords, uint64_t seed)
{
    struct lcg g = {seed};
    for (size_t i = 0; i < nwords; i++) {
        uint64_t hi = lcg_next(&g);
        words[i] = hi << 32 | lcg_next(&g);
    }
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define P1 0x9e3779b185ebca87ull
#define P2 0xc2b2ae3d27d4eb4full
#define P3 0x165667b19e3779f9ull

static inline uint64_t lane_round(uint64_t acc, uint64_t w)
{
    return rotl64(acc + w * P2, 31) * P1;
}

/* Four independent lanes over 32-byte stripes, then an avalanche.  nwords
 * is a multiple of 4 (the buffer size is a power of two). */
static uint64_t lanes_hash(const uint64_t *w, size_t nwords, uint64_t seed)
{
    uint64_t a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
    for (size_t i = 0; i < nwords; i += 4) {
        a = lane_round(a, w[i]);
        b = lane_round(b, w[i + 1]);
        c = lane_round(c, w[i + 2]);
        d = lane_round(d, w[i + 3]);
    }
    uint64_t h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(d, 18);
    h += nwords * 8;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_table(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

/* Same polynomial (CRC-32, not CRC-32C) with the FEAT_CRC32 instruction. */
static uint32_t crc32_insn(const uint64_t *w, size_t nwords)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < nwords; i++)
        asm("crc32x %w0, %w0, %x1" : "+r"(c) : "r"(w[i]));
    return ~c;
}

static void fill_keys(uint32_t *keys, size_t n, uint64_t seed)
{
    struct lcg g = {seed};
    for (size_t i = 0; i < n; i++)
        keys[i] = lcg_next(&g);
}

static void insertion_sort(uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static inline void swap32(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

/* Hoare partition around a median of three; recurses into the smaller side
 * so the depth stays below log2(n) (the stack is 64 KiB). */
static void quicksort(uint32_t *a, size_t n)
{
    while (n > 16) {
        size_t mid = n / 2;
        if (a[mid] < a[0])
            swap32(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap32(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap32(&a[n - 1], &a[mid]);
        uint32_t pivot = a[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap32(&a[i], &a[j]);
            i++;
            j--;
        }
        size_t left = j + 1;
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

static void sift_down(uint32_t *a, size_t root, size_t n)
{
    uint32_t v = a[root];
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            break;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[child] <= v)
            break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(uint32_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        swap32(&a[0], &a[end]);
        sift_down(a, 0, end);
    }
}

int main(void)
{
    uint64_t checksum = 0;

    _Static_assert(HASH_BYTES % 32 == 0, "lanes_hash takes whole 32-byte stripes");
    uint64_t *buf = bench_alloc(HASH_BYTES);
    const size_t nwords = HASH_BYTES / 8;
    crc32_init();
    uint64_t fnv = 0, lanes = 0, crc = 0;
    for (unsigned round = 0; round < HASH_ROUNDS; round++) {
        fill_buffer(buf, nwords, 0x5eed0000u + round);
        fnv = mix64(fnv, fnv1a64((const uint8_t *)buf, HASH_BYTES));
        lanes = mix64(lanes, lanes_hash(buf, nwords, round));
        uint32_t by_table = crc32_table((const uint8_t *)buf, HASH_BYTES);
        uint32_t by_insn = crc32_insn(buf, nwords);
        if (by_table != by_insn)
            bench_fail(NAME, "CRC-32 by table and by CRC32X differ");
        crc = mix64(crc, by_table);
    }
    bench_report(NAME, "fnv1a", fnv);
    bench_report(NAME, "lanes", lanes);
    bench_report(NAME, "crc32", crc);
    checksum = mix64(mix64(mix64(checksum, fnv), lanes), crc);

    uint32_t *keys = bench_alloc(SORT_KEYS * sizeof *keys);
    uint32_t *copy = bench_alloc(SORT_KEYS * sizeof *copy);
    fill_keys(keys, SORT_KEYS, 0xdecafbad);
    for (size_t i = 0; i < SORT_KEYS; i++)
        copy[i] = keys[i];
    quicksort(keys, SORT_KEYS);
    heapsort(copy, SORT_KEYS);
    uint64_t sorted = 0;
    for (size_t i = 0; i < SORT_KEYS; i++) {
        if (i > 0 && keys[i - 1] > keys[i]) {
            bench_fail(NAME, "quicksort output is not sorted");
            break;
        }
        if (keys[i] != copy[i]) {
            bench_fail(NAME, "quicksort and heap sort disagree");
            break;
        }
        sorted = sorted * 31 + keys[i];
    }
    bench_report(NAME, "sorted", sorted);
    checksum = mix64(checksum, sorted);

    bench_checksum(NAME, checksum);
    return rt_failures ? 1 : 0;
}
