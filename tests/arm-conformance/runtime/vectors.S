/*
 * Exception vector tables for EL2 and EL1.  Every entry builds a struct
 * exc_frame (abi.h) on the handling EL's stack and calls
 * exception_entry(frame) in C, then returns with ELR/SPSR and all GPRs taken
 * from the frame, so a C handler can change where and how execution resumes.
 */
#include "abi.h"

/* One 128-byte slot: there is only room to save x0/x1 and branch. */
.macro ventry el, offset
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\offset
    b       exc_common_el\el
.endm

.macro vector_table el
    .balign 0x800
    .global vectors_el\el
vectors_el\el:
    ventry \el, 0x000   /* current EL, SP_EL0: sync */
    ventry \el, 0x080   /*                     IRQ */
    ventry \el, 0x100   /*                     FIQ */
    ventry \el, 0x180   /*                     SError */
    ventry \el, 0x200   /* current EL, SP_ELx */
    ventry \el, 0x280
    ventry \el, 0x300
    ventry \el, 0x380
    ventry \el, 0x400   /* lower EL, AArch64 */
    ventry \el, 0x480
    ventry \el, 0x500
    ventry \el, 0x580
    ventry \el, 0x600   /* lower EL, AArch32 (never used here) */
    ventry \el, 0x680
    ventry \el, 0x700
    ventry \el, 0x780
.endm

/* x0 = vector offset; x0/x1 already saved in the frame. */
.macro exc_common el
exc_common_el\el:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    mrs     x1, elr_el\el
    mrs     x2, spsr_el\el
    stp     x1, x2, [sp, #FRAME_ELR]
    mrs     x1, esr_el\el
    mrs     x2, far_el\el
    stp     x1, x2, [sp, #FRAME_ESR]
    mov     x1, #\el
    stp     x0, x1, [sp, #FRAME_VECTOR]
    mov     x0, sp
    bl      exception_entry
    ldp     x1, x2, [sp, #FRAME_ELR]
    msr     elr_el\el, x1
    msr     spsr_el\el, x2
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret
.endm

    .text
    vector_table 2
    vector_table 1
    exc_common 2
    exc_common 1
