/* PSCI function IDs (DEN0022, SMC32 and SMC64 calling conventions): served
 * by cpu/psci.c and listed in the device tree by the board. */
#ifndef NESTOR_CPU_PSCI_H
#define NESTOR_CPU_PSCI_H

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
    PSCI_MIGRATE_64 = 0xc4000005, /* not served (MIGRATE_INFO_TYPE says no migration); only in the DT's legacy binding */
};

/* Return codes. */
enum { PSCI_SUCCESS = 0, PSCI_NOT_SUPPORTED = -1, PSCI_INVALID_PARAMETERS = -2, PSCI_ALREADY_ON = -4 };
/* AFFINITY_INFO states. */
enum { PSCI_AFFINITY_ON = 0, PSCI_AFFINITY_OFF = 1 };

#endif
