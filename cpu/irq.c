/* Asynchronous exceptions (DDI 0487 D1.3 "Asynchronous exception types,
 * routing, masking and priorities", D1.4): physical IRQ, FIQ and SError from
 * the PE's input lines, virtual ones from HCR_EL2.{VI,VF,VSE}; routing by
 * HCR_EL2.{IMO,FMO,AMO,TGE,E2H}; masking by PSTATE.{I,F,A}. No EL3: SCR_EL3
 * plays no part (as if SCR_EL3.{IRQ,FIQ,EA} were 0 and NS 1). Interrupts are
 * taken between blocks only, so every block runs to its end (or its own
 * synchronous exception) first: a line that changes kicks the PE out of
 * chained execution (cpu_kick), and instructions that may unmask one (MSR,
 * MSR DAIFClr, ERET) end their block. */
#include "cpu/cpu.h"

#include "trace/log.h"

/* The kinds, in the order they are taken when several are pending (the
 * architecture leaves the order between them IMPLEMENTATION DEFINED; this is
 * QEMU's, so that tests observe the same one). */
typedef enum { INT_FIQ, INT_IRQ, INT_VIRQ, INT_VFIQ, INT_SERROR, INT_VSERROR, INT_COUNT } IntKind;

static const struct {
    bool virtual;
    uint64_t route; /* HCR_EL2 routing bit (physical) / enable (virtual) */
    uint32_t mask;  /* PSTATE mask bit */
    unsigned vector;
} kinds[INT_COUNT] = {
    [INT_FIQ] = {false, HCR_FMO, PSTATE_F, 0x100},
    [INT_IRQ] = {false, HCR_IMO, PSTATE_I, 0x80},
    [INT_VIRQ] = {true, HCR_IMO, PSTATE_I, 0x80},
    [INT_VFIQ] = {true, HCR_FMO, PSTATE_F, 0x100},
    [INT_SERROR] = {false, HCR_AMO, PSTATE_A, 0x180},
    [INT_VSERROR] = {true, HCR_AMO, PSTATE_A, 0x180},
};

uint64_t cpu_hcr_effective(const CPUState *cpu)
{
    if (!cpu->has_el2)
        return 0;
    uint64_t hcr = cpu->sr[SR_HCR_EL2];
    if (hcr & HCR_TGE) {
        /* TGE: IMO/FMO/AMO behave as 1 with E2H 0 and as 0 with E2H 1
         * (physical interrupts still go to EL2: TGE routes them); no
         * virtual interrupt is pending (D1.3.4, HCR_EL2.TGE). */
        bool e2h = cpu_e2h(cpu);
        hcr = e2h ? hcr & ~(HCR_IMO | HCR_FMO | HCR_AMO) : hcr | HCR_IMO | HCR_FMO | HCR_AMO;
        hcr &= ~(HCR_VI | HCR_VF | HCR_VSE);
    }
    return hcr;
}

static bool kind_pending(const CPUState *cpu, IntKind k, uint64_t hcr)
{
    switch (k) {
    case INT_FIQ: return cpu->irq_lines & 1u << CPU_LINE_FIQ;
    case INT_IRQ: return cpu->irq_lines & 1u << CPU_LINE_IRQ;
    case INT_SERROR: return cpu->irq_lines & 1u << CPU_LINE_SERROR;
    /* A virtual interrupt exists only while its HCR_EL2 routing bit is set. */
    case INT_VIRQ: return (hcr & HCR_IMO) && ((hcr & HCR_VI) || (cpu->irq_lines & 1u << CPU_LINE_VIRQ));
    case INT_VFIQ: return (hcr & HCR_FMO) && ((hcr & HCR_VF) || (cpu->irq_lines & 1u << CPU_LINE_VFIQ));
    case INT_VSERROR: return (hcr & (HCR_AMO | HCR_VSE)) == (HCR_AMO | HCR_VSE);
    default: return false;
    }
}

/* The EL a pending interrupt of kind k is taken to at the current EL, or 0 if
 * it is not taken now (masked, or routed below the current EL). */
static unsigned target_if_taken(const CPUState *cpu, IntKind k, uint64_t hcr)
{
    unsigned el = cpu_el(cpu);
    bool masked = cpu->pstate & kinds[k].mask;
    if (kinds[k].virtual) /* to EL1, from EL0/EL1 only */
        return el <= 1 && !masked ? 1 : 0;
    bool tge = cpu_tge(cpu);
    unsigned target = cpu->has_el2 && ((hcr & kinds[k].route) || tge) ? 2 : 1;
    if (el > target)
        return 0;
    /* Routed to a higher EL: PSTATE does not mask it, except for EL0 in the
     * EL2&0 regime (E2H and TGE both 1), which masks like EL2 itself. */
    if (target > el && target == 2 && !cpu_e2h_tge(cpu))
        return target;
    return masked ? 0 : target;
}

bool cpu_take_pending_interrupt(CPUState *cpu)
{
    if (!cpu->irq_lines && !(cpu->has_el2 && (cpu->sr[SR_HCR_EL2] & (HCR_VI | HCR_VF | HCR_VSE))))
        return false;
    uint64_t hcr = cpu_hcr_effective(cpu);
    for (IntKind k = 0; k < INT_COUNT; k++) {
        if (!kind_pending(cpu, k, hcr))
            continue;
        unsigned target = target_if_taken(cpu, k, hcr);
        if (!target)
            continue;
        bool serror = k == INT_SERROR || k == INT_VSERROR;
        /* SError: EC 0x2F, IL 1; ISS 0 (IDS 0: the architected "uncategorized"
         * syndrome; VSESR_EL2 supplies it only with FEAT_RAS). */
        uint32_t esr = (uint32_t)EC_SERROR << 26 | 1u << 25;
        if (k == INT_VSERROR)
            cpu->sr[SR_HCR_EL2] &= ~HCR_VSE; /* taking a virtual SError clears it */
        if (log_enabled(LOG_INT))
            log_printf("interrupt: %s%s\n", kinds[k].virtual ? "virtual " : "",
                       serror ? "SError" : kinds[k].vector == 0x80 ? "IRQ" : "FIQ");
        cpu_enter_async_exception(cpu, target, kinds[k].vector, serror, esr);
        return true;
    }
    return false;
}

bool cpu_wakeup_pending(const CPUState *cpu)
{
    if (cpu->irq_lines & (1u << CPU_LINE_IRQ | 1u << CPU_LINE_FIQ | 1u << CPU_LINE_SERROR))
        return true;
    uint64_t hcr = cpu_hcr_effective(cpu);
    /* A virtual interrupt wakes the PE only where it could be taken: at EL0/EL1. */
    return cpu_el(cpu) <= 1 &&
           (kind_pending(cpu, INT_VIRQ, hcr) || kind_pending(cpu, INT_VFIQ, hcr) ||
            kind_pending(cpu, INT_VSERROR, hcr));
}

void cpu_set_irq_line(CPUState *cpu, CPULine line, bool level)
{
    uint32_t bit = 1u << line;
    uint32_t old = cpu->irq_lines;
    cpu->irq_lines = level ? old | bit : old & ~bit;
    if (cpu->irq_lines != old)
        cpu_kick(cpu);
}

/* ISR_EL1 (DDI 0487 D19.2): at EL1 with the interrupt routed to EL2
 * (HCR_EL2.{IMO,FMO,AMO}), the bit shows the virtual interrupt; otherwise
 * the physical one. */
uint64_t cpu_isr(const CPUState *cpu)
{
    uint64_t hcr = cpu_hcr_effective(cpu);
    bool el1 = cpu_el(cpu) == 1;
    uint64_t isr = 0;
    static const struct { IntKind phys, virt; uint32_t bit; } bits[] = {
        {INT_IRQ, INT_VIRQ, PSTATE_I}, {INT_FIQ, INT_VFIQ, PSTATE_F}, {INT_SERROR, INT_VSERROR, PSTATE_A}};
    for (unsigned i = 0; i < 3; i++) {
        bool virt = el1 && (hcr & kinds[bits[i].virt].route);
        if (kind_pending(cpu, virt ? bits[i].virt : bits[i].phys, hcr))
            isr |= bits[i].bit;
    }
    return isr;
}
