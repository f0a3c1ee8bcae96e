/*
 * Entry point.  QEMU enters at EL2 with -M virt,virtualization=on and at
 * EL1 with plain -M virt (MMU off, DAIF masked, SPSel=1).  Only those two
 * are supported.  Everything a test may observe is set to a known value
 * here, because reset values of many of these registers are UNKNOWN.
 */
#include "abi.h"
#include "sysreg.h"

    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x19, CurrentEL
    ubfx    x19, x19, #2, #2
    ldr     x0, =boot_stack_top
    mov     sp, x0
    cmp     x19, #2
    b.eq    el2_setup
    cmp     x19, #1
    b.eq    el1_setup
unsupported_el:                 /* EL3 (or EL0) entry: nothing sane to do */
    wfi
    b       unsupported_el

el2_setup:
    ldr     x0, =vectors_el2
    msr     vbar_el2, x0
    ldr     x0, =SCTLR_EL2_RES1
    msr     sctlr_el2, x0
    ldr     x0, =HCR_RW         /* EL1 is AArch64; nothing else trapped/routed */
    msr     hcr_el2, x0
    ldr     x0, =CPTR_EL2_RES1
    msr     cptr_el2, x0
    mov     x0, #CNTHCTL_EL2_EL1_ACCESS
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    msr     hstr_el2, xzr
    /* EL1 reads of MIDR/MPIDR return these: make them the real values. */
    mrs     x0, midr_el1
    msr     vpidr_el2, x0
    mrs     x0, mpidr_el1
    msr     vmpidr_el2, x0
    /* fall through: EL2 also owns the EL1 state we are about to use */
el1_setup:
    ldr     x0, =vectors_el1
    msr     vbar_el1, x0
    ldr     x0, =SCTLR_EL1_RES1
    msr     sctlr_el1, x0
    isb

    /* Clear .bss (it holds the stack we are on, but nothing is on it yet). */
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b
2:
    ldr     x0, =rt_start_el
    str     x19, [x0]
    bl      rt_init_el
    bl      main
    bl      rt_exit_main        /* x0 = main's return value; never returns */
    b       unsupported_el

    .section .bss.boot_stack, "aw", %nobits
    .balign 16
boot_stack:
    .skip   64 * 1024
boot_stack_top:
