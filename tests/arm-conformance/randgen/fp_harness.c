/*
 * Report of the floating-point random programs: one line of state and the
 * registers the generated code computes into (see fpgen.py).
 */
#include "runtime.h"

void rand_fp_report(const uint64_t *regs, const uint64_t *v);

extern const uint64_t rand_scratch[], rand_scratch_end[];

#define DUMPED_X 18 /* x0..x17: conversion results and the writeback base */
#define REG_NZCV 31

static uint64_t scratch_checksum(void)
{
    uint64_t h = 0x6a09e667f3bcc909ul;

    for (const volatile uint64_t *p = rand_scratch; p < rand_scratch_end; p++) {
        h ^= *p;
        h = (h << 27 | h >> 37) * 0x9e3779b97f4a7c15ul;
    }
    return h;
}

void rand_fp_report(const uint64_t *regs, const uint64_t *v)
{
    printf("block %lu nzcv=%lx fpsr=%08lx fpcr=%08lx mem=%016lx\n", regs[29], regs[REG_NZCV] >> 28, v[64],
           v[65], scratch_checksum());
    for (int i = 0; i < DUMPED_X; i++)
        printf("x%02d=%016lx%c", i, regs[i], i % 4 == 3 || i == DUMPED_X - 1 ? '\n' : ' ');
    for (int i = 0; i < 32; i++)
        printf("v%02d=%016lx%016lx%c", i, v[2 * i + 1], v[2 * i], i % 2 == 1 ? '\n' : ' ');
}
