/*
 * Register dump of the floating-point random programs (randgen.py --fp):
 * rand_fp_dump is called with BL after every block, x29 = block number. It
 * saves V0-V31, FPSR and FPCR in rand_fp_state, then continues as rand_dump
 * (harness.S), whose report ends with rand_report_fp (fp_harness.c). Only
 * x0 and x30 are touched here, and restored before rand_dump saves them.
 */
    .text
    .global rand_fp_dump
rand_fp_dump:
    stp     x0, x30, [sp, #-16]!
    ldr     x0, =rand_fp_state
    stp     q0, q1, [x0, #0]
    stp     q2, q3, [x0, #32]
    stp     q4, q5, [x0, #64]
    stp     q6, q7, [x0, #96]
    stp     q8, q9, [x0, #128]
    stp     q10, q11, [x0, #160]
    stp     q12, q13, [x0, #192]
    stp     q14, q15, [x0, #224]
    stp     q16, q17, [x0, #256]
    stp     q18, q19, [x0, #288]
    stp     q20, q21, [x0, #320]
    stp     q22, q23, [x0, #352]
    stp     q24, q25, [x0, #384]
    stp     q26, q27, [x0, #416]
    stp     q28, q29, [x0, #448]
    stp     q30, q31, [x0, #480]
    mrs     x30, fpsr
    str     x30, [x0, #512]
    mrs     x30, fpcr
    str     x30, [x0, #520]
    ldp     x0, x30, [sp], #16
    b       rand_dump
    .ltorg

    .bss
    .balign 16
    .global rand_fp_state
rand_fp_state:                  /* V0-V31 (low half first), FPSR, FPCR */
    .skip   528
