/* Self-hosted debug exceptions (DDI 0487 D2): hardware breakpoints
 * (unlinked instruction address match), watchpoints (data address match)
 * and software step, routed to EL1 or, with MDCR_EL2.TDE or HCR_EL2.TGE,
 * to EL2. The registers are rows of sysregs/sysregs_debug.def.
 *
 * Breakpoints and step are decided when a block is translated: a64_tb_flags
 * holds whether they can fire at the current EL (cpu_debug_tb_flags), the
 * translator checks each instruction's address against the breakpoints and
 * makes one-instruction blocks while stepping, and a write to a breakpoint
 * register asks the run loop to drop the blocks that checked this CPU's
 * breakpoints (bp_changed; their flags name the CPU).
 * Context-matching and linked breakpoints (BT != 0b0000) and linked
 * watchpoints are not modelled: they never match. */
#include "cpu/cpu.h"

#include "sysregs/id_fields.h"

#define DBGPRCR_CORENPDRQ (1ull << 0)
#define DEBUG_IFSC 0x22 /* debug exception fault status code */

_Static_assert(SR_DBGBCR0_EL1 == SR_DBGBVR0_EL1 + 1 && SR_DBGBVR1_EL1 == SR_DBGBVR0_EL1 + 2,
               "breakpoint rows are DBGBVR<n>, DBGBCR<n> pairs");
_Static_assert(SR_DBGWCR0_EL1 == SR_DBGWVR0_EL1 + 1 && SR_DBGWVR1_EL1 == SR_DBGWVR0_EL1 + 2,
               "watchpoint rows are DBGWVR<n>, DBGWCR<n> pairs");

/* DebugTarget: EL2 with MDCR_EL2.TDE or HCR_EL2.TGE, else EL1. */
unsigned cpu_debug_target_el(const CPUState *cpu)
{
    return cpu->has_el2 && ((cpu->sr[SR_MDCR_EL2] & MDCR_TDE) || cpu_tge(cpu)) ? 2 : 1;
}

/* AArch64.GenerateDebugExceptions at the current EL with PSTATE.D: never
 * with the OS lock or the OS double lock (FEAT_DoubleLock: OSDLR_EL1.DLK
 * without DBGPRCR_EL1.CORENPDRQ); at the target EL only with MDSCR_EL1.KDE
 * and PSTATE.D clear; below it always; above it never. */
bool cpu_debug_exceptions_enabled(const CPUState *cpu)
{
    if (cpu->sr[SR_OSLSR_EL1] & OSLSR_OSLK)
        return false;
    if ((cpu->sr[SR_OSDLR_EL1] & OSDLR_DLK) && !(cpu->sr[SR_DBGPRCR_EL1] & DBGPRCR_CORENPDRQ))
        return false;
    unsigned el = cpu_el(cpu), target = cpu_debug_target_el(cpu);
    if (el == target)
        return (cpu->sr[SR_MDSCR_EL1] & MDSCR_KDE) && !(cpu->pstate & PSTATE_D);
    return target > el;
}

uint32_t cpu_debug_tb_flags(const CPUState *cpu)
{
    uint64_t mdscr = cpu->sr[SR_MDSCR_EL1];
    if (!(mdscr & (MDSCR_MDE | MDSCR_SS)) || !cpu_debug_exceptions_enabled(cpu))
        return 0;
    return (mdscr & MDSCR_MDE ? CPU_DEBUG_BREAKPOINTS : 0) | (mdscr & MDSCR_SS ? CPU_DEBUG_STEP : 0);
}

/* AArch64.StateMatch without EL3 (Non-secure): SSC 0b10 (Secure only)
 * never matches; EL2 with HMC (except SSC:PxC = 0b1000) or SSC 0b11; EL1
 * with PxC<0>, EL0 with PxC<1>. */
static bool state_match(const CPUState *cpu, unsigned ssc, bool hmc, unsigned pxc)
{
    if (ssc == 2)
        return false;
    switch (cpu_el(cpu)) {
    case 0: return pxc & 2;
    case 1: return pxc & 1;
    default: return cpu->has_el2 && ((hmc && !(ssc == 2 && pxc == 0)) || ssc == 3);
    }
}

/* Address bits a breakpoint or watchpoint value compares: [48:2] (the top
 * bits of DBGBVR/DBGWVR are a sign extension of the VA). */
#define VA_COMPARE_MASK 0x1fffffffffffcull

bool cpu_breakpoint_at(const CPUState *cpu, uint64_t pc)
{
    unsigned count = (unsigned)id_field_get(cpu->sr, IDF_ID_AA64DFR0_EL1_BRPs) + 1;
    for (unsigned n = 0; n < count; n++) {
        uint64_t bcr = cpu->sr[SR_DBGBCR0_EL1 + 2 * n], bvr = cpu->sr[SR_DBGBVR0_EL1 + 2 * n];
        unsigned bt = (unsigned)(bcr >> 20 & 0xf), bas = (unsigned)(bcr >> 5 & 0xf);
        if (!(bcr & 1) || bt != 0 || bas == 0)
            continue;
        if (!state_match(cpu, (unsigned)(bcr >> 14 & 3), bcr >> 13 & 1, (unsigned)(bcr >> 1 & 3)))
            continue;
        if (((pc ^ bvr) & VA_COMPARE_MASK) == 0)
            return true;
    }
    return false;
}

/* EC of a debug exception: the "lower EL" class, plus one when taken to
 * the current EL. */
static unsigned debug_ec(const CPUState *cpu, unsigned lower_ec, unsigned target)
{
    return target == cpu_el(cpu) ? lower_ec + 1 : lower_ec;
}

_Noreturn void cpu_breakpoint_exception(CPUState *cpu)
{
    unsigned target = cpu_debug_target_el(cpu);
    cpu_take_exception(cpu, target, debug_ec(cpu, EC_BREAKPOINT_LOWER, target), DEBUG_IFSC, cpu->pc, false, 0);
}

/* SSAdvance: the stepped instruction completes (or generates an exception
 * itself: SVC, HVC, SMC), so the step becomes pending. */
void cpu_ss_advance(CPUState *cpu)
{
    if (cpu->sr[SR_MDSCR_EL1] & MDSCR_SS)
        cpu->pstate &= ~PSTATE_SS;
}

/* Between blocks: software step active (MDSCR_EL1.SS with debug exceptions
 * enabled here) and PSTATE.SS = 0 is the active-pending state: the Software
 * Step exception is taken before the next instruction. ISV/EX: after an
 * instruction stepped here (ss_stepped), EX says whether it was a
 * load-exclusive; entered otherwise (an ERET with SPSR.SS = 0), ISV = 0. */
void cpu_debug_check_step(CPUState *cpu)
{
    if (!(cpu->sr[SR_MDSCR_EL1] & MDSCR_SS) || (cpu->pstate & PSTATE_SS) || !cpu_debug_exceptions_enabled(cpu))
        return;
    unsigned target = cpu_debug_target_el(cpu);
    uint32_t iss = DEBUG_IFSC;
    if (cpu->ss_stepped)
        iss |= 1u << 24 | (cpu->ss_ldex ? 1u << 6 : 0);
    cpu->ss_stepped = false;
    cpu_take_exception(cpu, target, debug_ec(cpu, EC_SOFTWARE_STEP_LOWER, target), iss, cpu->pc, false, 0);
}

/* After a one-instruction block translated for stepping ran to its end:
 * the instruction completed, the step is pending. Not after an ERET, which
 * set PSTATE.SS from SPSR_ELx (ss_keep). */
void cpu_debug_step_done(CPUState *cpu)
{
    if (!cpu->ss_keep) {
        cpu->pstate &= ~PSTATE_SS;
        cpu->ss_stepped = true;
    }
    cpu->ss_keep = false;
}

/* ---- watchpoints (AArch64.WatchpointMatch, unlinked) ----
 * DBGWCR<n>_EL1: E (0), PAC (2:1, as PMC), LSC (4:3: load, store), BAS
 * (12:5, bytes of the doubleword DBGWVR names; with DBGWVR[2] = 1 the word
 * there and BAS[3:0]), HMC (13), SSC (15:14), WT (20: linked, not
 * modelled), MASK (28:24: a 2^MASK-byte aligned range instead of BAS). */

static unsigned watchpoint_count(const CPUState *cpu)
{
    return (unsigned)id_field_get(cpu->sr, IDF_ID_AA64DFR0_EL1_WRPs) + 1;
}

static bool wcr_usable(uint64_t wcr) { return (wcr & 1) && !(wcr >> 20 & 1); }

/* The watched byte range [*lo, *hi] and the BAS mask over it. */
static void watched_range(uint64_t wcr, uint64_t wvr, uint64_t *lo, uint64_t *hi, unsigned *bas)
{
    unsigned mask = (unsigned)(wcr >> 24 & 0x1f);
    if (mask >= 3) {
        *lo = wvr & ~((1ull << mask) - 1);
        *hi = *lo + (1ull << mask) - 1;
        *bas = 0xff; /* the whole range */
        return;
    }
    *bas = (unsigned)(wcr >> 5 & 0xff);
    *lo = wvr & 4 ? wvr & ~3ull : wvr & ~7ull;
    if (wvr & 4)
        *bas &= 0xf;
    *hi = *lo + 7;
}

/* The first byte of [va, va + size) that the watchpoint watches, or false. */
static bool watch_hit(uint64_t wcr, uint64_t wvr, uint64_t va, unsigned size, uint64_t *hit)
{
    uint64_t lo, hi;
    unsigned bas;
    watched_range(wcr, wvr, &lo, &hi, &bas);
    bool ranged = (wcr >> 24 & 0x1f) >= 3;
    for (unsigned i = 0; i < size; i++) {
        uint64_t a = (va + i) & 0x1ffffffffffffull, l = lo & 0x1ffffffffffffull, h = hi & 0x1ffffffffffffull;
        if (a < l || a > h)
            continue;
        if (ranged || (bas >> (a - l) & 1)) {
            *hit = va + i;
            return true;
        }
    }
    return false;
}

void cpu_watchpoint_check(CPUState *cpu, uint64_t va, unsigned size, bool write)
{
    if (!(cpu->sr[SR_MDSCR_EL1] & MDSCR_MDE) || !cpu_debug_exceptions_enabled(cpu))
        return;
    for (unsigned n = 0; n < watchpoint_count(cpu); n++) {
        uint64_t wcr = cpu->sr[SR_DBGWCR0_EL1 + 2 * n], wvr = cpu->sr[SR_DBGWVR0_EL1 + 2 * n], hit;
        unsigned lsc = (unsigned)(wcr >> 3 & 3);
        if (!wcr_usable(wcr) || !(lsc & (write ? 2 : 1)))
            continue;
        if (!state_match(cpu, (unsigned)(wcr >> 14 & 3), wcr >> 13 & 1, (unsigned)(wcr >> 1 & 3)))
            continue;
        if (watch_hit(wcr, wvr, va, size, &hit)) {
            unsigned target = cpu_debug_target_el(cpu);
            uint32_t iss = (write ? 1u << 6 : 0) | DEBUG_IFSC; /* WnR, DFSC */
            cpu_take_exception(cpu, target, debug_ec(cpu, EC_WATCHPOINT_LOWER, target), iss, cpu->pc, true, hit);
        }
    }
}

bool cpu_watchpoint_on_page(const CPUState *cpu, uint64_t page)
{
    for (unsigned n = 0; n < watchpoint_count(cpu); n++) {
        uint64_t wcr = cpu->sr[SR_DBGWCR0_EL1 + 2 * n], lo, hi;
        unsigned bas;
        if (!wcr_usable(wcr))
            continue;
        watched_range(wcr, cpu->sr[SR_DBGWVR0_EL1 + 2 * n], &lo, &hi, &bas);
        if ((lo & PAGE_MASK) <= page && page <= (hi & PAGE_MASK))
            return true;
    }
    return false;
}
