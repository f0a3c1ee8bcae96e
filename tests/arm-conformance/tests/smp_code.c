/*
 * Code shared by two CPUs (-smp 2), at the entry EL: each CPU runs a
 * function the other one rewrote (DC CVAU, DSB ISH, IC IVAU, DSB ISH on the
 * writer, ISB on the runner, DDI 0487 B2.4.4 "Concurrent modification and
 * execution of instructions"), and a hardware breakpoint armed on one CPU
 * fires on that CPU only, also after the other CPU ran the same code with
 * its own breakpoints enabled but none armed (the breakpoint registers are
 * per PE, D2.8). Emulators that translate code once for all CPUs must key
 * their translations by what each CPU checks.
 */
#include "testlib.h"

#define MDSCR_KDE (1ul << 13)
#define MDSCR_MDE (1ul << 15)
#define MDCR_EL2_TDE (1ul << 8)
#define BCR_E 1ul
#define BCR_PMC_EL1 (1ul << 1)
#define BCR_BAS (0xful << 5)
#define BCR_HMC (1ul << 13)
#define EC_BREAKPOINT_SAME_EL 0x31

#define NCPUS 2

void smp_secondary_entry(void);
void smp_secondary_main(uint64_t index);
__attribute__((aligned(16))) char smp_stacks[NCPUS][8192];

/* The shared function: MOVZ W0, #value; RET. A page of its own, so that
 * stores to the test's variables leave its translations alone. */
static uint32_t code[1024] __attribute__((aligned(4096)));
typedef uint64_t (*code_fn)(void);

static volatile unsigned phase;   /* the step the CPUs are at (one writer at a time) */
static volatile unsigned n_bp[NCPUS];
static volatile uint64_t bp_elr[NCPUS];

static unsigned cpu_index(void) { return (unsigned)(read_sysreg(MPIDR_EL1) & 0xff); }

static bool handler(struct exc_frame *f)
{
    if (ESR_EC(f->esr) != EC_BREAKPOINT_SAME_EL)
        return false;
    unsigned me = cpu_index();
    n_bp[me]++;
    bp_elr[me] = f->elr;
    write_sysreg(dbgbcr0_el1, 0); /* disarm, then the instruction runs */
    return true;
}

/* Rewrites the function and makes the change visible to every CPU's
 * instruction fetches (the Inner Shareable domain). */
static void write_code(unsigned value)
{
    code[0] = 0x52800000u | value << 5; /* MOVZ W0, #value */
    code[1] = 0xd65f03c0u;              /* RET */
    asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(code) : "memory");
}

static uint64_t call_code(void)
{
    asm volatile("isb" ::: "memory");
    return ((code_fn)(uintptr_t)code)();
}

/* Breakpoints possible at the current EL: MDE and KDE, PSTATE.D clear, and
 * at EL2 MDCR_EL2.TDE (debug exceptions target EL2); none armed. */
static void enable_debug(void)
{
    if (current_el() == 2)
        write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) | MDCR_EL2_TDE);
    write_sysreg(oslar_el1, 0); /* the OS lock is set at reset */
    write_sysreg(dbgbcr0_el1, 0);
    write_sysreg(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    asm volatile("isb\n\tmsr daifclr, #8\n\tisb" ::: "memory");
}

static void arm_breakpoint(void)
{
    write_sysreg(dbgbvr0_el1, (uint64_t)code);
    write_sysreg(dbgbcr0_el1, BCR_E | BCR_BAS | BCR_PMC_EL1 | (current_el() == 2 ? BCR_HMC : 0));
    asm volatile("isb" ::: "memory");
}

static void wait_phase(unsigned p)
{
    while (phase != p)
        asm volatile("yield");
    asm volatile("dmb ish" ::: "memory");
}

static void set_phase(unsigned p)
{
    asm volatile("dmb ish" ::: "memory");
    phase = p;
}

static void report(const char *what, uint64_t got, uint64_t want, unsigned bps, unsigned want_bps)
{
    printf("cpu %u %-44s returns %lu, breakpoints %u\n", cpu_index(), what, got, bps);
    CHECK_EQ(what, got, want);
    CHECK_EQ("breakpoint exceptions", bps, want_bps);
}

void smp_secondary_main(uint64_t index)
{
    (void)index;
    enable_debug();
    wait_phase(1);
    report("runs the code cpu 0 wrote", call_code(), 1, n_bp[1], 0);
    set_phase(2);
    wait_phase(3);
    report("runs it after cpu 0 rewrote it", call_code(), 2, n_bp[1], 0);
    write_code(3);
    set_phase(4);
    wait_phase(5);
    arm_breakpoint();
    set_phase(6);
    wait_phase(7);
    report("runs it with a breakpoint armed", call_code(), 3, n_bp[1], 1);
    CHECK_EQ("breakpoint address", bp_elr[1], (uint64_t)code);
    set_phase(8);
    wait_phase(9);
    arm_breakpoint(); /* again: a register write after the blocks exist */
    report("runs it with the breakpoint re-armed", call_code(), 3, n_bp[1], 2);
    set_phase(10);
    for (;;)
        asm volatile("wfi");
}

int main(void)
{
    set_exception_handler(handler);
    enable_debug();
    write_code(1);
    report("wrote and runs the code", call_code(), 1, n_bp[0], 0);
    int64_t r = (int64_t)psci_call(PSCI_CPU_ON64, 1, (uint64_t)smp_secondary_entry, 1);
    CHECK_EQ("CPU_ON", r, 0);
    set_phase(1);
    wait_phase(2);
    write_code(2);
    set_phase(3);
    wait_phase(4);
    report("runs the code cpu 1 rewrote", call_code(), 3, n_bp[0], 0);
    set_phase(5);
    wait_phase(6);
    report("runs it while cpu 1 has a breakpoint armed", call_code(), 3, n_bp[0], 0);
    set_phase(7);
    wait_phase(8);
    report("runs it after cpu 1's breakpoint fired", call_code(), 3, n_bp[0], 0);
    set_phase(9);
    wait_phase(10);
    report("runs it at the end", call_code(), 3, n_bp[0], 0);
    return 0;
}
