/* Branches, exception generation and return, and system-register access,
 * run on a bare CPU. */
#include <check.h>
#include <stdlib.h>

#include "decoder/a64.h"
#include "harness.h"
#include "unit_main.h"

#define BASE HARNESS_RAM_BASE
#define VBAR (BASE + 0x10000)

static Harness h;

static void setup_el(unsigned el)
{
    harness_init(&h, "cortex-a72", el);
    h.cpu.sr[SR_VBAR_EL2] = VBAR;
    h.cpu.sr[SR_VBAR_EL1] = VBAR + 0x1000;
}

static void put(uint64_t addr, uint32_t insn) { harness_code(&h, addr, &insn, 1); }

START_TEST(branches_and_links)
{
    setup_el(2);
    put(BASE, 0x14000002);     /* b .+8 */
    put(BASE + 8, 0x94000002); /* bl .+8 */
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.pc, BASE + 16);
    ck_assert_uint_eq(h.cpu.x[30], BASE + 12);
    harness_destroy(&h);
}
END_TEST

START_TEST(compare_and_test_branches)
{
    setup_el(2);
    put(BASE, 0xb4000063);     /* cbz x3, .+12 */
    put(BASE + 12, 0x37180044); /* tbnz w4, #3, .+8 */
    h.cpu.x[3] = 0;
    h.cpu.x[4] = 8;
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.pc, BASE + 20);
    harness_destroy(&h);
}
END_TEST

START_TEST(svc_at_el2_is_taken_to_el2_current_sp)
{
    setup_el(2);
    put(BASE, 0xd4000241); /* svc #0x12 */
    harness_run(&h, 1);
    ck_assert_uint_eq(h.cpu.pc, VBAR + 0x200);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 0x15u << 26 | 1u << 25 | 0x12);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 4);
    ck_assert_uint_eq(h.cpu.sr[SR_SPSR_EL2], 0x3c9); /* EL2h, DAIF masked */
}
END_TEST

START_TEST(hvc_from_el1_goes_to_el2_and_eret_returns)
{
    setup_el(2);
    /* Drop to EL1h via ERET, execute HVC there, come back. */
    h.cpu.sr[SR_SPSR_EL2] = 0x3c5;
    h.cpu.sr[SR_ELR_EL2] = BASE + 0x100;
    h.cpu.sr[SR_HCR_EL2] = HCR_RW; /* EL1 is AArch64 */
    put(BASE, 0xd69f03e0);          /* eret */
    put(BASE + 0x100, 0xd5384240);  /* mrs x0, CurrentEL */
    put(BASE + 0x104, 0xd4000682);  /* hvc #0x34 */
    harness_run(&h, 3);
    ck_assert_uint_eq(h.cpu.x[0], 1u << 2);
    ck_assert_uint_eq(h.cpu.pc, VBAR + 0x400); /* lower EL, AArch64 */
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 0x16u << 26 | 1u << 25 | 0x34);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 0x108);
    harness_destroy(&h);
}
END_TEST

START_TEST(el2_register_from_el1_is_undefined)
{
    setup_el(1);
    put(BASE, 0xd53c5202); /* mrs x2, esr_el2 */
    harness_run(&h, 1);
    ck_assert_uint_eq(h.cpu.pc, VBAR + 0x1000 + 0x200);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL1] >> 26, 0);
    harness_destroy(&h);
}
END_TEST

START_TEST(spsel_switches_stack_pointer)
{
    setup_el(2);
    h.cpu.sp = 0x1234;
    put(BASE, 0xd50040bf); /* msr spsel, #0 */
    harness_run(&h, 1);
    ck_assert_uint_eq(h.cpu.sp_el[2], 0x1234);
    ck_assert_uint_eq(h.cpu.pstate & PSTATE_SP, 0);
    harness_destroy(&h);
}
END_TEST

START_TEST(udf_and_brk_syndromes)
{
    setup_el(2);
    put(BASE, 0x00000001); /* udf #1 */
    harness_run(&h, 1);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 1u << 25);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE);
    h.cpu.pc = BASE + 4;
    put(BASE + 4, 0xd42000a0); /* brk #5 */
    harness_run(&h, 1);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 0x3cu << 26 | 1u << 25 | 5);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 4);
    harness_destroy(&h);
}
END_TEST

START_TEST(midr_at_el1_reads_vpidr)
{
    setup_el(2);
    h.cpu.sr[SR_VPIDR_EL2] = 0x12345678;
    h.cpu.sr[SR_SPSR_EL2] = 0x3c5;
    h.cpu.sr[SR_ELR_EL2] = BASE + 0x100;
    h.cpu.sr[SR_HCR_EL2] = HCR_RW;
    put(BASE, 0xd69f03e0);         /* eret */
    put(BASE + 0x100, 0xd5380001); /* mrs x1, midr_el1 */
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.x[1], 0x12345678);
    harness_destroy(&h);
}
END_TEST

START_TEST(psci_system_off_on_smc_conduit)
{
    setup_el(2);
    h.cpu.x[0] = 0x84000008;
    put(BASE, 0xd4000003); /* smc #0 */
    ck_assert_int_eq(harness_run(&h, 10), CPU_EXIT_POWEROFF);
    harness_destroy(&h);
}
END_TEST

START_TEST(decoder_table_is_consistent)
{
    ck_assert_uint_eq(a64_table_check(stderr), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("branch_sys");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, branches_and_links);
    tcase_add_test(tc, compare_and_test_branches);
    tcase_add_test(tc, svc_at_el2_is_taken_to_el2_current_sp);
    tcase_add_test(tc, hvc_from_el1_goes_to_el2_and_eret_returns);
    tcase_add_test(tc, el2_register_from_el1_is_undefined);
    tcase_add_test(tc, spsel_switches_stack_pointer);
    tcase_add_test(tc, udf_and_brk_syndromes);
    tcase_add_test(tc, midr_at_el1_reads_vpidr);
    tcase_add_test(tc, psci_system_off_on_smc_conduit);
    tcase_add_test(tc, decoder_table_is_consistent);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
