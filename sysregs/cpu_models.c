/* The model list: each machines/cpus/<name>.def holds one model's values. */
#include "sysregs/cpu_model.h"

#include <string.h>

#define MODEL_REG(reg, value) [SR_##reg] = (value),
static const CPUModel models[] = {
    {"cortex-a57", "Arm Cortex-A57 (Armv8.0)", "arm,cortex-a57", {
#include "machines/cpus/cortex-a57.def"
    }},
    {"cortex-a72", "Arm Cortex-A72 (Armv8.0)", "arm,cortex-a72", {
#include "machines/cpus/cortex-a72.def"
    }},
    {"neoverse-n1", "Arm Neoverse N1 (Armv8.2)", "arm,neoverse-n1", {
#include "machines/cpus/neoverse-n1.def"
    }},
    {"max", "every feature Nestor implements", "arm,arm-v8", {
#include "machines/cpus/max.def"
    }},
};
#undef MODEL_REG

const CPUModel *cpu_model_find(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (!strcmp(models[i].name, name))
            return &models[i];
    return NULL;
}

void cpu_model_list(FILE *out)
{
    fprintf(out, "Available CPUs:\n");
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        fprintf(out, "  %-14s %s\n", models[i].name, models[i].description);
}
