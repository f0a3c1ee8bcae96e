/*
 * The floating-point random programs' part of the report (see harness.c and
 * fp_harness.S): FPSR, FPCR and V0-V31 as rand_fp_dump saved them. Integer
 * code only: it leaves every SIMD&FP register and FPCR/FPSR alone.
 */
#include "runtime.h"

void rand_report_fp(void);

extern const uint64_t rand_fp_state[66];

void rand_report_fp(void)
{
    const uint64_t *v = rand_fp_state;
    printf("fpsr=%08lx fpcr=%08lx\n", v[64], v[65]);
    for (int i = 0; i < 32; i++)
        printf("v%02d=%016lx%016lx%c", i, v[2 * i + 1], v[2 * i], i % 2 == 1 ? '\n' : ' ');
}
