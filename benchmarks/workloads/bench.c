#include "bench.h"

extern char __bss_end[];

static uintptr_t heap_next;

void *bench_alloc(size_t size)
{
    if (!heap_next)
        heap_next = ((uintptr_t)__bss_end + MiB - 1) & ~(MiB - 1);
    uintptr_t p = heap_next;
    size = (size + 4 * KiB - 1) & ~(4 * KiB - 1);
    if (size > BENCH_RAM_BASE + BENCH_RAM_SIZE - p) {
        printf("FAIL bench_alloc: %lu bytes do not fit below 0x%lx (run with -m 512M)\n",
               (unsigned long)size, BENCH_RAM_BASE + BENCH_RAM_SIZE);
        system_off();
    }
    heap_next = p + size;
    return (void *)p;
}

void bench_report(const char *workload, const char *part, uint64_t value)
{
    printf("%s %s 0x%016lx\n", workload, part, value);
}

void bench_checksum(const char *workload, uint64_t value)
{
    printf("checksum %s 0x%016lx\n", workload, value);
}

void bench_fail(const char *workload, const char *what)
{
    printf("FAIL %s: %s\n", workload, what);
    rt_failures++;
}
