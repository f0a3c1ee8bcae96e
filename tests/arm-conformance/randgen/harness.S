/*
 * Glue for the generated random programs (randgen.py).  The generated
 * rand_body() uses x0-x28 freely, x28 as the scratch-buffer base and x29
 * for the block number, so everything here saves and restores what it
 * touches, NZCV included.
 */
#include "gpr_frame.h"

    .text

/* void run_random_program(void): AAPCS wrapper around rand_body. */
    .global run_random_program
run_random_program:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    bl      rand_body
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret

/*
 * rand_dump: called with BL after every block, x29 = block number.
 * Builds uint64_t regs[32] (x0..x30, NZCV) and calls rand_report(regs).
 */
    .global rand_dump
rand_dump:
    sub     sp, sp, #256
    stp     x0, x1, [sp, #0]
    save_x2_x30
    mrs     x0, nzcv
    str     x0, [sp, #248]
    mov     x0, sp
    bl      rand_report
    ldr     x0, [sp, #248]
    msr     nzcv, x0
    ldp     x0, x1, [sp, #0]
    restore_x2_x30
    add     sp, sp, #256
    ret
