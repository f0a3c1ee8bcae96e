/* The model list: each machines/cpus/<name>.def holds one model's values:
 *   MODEL_REG(register, value)         reset value of an SR_FROM_MODEL register
 *   MODEL_CCSIDR(level, ind, value)    CCSIDR_EL1 of cache level 1..7, InD 1 = instruction
 * Registers a model does not name read as 0. */
#include "sysregs/cpu_model.h"

#include <string.h>

static const CPUModel models[] = {
#define MODEL_FILE "machines/cpus/cortex-a57.def"
    {"cortex-a57", "Arm Cortex-A57 r1p0 (Armv8.0)", "arm,cortex-a57",
#include "sysregs/cpu_model_values.inc"
    },
#define MODEL_FILE "machines/cpus/cortex-a72.def"
    {"cortex-a72", "Arm Cortex-A72 r0p3 (Armv8.0)", "arm,cortex-a72",
#include "sysregs/cpu_model_values.inc"
    },
#define MODEL_FILE "machines/cpus/neoverse-n1.def"
    {"neoverse-n1", "Arm Neoverse N1 r4p1 (Armv8.2)", "arm,neoverse-n1",
#include "sysregs/cpu_model_values.inc"
    },
#define MODEL_FILE "machines/cpus/neoverse-v1.def"
    {"neoverse-v1", "Arm Neoverse V1 r1p2 (Armv8.4; PAuth (QARMA5); SVE, SM3/SM4 masked out)", "arm,neoverse-v1",
#include "sysregs/cpu_model_values.inc"
    },
#define MODEL_FILE "machines/cpus/max.def"
    {"max", "every feature Nestor implements", "arm,arm-v8",
#include "sysregs/cpu_model_values.inc"
    },
};

const CPUModel *cpu_model_find(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (!strcmp(models[i].name, name))
            return &models[i];
    return NULL;
}

size_t cpu_model_count(void) { return sizeof models / sizeof models[0]; }
const CPUModel *cpu_model_at(size_t i) { return i < cpu_model_count() ? &models[i] : NULL; }

void cpu_model_list(FILE *out)
{
    fprintf(out, "Available CPUs:\n");
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        fprintf(out, "  %-14s %s\n", models[i].name, models[i].description);
    fprintf(out, "\nProperties: -cpu MODEL,FEATURE=on|off (features: see docs/user-guide.md) or\n"
                 "-cpu MODEL,REGISTER.FIELD=VALUE (e.g. ID_AA64MMFR1_EL1.VH=0); --dump-cpu prints the result.\n");
}
