/* CPU creation, reset and PSTATE changes. */
#include "cpu/cpu.h"
#include "cpu/pauth.h"

#include <string.h>

#include "sysregs/cpu_model.h"
#include "sysregs/sysregs.h"

void cpu_init(CPUState *cpu, const CPUModel *model, struct AddressSpace *as, unsigned index)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->model = model;
    cpu->as = as;
    cpu->index = index;
    tlb_init(&cpu->tlb);
    ir_block_init(&cpu->scratch_ir);
}

void cpu_destroy(CPUState *cpu)
{
    tlb_destroy(&cpu->tlb);
    ir_block_free(&cpu->scratch_ir);
}

/* Index into sp_el of the stack pointer that PSTATE selects. */
static unsigned sp_index(uint32_t pstate)
{
    return (pstate & PSTATE_SP) ? (pstate & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT : 0;
}

void cpu_set_pstate(CPUState *cpu, uint32_t pstate)
{
    unsigned old = sp_index(cpu->pstate), new = sp_index(pstate);
    if (old != new) {
        cpu->sp_el[old] = cpu->sp;
        cpu->sp = cpu->sp_el[new];
    }
    cpu->nzcv = pstate & PSTATE_NZCV;
    cpu->pstate = pstate & ~PSTATE_NZCV;
}

uint32_t cpu_get_spsr_value(const CPUState *cpu) { return cpu->pstate | cpu->nzcv; }

bool cpu_effective_tbi(const CPUState *cpu, uint64_t va, bool data)
{
    unsigned el = cpu_el(cpu);
    bool el2_regime = el == 2 || (el == 0 && cpu_e2h_tge(cpu));
    uint64_t tcr = cpu->sr[el2_regime ? SR_TCR_EL2 : SR_TCR_EL1];
    bool tbi, tbid;
    if (el2_regime && !cpu_e2h(cpu)) { /* EL2: one range, the TCR_EL2 layout of E2H 0 */
        tbi = tcr & TCR_EL2_TBI;
        tbid = tcr & TCR_EL2_TBID;
    } else {
        unsigned n = va >> 55 & 1;
        tbi = tcr & TCR_TBI(n);
        tbid = tcr & TCR_TBID(n);
    }
    return tbi && (data || !tbid || !feature_has(&cpu->features, FEAT_PAUTH)); /* TBID is RES0 without PAuth */
}

uint64_t cpu_branch_addr(const CPUState *cpu, uint64_t va)
{
    if (!cpu_effective_tbi(cpu, va, false))
        return va;
    if (cpu_el(cpu) < 2 || cpu_e2h(cpu))
        return (uint64_t)((int64_t)(va << 8) >> 8);
    return va & 0x00ffffffffffffffull;
}

/* Resets architectural state. The board has set has_el2, mp_affinity and
 * the PSCI conduit before calling this; the ID values follow from them. */
void cpu_reset(CPUState *cpu, unsigned start_el, uint64_t pc)
{
    memset(cpu->x, 0, sizeof cpu->x);
    memset(cpu->sp_el, 0, sizeof cpu->sp_el);
    cpu->sp = 0;
    sysregs_reset(cpu);
    if (!cpu->has_el2)
        cpu_model_remove_el2(cpu->sr); /* EL2 and the features that need it: not implemented */
    cpu->sr[SR_MPIDR_EL1] |= cpu->mp_affinity;
    cpu->sr[SR_VPIDR_EL2] = cpu->sr[SR_MIDR_EL1];
    cpu->sr[SR_VMPIDR_EL2] = cpu->sr[SR_MPIDR_EL1];
    features_compute(&cpu->features, cpu->sr);
    pauth_reset(cpu);
    cpu->start_el = start_el;
    cpu->pstate = PSTATE_DAIF | PSTATE_SP | start_el << PSTATE_EL_SHIFT;
    cpu->nzcv = 0;
    cpu->pc = pc;
    cpu->excl_addr = EXCL_NONE;
    cpu->icount = 0;
    cpu->halted = false;
    cpu->event = false;
    cpu->idle = 0;
    memset(cpu->timer, 0, sizeof cpu->timer);
    cpu->timer_deadline = ~0ull;
    cpu->pmu_synced = cpu->pmu_idle_synced = 0;
    cpu->pmu_cycle_frac = 0;
    cpu->pmu_level = false;
    cpu->exit_requested = false;
    cpu->code_dirty = false;
    tlb_flush_all(&cpu->tlb);
    /* Blocks stay valid (their flags say what they assumed), except those
     * that checked the breakpoint registers reset just changed. */
    tb_jmp_cache_clear(&cpu->jmp_cache);
    cpu->bp_changed = true;
}

uint64_t cpu_counter(const CPUState *cpu)
{
    /* One counter tick per instruction retired would run the 62.5 MHz counter
     * far too fast for guests that calibrate delays; the cycle model replaces
     * this with time derived from modelled cycles. Deterministic either way. */
    return cpu_counter_at(cpu->icount);
}
