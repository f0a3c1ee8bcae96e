/*
 * Branch sequences that need exact control over labels and link registers.
 * Each routine is a normal AAPCS function called from branch.c.
 */
    .text

/* uint64_t branch_path(void): visits 1..7 via B, BR, BLR, RET Xn and a
 * backward B; each step appends a hex digit, so the answer is 0x1234567. */
    .global branch_path
branch_path:
    stp     x29, x30, [sp, #-16]!
    mov     x0, #0
    b       1f
    add     x0, x0, #0xf            /* skipped */
1:  lsl     x0, x0, #4
    add     x0, x0, #1
    adr     x1, 2f
    br      x1
    add     x0, x0, #0xf
2:  lsl     x0, x0, #4
    add     x0, x0, #2
    adr     x2, append_3
    blr     x2
    lsl     x0, x0, #4
    add     x0, x0, #4
    adr     x5, 3f
    ret     x5                      /* RET to a register other than x30 */
    add     x0, x0, #0xf
3:  lsl     x0, x0, #4
    add     x0, x0, #5
    b       5f
4:  lsl     x0, x0, #4
    add     x0, x0, #7
    b       6f
5:  lsl     x0, x0, #4
    add     x0, x0, #6
    b       4b
6:  ldp     x29, x30, [sp], #16
    ret

append_3:
    lsl     x0, x0, #4
    add     x0, x0, #3
    ret

/* uint64_t bl_link_offset(void): X30 after BL minus the BL's address (4). */
    .global bl_link_offset
bl_link_offset:
    mov     x9, x30
0:  bl      1f
1:  adr     x1, 0b
    sub     x0, x30, x1
    mov     x30, x9
    ret

/* uint64_t blr_x30(void): BLR X30 branches to the old X30 and links the new
 * one; returns new X30 minus the BLR's address (4). */
    .global blr_x30
blr_x30:
    mov     x9, x30
    adr     x30, 1f
0:  blr     x30
    mov     x0, #0xbad
    b       2f
1:  adr     x1, 0b
    sub     x0, x30, x1
2:  mov     x30, x9
    ret

/* uint64_t jump_table(uint64_t i): i in 0..4 through a table of offsets. */
    .global jump_table
jump_table:
    adr     x1, .Ltable
    ldrsw   x2, [x1, x0, lsl #2]
    add     x1, x1, x2
    br      x1
.Lcase0:
    mov     x0, #100
    ret
.Lcase1:
    mov     x0, #101
    ret
.Lcase2:
    mov     x0, #102
    ret
.Lcase3:
    mov     x0, #103
    ret
.Lcase4:
    movn    x0, #0
    ret
    .balign 4
.Ltable:
    .word   .Lcase0 - .Ltable, .Lcase1 - .Ltable, .Lcase2 - .Ltable
    .word   .Lcase3 - .Ltable, .Lcase4 - .Ltable

/* uint64_t sum_to(uint64_t n): recursive n + sum_to(n - 1) with a stack frame. */
    .global sum_to
sum_to:
    cbz     x0, 1f
    stp     x19, x30, [sp, #-16]!
    mov     x19, x0
    sub     x0, x0, #1
    bl      sum_to
    add     x0, x0, x19
    ldp     x19, x30, [sp], #16
1:  ret

/* uint64_t countdown(uint64_t n): backward B.NE loop; returns iterations. */
    .global countdown
countdown:
    mov     x1, #0
1:  add     x1, x1, #1
    subs    x0, x0, #1
    b.ne    1b
    mov     x0, x1
    ret

/* uint64_t far_tbz(uint64_t v): TBZ over ~32 KiB (near the +32 KiB limit):
 * 1 if bit 0 of v is clear, else 2. */
    .global far_tbz
far_tbz:
    tbz     x0, #0, .Lfar_tbz_target
    mov     x0, #2
    ret
    .skip   32744
.Lfar_tbz_target:
    mov     x0, #1
    ret

/* uint64_t far_cbz_back(uint64_t v): CBZ ~40 KB backwards: 1 if v == 0, else 2. */
.Lfar_cbz_target:
    mov     x0, #1
    ret
    .skip   40000
    .global far_cbz_back
far_cbz_back:
    cbz     x0, .Lfar_cbz_target
    mov     x0, #2
    ret
