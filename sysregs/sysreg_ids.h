/* Indices of the system-register table (sysregs.def): SR_<name>. Kept apart
 * from sysregs.h so that CPUState can size its storage without the table API. */
#ifndef NESTOR_SYSREGS_IDS_H
#define NESTOR_SYSREGS_IDS_H

typedef enum {
#define SYSREG(name, op0, op1, crn, crm, op2, min_el, access, reset, wmask, hooks, feature, traps) SR_##name,
#include "sysregs/sysregs.def"
#include "sysregs/sysregs_timer.def"
#include "sysregs/sysregs_gic.def"
#undef SYSREG
    SR_COUNT
} SysregId;

#endif
