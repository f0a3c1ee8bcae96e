/* Hooks of registers that are views of PSTATE, banked stack pointers,
 * virtualised identification, or counters. */
#include "sysregs/sysreg_hooks.h"

#include "mmu/mmu.h"
#include "sysregs/cpu_model.h"

/* EL1 reads of MIDR/MPIDR see the values EL2 chose (VPIDR/VMPIDR_EL2). */
static uint64_t read_midr(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return cpu_el(cpu) == 1 && cpu->has_el2 ? cpu->sr[SR_VPIDR_EL2] : cpu->sr[SR_MIDR_EL1];
}
const SysregHooks sysreg_hooks_midr = {.read = read_midr};

static uint64_t read_mpidr(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return cpu_el(cpu) == 1 && cpu->has_el2 ? cpu->sr[SR_VMPIDR_EL2] : cpu->sr[SR_MPIDR_EL1];
}
const SysregHooks sysreg_hooks_mpidr = {.read = read_mpidr};

static SysregAccessResult check_el0_uct(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    if (cpu_el(cpu) == 0 && !(cpu_el0_sctlr(cpu) & SCTLR_UCT))
        return SRA_TRAP_EL1;
    return SRA_OK;
}
const SysregHooks sysreg_hooks_el0_uct = {.check = check_el0_uct};

static uint64_t read_nzcv(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->nzcv; }
static void write_nzcv(CPUState *cpu, const SysregInfo *r, uint64_t v) { cpu->nzcv = (uint32_t)(v & r->wmask); }
const SysregHooks sysreg_hooks_nzcv = {.read = read_nzcv, .write = write_nzcv};

static SysregAccessResult check_daif(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    if (cpu_el(cpu) == 0 && !(cpu_el0_sctlr(cpu) & SCTLR_UMA))
        return SRA_TRAP_EL1;
    return SRA_OK;
}
static uint64_t read_daif(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->pstate & PSTATE_DAIF; }
static void write_daif(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    cpu->pstate = (cpu->pstate & ~PSTATE_DAIF) | ((uint32_t)v & (uint32_t)r->wmask);
}
const SysregHooks sysreg_hooks_daif = {.check = check_daif, .read = read_daif, .write = write_daif};

static uint64_t read_currentel(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu_el(cpu) << 2; }
const SysregHooks sysreg_hooks_currentel = {.read = read_currentel};

static uint64_t read_spsel(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->pstate & PSTATE_SP; }
static void write_spsel(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    (void)r;
    cpu_set_pstate(cpu, (cpu->pstate & ~PSTATE_SP) | (v & 1 ? PSTATE_SP : 0));
}
const SysregHooks sysreg_hooks_spsel = {.read = read_spsel, .write = write_spsel};

/* SP_EL0 is only accessible while SP_EL0 is not the selected stack pointer:
 * MRS/MSR SP_EL0 with SPSel == 0 is UNDEFINED. */
static SysregAccessResult check_sp_el0(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    return cpu->pstate & PSTATE_SP ? SRA_OK : SRA_UNDEF;
}
static uint64_t read_sp_el0(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->sp_el[0]; }
static void write_sp_el0(CPUState *cpu, const SysregInfo *r, uint64_t v) { (void)r; cpu->sp_el[0] = v; }
const SysregHooks sysreg_hooks_sp_el0 = {.check = check_sp_el0, .read = read_sp_el0, .write = write_sp_el0};

/* SP_EL1 is accessed from EL2, where it is never the live stack pointer. */
static uint64_t read_sp_el1(CPUState *cpu, const SysregInfo *r) { (void)r; return cpu->sp_el[1]; }
static void write_sp_el1(CPUState *cpu, const SysregInfo *r, uint64_t v) { (void)r; cpu->sp_el[1] = v; }
const SysregHooks sysreg_hooks_sp_el1 = {.read = read_sp_el1, .write = write_sp_el1};

/* FPCR/FPSR: UNDEFINED without FP; the FP enable controls trap them like FP
 * instructions. */
static SysregAccessResult check_fp(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    if (!feature_has(&cpu->features, FEAT_FP))
        return SRA_UNDEF;
    return cpu_fp_access(cpu) == FP_ENABLED ? SRA_OK : SRA_TRAP_FP;
}
const SysregHooks sysreg_hooks_fp = {.check = check_fp};

/* ZCR_ELx (FEAT_SVE): the SVE enables trap them, EC 0x19 (DDI 0487
 * D19.2.175 ZCR_EL1: CPACR_EL1.ZEN, then CPTR_EL2.ZEN or TZ). The effective
 * vector length comes with the SVE instructions. */
static SysregAccessResult check_zcr(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    return cpu_sve_trap_el(cpu) ? SRA_TRAP_SVE : SRA_OK;
}
const SysregHooks sysreg_hooks_zcr = {.check = check_zcr};

/* CPACR_EL1: ZEN is RES0 without FEAT_SVE. */
static void write_cpacr(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    uint64_t mask = r->wmask & (feature_has(&cpu->features, FEAT_SVE) ? ~0ull : ~(3ull << CPACR_ZEN_SHIFT));
    cpu->sr[r->id] = (cpu->sr[r->id] & ~mask) | (v & mask);
}
const SysregHooks sysreg_hooks_cpacr = {.write = write_cpacr};

/* Every cached translation may depend on these registers: the TLB moves to
 * the context of the new values (an ASID or VMID switch flushes nothing).
 * The MSR ends the block, so later instructions are fetched through the new
 * regime. */
static void write_translation(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    sysreg_store(cpu, r, v);
    mmu_translation_changed(cpu);
}
const SysregHooks sysreg_hooks_translation = {.write = write_translation};

/* HCR_EL2: E2H is RES0 without FEAT_VHE (so -cpu ...,ID_AA64MMFR1_EL1.VH=0
 * leaves no way into the EL2&0 regime). */
static void write_hcr(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    if (!feature_has(&cpu->features, FEAT_VHE))
        v &= ~HCR_E2H;
    write_translation(cpu, r, v);
}
const SysregHooks sysreg_hooks_hcr = {.write = write_hcr};

/* CCSIDR_EL1: the cache CSSELR_EL1 selects (Level, InD), from the model;
 * a cache the model does not have reads as 0 (the Arm ARM leaves it
 * UNKNOWN). */
static uint64_t read_ccsidr(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return cpu->model->ccsidr[cpu->sr[SR_CSSELR_EL1] & 0xf];
}
const SysregHooks sysreg_hooks_ccsidr = {.read = read_ccsidr};

/* HFGRTR_EL2/HFGWTR_EL2: nPIR_EL1 and nPIRE0_EL1 are RES0 without
 * FEAT_S1PIE (their registers do not exist then). */
static void write_hfgxtr(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    if (!feature_has(&cpu->features, FEAT_S1PIE))
        v &= ~(HFGXTR_NPIR_EL1 | HFGXTR_NPIRE0_EL1);
    sysreg_store(cpu, r, v);
}
const SysregHooks sysreg_hooks_hfgxtr = {.write = write_hfgxtr};

/* HCRX_EL2.TCR2En decides whether TCR2_EL1 takes effect (IsTCR2EL1Enabled),
 * so a write changes translation; it is RES0 without FEAT_TCR2. */
static void write_hcrx(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    if (!feature_has(&cpu->features, FEAT_TCR2))
        v &= ~HCRX_TCR2EN;
    write_translation(cpu, r, v);
}
const SysregHooks sysreg_hooks_hcrx = {.write = write_hcrx};

/* TCR2_ELx: PIE is RES0 without FEAT_S1PIE. */
static void write_tcr2(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    if (!feature_has(&cpu->features, FEAT_S1PIE))
        v &= ~TCR2_PIE;
    write_translation(cpu, r, v);
}
const SysregHooks sysreg_hooks_tcr2 = {.write = write_tcr2};

/* TCR2_EL1 at EL1 traps to EL2 unless HCRX_EL2.TCR2En is 1 (and without
 * FEAT_HCX, whose HCRX_EL2 then counts as 0): the TCR2_EL1 accessibility
 * pseudocode (DDI 0487 D24.2, TCR2_EL1). */
static SysregAccessResult check_tcr2_el1(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    if (cpu_el(cpu) == 1 && cpu->has_el2 && !cpu_tcr2_el1_enabled(cpu))
        return SRA_TRAP_EL2;
    return SRA_OK;
}
const SysregHooks sysreg_hooks_tcr2_el1 = {.check = check_tcr2_el1, .write = write_tcr2};
