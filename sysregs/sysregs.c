/* The table built from sysregs.def, and generic MRS/MSR with access checks. */
#include "sysregs/sysregs.h"

#include <string.h>

#include "fpu/fpu.h"
#include "sysregs/cpu_model.h"
#include "sysregs/sysreg_hooks.h"

static const SysregInfo table[SR_COUNT] = {
#define SYSREG(name, op0, op1, crn, crm, op2, min_el, access, reset, wmask, hooks) \
    [SR_##name] = {#name, SR_##name, op0, op1, crn, crm, op2, min_el, access, reset, wmask, hooks},
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
}

static SysregAccessResult check_access(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    unsigned el = cpu_el(cpu);
    if (el < r->min_el)
        return SRA_UNDEF;
    if (r->min_el >= 2 && !cpu->has_el2)
        return SRA_UNDEF;
    if (is_write ? r->access == SR_RO || (r->access == SR_RO_EL0 && el == 0) : r->access == SR_WO)
        return SRA_UNDEF;
    if (r->hooks && r->hooks->check)
        return r->hooks->check(cpu, r, is_write);
    return SRA_OK;
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
    }
}

uint64_t sysreg_read(CPUState *cpu, const SysregInfo *r, unsigned rt)
{
    enforce(cpu, r, rt, false);
    if (r->hooks && r->hooks->read)
        return r->hooks->read(cpu, r);
    return cpu->sr[r->id];
}

void sysreg_write(CPUState *cpu, const SysregInfo *r, uint64_t value, unsigned rt)
{
    enforce(cpu, r, rt, true);
    if (r->hooks && r->hooks->write) {
        r->hooks->write(cpu, r, value);
        return;
    }
    cpu->sr[r->id] = (cpu->sr[r->id] & ~r->wmask) | (value & r->wmask);
}
