/*
 * Self-hosted debug exceptions (DDI 0487 D2), taken to EL1 (MDCR_EL2.TDE
 * and HCR_EL2.TGE clear): hardware breakpoints (DBGBCR/DBGBVR unlinked
 * address match, PMC selecting EL1/EL0, MDSCR_EL1.MDE/KDE, PSTATE.D, the OS
 * lock), watchpoints (DBGWCR/DBGWVR, load/store, byte address select, FAR)
 * and software step of EL0 code (MDSCR_EL1.SS, SPSR.SS, ISV of the first
 * step after ERET into the active-pending state). Prints syndromes and
 * offsets from the probed function; checks them against the Arm ARM.
 * The debug-rules build (Nestor alone) adds the OS lock, which QEMU 7.2
 * ignores.
 */
#include "testlib.h"

#define MDSCR_SS (1ul << 0)
#define MDSCR_KDE (1ul << 13)
#define MDSCR_MDE (1ul << 15)
#define BCR_E 1ul
#define BCR_PMC_EL1 (1ul << 1)
#define BCR_PMC_EL0 (2ul << 1)
#define BCR_BAS (0xful << 5)
#define SPSR_SS (1ul << 21)

/* Straight-line code to break and step in: returns arg + 3. */
uint64_t probe_fn(uint64_t arg);
asm(".pushsection .text.probe_fn, \"ax\"\n"
    ".balign 64\n"
    ".global probe_fn\n"
    "probe_fn:\n"
    "    add x0, x0, #1\n"
    "    nop\n"
    "    add x0, x0, #1\n"
    "    b 1f\n"
    "    brk #0\n"
    "1:  add x0, x0, #1\n"
    "    nop\n"
    "    nop\n"
    "    nop\n"
    "    ret\n"
    ".popsection\n");

/* A load-exclusive to step over: returns the doubleword at arg. */
uint64_t ldex_fn(uint64_t arg);
asm(".pushsection .text.ldex_fn, \"ax\"\n"
    ".balign 64\n"
    ".global ldex_fn\n"
    "ldex_fn:\n"
    "    ldaxr x1, [x0]\n"
    "    clrex\n"
    "    mov x0, x1\n"
    "    ret\n"
    ".popsection\n");

static uint64_t target_data[4] __attribute__((aligned(64)));

static volatile unsigned n_exc;
static volatile uint64_t exc_esr[16], exc_elr[16], exc_far[16];
static volatile bool bp_starts_step;  /* the breakpoint handler turns MDSCR_EL1.SS on */
static volatile unsigned step_budget;  /* steps to take before clearing MDSCR_EL1.SS */

static void set_mdscr(uint64_t v)
{
    write_sysreg(mdscr_el1, v);
    isb();
}

static bool handler(struct exc_frame *f)
{
    unsigned ec = ESR_EC(f->esr);
    if (ec < 0x30 || ec > 0x35)
        return false;
    unsigned i = n_exc++;
    if (i < 16) {
        exc_esr[i] = f->esr;
        exc_elr[i] = f->elr;
        exc_far[i] = f->far;
    }
    switch (ec) {
    case 0x30: case 0x31: /* breakpoint: disarm it, run the instruction */
        write_sysreg(dbgbcr0_el1, 0);
        /* Stepping from here: SPSR.SS is 0, so the return enters the
         * active-pending state and the step exception comes first. */
        if (bp_starts_step)
            write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) | MDSCR_SS);
        break;
    case 0x34: case 0x35: /* watchpoint: disarm it, run the access */
        write_sysreg(dbgwcr0_el1, 0);
        break;
    default: /* software step: step again, or stop stepping */
        if (step_budget && --step_budget)
            f->spsr |= SPSR_SS;
        else
            write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) & ~MDSCR_SS);
        break;
    }
    return true;
}

static uint64_t off(uint64_t addr) { return addr - (uint64_t)probe_fn; }

static void report(const char *what, uint64_t result, unsigned want_n, unsigned want_ec, uint64_t want_off)
{
    printf("%-36s result %lu, exceptions %u", what, result, n_exc);
    if (n_exc)
        printf(": EC %02lx ISS %07lx at +%lu", ESR_EC(exc_esr[0]), ESR_ISS(exc_esr[0]), off(exc_elr[0]));
    printf("\n");
    CHECK_EQ(what, n_exc, want_n);
    CHECK_EQ("result", result, 45);
    if (want_n) {
        CHECK_EQ("EC", ESR_EC(exc_esr[0]), want_ec);
        CHECK_EQ("IFSC", exc_esr[0] & 0x3f, 0x22);
        CHECK_EQ("IL", exc_esr[0] & ESR_IL, ESR_IL);
        CHECK_EQ("ELR", off(exc_elr[0]), want_off);
    }
}

static void breakpoint_at(uint64_t offset, uint64_t pmc)
{
    write_sysreg(dbgbvr0_el1, (uint64_t)probe_fn + offset);
    write_sysreg(dbgbcr0_el1, BCR_E | BCR_BAS | pmc);
    isb();
}

static void unmask_debug(void) { asm volatile("msr daifclr, #8\n\tisb" ::: "memory"); }
static void mask_debug(void) { asm volatile("msr daifset, #8\n\tisb" ::: "memory"); }

static void breakpoint_tests(void)
{
    uint64_t r;
    printf("breakpoints\n");
    set_mdscr(MDSCR_MDE | MDSCR_KDE);
    n_exc = 0;
    breakpoint_at(8, BCR_PMC_EL1 | BCR_PMC_EL0);
    unmask_debug();
    r = probe_fn(42);
    mask_debug();
    report("EL1, KDE=1, D=0", r, 1, 0x31, 8);

    n_exc = 0;
    breakpoint_at(8, BCR_PMC_EL1);
    r = probe_fn(42);
    report("EL1, PSTATE.D=1", r, 0, 0, 0);

    n_exc = 0;
    set_mdscr(MDSCR_MDE);
    unmask_debug();
    r = probe_fn(42);
    mask_debug();
    report("EL1, KDE=0", r, 0, 0, 0);

    n_exc = 0;
    breakpoint_at(20, BCR_PMC_EL0);
    r = run_at_el0(probe_fn, 42);
    report("EL0, PMC=EL0", r, 1, 0x30, 20);

    n_exc = 0;
    breakpoint_at(20, BCR_PMC_EL1);
    r = run_at_el0(probe_fn, 42);
    report("EL0, PMC=EL1 only", r, 0, 0, 0);

    n_exc = 0;
    set_mdscr(0);
    breakpoint_at(20, BCR_PMC_EL0);
    r = run_at_el0(probe_fn, 42);
    report("EL0, MDE=0", r, 0, 0, 0);

#ifdef BEYOND_QEMU
    /* The OS lock disables debug exceptions (AArch64.GenerateDebugExceptions);
     * QEMU 7.2 still takes the breakpoint. */
    n_exc = 0;
    set_mdscr(MDSCR_MDE);
    write_sysreg(oslar_el1, 1);
    isb();
    r = run_at_el0(probe_fn, 42);
    write_sysreg(oslar_el1, 0);
    isb();
    report("EL0, OS lock set", r, 0, 0, 0);
#endif
    write_sysreg(dbgbcr0_el1, 0);
    set_mdscr(0);
}

/* A debugger's way in: a breakpoint at EL0 whose handler turns stepping on
 * (MDSCR_EL1.SS, KDE not needed: EL1 is above EL0). */
static void step_tests(void)
{
    printf("software step of EL0 code\n");
    n_exc = 0;
    step_budget = 6;
    bp_starts_step = true;
    set_mdscr(MDSCR_MDE);
    breakpoint_at(0, BCR_PMC_EL0);
    uint64_t r = run_at_el0(probe_fn, 42);
    bp_starts_step = false;
    set_mdscr(0);
    printf("  result %lu, exceptions %u\n", r, n_exc);
    CHECK_EQ("step result", r, 45);
    CHECK_EQ("breakpoint + step exceptions", n_exc, 7);
    /* The breakpoint at +0; the return with SPSR.SS = 0 enters the
     * active-pending state: a step exception at +0 with ISV = 0; then one
     * after each stepped instruction (ISV = 1, EX = 0): +4, +8, +12, the B
     * to +20, +24. */
    static const uint64_t want[] = {0, 0, 4, 8, 12, 20, 24};
    for (unsigned i = 0; i < n_exc && i < 7; i++) {
        printf("  exception %u: EC %02lx ISS %07lx at +%lu\n", i, ESR_EC(exc_esr[i]), ESR_ISS(exc_esr[i]),
               off(exc_elr[i]));
        CHECK_EQ("ELR", off(exc_elr[i]), want[i]);
        CHECK_EQ("EC", ESR_EC(exc_esr[i]), i == 0 ? 0x30 : 0x32);
        CHECK_EQ("ISS", ESR_ISS(exc_esr[i]), i <= 1 ? 0x22 : 1u << 24 | 0x22);
    }
}

/* Stepping a load-exclusive: ESR.EX (ISS bit 6) is 1 after it, 0 after
 * the CLREX and MOV that follow (DDI 0487 D2.12.7). */
static void step_ldex_tests(void)
{
    printf("software step of an EL0 load-exclusive\n");
    target_data[0] = 99;
    n_exc = 0;
    step_budget = 4;
    bp_starts_step = true;
    set_mdscr(MDSCR_MDE);
    write_sysreg(dbgbvr0_el1, (uint64_t)ldex_fn);
    write_sysreg(dbgbcr0_el1, BCR_E | BCR_BAS | BCR_PMC_EL0);
    isb();
    uint64_t r = run_at_el0(ldex_fn, (uint64_t)target_data);
    bp_starts_step = false;
    set_mdscr(0);
    printf("  result %lu, exceptions %u\n", r, n_exc);
    CHECK_EQ("ldex result", r, 99);
    CHECK_EQ("breakpoint + step exceptions", n_exc, 5);
    static const uint64_t want[] = {0, 0, 4, 8, 12};
    for (unsigned i = 0; i < n_exc && i < 5; i++) {
        uint64_t elr = exc_elr[i] - (uint64_t)ldex_fn;
        printf("  exception %u: EC %02lx ISS %07lx at +%lu\n", i, ESR_EC(exc_esr[i]), ESR_ISS(exc_esr[i]), elr);
        CHECK_EQ("ELR", elr, want[i]);
        CHECK_EQ("EC", ESR_EC(exc_esr[i]), i == 0 ? 0x30 : 0x32);
        CHECK_EQ("ISS", ESR_ISS(exc_esr[i]), i <= 1 ? 0x22 : i == 2 ? 1u << 24 | 1u << 6 | 0x22 : 1u << 24 | 0x22);
    }
}

static uint64_t el0_load(uint64_t addr) { return *(volatile uint64_t *)addr; }
static uint64_t el0_store(uint64_t addr)
{
    *(volatile uint32_t *)addr = 7;
    return 0;
}

/* DBGWCR: E, PAC (EL1 0b01, EL0 0b10), LSC (load 0b01, store 0b10), BAS. */
static void watchpoint_at(uint64_t addr, unsigned bas, unsigned lsc, unsigned pac)
{
    write_sysreg(dbgwvr0_el1, addr & ~7ul);
    write_sysreg(dbgwcr0_el1, 1ul | (uint64_t)pac << 1 | (uint64_t)lsc << 3 | (uint64_t)bas << 5);
    isb();
}

static void wreport(const char *what, unsigned want_n, unsigned want_ec, bool wnr, uint64_t far)
{
    printf("%-36s exceptions %u", what, n_exc);
    if (n_exc)
        printf(": EC %02lx ISS %07lx FAR data+%lu", ESR_EC(exc_esr[0]), ESR_ISS(exc_esr[0]),
               exc_far[0] - (uint64_t)target_data);
    printf("\n");
    CHECK_EQ(what, n_exc, want_n);
    if (want_n) {
        CHECK_EQ("watchpoint EC", ESR_EC(exc_esr[0]), want_ec);
        CHECK_EQ("watchpoint DFSC", exc_esr[0] & 0x3f, 0x22);
        CHECK_EQ("watchpoint WnR", exc_esr[0] >> 6 & 1, wnr);
        CHECK_EQ("watchpoint FAR", exc_far[0], far);
    }
}

static void watchpoint_tests(void)
{
    uint64_t base = (uint64_t)target_data;
    printf("watchpoints\n");
    set_mdscr(MDSCR_MDE | MDSCR_KDE);
    n_exc = 0;
    watchpoint_at(base + 8, 0xff, 1, 3);
    unmask_debug();
    (void)*(volatile uint64_t *)(base + 8);
    mask_debug();
    wreport("EL1 load, LSC=load", 1, 0x35, false, base + 8);

    n_exc = 0;
    watchpoint_at(base + 8, 0xff, 1, 3);
    unmask_debug();
    *(volatile uint64_t *)(base + 8) = 1;
    mask_debug();
    wreport("EL1 store, LSC=load", 0, 0, false, 0);
    write_sysreg(dbgwcr0_el1, 0);

    n_exc = 0;
    watchpoint_at(base + 16, 0xf0, 2, 2); /* bytes 4..7 of the doubleword */
    run_at_el0(el0_store, base + 16);
    wreport("EL0 store bytes 0-3, BAS=0xf0", 0, 0, false, 0);
    n_exc = 0;
    run_at_el0(el0_store, base + 20);
    wreport("EL0 store bytes 4-7, BAS=0xf0", 1, 0x34, true, base + 20);

    n_exc = 0;
    watchpoint_at(base + 24, 0xff, 3, 1); /* EL1 only */
    run_at_el0(el0_load, base + 24);
    wreport("EL0 load, PAC=EL1", 0, 0, false, 0);
    write_sysreg(dbgwcr0_el1, 0);
    set_mdscr(0);
}

static uint64_t el1_tests(uint64_t unused)
{
    (void)unused;
    set_exception_handler(handler);
    write_sysreg(oslar_el1, 0); /* the OS lock is set at reset */
    isb();
    breakpoint_tests();
    step_tests();
    step_ldex_tests();
    watchpoint_tests();
    return 0;
}

int main(void)
{
    if (rt_start_el == 2)
        run_at_el1(el1_tests, 0);
    else
        el1_tests(0);
    return 0;
}
