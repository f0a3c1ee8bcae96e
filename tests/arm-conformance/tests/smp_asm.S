/*
 * Entry of the secondary CPUs (PSCI CPU_ON, context id = CPU index in x0):
 * a stack of their own, the runtime's vectors and the control registers
 * start.S sets for CPU 0, then smp_secondary_main(index).
 */
#include "sysreg.h"

#define STACK_SIZE 8192

    .text
    .global smp_secondary_entry
smp_secondary_entry:
    ldr     x1, =smp_stacks
    add     x2, x0, #1
    lsl     x2, x2, #13             /* STACK_SIZE */
    add     sp, x1, x2
    mrs     x1, CurrentEL
    cmp     x1, #8
    b.ne    1f
    ldr     x1, =vectors_el2
    msr     vbar_el2, x1
    ldr     x1, =SCTLR_EL2_RES1
    msr     sctlr_el2, x1
    ldr     x1, =HCR_RW
    msr     hcr_el2, x1
1:  ldr     x1, =vectors_el1
    msr     vbar_el1, x1
    ldr     x1, =SCTLR_EL1_RES1
    msr     sctlr_el1, x1
    isb
    bl      smp_secondary_main
2:  wfi
    b       2b
