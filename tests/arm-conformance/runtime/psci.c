/*
 * PSCI calls and power-off.  QEMU's virt board implements PSCI itself: with
 * virtualization=on (boot at EL2) the conduit is SMC, otherwise HVC.
 */
#include "runtime.h"

uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 asm("x0") = fn;
    register uint64_t x1 asm("x1") = a1;
    register uint64_t x2 asm("x2") = a2;
    register uint64_t x3 asm("x3") = a3;

    /* SMCCC lets the callee clobber x4-x17. */
    if (rt_start_el == 2)
        asm volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                       "x14", "x15", "x16", "x17", "memory");
    else
        asm volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                       "x14", "x15", "x16", "x17", "memory");
    return x0;
}

void system_off(void)
{
    unsigned el = rt_current_el();

    /* Climb back to the boot EL first, so that e.g. HCR_EL2.TSC cannot interfere. */
    if (el == 0)
        asm volatile("svc %0" ::"i"(RT_IMM_POWEROFF));
    else if (el == 1 && rt_start_el == 2)
        asm volatile("hvc %0" ::"i"(RT_IMM_POWEROFF));
    else
        psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;)
        asm volatile("wfi");
}
