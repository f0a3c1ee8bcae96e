/*
 * Register dump of the floating-point random programs (randgen.py --fp):
 * rand_fp_dump is called with BL after every block, x29 = block number. It
 * saves x0..x30 and NZCV like rand_dump, then V0-V31, FPSR and FPCR, and
 * calls rand_fp_report(regs, vregs) (fp_harness.c, integer-only code: it
 * leaves every SIMD&FP register and FPCR/FPSR alone).
 */
#include "gpr_frame.h"

    .text
    .global rand_fp_dump
rand_fp_dump:
    sub     sp, sp, #(256 + 528)
    stp     x0, x1, [sp, #0]
    save_x2_x30
    mrs     x0, nzcv
    str     x0, [sp, #248]
    add     x1, sp, #256
    stp     q0, q1, [x1, #0]
    stp     q2, q3, [x1, #32]
    stp     q4, q5, [x1, #64]
    stp     q6, q7, [x1, #96]
    stp     q8, q9, [x1, #128]
    stp     q10, q11, [x1, #160]
    stp     q12, q13, [x1, #192]
    stp     q14, q15, [x1, #224]
    stp     q16, q17, [x1, #256]
    stp     q18, q19, [x1, #288]
    stp     q20, q21, [x1, #320]
    stp     q22, q23, [x1, #352]
    stp     q24, q25, [x1, #384]
    stp     q26, q27, [x1, #416]
    stp     q28, q29, [x1, #448]
    stp     q30, q31, [x1, #480]
    mrs     x0, fpsr
    str     x0, [x1, #512]
    mrs     x0, fpcr
    str     x0, [x1, #520]
    mov     x0, sp
    bl      rand_fp_report
    ldr     x0, [sp, #248]
    msr     nzcv, x0
    ldp     x0, x1, [sp, #0]
    restore_x2_x30
    add     sp, sp, #(256 + 528)
    ret
