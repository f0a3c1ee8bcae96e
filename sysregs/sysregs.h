/* The system-register table API: lookup by encoding, access checks, MRS/MSR. */
#ifndef NESTOR_SYSREGS_SYSREGS_H
#define NESTOR_SYSREGS_SYSREGS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "sysregs/sysreg_ids.h"

typedef enum { SR_RW, SR_RO, SR_WO, SR_RO_EL0 } SysregAccess;

#define SR_FROM_MODEL (~0ull) /* reset value placeholder: take it from the CPU model */

/* Outcome of an access check: allowed, UNDEFINED, trapped to an EL (EC 0x18),
 * or the FP access trap of cpu_fp_access (FPCR, FPSR). */
typedef enum { SRA_OK, SRA_UNDEF, SRA_TRAP_EL1, SRA_TRAP_EL2, SRA_TRAP_FP } SysregAccessResult;

struct SysregInfo;
typedef struct {
    SysregAccessResult (*check)(const CPUState *cpu, const struct SysregInfo *r, bool is_write);
    uint64_t (*read)(CPUState *cpu, const struct SysregInfo *r);
    void (*write)(CPUState *cpu, const struct SysregInfo *r, uint64_t value);
} SysregHooks;

typedef struct SysregInfo {
    const char *name;
    SysregId id;
    uint8_t op0, op1, crn, crm, op2;
    uint8_t min_el;
    SysregAccess access;
    uint64_t reset;
    uint64_t wmask;
    const SysregHooks *hooks;
} SysregInfo;

/* Packs op0..op2 the way MRS/MSR encode them (bits 20:5 of the instruction). */
static inline uint32_t sysreg_key(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
}

/* ESR ISS of a trapped MSR/MRS/SYS or MSR (immediate) (EC 0x18, DDI 0487
 * D24.2.40): the instruction's encoding fields, Rt and the direction. */
static inline uint32_t sysreg_trap_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                                       unsigned rt, bool is_read)
{
    return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (is_read ? 1u : 0u);
}

const SysregInfo *sysreg_by_key(uint32_t key);
const SysregInfo *sysreg_by_id(SysregId id);
const SysregInfo *sysreg_by_name(const char *name);

/* Resets every register of the table (model values for SR_FROM_MODEL). */
void sysregs_reset(CPUState *cpu);

/* MRS/MSR at run time: checks access at the current EL and either performs it
 * or raises the exception the check chose. rt is the register number for the
 * trap syndrome. */
uint64_t sysreg_read(CPUState *cpu, const SysregInfo *r, unsigned rt);
void sysreg_write(CPUState *cpu, const SysregInfo *r, uint64_t value, unsigned rt);

#endif
