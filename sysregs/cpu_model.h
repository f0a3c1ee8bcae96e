/* CPU models: ID-register values kept as data under machines/cpus/. */
#ifndef NESTOR_SYSREGS_CPU_MODEL_H
#define NESTOR_SYSREGS_CPU_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "sysregs/sysreg_ids.h"

typedef struct CPUModel {
    const char *name;
    const char *description;
    const char *dt_compatible; /* the cpu nodes' "compatible" in a device tree */
    uint64_t values[SR_COUNT]; /* reset values of the SR_FROM_MODEL registers */
} CPUModel;

const CPUModel *cpu_model_find(const char *name);
void cpu_model_list(FILE *out);

#endif
