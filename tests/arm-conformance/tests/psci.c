/*
 * PSCI as implemented by the virt board's built-in firmware (QEMU: PSCI 1.1,
 * conduit SMC when booted at EL2, HVC when booted at EL1).  Every program
 * already ends in SYSTEM_OFF; this checks the informational calls and error
 * returns, from the boot EL and (after an EL2 boot) from EL1 as well.
 */
#include "testlib.h"

#define PSCI_CPU_SUSPEND64     0xc4000001u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_RESET      0x84000009u
#define SMCCC_VERSION          0x80000000u

static void call(const char *name, uint64_t fn, uint64_t a1, uint64_t a2, int64_t want)
{
    int64_t r = (int64_t)psci_call(fn, a1, a2, 0);

    printf("  %-28s -> %ld\n", name, r);
    CHECK_EQ(name, r, want);
}

static uint64_t psci_calls(uint64_t unused)
{
    static const struct {
        const char *name;
        uint32_t fn;
    } features[] = {
        { "PSCI_VERSION", PSCI_VERSION },     { "CPU_SUSPEND", PSCI_CPU_SUSPEND64 },
        { "CPU_OFF", PSCI_CPU_OFF },          { "CPU_ON", PSCI_CPU_ON64 },
        { "AFFINITY_INFO", PSCI_AFFINITY_INFO64 }, { "MIGRATE_INFO_TYPE", PSCI_MIGRATE_INFO_TYPE },
        { "SYSTEM_OFF", PSCI_SYSTEM_OFF },    { "SYSTEM_RESET", PSCI_SYSTEM_RESET },
        { "PSCI_FEATURES", PSCI_FEATURES },   { "SMCCC_VERSION", SMCCC_VERSION },
        { "unknown 0x8400001f", 0x8400001f },
    };

    (void)unused;
    printf("PSCI from EL%u\n", current_el());
    printf("  PSCI_VERSION -> %lx\n", psci_call(PSCI_VERSION, 0, 0, 0));
    CHECK_EQ("PSCI version 1.1", psci_call(PSCI_VERSION, 0, 0, 0), 0x10001);
    for (size_t i = 0; i < ARRAY_SIZE(features); i++)
        printf("  FEATURES(%-18s) -> %ld\n", features[i].name,
               (int64_t)psci_call(PSCI_FEATURES, features[i].fn, 0, 0));
    call("MIGRATE_INFO_TYPE", PSCI_MIGRATE_INFO_TYPE, 0, 0, 2);
    call("AFFINITY_INFO(cpu 0)", PSCI_AFFINITY_INFO64, 0, 0, 0);
    call("CPU_ON(cpu 0, running)", PSCI_CPU_ON64, 0, 0x40080000, PSCI_ALREADY_ON);
    call("CPU_ON(cpu 1, absent)", PSCI_CPU_ON64, 1, 0x40080000, PSCI_INVALID_PARAMS);
    call("unknown function", 0x8400001f, 0, 0, PSCI_NOT_SUPPORTED);
    call("function 0", 0, 0, 0, PSCI_NOT_SUPPORTED);
    return 0;
}

int main(void)
{
    psci_calls(0);
    /* With the SMC conduit EL1 may call the firmware directly (HCR_EL2.TSC = 0). */
    if (rt_start_el == 2)
        run_at_el1(psci_calls, 0);
    return 0;
}
