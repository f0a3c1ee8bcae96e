/* Runs a Check suite and turns the result into the exit status ctest reads. */
#ifndef NESTOR_TESTS_UNIT_MAIN_H
#define NESTOR_TESTS_UNIT_MAIN_H

#include <check.h>
#include <stdlib.h>

/* fork: run each test in its own process (Check's default); without, a test
 * can share state set up in main. */
static inline int unit_run_suite(Suite *s, bool fork)
{
    SRunner *sr = srunner_create(s);
    if (!fork)
        srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
