/*
 * main() for the random programs: runs the generated code, which reports
 * its registers after every block, then the scratch buffer checksum.
 */
#include "runtime.h"

void run_random_program(void);
void rand_report(const uint64_t *regs);
/* The floating-point programs' part of the report (fp_harness.c), linked
 * only into them. */
void rand_report_fp(void) __attribute__((weak));

/* Defined by the generated program. */
extern const uint64_t rand_scratch[], rand_scratch_end[];

#define DUMPED_REGS 28 /* x0..x27; x28-x30 belong to the harness */
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

void rand_report(const uint64_t *regs)
{
    printf("block %lu nzcv=%lx mem=%016lx\n", regs[29], regs[REG_NZCV] >> 28,
           scratch_checksum());
    for (int i = 0; i < DUMPED_REGS; i++)
        printf("x%02d=%016lx%c", i, regs[i], i % 4 == 3 ? '\n' : ' ');
    if (rand_report_fp)
        rand_report_fp();
}

int main(void)
{
    run_random_program();
    printf("checksum=%016lx\n", scratch_checksum());
    return 0;
}
