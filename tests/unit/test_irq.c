/* Asynchronous exceptions (cpu/irq.c) and generic-timer arithmetic
 * (cpu/timer.c) on a bare CPU: the line API, routing and masking, virtual
 * interrupts, WFI halting with time skipped to the timer deadline. */
#include <check.h>
#include <stdlib.h>

#include "harness.h"
#include "unit_main.h"

#define BASE HARNESS_RAM_BASE
#define VBAR2 (BASE + 0x10000)
#define VBAR1 (BASE + 0x20000)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_VI (1ull << 7)
#define HCR_VSE (1ull << 8)
#define B_SELF 0x14000000u
#define NOP 0xd503201fu
#define WFI 0xd503207fu

static Harness h;

static void put(uint64_t addr, uint32_t insn) { harness_code(&h, addr, &insn, 1); }

/* A CPU at el running NOPs at BASE (then a branch to self). */
static void setup(unsigned el)
{
    harness_init(&h, "cortex-a72", el);
    h.cpu.sr[SR_VBAR_EL2] = VBAR2;
    h.cpu.sr[SR_VBAR_EL1] = VBAR1;
    for (unsigned i = 0; i < 8; i++)
        put(BASE + 4 * i, NOP);
    put(BASE + 32, B_SELF);
    put(VBAR1 + 0x280, B_SELF);
    put(VBAR2 + 0x280, B_SELF);
    put(VBAR2 + 0x480, B_SELF);
}

static void teardown(void) { harness_destroy(&h); }

START_TEST(masked_irq_waits_for_pstate_i)
{
    setup(1);
    cpu_set_irq_line(&h.cpu, CPU_LINE_IRQ, true);
    harness_run(&h, 20);
    ck_assert_uint_eq(h.cpu.pc, BASE + 32); /* masked since reset */
    ck_assert_uint_eq(cpu_isr(&h.cpu), 0x80);
    h.cpu.pstate &= ~PSTATE_I;
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.pc, VBAR1 + 0x280);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL1], BASE + 32); /* the next instruction not executed */
    ck_assert_uint_eq(h.cpu.sr[SR_SPSR_EL1] & 0x3cf, 0x345); /* EL1h, D A F set, I clear */
    ck_assert(h.cpu.pstate & PSTATE_I);
    cpu_set_irq_line(&h.cpu, CPU_LINE_IRQ, false);
    ck_assert_uint_eq(cpu_isr(&h.cpu), 0);
}
END_TEST

START_TEST(imo_routes_to_el2)
{
    setup(2);
    h.cpu.pstate &= ~PSTATE_DAIF;
    cpu_set_irq_line(&h.cpu, CPU_LINE_IRQ, true);
    ck_assert(!cpu_take_pending_interrupt(&h.cpu)); /* routed to EL1: not taken at EL2 */
    h.cpu.sr[SR_HCR_EL2] |= HCR_IMO;
    ck_assert(cpu_take_pending_interrupt(&h.cpu));
    ck_assert_uint_eq(h.cpu.pc, VBAR2 + 0x280);
    ck_assert_uint_eq(cpu_el(&h.cpu), 2);
}
END_TEST

START_TEST(routed_to_el2_ignores_el1_mask)
{
    setup(2);
    h.cpu.sr[SR_HCR_EL2] |= HCR_IMO | HCR_RW;
    cpu_set_pstate(&h.cpu, PSTATE_DAIF | PSTATE_SP | 1u << PSTATE_EL_SHIFT); /* EL1h, all masked */
    h.cpu.pc = BASE;
    cpu_set_irq_line(&h.cpu, CPU_LINE_IRQ, true);
    ck_assert(cpu_take_pending_interrupt(&h.cpu));
    ck_assert_uint_eq(h.cpu.pc, VBAR2 + 0x480);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE);
}
END_TEST

START_TEST(host_el0_masks_like_el2)
{
    setup(2);
    h.cpu.sr[SR_ID_AA64MMFR1_EL1] |= 1u << 8; /* FEAT_VHE */
    features_compute(&h.cpu.features, h.cpu.sr);
    h.cpu.sr[SR_HCR_EL2] |= HCR_TGE | HCR_E2H | HCR_RW;
    cpu_set_pstate(&h.cpu, PSTATE_I); /* EL0, I masked */
    cpu_set_irq_line(&h.cpu, CPU_LINE_IRQ, true);
    ck_assert(!cpu_take_pending_interrupt(&h.cpu));
    h.cpu.sr[SR_HCR_EL2] &= ~HCR_E2H; /* TGE alone: routed above EL0, not maskable there */
    features_compute(&h.cpu.features, h.cpu.sr);
    ck_assert(cpu_take_pending_interrupt(&h.cpu));
    ck_assert_uint_eq(cpu_el(&h.cpu), 2);
}
END_TEST

START_TEST(virtual_irq_and_serror)
{
    setup(2);
    h.cpu.sr[SR_HCR_EL2] |= HCR_VI | HCR_RW;
    cpu_set_pstate(&h.cpu, PSTATE_SP | 1u << PSTATE_EL_SHIFT); /* EL1h, unmasked */
    ck_assert(!cpu_take_pending_interrupt(&h.cpu)); /* VI without IMO: nothing */
    ck_assert_uint_eq(cpu_isr(&h.cpu), 0);
    h.cpu.sr[SR_HCR_EL2] |= HCR_IMO;
    ck_assert_uint_eq(cpu_isr(&h.cpu), 0x80);
    ck_assert(cpu_wakeup_pending(&h.cpu));
    h.cpu.sr[SR_HCR_EL2] |= HCR_TGE; /* TGE: no virtual interrupt */
    ck_assert(!cpu_wakeup_pending(&h.cpu));
    h.cpu.sr[SR_HCR_EL2] &= ~HCR_TGE;
    ck_assert(cpu_take_pending_interrupt(&h.cpu));
    ck_assert_uint_eq(h.cpu.pc, VBAR1 + 0x280);
    /* a virtual SError: ESR EC 0x2F, and taking it clears HCR_EL2.VSE */
    h.cpu.sr[SR_HCR_EL2] = HCR_RW | HCR_AMO | HCR_VSE;
    cpu_set_pstate(&h.cpu, PSTATE_SP | 1u << PSTATE_EL_SHIFT);
    ck_assert(cpu_take_pending_interrupt(&h.cpu));
    ck_assert_uint_eq(h.cpu.pc, VBAR1 + 0x380);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL1] >> 26, EC_SERROR);
    ck_assert(!(h.cpu.sr[SR_HCR_EL2] & HCR_VSE));
}
END_TEST

static bool levels[TIMER_COUNT];
static unsigned changes;
static void record(void *opaque, unsigned cpu, CPUTimerId t, bool level)
{
    (void)opaque, (void)cpu;
    levels[t] = level;
    changes++;
}

START_TEST(timer_deadline_and_output)
{
    setup(2);
    h.cpu.timer_output = record;
    h.cpu.icount = 160; /* counter 10 */
    h.cpu.timer[TIMER_PHYS] = (CPUTimer){.ctl = 1, .cval = 25};
    cpu_timer_update(&h.cpu);
    ck_assert_uint_eq(h.cpu.timer_deadline, 25 * 16);
    ck_assert(!levels[TIMER_PHYS]);
    h.cpu.icount = 25 * 16;
    cpu_timer_update(&h.cpu);
    ck_assert(levels[TIMER_PHYS]);
    ck_assert_uint_eq(h.cpu.timer_deadline, ~0ull);
    h.cpu.timer[TIMER_PHYS].ctl = 3; /* IMASK drops the output */
    cpu_timer_update(&h.cpu);
    ck_assert(!levels[TIMER_PHYS]);
    /* the virtual timer counts from CNTVOFF_EL2 */
    h.cpu.sr[SR_CNTVOFF_EL2] = 20;
    h.cpu.timer[TIMER_VIRT] = (CPUTimer){.ctl = 1, .cval = 30};
    cpu_timer_update(&h.cpu);
    ck_assert_uint_eq(h.cpu.timer_deadline, 50 * 16);
    ck_assert(!levels[TIMER_VIRT]);
    /* a comparison that only a wrapped count meets: no deadline */
    h.cpu.sr[SR_CNTVOFF_EL2] = ~0ull - 3;
    h.cpu.timer[TIMER_VIRT].cval = 10;
    cpu_timer_update(&h.cpu);
    ck_assert_uint_eq(h.cpu.timer_deadline, ~0ull);
    ck_assert(levels[TIMER_VIRT]); /* 25 - (2^64 - 4) wraps to 29 >= 10 */
}
END_TEST

static void timer_to_irq(void *opaque, unsigned cpu, CPUTimerId t, bool level)
{
    (void)cpu, (void)t;
    cpu_set_irq_line(opaque, CPU_LINE_IRQ, level);
}

START_TEST(wfi_sleeps_until_the_timer)
{
    setup(1);
    h.cpu.timer_output = timer_to_irq;
    h.cpu.timer_opaque = &h.cpu;
    put(BASE, WFI);
    h.cpu.timer[TIMER_PHYS] = (CPUTimer){.ctl = 1, .cval = 1000};
    cpu_timer_update(&h.cpu);
    harness_run(&h, 100000);
    /* I is masked: WFI woke at the deadline and execution went on */
    ck_assert_uint_eq(h.cpu.pc, BASE + 32);
    ck_assert_uint_eq(h.cpu.idle, 1000 * 16 - 1);
    ck_assert(h.cpu.irq_lines & 1u << CPU_LINE_IRQ);
    /* without a deadline, WFI sleeps to the end of the budget */
    harness_destroy(&h);
    setup(1);
    put(BASE, WFI);
    harness_run(&h, 5000);
    ck_assert(h.cpu.halted);
    ck_assert_uint_eq(h.cpu.pc, BASE + 4);
    ck_assert_uint_eq(h.cpu.icount, 5000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("irq");
    TCase *tc = tcase_create("irq");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, masked_irq_waits_for_pstate_i);
    tcase_add_test(tc, imo_routes_to_el2);
    tcase_add_test(tc, routed_to_el2_ignores_el1_mask);
    tcase_add_test(tc, host_el0_masks_like_el2);
    tcase_add_test(tc, virtual_irq_and_serror);
    tcase_add_test(tc, timer_deadline_and_output);
    tcase_add_test(tc, wfi_sleeps_until_the_timer);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
