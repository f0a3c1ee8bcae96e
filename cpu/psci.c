/* PSCI firmware calls handled by the emulator itself, as QEMU's virt does
 * when it has no EL3 firmware (DEN0022 "Arm Power State Coordination Interface"). */
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/psci.h"
#include "trace/log.h"


static bool supported(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES: case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64: case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64: case PSCI_CPU_OFF: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
        return true;
    default:
        return false;
    }
}

static bool is_self(const CPUState *cpu, uint64_t mpidr)
{
    return (mpidr & MPIDR_AFF_MASK) == (cpu->sr[SR_MPIDR_EL1] & MPIDR_AFF_MASK);
}

/* The target affinity of CPU_ON/AFFINITY_INFO: the 32-bit forms take 32
 * bits (no Aff3). */
static uint64_t target_mpidr(const CPUState *cpu, uint64_t fid)
{
    uint64_t m = fid == PSCI_CPU_ON_32 || fid == PSCI_AFFINITY_INFO_32 ? (uint32_t)cpu->x[1] : cpu->x[1];
    return m & MPIDR_AFF_MASK;
}

/* Every call on the conduit reaches the emulated firmware: function IDs it
 * does not implement return NOT_SUPPORTED, as SMCCC requires for unknown
 * functions (and as QEMU does), rather than raising an exception. */
void psci_handle_call(CPUState *cpu)
{
    uint64_t fid = cpu->x[0];
    int64_t ret;
    switch (fid >> 32 ? 0 : (uint32_t)fid) {
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
        /* Level 0 only (PSCI 1.0+ may reject higher levels, QEMU answers them). */
        if (cpu->x[2] != 0)
            ret = PSCI_INVALID_PARAMETERS;
        else if (cpu->board_ops)
            ret = cpu->board_ops->affinity_info(cpu->board, target_mpidr(cpu, fid));
        else
            ret = is_self(cpu, cpu->x[1]) ? 0 : PSCI_INVALID_PARAMETERS;
        break;
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
        if (cpu->board_ops)
            ret = cpu->board_ops->cpu_on(cpu->board, cpu, target_mpidr(cpu, fid), cpu->x[2], cpu->x[3]);
        else
            ret = is_self(cpu, cpu->x[1]) ? PSCI_ALREADY_ON : PSCI_INVALID_PARAMETERS;
        break;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        /* Power-down states are not modelled: every suspend is a standby,
         * which (like WFI) may end at once. Affinity-level bits must be 0. */
        ret = cpu->x[1] & 0xfffe0000 ? PSCI_INVALID_PARAMETERS : PSCI_SUCCESS;
        break;
    case PSCI_CPU_OFF:
        /* The board powers the PE off (and the machine when none is left). */
        if (log_enabled(LOG_INT))
            log_printf("psci: CPU_OFF of cpu%u\n", cpu->index);
        cpu_exit_loop(cpu, CPU_EXIT_CPU_OFF);
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
}
