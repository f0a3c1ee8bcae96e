/* Exception entry, routing and return (DDI 0487 D1.10, D1.11). */
#include "cpu/cpu.h"

#include <inttypes.h>

#include "trace/log.h"

unsigned cpu_sync_target_el(const CPUState *cpu)
{
    unsigned el = cpu_el(cpu);
    if (el != 0)
        return el;
    return cpu_tge(cpu) ? 2 : 1;
}

static SysregId elr_of(unsigned el) { return el == 1 ? SR_ELR_EL1 : SR_ELR_EL2; }
static SysregId spsr_of(unsigned el) { return el == 1 ? SR_SPSR_EL1 : SR_SPSR_EL2; }
static SysregId esr_of(unsigned el) { return el == 1 ? SR_ESR_EL1 : SR_ESR_EL2; }
static SysregId far_of(unsigned el) { return el == 1 ? SR_FAR_EL1 : SR_FAR_EL2; }
static SysregId vbar_of(unsigned el) { return el == 1 ? SR_VBAR_EL1 : SR_VBAR_EL2; }

_Noreturn void cpu_exit_loop(CPUState *cpu, CPUExit reason)
{
    cpu->exit_reason = reason;
    cpu->exit_requested = true;
    longjmp(*cpu->unwind, 1);
}

/* The entry sequence common to every exception (AArch64.TakeException):
 * SPSR, ELR, optionally ESR and FAR, PSTATE with D, A, I, F set, and the
 * vector: VBAR + the base of the source (current EL with SP0 0x0, with SPx
 * 0x200, lower EL 0x400) + the type offset. */
static void enter(CPUState *cpu, unsigned target_el, unsigned type_offset, bool esr_valid, uint64_t esr,
                  uint64_t preferred_return, bool far_valid, uint64_t far)
{
    unsigned from_el = cpu_el(cpu);
    cpu_pmu_sync(cpu); /* the PMU's EL filters: count up to here at the old EL */
    if (target_el < from_el || target_el > 2 || (target_el == 2 && !cpu->has_el2))
        nestor_bug("exception from EL%u routed to EL%u", from_el, target_el);
    uint64_t offset = target_el > from_el ? 0x400 : (cpu->pstate & PSTATE_SP) ? 0x200 : 0;
    uint64_t vector = (cpu->sr[vbar_of(target_el)] & ~0x7ffull) + offset + type_offset;
    if (log_enabled(LOG_INT))
        log_printf("exception EL%u -> EL%u: %s ESR %s0x%08" PRIx64 " ELR 0x%016" PRIx64 " FAR %s0x%016" PRIx64
                   " vector 0x%016" PRIx64 "\n",
                   from_el, target_el,
                   type_offset == 0 ? "sync" : type_offset == 0x80 ? "IRQ" : type_offset == 0x100 ? "FIQ" : "SError",
                   esr_valid ? "" : "(unchanged) ", esr_valid ? esr : cpu->sr[esr_of(target_el)], preferred_return,
                   far_valid ? "" : "(unchanged) ", far_valid ? far : cpu->sr[far_of(target_el)], vector);

    cpu->sr[spsr_of(target_el)] = cpu_get_spsr_value(cpu);
    cpu->sr[elr_of(target_el)] = preferred_return;
    if (esr_valid)
        cpu->sr[esr_of(target_el)] = esr;
    if (far_valid)
        cpu->sr[far_of(target_el)] = far;

    /* PSTATE.BTYPE (FEAT_BTI) is saved in SPSR like the rest, then cleared:
     * the handler's first instruction is not a branch target. */
    uint32_t pstate = (cpu->pstate & (PSTATE_PAN | PSTATE_DIT | PSTATE_SSBS)) | PSTATE_DAIF | PSTATE_SP |
                      target_el << PSTATE_EL_SHIFT;
    /* PSTATE.PAN is set on entry to EL1 when SCTLR_EL1.SPAN is 0 (FEAT_PAN). */
    if (target_el == 1 && feature_has(&cpu->features, FEAT_PAN) && !(cpu->sr[SR_SCTLR_EL1] & SCTLR_SPAN))
        pstate |= PSTATE_PAN;
    cpu_set_pstate(cpu, pstate | cpu->nzcv); /* NZCV is unchanged by exception entry */
    cpu->pc = vector;
    cpu->halted = false;
    cpu_timer_update(cpu); /* what the PMU counts at the new EL, its next overflow */
}

_Noreturn void cpu_take_exception(CPUState *cpu, unsigned target_el, unsigned ec, uint32_t iss,
                                  uint64_t preferred_return, bool far_valid, uint64_t far)
{
    uint64_t esr = (uint64_t)ec << 26 | 1u << 25 /* IL: 32-bit instruction */ | (iss & 0x1ffffff);
    enter(cpu, target_el, 0, true, esr, preferred_return, far_valid, far);
    longjmp(*cpu->unwind, 1);
}

void cpu_enter_async_exception(CPUState *cpu, unsigned target_el, unsigned vector_offset, bool write_esr,
                               uint32_t esr)
{
    enter(cpu, target_el, vector_offset, write_esr, esr, cpu->pc, false, 0);
}

_Noreturn void cpu_undefined(CPUState *cpu)
{
    cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_UNKNOWN, 0, cpu->pc, false, 0);
}

/* SPSR.M values that name an AArch64 EL and stack pointer. */
static bool valid_aarch64_mode(uint32_t m) { return m == 0 || m == 4 || m == 5 || m == 8 || m == 9; }

void cpu_exception_return(CPUState *cpu)
{
    unsigned el = cpu_el(cpu);
    cpu_pmu_sync(cpu);
    uint64_t spsr = cpu->sr[spsr_of(el)];
    uint64_t elr = cpu->sr[elr_of(el)];
    uint32_t m = spsr & 0x1f;
    unsigned target = (m >> 2) & 3;
    bool illegal = (spsr & PSTATE_IL) || (m & PSTATE_M4) || !valid_aarch64_mode(m) || target > el ||
                   (target == 2 && !cpu->has_el2) ||
                   (target == 1 && cpu_tge(cpu));
    cpu->excl_addr = EXCL_NONE; /* ERET clears the local monitor */
    cpu->event = true;          /* and sets the event register (D1.6.1) */
    uint32_t kept = PSTATE_NZCV | PSTATE_DAIF | PSTATE_PAN | PSTATE_UAO | PSTATE_DIT | PSTATE_SSBS | PSTATE_SS |
                    PSTATE_BTYPE;
    uint32_t pstate = (uint32_t)spsr & kept;
    if (!feature_has(&cpu->features, FEAT_PAN))
        pstate &= ~PSTATE_PAN;
    if (!feature_has(&cpu->features, FEAT_UAO))
        pstate &= ~PSTATE_UAO;
    if (!feature_has(&cpu->features, FEAT_DIT))
        pstate &= ~PSTATE_DIT;
    if (!feature_has(&cpu->features, FEAT_SSBS))
        pstate &= ~PSTATE_SSBS;
    if (!feature_has(&cpu->features, FEAT_BTI))
        pstate &= ~PSTATE_BTYPE;
    if (illegal) {
        /* Illegal exception return: EL and SP stay, PSTATE.IL is set and the
         * next instruction takes an Illegal Execution state exception.
         * BTYPE is UNKNOWN (SetPSTATEFromPSR): 0, so that the Illegal
         * Execution state exception, not a Branch Target one, comes next. */
        pstate &= ~PSTATE_BTYPE;
        pstate |= PSTATE_IL | (cpu->pstate & (PSTATE_EL_MASK | PSTATE_SP));
    } else {
        pstate |= m & (PSTATE_EL_MASK | PSTATE_SP);
    }
    if (log_enabled(LOG_INT))
        log_printf("eret EL%u -> EL%u%s to 0x%016" PRIx64 "\n", el, illegal ? el : target,
                   illegal ? " (illegal return)" : "", elr);
    cpu_set_pstate(cpu, pstate);
    cpu->pc = cpu_branch_addr(cpu, elr); /* BranchTo at the new EL */
    cpu->ss_keep = true; /* PSTATE.SS comes from SPSR: a step of the ERET does not clear it */
    cpu_timer_update(cpu);
}

/* The EL an enable of the CPACR_EL1.FPEN shape (at cpacr_shift) traps an
 * access at the current EL to, then CPTR_EL2's: the same shape at
 * cptr_e2h_shift with E2H, the trap bit cptr_trap without (DDI 0487
 * D19.2.30 CPACR_EL1, D19.2.35 CPTR_EL2). 0: enabled. */
static unsigned enable_trap_el(const CPUState *cpu, unsigned cpacr_shift, unsigned cptr_e2h_shift, uint64_t cptr_trap)
{
    unsigned el = cpu_el(cpu);
    bool e2h = cpu_e2h(cpu);
    bool tge = cpu_tge(cpu);
    bool in_host = e2h && tge && el != 1;
    if (el <= 1 && !in_host) {
        unsigned en = (unsigned)(cpu->sr[SR_CPACR_EL1] >> cpacr_shift) & 3;
        if (!(en & 1) || (en == 1 && el == 0))
            return 1;
    }
    if (el <= 2 && cpu->has_el2) {
        if (e2h) {
            unsigned en = (unsigned)(cpu->sr[SR_CPTR_EL2] >> cptr_e2h_shift) & 3;
            if (!(en & 1) || (en == 1 && el == 0 && tge))
                return 2;
        } else if (cpu->sr[SR_CPTR_EL2] & cptr_trap) {
            return 2;
        }
    }
    return 0;
}

FPAccess cpu_fp_access(const CPUState *cpu)
{
    switch (enable_trap_el(cpu, CPACR_FPEN_SHIFT, CPTR_FPEN_SHIFT, CPTR_TFP)) {
    case 1: return cpu_tge(cpu) ? FP_TRAP_EL2_TGE : FP_TRAP_EL1;
    case 2: return FP_TRAP_EL2;
    default: return FP_ENABLED;
    }
}

unsigned cpu_sve_trap_el(const CPUState *cpu) { return enable_trap_el(cpu, CPACR_ZEN_SHIFT, CPTR_ZEN_SHIFT, CPTR_TZ); }

/* ISS of EC 0x07 from AArch64: CV = 1, COND = 0b1110 (ConditionSyndrome()). */
#define FP_ACCESS_ISS (1u << 24 | 0xeu << 20)

_Noreturn void cpu_fp_access_trap(CPUState *cpu, FPAccess access)
{
    switch (access) {
    case FP_TRAP_EL1: cpu_take_exception(cpu, 1, EC_FP_ACCESS, FP_ACCESS_ISS, cpu->pc, false, 0);
    case FP_TRAP_EL2: cpu_take_exception(cpu, 2, EC_FP_ACCESS, FP_ACCESS_ISS, cpu->pc, false, 0);
    case FP_TRAP_EL2_TGE: cpu_take_exception(cpu, 2, EC_UNKNOWN, 0, cpu->pc, false, 0);
    case FP_ENABLED: break;
    }
    nestor_bug("cpu_fp_access_trap without a trap");
}
