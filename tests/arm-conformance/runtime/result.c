/*
 * Test results and the end of a program: failures are printed as lines
 * starting with "FAIL", and every program ends with the line "DONE" (the
 * runner checks both) followed by SYSTEM_OFF.
 */
#include "runtime.h"

void rt_exit_main(int rc);

unsigned rt_failures;

bool check_eq(const char *what, uint64_t got, uint64_t want)
{
    if (got == want)
        return true;
    printf("FAIL %s: got 0x%lx want 0x%lx\n", what, got, want);
    rt_failures++;
    return false;
}

void exit_pass(void)
{
    puts("DONE\n");
    system_off();
}

/* start.S calls this with main()'s return value. */
void rt_exit_main(int rc)
{
    if (rc != 0)
        printf("FAIL main returned %d\n", rc);
    exit_pass();
}
