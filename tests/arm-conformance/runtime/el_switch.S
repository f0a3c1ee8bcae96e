/*
 * Low-level pieces of run_at_el1()/run_at_el0() (see el_switch.c):
 * a minimal setjmp/longjmp, and the ERET into a trampoline at the lower EL
 * that calls the test function and then "returns" with HVC/SVC.
 */
#include "abi.h"
#include "sysreg.h"

    .text

/* int rt_setjmp(struct rt_jmpbuf *buf): saves callee-saved state, SP, DAIF. */
    .global rt_setjmp
rt_setjmp:
    stp     x19, x20, [x0, #0]
    stp     x21, x22, [x0, #16]
    stp     x23, x24, [x0, #32]
    stp     x25, x26, [x0, #48]
    stp     x27, x28, [x0, #64]
    stp     x29, x30, [x0, #80]
    mov     x1, sp
    mrs     x2, daif
    stp     x1, x2, [x0, #JMPBUF_SP]
    mov     x0, #0
    ret

/*
 * void rt_longjmp(struct rt_jmpbuf *buf, uint64_t value): used from an
 * exception handler, so it abandons the exception frame below the saved SP
 * and restores the caller's DAIF (exception entry masked everything).
 */
    .global rt_longjmp
rt_longjmp:
    ldp     x19, x20, [x0, #0]
    ldp     x21, x22, [x0, #16]
    ldp     x23, x24, [x0, #32]
    ldp     x25, x26, [x0, #48]
    ldp     x27, x28, [x0, #64]
    ldp     x29, x30, [x0, #80]
    ldp     x2, x3, [x0, #JMPBUF_SP]
    mov     sp, x2
    msr     daif, x3
    cmp     x1, #0
    csinc   x0, x1, xzr, ne     /* setjmp must not appear to return 0 again */
    ret

/* noreturn void rt_enter_el1(lower_el_fn fn, uint64_t arg, uint64_t sp): at EL2 */
    .global rt_enter_el1
rt_enter_el1:
    msr     sp_el1, x2
    adr     x3, el1_trampoline
    msr     elr_el2, x3
    mov     x3, #(PSR_DAIF_MASK | PSR_MODE_EL1h)
    msr     spsr_el2, x3
    mov     x19, x0
    mov     x20, x1
    eret

el1_trampoline:
    mov     x0, x19
    mov     x1, x20
    mov     x2, #1
    bl      rt_lower_el_main
    hvc     #RT_IMM_RETURN      /* x0 = result; EL2 longjmps back */
    b       .

/* noreturn void rt_enter_el0(lower_el_fn fn, uint64_t arg, uint64_t sp): at EL1 */
    .global rt_enter_el0
rt_enter_el0:
    msr     sp_el0, x2
    adr     x3, el0_trampoline
    msr     elr_el1, x3
    mov     x3, #(PSR_DAIF_MASK | PSR_MODE_EL0t)
    msr     spsr_el1, x3
    mov     x19, x0
    mov     x20, x1
    eret

el0_trampoline:
    mov     x0, x19
    mov     x1, x20
    mov     x2, #0
    bl      rt_lower_el_main
    svc     #RT_IMM_RETURN      /* x0 = result; EL1 longjmps back */
    b       .
