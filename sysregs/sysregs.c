/* The table built from sysregs.def, and generic MRS/MSR with access checks. */
#include "sysregs/sysregs.h"

#include <string.h>
#include <strings.h>

#include "fpu/fpu.h"
#include "sysregs/cpu_model.h"
#include "sysregs/sysreg_hooks.h"

static const SysregInfo table[SR_COUNT] = {
#define SYSREG(name, op0, op1, crn, crm, op2, min_el, access, reset, wmask, hooks, feature, traps) \
    [SR_##name] = {#name, SR_##name, op0, op1, crn, crm, op2, min_el, access, reset, wmask, hooks, FEAT_##feature, traps},
#include "sysregs/sysregs.def"
#include "sysregs/sysregs_timer.def"
#include "sysregs/sysregs_gic.def"
#undef SYSREG
};

const SysregInfo *sysreg_by_key(uint32_t key)
{
    /* Only consulted at translation time; a linear scan is cheap enough there. */
    for (unsigned i = 0; i < SR_COUNT; i++)
        if (sysreg_key(table[i].op0, table[i].op1, table[i].crn, table[i].crm, table[i].op2) == key)
            return &table[i];
    return NULL;
}

/* VHE redirection (sysregs_vhe.def), as SysregId + 1 (0: none). */
static const uint16_t e2h_redirect[SR_COUNT] = {
#define VHE_REDIRECT(from, to) [SR_##from] = SR_##to + 1,
#define VHE_ALIAS(alias, reg)
#include "sysregs/sysregs_vhe.def"
#undef VHE_REDIRECT
#undef VHE_ALIAS
};
static const uint16_t vhe_alias_of[SR_COUNT] = {
#define VHE_REDIRECT(from, to)
#define VHE_ALIAS(alias, reg) [SR_##alias] = SR_##reg + 1,
#include "sysregs/sysregs_vhe.def"
#undef VHE_REDIRECT
#undef VHE_ALIAS
};

const SysregInfo *sysreg_redirect(const CPUState *cpu, const SysregInfo *r)
{
    if (vhe_alias_of[r->id])
        return &table[vhe_alias_of[r->id] - 1];
    if (e2h_redirect[r->id] && cpu_el(cpu) == 2 && cpu_e2h(cpu))
        return &table[e2h_redirect[r->id] - 1];
    return r;
}

const SysregInfo *sysreg_by_id(SysregId id) { return id < SR_COUNT ? &table[id] : NULL; }

const SysregInfo *sysreg_by_name(const char *name)
{
    for (unsigned i = 0; i < SR_COUNT; i++)
        if (!strcasecmp(table[i].name, name))
            return &table[i];
    return NULL;
}

void sysregs_reset(CPUState *cpu)
{
    for (unsigned i = 0; i < SR_COUNT; i++)
        cpu->sr[i] = table[i].reset == SR_FROM_MODEL ? cpu->model->values[i] : table[i].reset;
    /* MDCR_EL2.HPMN resets to PMCR_EL0.N: every counter belongs to EL1. */
    cpu->sr[SR_MDCR_EL2] |= PMCR_N(cpu->sr[SR_PMCR_EL0]);
}

/* Trap controls of EL2 over EL1 and EL0 (DDI 0487 D1.11.2 and each
 * register's AccessTo pseudocode). HCR_EL2.{E2H,TGE} = {1,1} runs EL0 as the
 * host's user space: the controls of a guest's EL1 do not apply. */
static bool el2_controls_apply(const CPUState *cpu)
{
    unsigned el = cpu_el(cpu);
    return el < 2 && cpu->has_el2 && !(el == 0 && cpu_e2h_tge(cpu));
}

/* The fine-grained trap bit: HFGRTR/HFGWTR_EL2 and HDFGRTR/HDFGWTR_EL2
 * (FEAT_FGT; no EL3, so SCR_EL3.FGTEn does not gate them). */
static bool fgt_traps(const CPUState *cpu, uint64_t traps, bool is_write)
{
    if (!feature_has(&cpu->features, FEAT_FGT))
        return false;
    if (TRAP_HAS_FGT(traps)) {
        uint64_t reg = cpu->sr[is_write ? SR_HFGWTR_EL2 : SR_HFGRTR_EL2];
        bool bit = reg >> TRAP_FGT_BIT(traps) & 1;
        if (bit != ((traps & TRAP_FGTN_FLAG) != 0)) /* TRAP_FGTN: traps when 0 */
            return true;
    }
    if (TRAP_HAS_DFGT(traps)) {
        uint64_t reg = cpu->sr[is_write ? SR_HDFGWTR_EL2 : SR_HDFGRTR_EL2];
        if (reg >> TRAP_DFGT_BIT(traps) & 1)
            return true;
    }
    return false;
}

static bool el2_traps(const CPUState *cpu, uint64_t traps, bool is_write)
{
    if (!el2_controls_apply(cpu))
        return false;
    uint64_t hcr = cpu->sr[SR_HCR_EL2], mdcr = cpu->sr[SR_MDCR_EL2], cptr = cpu->sr[SR_CPTR_EL2];
    bool el1 = cpu_el(cpu) == 1;
    /* MDCR_EL2.TDE (or HCR_EL2.TGE) makes TDA, TDOSA and TDRA behave as 1. */
    bool tde = (mdcr & MDCR_TDE) || cpu_tge(cpu);
    if (((traps & TRAP_TVM) && el1 && (hcr & (is_write ? HCR_TVM : HCR_TRVM))) ||
        ((traps & TRAP_TID1) && (hcr & HCR_TID1)) || ((traps & TRAP_TID2) && (hcr & HCR_TID2)) ||
        ((traps & TRAP_TID3) && (hcr & HCR_TID3)) || ((traps & TRAP_TACR) && (hcr & HCR_TACR)) ||
        ((traps & TRAP_TDA) && ((mdcr & MDCR_TDA) || tde)) || ((traps & TRAP_TDOSA) && ((mdcr & MDCR_TDOSA) || tde)) ||
        ((traps & TRAP_TDRA) && ((mdcr & MDCR_TDRA) || tde)) || ((traps & TRAP_TPM) && (mdcr & MDCR_TPM)) ||
        ((traps & TRAP_TPMCR) && (mdcr & MDCR_TPMCR)) || ((traps & TRAP_TCPAC) && el1 && (cptr & CPTR_TCPAC)) ||
        ((traps & TRAP_TTA) && (cptr & (cpu_e2h(cpu) ? CPTR_E2H_TTA : CPTR_TTA))) ||
        ((traps & TRAP_APK) && !(hcr & HCR_APK)))
        return true;
    return fgt_traps(cpu, traps, is_write);
}

bool sysop_traps_to_el2(const CPUState *cpu, uint64_t traps)
{
    if (!el2_controls_apply(cpu))
        return false;
    uint64_t hcr = cpu->sr[SR_HCR_EL2];
    if (((traps & SYSTRAP_TSW) && (hcr & HCR_TSW)) || ((traps & SYSTRAP_TPCP) && (hcr & HCR_TPCP)) ||
        ((traps & SYSTRAP_TPU) && (hcr & HCR_TPU)) || ((traps & SYSTRAP_TTLB) && (hcr & HCR_TTLB)) ||
        ((traps & SYSTRAP_TDZ) && (hcr & HCR_TDZ)))
        return true;
    return feature_has(&cpu->features, FEAT_FGT) && TRAP_HAS_FGT(traps) &&
           (cpu->sr[SR_HFGITR_EL2] >> TRAP_FGT_BIT(traps) & 1);
}

/* In the order of the Arm ARM's AccessTo pseudocode: UNDEFINED (EL, feature,
 * direction, VHE alias without E2H), the register's own checks (EL0 enables
 * that trap to EL1, run-time UNDEF conditions), then the EL2 trap controls. */
static SysregAccessResult check_access(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    unsigned el = cpu_el(cpu);
    if (el < r->min_el)
        return SRA_UNDEF;
    if (r->min_el >= 2 && !cpu->has_el2)
        return SRA_UNDEF;
    if (!feature_has(&cpu->features, r->feature))
        return SRA_UNDEF;
    if (is_write ? r->access == SR_RO || (r->access == SR_RO_EL0 && el == 0) : r->access == SR_WO)
        return SRA_UNDEF;
    if (vhe_alias_of[r->id] && (!cpu_e2h(cpu) || !feature_has(&cpu->features, table[vhe_alias_of[r->id] - 1].feature)))
        return SRA_UNDEF; /* an alias exists where the register it reaches does */
    if (r->hooks && r->hooks->check) {
        SysregAccessResult res = r->hooks->check(cpu, r, is_write);
        if (res != SRA_OK)
            return res;
    }
    return el2_traps(cpu, r->traps, is_write) ? SRA_TRAP_EL2 : SRA_OK;
}

static uint32_t trap_iss(const SysregInfo *r, unsigned rt, bool is_read)
{
    return sysreg_trap_iss(r->op0, r->op1, r->crn, r->crm, r->op2, rt, is_read);
}

static void enforce(CPUState *cpu, const SysregInfo *r, unsigned rt, bool is_write)
{
    switch (check_access(cpu, r, is_write)) {
    case SRA_OK:
        return;
    case SRA_UNDEF:
        cpu_undefined(cpu);
    case SRA_TRAP_EL1:
        cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_SYSREG,
                           trap_iss(r, rt, !is_write), cpu->pc, false, 0);
    case SRA_TRAP_EL2:
        cpu_take_exception(cpu, 2, EC_SYSREG, trap_iss(r, rt, !is_write), cpu->pc, false, 0);
    case SRA_TRAP_FP:
        cpu_fp_access_trap(cpu, cpu_fp_access(cpu));
    case SRA_TRAP_SVE:
        cpu_take_exception(cpu, cpu_sve_trap_el(cpu), EC_SVE_ACCESS, 0, cpu->pc, false, 0);
    }
}

uint64_t sysreg_read(CPUState *cpu, const SysregInfo *r, unsigned rt)
{
    enforce(cpu, r, rt, false);
    r = sysreg_redirect(cpu, r);
    if (r->hooks && r->hooks->read)
        return r->hooks->read(cpu, r);
    return cpu->sr[r->id];
}

void sysreg_write(CPUState *cpu, const SysregInfo *r, uint64_t value, unsigned rt)
{
    enforce(cpu, r, rt, true);
    r = sysreg_redirect(cpu, r);
    if (r->hooks && r->hooks->write) {
        r->hooks->write(cpu, r, value);
        return;
    }
    sysreg_store(cpu, r, value);
}
