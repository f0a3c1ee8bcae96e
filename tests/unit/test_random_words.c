/* A guest executing a million random words: every word either executes or
 * takes the exception the architecture prescribes, and Nestor neither crashes
 * nor hangs. Words our table leaves unallocated must be UNDEFINED (EC 0,
 * ELR = the word, vector = current EL with SP_ELx). */
#include <check.h>
#include <stdlib.h>

#include "decoder/a64.h"
#include "harness.h"
#include "sysregs/sysregs.h"
#include "unit_main.h"

#define WORDS 1000000u
#define CODE (HARNESS_RAM_BASE + 0x400000)
#define VBAR (HARNESS_RAM_BASE + 0x200000)
#define SCRATCH (HARNESS_RAM_BASE + 0x100000)
#define BATCH 4096u /* words per code area fill; blocks are dropped between fills */

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

START_TEST(random_words_take_architected_exceptions)
{
    Harness h;
    harness_init(&h, "max", 2);
    unsigned undefined = 0, exceptions = 0;
    static uint32_t words[BATCH];
    for (unsigned base = 0; base < WORDS; base += BATCH) {
        for (unsigned i = 0; i < BATCH; i++)
            words[i] = rnd();
        harness_code(&h, CODE, words, BATCH);
        tb_cache_flush(&h.engine.tbs); /* the code area was rewritten behind the CPU's back */
        for (unsigned i = 0; i < BATCH; i++) {
            CPUState *cpu = &h.cpu;
            /* A fresh, sane EL2 context for each word: registers point into RAM
             * so that most memory forms touch memory rather than fault. */
            for (unsigned r = 0; r < 31; r++)
                cpu->x[r] = SCRATCH + 64 * r;
            cpu_set_pstate(cpu, PSTATE_DAIF | PSTATE_SP | 2u << PSTATE_EL_SHIFT);
            cpu->sp = SCRATCH + 0x8000;
            cpu->sr[SR_VBAR_EL2] = VBAR;
            cpu->sr[SR_HCR_EL2] = HCR_RW;
            cpu->sr[SR_SCTLR_EL2] = sysreg_by_id(SR_SCTLR_EL2)->reset;
            cpu->sr[SR_ESR_EL2] = 0xdead;
            uint64_t pc = CODE + 4ull * i;
            cpu->pc = pc;
            CPUExit why = harness_run(&h, 1);
            if (why != CPU_EXIT_BUDGET)
                continue; /* a PSCI call made by a random SMC/HVC */
            A64Insn insn;
            bool allocated = a64_decode(words[i], &insn) != NULL;
            if (cpu->sr[SR_ESR_EL2] != 0xdead && cpu->pc - VBAR < 0x800)
                exceptions++;
            if (!allocated) {
                undefined++;
                ck_assert_msg(cpu->pc == VBAR + 0x200 && cpu->sr[SR_ESR_EL2] >> 26 == 0 && cpu->sr[SR_ELR_EL2] == pc,
                              "%08x is unallocated but did not UNDEF (pc %llx esr %llx)", words[i],
                              (unsigned long long)cpu->pc, (unsigned long long)cpu->sr[SR_ESR_EL2]);
            }
        }
    }
    fprintf(stderr, "%u random words: %u unallocated, %u took exceptions\n", WORDS, undefined, exceptions);
    ck_assert_uint_gt(undefined, WORDS / 10);
    harness_destroy(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("random_words");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, random_words_take_architected_exceptions);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
