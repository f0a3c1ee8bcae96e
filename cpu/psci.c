/* PSCI firmware calls handled by the emulator itself, as QEMU's virt does
 * when it has no EL3 firmware (DEN0022 "Arm Power State Coordination Interface"). */
#include <stdint.h>

#include "cpu/cpu.h"
#include "trace/log.h"

enum {
    PSCI_VERSION = 0x84000000,
    PSCI_CPU_SUSPEND_32 = 0x84000001,
    PSCI_CPU_OFF = 0x84000002,
    PSCI_CPU_ON_32 = 0x84000003,
    PSCI_AFFINITY_INFO_32 = 0x84000004,
    PSCI_MIGRATE_INFO_TYPE = 0x84000006,
    PSCI_SYSTEM_OFF = 0x84000008,
    PSCI_SYSTEM_RESET = 0x84000009,
    PSCI_FEATURES = 0x8400000a,
    PSCI_CPU_SUSPEND_64 = 0xc4000001,
    PSCI_CPU_ON_64 = 0xc4000003,
    PSCI_AFFINITY_INFO_64 = 0xc4000004,
};

enum { PSCI_SUCCESS = 0, PSCI_NOT_SUPPORTED = -1, PSCI_INVALID_PARAMETERS = -2 };

/* Function IDs PSCI owns: the standard secure service range, 32 and 64-bit. */
static bool is_psci_function(uint64_t fid)
{
    uint32_t f = (uint32_t)fid;
    return fid >> 32 == 0 && ((f >= 0x84000000 && f <= 0x8400001f) || (f >= 0xc4000000 && f <= 0xc400001f));
}

static bool supported(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES: case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
        return true;
    default:
        return false;
    }
}

bool psci_handle_call(CPUState *cpu)
{
    uint64_t fid = cpu->x[0];
    if (!is_psci_function(fid))
        return false;
    int64_t ret;
    switch ((uint32_t)fid) {
    case PSCI_VERSION:
        ret = 0x10001; /* 1.1 */
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        ret = 2; /* no Trusted OS: migration not required */
        break;
    case PSCI_FEATURES:
        ret = supported((uint32_t)cpu->x[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
        break;
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
        /* One PE so far (SMP comes with the board issue): it is on. */
        ret = (cpu->x[1] & 0xff00ffffffull) == (cpu->sr[SR_MPIDR_EL1] & 0xff00ffffffull) && cpu->x[2] == 0
                  ? 0 : PSCI_INVALID_PARAMETERS;
        break;
    case PSCI_SYSTEM_OFF:
        if (log_enabled(LOG_INT))
            log_printf("psci: SYSTEM_OFF\n");
        cpu_exit_loop(cpu, CPU_EXIT_POWEROFF);
    case PSCI_SYSTEM_RESET:
        if (log_enabled(LOG_INT))
            log_printf("psci: SYSTEM_RESET\n");
        cpu_exit_loop(cpu, CPU_EXIT_RESET);
    default:
        ret = PSCI_NOT_SUPPORTED;
        break;
    }
    cpu->x[0] = (uint64_t)ret;
    return true;
}
