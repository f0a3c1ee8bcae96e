/*
 * Exception vector tables for EL2 and EL1.  Every entry builds a struct
 * exc_frame (abi.h) on the handling EL's stack and calls
 * exception_entry(frame) in C, then returns with ELR/SPSR and all GPRs taken
 * from the frame, so a C handler can change where and how execution resumes.
 */
#include "abi.h"
#include "gpr_frame.h"

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
    save_x2_x30
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
    restore_x2_x30
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret
.endm

    .text
    vector_table 2
    vector_table 1
    exc_common 2
    exc_common 1
