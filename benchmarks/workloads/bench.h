/*
 * Shared pieces of the benchmark workloads: a bump allocator over the RAM
 * after the image, a deterministic random-number generator and the result
 * line the harness reads.  Each workload's sizes are compile-time constants;
 * -DSMOKE selects the tiny variant used by ctest.
 */
#ifndef NESTOR_BENCH_H
#define NESTOR_BENCH_H

#include "runtime.h"

#define KiB (1024ul)
#define MiB (1024ul * 1024ul)

#ifdef SMOKE
#define BENCH_SIZE(real, smoke) (smoke)
#else
#define BENCH_SIZE(real, smoke) (real)
#endif

/* The harness runs every workload with -m 512M; RAM starts at 0x40000000. */
#define BENCH_RAM_BASE 0x40000000ul
#define BENCH_RAM_SIZE (512ul * MiB)

/* Returns size bytes aligned to 4 KiB, uninitialised.  Never freed.  Prints
 * a FAIL line and powers off if the RAM is exhausted. */
void *bench_alloc(size_t size);

/* Knuth's MMIX LCG; the high half has the good bits. */
struct lcg {
    uint64_t state;
};
static inline uint32_t lcg_next(struct lcg *g)
{
    g->state = g->state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(g->state >> 32);
}
/* Uniform enough in [0, n) for the sizes used here (n < 2^32). */
static inline uint32_t lcg_below(struct lcg *g, uint32_t n)
{
    return (uint32_t)(((uint64_t)lcg_next(g) * n) >> 32);
}

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> ((64 - r) & 63));
}

/* Folds a value into a running checksum (order-sensitive). */
static inline uint64_t mix64(uint64_t acc, uint64_t v)
{
    acc ^= v + 0x9e3779b97f4a7c15ull + (acc << 6) + (acc >> 2);
    return acc;
}

/* Prints "<workload> <part> 0x<value>": one line per part of the work. */
void bench_report(const char *workload, const char *part, uint64_t value);
/* Prints the line the harness compares and extracts:
 *   "checksum <workload> 0x<16 hex digits>"
 * main() then returns 0 and the runtime prints "DONE". */
void bench_checksum(const char *workload, uint64_t value);
/* Prints "FAIL <workload>: <what>" and counts a failure (main returns 1). */
void bench_fail(const char *workload, const char *what);

#endif
