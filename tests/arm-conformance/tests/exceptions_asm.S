/*
 * Exception probes that need exact control of SP, SPSel or ELR/SPSR.
 * Each returns the address of the instruction expected to fault, so the
 * C side can print ELR relative to it.
 */
    .text

/*
 * uint64_t sp_align_probe_elx(void) at EL1/EL2: switches to SP_EL0 (SPSel=0),
 * points it 8 bytes off 16-byte alignment and loads through it.  The
 * address itself is 8-byte aligned, so only the SP alignment check (SCTLR.SA)
 * can fault.  The exception is taken on SP_ELx (vector offset 0x000).
 */
    .global sp_align_probe_elx
sp_align_probe_elx:
    mov     x9, sp
    msr     spsel, #0
    mov     x10, sp
    sub     x11, x9, #520
    mov     sp, x11
    adr     x0, 1f
1:  ldr     x12, [sp]
    mov     sp, x10
    msr     spsel, #1
    ret

/* uint64_t sp_align_probe_el0(void): the same at EL0 (SCTLR_EL1.SA0). */
    .global sp_align_probe_el0
sp_align_probe_el0:
    mov     x10, sp
    sub     x11, x10, #520
    mov     sp, x11
    adr     x0, 1f
1:  ldr     x12, [sp]
    mov     sp, x10
    ret

/*
 * uint64_t illegal_return_el1(void) / illegal_return_el2(void):
 * ERET with SPSR.M naming a higher EL (EL2h from EL1, EL3h from EL2 where
 * EL3 does not exist) is an illegal exception return: the EL stays, PSTATE.IL
 * is set and the next instruction takes an Illegal Execution state exception.
 */
    .global illegal_return_el1
illegal_return_el1:
    adr     x0, 1f
    msr     elr_el1, x0
    mov     x1, #0x3c9              /* DAIF masked, EL2h */
    msr     spsr_el1, x1
    eret
1:  nop                             /* faults with EC 0x0e until IL is cleared */
    ret

    .global illegal_return_el2
illegal_return_el2:
    adr     x0, 1f
    msr     elr_el2, x0
    mov     x1, #0x3cd              /* DAIF masked, EL3h */
    msr     spsr_el2, x1
    eret
1:  nop
    ret

/*
 * uint64_t pc_align_blr(void) / pc_align_br(void): branch to 2 bytes past
 * an instruction.  The PC alignment fault is taken at the target; the
 * handler resumes at X30, which points back here.  Returns the target.
 */
    .global pc_align_blr
pc_align_blr:
    stp     x29, x30, [sp, #-16]!
    adr     x0, 1f
    add     x1, x0, #2
    blr     x1
    ldp     x29, x30, [sp], #16
    ret
1:  nop
    nop

    .global pc_align_br
pc_align_br:
    stp     x29, x30, [sp, #-16]!
    adr     x0, 1f
    add     x1, x0, #2
    adr     x30, 2f
    br      x1
2:  ldp     x29, x30, [sp], #16
    ret
1:  nop
    nop
