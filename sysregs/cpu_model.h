/* CPU models: ID-register values kept as data under machines/cpus/, and
 * their -cpu configuration (overrides, consistency rules, JSON dump). */
#ifndef NESTOR_SYSREGS_CPU_MODEL_H
#define NESTOR_SYSREGS_CPU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysregs/sysreg_ids.h"

typedef struct CPUModel {
    const char *name;
    const char *description;
    const char *dt_compatible; /* the cpu nodes' "compatible" in a device tree */
    uint64_t values[SR_COUNT]; /* reset values of the SR_FROM_MODEL registers */
    uint64_t ccsidr[16];       /* CCSIDR_EL1 per CSSELR_EL1 value (Level << 1 | InD) */
} CPUModel;

const CPUModel *cpu_model_find(const char *name);
void cpu_model_list(FILE *out);
/* The built-in models, for checks over all of them. */
size_t cpu_model_count(void);
const CPUModel *cpu_model_at(size_t i);

/* Builds *out from a -cpu argument "MODEL[,feature=on|off][,REG.FIELD=value]...".
 * On error writes a message naming the problem into err and returns false. */
bool cpu_model_configure(CPUModel *out, const char *spec, char *err, size_t errlen);
/* The consistency rules (impossible feature combinations); false with a
 * message naming both fields. */
bool cpu_model_check(const CPUModel *m, char *err, size_t errlen);
/* Clears the ID fields of EL2 and of the features that need it (the board
 * without virtualization=on). Works on any SysregId-indexed array. */
void cpu_model_remove_el2(uint64_t *values);
/* Every model-supplied register, with each field of the ID-field table, as JSON. */
void cpu_model_dump_json(const CPUModel *m, FILE *out);

#endif
